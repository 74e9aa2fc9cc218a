"""Spans from the model: run it over the bodies, then trim and split what it returns.

`find_entity_spans` never fails on one body: a body longer than `PIECE_CHARS` is run in
pieces cut at paragraph (else sentence, else word) boundaries, one piece at a time, offsets
shifted back into the whole body, so a long body costs time and memory linear in its
length. `clean_spans` turns the raw spans of one body into spans a name can be read from: no
leading "the", trailing "'s", edge punctuation, score or figure; never across a line break, an
open parenthesis or a spaced dash (a results line "Pohang 3 Ulsan 2" read as one span becomes
two names).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from transforms.entities.commons import common_words, is_common_noun
from transforms.entities.types import ENTITY_TYPES
from transforms.records import EntitySpan
from transforms.text.sentences import sentence_index, sentence_starts

# Documents per `nlp.pipe` minibatch: chosen for memory. `bench/run.py --sizes 1000,10000`
# peak RSS of the run's process tree, 64 → 16: 2.62 → 1.73 GB (1k), 2.88 → 1.96 GB (10k).
# Speed is the same within noise (`python -m bench.ner_eval --minibatches 64,16,8`).
NER_BATCH_SIZE = 16
# The longest text the model is given at once: a longer body runs in pieces, one at a time
# (issue 29: a 1.4M-character body took 147 s and 4.2 GB in one worker; see `find_entity_spans`
# and `bench/long_article.py`). No article of the dev sets is this long, so their spans are
# the same.
PIECE_CHARS = 100_000
_KEPT_LABELS = frozenset(ENTITY_TYPES)  # dates, numbers and languages are no entities
# Types whose names never hold a figure: a trailing or inner number is a score, not a name.
_NUMBERLESS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP"})
_LEADING_ARTICLE = re.compile(r"^(the|The|THE)\s+")
_TRAILING_POSSESSIVE = re.compile(r"(['’]s|['’])$")
_ABBREVIATION = re.compile(r"(?:\b[A-Za-z]\.[A-Za-z]\.|\b(?:Inc|Ltd|Co|Corp|Jr|Sr|St|Bros)\.)$")
_CUT_ABBREVIATION = re.compile(r"\b[A-Z]\.[A-Z]$")
_EDGE_PUNCT = "\"'“”‘’()[]{}.,;:!?-–—«»"
# Where a span must be cut: a line break, a spaced dash, colon or ">" (a breadcrumb, a
# French title's "2016 : Article ..."), an unclosed "(" (what follows is another name: "Scott
# Draper (Australia"), a figure between words ("Pohang 3 Ulsan 2").
_BREAK = re.compile(r"\s*\n\s*|\s+(?:[-–—]+|:|>)\s+|\s*\((?![^()]*\))")
_FIGURE = re.compile(r"(?<!\S)[+-]?\d[\d.,/:-]*(?:st|nd|rd|th)?(?!\S)")
_PARAGRAPH = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"[.!?]\s+")


def find_entity_spans(
    nlp: Any,
    bodies: Sequence[str],
    batch_size: int = NER_BATCH_SIZE,
    n_process: int = 1,
    max_chars: int | None = None,
) -> list[list[EntitySpan]]:
    """The model's raw entity spans for each body, with the sentence index of each span.

    The model's memory grows with the characters of a minibatch (a 1.4M-character body took
    4.2 GB), so a body over `max_chars` (default `PIECE_CHARS`, at most the model's
    `max_length`) runs in pieces cut at paragraph (else sentence, else word) boundaries,
    each piece alone in its minibatch, with offsets into the whole body. Bodies under the
    limit run together as before, `batch_size` to a minibatch.
    """
    limit = min(max_chars or PIECE_CHARS, int(nlp.max_length))
    whole: list[tuple[int, int, str]] = []  # (body index, offset, text)
    pieces: list[tuple[int, int, str]] = []
    for index, body in enumerate(bodies):
        cut = split_long_text(body, limit)
        (whole if len(cut) == 1 else pieces).extend((index, off, text) for off, text in cut)
    found: list[list[tuple[int, int, str]]] = [[] for _ in bodies]
    for group, size in ((whole, batch_size), (pieces, 1)):
        for first in range(0, len(group), batch_size * 8):
            part = group[first : first + batch_size * 8]
            texts = [t for _, _, t in part]
            for (index, offset, _), ents in zip(
                part, _run_model(nlp, texts, size, n_process), strict=True
            ):
                found[index] += [(offset + s, offset + e, label) for s, e, label in ents]
    results = []
    for body, spans in zip(bodies, found, strict=True):
        starts = sentence_starts(body)
        results.append(
            [EntitySpan(s, e, label, sentence_index(starts, s)) for s, e, label in sorted(spans)]
        )
    return results


def split_long_text(text: str, limit: int) -> list[tuple[int, str]]:
    """(offset, piece) cuts of a text, each at most `limit` characters (one piece if it fits).

    A cut falls after the last paragraph break that keeps the piece under the limit, else
    after the last sentence end, else at the last space, else hard at the limit.
    """
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = 0
        for pattern in (_PARAGRAPH, _SENTENCE_END, re.compile(r"\s+")):
            ends = [m.end() for m in pattern.finditer(window)]
            if ends and ends[-1] < len(window):
                cut = ends[-1]
                break
        cut = cut or limit
        pieces.append((start, text[start : start + cut]))
        start += cut
    pieces.append((start, text[start:]))
    return [(offset, piece) for offset, piece in pieces if piece]


def _run_model(
    nlp: Any, texts: list[str], batch_size: int, n_process: int
) -> list[list[tuple[int, int, str]]]:
    """(start, end, label) of each text's entities. A failure is the caller's to place: the
    flow retries the articles one by one and makes the one that fails a reject."""
    docs = nlp.pipe(texts, batch_size=batch_size, n_process=n_process)
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in docs]


def clean_spans(body: str, spans: Iterable[EntitySpan], language: str = "en") -> list[EntitySpan]:
    """The model's spans of entity types, cut and trimmed, in body order, none overlapping;
    in English, none a common noun (`_is_a_name`)."""
    result: list[EntitySpan] = []
    last_end = -1
    for raw in sorted(spans, key=lambda s: (s.start_char, -s.end_char)):
        if raw.label not in _KEPT_LABELS:
            continue
        for piece in split_span(body, raw):
            span = clean_span(body, piece)
            if (
                span is not None
                and span.start_char >= last_end
                and _is_a_name(body, span, language)
            ):
                result.append(span)
                last_end = span.end_char
    return result


def split_span(body: str, span: EntitySpan) -> list[EntitySpan]:
    """The parts of a span between its breaks (line breaks, spaced dashes, figures, "(")."""
    text = body[span.start_char : span.end_char]
    cuts = [m.span() for m in _BREAK.finditer(text)]
    if span.label in _NUMBERLESS:
        cuts += [m.span() for m in _FIGURE.finditer(text)]
    if not cuts:
        return [span]
    parts = []
    position = 0
    for start, end in sorted(cuts):
        if start > position:
            parts.append((position, start))
        position = max(position, end)
    parts.append((position, len(text)))
    return [
        EntitySpan(span.start_char + s, span.start_char + e, span.label, span.sentence_index)
        for s, e in parts
        if e > s
    ]


def clean_span(body: str, span: EntitySpan) -> EntitySpan | None:
    """Trim a leading "the", a trailing "'s", edge punctuation and spaces; None if nothing left.

    A final dot stays only on an abbreviation ("U.S.", "Inc."), and an abbreviation the model
    cut before its final dot ("U.S") gets it back.
    """
    start, end = span.start_char, span.end_char
    while True:
        before = (start, end)
        text = body[start:end]
        if m := _LEADING_ARTICLE.match(text):
            start += m.end()
        text = body[start:end]
        if m := _TRAILING_POSSESSIVE.search(text):
            end -= len(m.group())
        while start < end and (body[start].isspace() or body[start] in _EDGE_PUNCT):
            start += 1
        while start < end and (
            body[end - 1].isspace()
            or (
                body[end - 1] in _EDGE_PUNCT
                and body[end - 1] != "."
                and not _closes(body, start, end)
            )
            or (body[end - 1] == "." and not _ABBREVIATION.search(body[start:end]))
        ):
            end -= 1
        if (start, end) == before:
            break
    if start >= end or not any(ch.isalpha() for ch in body[start:end]):
        return None
    if body[end : end + 1] == "." and _CUT_ABBREVIATION.search(body[start:end]):
        end += 1
    return EntitySpan(start, end, span.label, span.sentence_index)


def _closes(body: str, start: int, end: int) -> bool:
    """Whether the span ends with a ")" that closes a "(" inside it ("Mladost (BJ)")."""
    text = body[start:end]
    return text.endswith(")") and text.count("(") == text.count(")")


def _is_a_name(body: str, span: EntitySpan, language: str) -> bool:
    """Whether a span can name something: it holds a capital, is no account handle ("@name",
    an address as an e-mail address is, of a person or a body the text does not say) and is
    no common noun (`transforms.entities.commons.is_common_noun`: "Attendance" heading a
    table, "API"). In another language the rules that read English words are off
    (`is_common_noun`)."""
    text = body[span.start_char : span.end_char]
    if text.startswith("@"):
        return False
    return any(ch.isupper() for ch in text) and not is_common_noun(
        body, span.start_char, span.end_char, span.label, language
    )


def is_common_word(text: str, language: str = "en") -> bool:
    """Whether a text is a common word that is no name on its own in `language`
    (`not_entities.csv`)."""
    return text.casefold() in common_words(language)
