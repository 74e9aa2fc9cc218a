"""Type evidence: the cues in and around a name, and the type the summed votes decide."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.entities.types import (
    COUNTRY,
    CUE,
    MINOR_PLACE,
    MODEL,
    PLACE,
    STRONG,
    WEAK,
    corpus_type,
    decide_type,
    mention_vote,
)


def vote(body: str, name: str, label: str, gazetteer: str | None = None) -> tuple[str, float]:
    start = body.index(name)
    return mention_vote(body, start, start + len(name), label, gazetteer)


@pytest.mark.parametrize(
    ("body", "name", "label", "gazetteer", "expected"),
    [
        # legal forms and organisations' head words, in the name itself
        ("Shares of Corvia Mining plc fell.", "Corvia Mining plc", "PERSON", None, "ORG"),
        ("Talks with Brisa Holdings AG.", "Brisa Holdings AG", "PERSON", None, "ORG"),
        ("The Green Hills Party won.", "Green Hills Party", "PERSON", None, "ORG"),
        ("Ministry of Fisheries staff.", "Ministry of Fisheries", "PERSON", None, "ORG"),
        ("He joined Oakvale United.", "Oakvale United", "GPE", None, "ORG"),
        ("The Valdoria Workers Union struck.", "Valdoria Workers Union", "GPE", None, "ORG"),
        # ... but not when the gazetteer knows the name as a place
        ("Flights to Mexico City resumed.", "Mexico City", "GPE", PLACE, "GPE"),
        ("The Russian Federation said.", "Russian Federation", "GPE", COUNTRY, "GPE"),
        # before the name: titles, a person's role, "said" ending the clause, a firm's kind
        ("A talk by Mr Tolle ended.", "Tolle", "ORG", None, "PERSON"),
        ("Oakvale striker Dan Brisk scored.", "Dan Brisk", "ORG", None, "PERSON"),
        ("Prices will rise, said Ana Ruiz.", "Ana Ruiz", "ORG", None, "PERSON"),
        ("Ana Ruiz said Nokia would stay.", "Nokia", "ORG", None, "ORG"),
        ("The oil firm Corvia cut jobs.", "Corvia", "PERSON", None, "ORG"),
        ("Her club Brisa lost.", "Brisa", "PERSON", None, "ORG"),
        ("He bought shares in Corvia on Monday.", "Corvia", "PERSON", None, "ORG"),
        ("The city of Arvik was shelled.", "Arvik", "ORG", None, "GPE"),
        # after the name: a team's role makes a club (a country's side stays a country)
        ("Oakvale striker Dan Brisk scored.", "Oakvale", "GPE", MINOR_PLACE, "ORG"),
        ("Spain captain Ana Ruiz scored.", "Spain", "PERSON", COUNTRY, "GPE"),
        # a person's role after a known place says nothing ("a Texas trader")
        ("A Texas trader said so.", "Texas", "GPE", PLACE, "GPE"),
        ("Corvia chairman Ana Ruiz quit.", "Corvia", "PERSON", None, "ORG"),
        # a person's age
        ("Ana Ruiz, 42, won.", "Ana Ruiz", "ORG", None, "PERSON"),
        # a country is never a person by a title or role before it
        ("The defending champion Spain won.", "Spain", "GPE", COUNTRY, "GPE"),
    ],
)
def test_cues(body: str, name: str, label: str, gazetteer: str | None, expected: str) -> None:
    kind, weight = vote(body, name, label, gazetteer)
    assert kind == expected
    assert weight == (WEAK if kind == label else STRONG)


def test_no_cue_is_a_weak_vote_for_the_label() -> None:
    assert vote("Tolle arrived late.", "Tolle", "ORG") == ("ORG", WEAK)


def test_one_strong_cue_outweighs_a_few_labels() -> None:
    assert decide_type({"PERSON": 3 * WEAK, "ORG": STRONG}) == "ORG"
    assert decide_type({"PERSON": 5 * WEAK, "ORG": STRONG}) == "PERSON"


def test_ties_and_no_votes() -> None:
    assert decide_type({"ORG": 2.0, "PERSON": 2.0}) == "PERSON"
    assert decide_type({}, fallback="GPE") == "GPE"


TYPES = st.sampled_from(["PERSON", "ORG", "GPE", "LOC", "NORP", "PRODUCT"])


@given(st.lists(st.tuples(TYPES, st.sampled_from([WEAK, STRONG])), min_size=1), st.randoms())
def test_the_decision_does_not_depend_on_the_order_of_the_votes(
    votes: list[tuple[str, float]], random: object
) -> None:
    def total(order: list[tuple[str, float]]) -> dict[str, float]:
        summed: dict[str, float] = {}
        for kind, weight in order:
            summed[kind] = summed.get(kind, 0.0) + weight
        return summed

    shuffled = list(votes)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert decide_type(total(votes)) == decide_type(total(shuffled))
    assert decide_type(total(votes)) in {kind for kind, _ in votes}


def test_an_event_head_makes_an_event() -> None:
    assert vote("Ana Ruiz won the Valdoria Open.", "Valdoria Open", "GPE") == ("EVENT", STRONG)
    assert vote("They lost the Fed Cup final.", "Fed Cup", "ORG") == ("EVENT", STRONG)


ARTICLE_VOTES = st.tuples(TYPES, st.sampled_from([MODEL, CUE]), st.integers(1, 40).map(float))


@given(st.lists(ARTICLE_VOTES, min_size=1), st.randoms())
def test_the_corpus_type_does_not_depend_on_the_order_of_the_articles(
    rows: list[tuple[str, str, float]], random: object
) -> None:
    shuffled = list(rows)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert corpus_type(rows) == corpus_type(shuffled)
    assert corpus_type(rows) in {kind for kind, _, _ in rows}


def test_the_model_is_one_source_at_the_corpus_level() -> None:
    # 170 labels of one guess against cues in three articles: the cues win
    assert corpus_type([("PERSON", MODEL, 170.0), *[("ORG", CUE, 4.0)] * 3]) == "ORG"
    # with few labels, the model counts as before: one label a vote
    assert corpus_type([("PERSON", MODEL, 2.0), ("ORG", CUE, 4.0)]) == "ORG"
    assert corpus_type([("PERSON", MODEL, 5.0), ("ORG", CUE, 4.0)]) == "PERSON"
    # a split model shares its weight: GPE 3 of 4 beats one article's ORG cue, 2 of 3 does not
    assert corpus_type([("GPE", MODEL, 60.0), ("LOC", MODEL, 20.0), ("ORG", CUE, 4.0)]) == "GPE"
    assert corpus_type([("GPE", MODEL, 60.0), ("LOC", MODEL, 30.0), ("ORG", CUE, 4.0)]) == "ORG"
    assert corpus_type([], fallback="LOC") == "LOC"
    # rows stored before evidence was recorded count as the model's
    assert corpus_type([("PERSON", None, 9.0), ("ORG", CUE, 4.0), ("ORG", CUE, 4.0)]) == "ORG"  # type: ignore[list-item]
