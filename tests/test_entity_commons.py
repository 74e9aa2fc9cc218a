"""Common nouns the model takes for names (`transforms.entities.commons`) and the kinds a
list tells (`transforms.entities.enumerations`), on small texts of our own."""

from __future__ import annotations

import pytest

from tests.test_entities import by_surface, mentions
from transforms.entities.commons import is_common_noun
from transforms.entities.enumerations import list_groups, listed_kinds
from transforms.entities.kinds import known_kind, name_kind
from transforms.records import EntitySpan


def _common(body: str, word: str, label: str = "ORG", occurrence: int = 0) -> bool:
    start = -1
    for _ in range(occurrence + 1):
        start = body.index(word, start + 1)
    return is_common_noun(body, start, start + len(word), label)


@pytest.mark.parametrize(
    ("body", "word"),
    [
        ("How to Paint a Garage Door\n\nFirst, sand the panels.", "Garage"),  # a heading
        ("| Item | Cost |\n| Garage door | $900 |", "Garage"),  # a table cell
        ("Sectors served: Retail, Farming, Logistics and Banking.", "Farming"),  # a list
        ("Plans change. Stick to the budget you set.", "Stick"),  # an imperative
        ("Tips\n\n2. Stick to one brush size.", "Stick"),  # a list item
    ],
)
def test_a_word_capitalised_only_where_capitals_say_nothing_is_no_name(
    body: str, word: str
) -> None:
    assert _common(body, word)


@pytest.mark.parametrize(
    ("body", "word", "label"),
    [
        ("We met the team at Garage in Leeds.", "Garage", "ORG"),  # mid-sentence
        ("Orchid sued its rival. Orchid won.", "Orchid", "ORG"),  # a noun opening sentences
        ("Partners: Zorblat, Orchid, Quendle.", "Orchid", "ORG"),  # a list of names
        ("Plans change. Stick to the budget.", "Stick", "PERSON"),  # a person is asked about
        ("Hull 3 Bath 1", "Hull", "ORG"),  # a town's name: its club
        ("Oil prices fell. Drill said profits rose.", "Drill", "ORG"),  # a subject
    ],
)
def test_a_name_is_kept(body: str, word: str, label: str) -> None:
    assert not _common(body, word, label)


def test_an_acronym_spelled_out_in_lower_case_words_is_no_name() -> None:
    body = "We ran high-intensity interval training (HIIT) twice a week. HIIT burns fat."
    assert _common(body, "HIIT") and _common(body, "HIIT", occurrence=1)
    body = "The World Fencing League (WFL) met. WFL voted."
    assert not _common(body, "WFL")


def test_an_acronym_listed_with_common_nouns_is_no_name() -> None:
    assert _common("Keep the room cool with fans, shade, AC, and plants.", "AC")
    assert _common("Our agency does SEO and PPC for shops.", "PPC")
    # beside a name the curated list knows, the list mixes names and nouns
    assert not _common("Learn Python, SQL, automation and statistics.", "SQL")
    # an acronym the alias table or the gazetteer knows is never a common noun
    assert not _common("Troops from NATO, allies and partners.", "NATO")
    assert not _common("Sales in the US, abroad, and online.", "US")


def test_list_members_share_a_kind() -> None:
    body = "She codes in Python, Zeta, and Java every day."
    spans = [
        EntitySpan(body.index(w), body.index(w) + len(w), label)
        for w, label in (("Python", "ORG"), ("Zeta", "PERSON"), ("Java", "PERSON"))
    ]
    assert list_groups(body, spans) == [0, 0, 0]
    assert listed_kinds(body, spans, known_kind) == {0: "PRODUCT", 1: "PRODUCT", 2: "PRODUCT"}
    # a list that modifies a noun is a list of brands of it, not things of one kind
    body = "Apps for Zeta and Android phones."
    spans = [EntitySpan(body.index(w), body.index(w) + len(w), "ORG") for w in ("Zeta", "Android")]
    assert listed_kinds(body, spans, known_kind) == {}


def test_an_unknown_product_takes_its_list_kind() -> None:
    body = "Writers draft in Quillo, Notion and Word, then publish on Substack or Zorblr."
    found = by_surface(
        mentions(
            body,
            ("Quillo", "PERSON"),
            ("Notion", "ORG"),
            ("Word", "ORG"),
            ("Substack", "ORG"),
            ("Zorblr", "GPE"),
        )
    )
    assert found["Zorblr"].entity_type == "ORG"  # beside a known platform
    assert found["Quillo"].entity_type == "PERSON"  # no member known: the model decides


def test_a_programming_language_by_its_form() -> None:
    assert name_kind("C++") == name_kind("C#") == name_kind("F#") == "PRODUCT"
    assert name_kind("C") is None
    found = mentions("Rewrite the parser in C++ next year.", ("C++", "PERSON"))
    assert [(m.surface, m.entity_type) for m in found] == [("C++", "PRODUCT")]


def test_a_surname_is_not_repeated_where_the_article_uses_the_word_as_a_noun() -> None:
    body = "Mara Stone spoke first. Stone walls line the lane; the stone came from a quarry."
    found = mentions(body, ("Mara Stone", "PERSON"))
    assert [m.surface for m in found] == ["Mara Stone"]  # "Stone walls" opens a sentence


def test_a_list_member_the_model_missed_still_tells_the_kind() -> None:
    body = "Every editor (Quillo, Zorbit Writer, Copilot, or ours) works the same way."
    found = mentions(body, ("Quillo", "GPE"), ("Zorbit Writer", "PERSON"))
    assert {m.surface: m.entity_type for m in found} == {
        "Quillo": "PRODUCT",
        "Zorbit Writer": "PRODUCT",
    }


def test_the_lexicon_is_the_models_wordnet_index() -> None:
    from transforms.entities.lexicon import english_words, is_english_word, is_noun_only

    assert len(english_words()) > 50_000
    assert is_english_word("stick") and is_english_word("healthcare")
    assert not is_english_word("zorblr")
    assert is_noun_only("amazon") and not is_noun_only("stick")  # "stick to": a verb too


def test_an_institution_a_house_style_capitalises_and_a_channel_word_are_no_names() -> None:
    body = (
        "The Government will publish its plan, a Government spokesman said. The State pays "
        "for it, and the City Council votes on Friday. Email the clerk or call the office."
    )
    found = mentions(
        body,
        ("Government", "ORG"),
        ("State", "ORG"),
        ("City Council", "ORG"),
        ("Email", "PERSON"),
        ("Friday", "DATE"),
    )
    assert found == []
    kept = by_surface(mentions("Premiums at State Farm rose.", ("State Farm", "ORG")))
    assert kept["State Farm"].entity_type == "ORG"  # a name that holds the word
