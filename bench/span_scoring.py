"""Scoring of predicted entity spans against the gold set: per-type precision, recall, F1."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from transforms.entities.types import ENTITY_TYPES

ALL_TYPES = "ALL"

# (document id, start, end, type): offsets index the document's body.
Span = tuple[str, int, int, str]
Score = tuple[float, float, float]

_POSSESSIVES = ("'s", "\u2019s", "'", "\u2019")


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets without a leading "the " or a trailing possessive, as the gold set marks spans."""
    surface = text[start:end]
    if surface[:4].lower() == "the " and len(surface) > 4:
        start += 4
        surface = surface[4:]
    for suffix in _POSSESSIVES:
        if surface.endswith(suffix) and len(surface) > len(suffix):
            end -= len(suffix)
            break
    return start, end


def normalise_predictions(
    doc_id: str, text: str, spans: Iterable[tuple[int, int, str]]
) -> list[Span]:
    """A model's (start, end, label) spans trimmed and restricted to the entity types scored."""
    out: list[Span] = []
    for start, end, label in spans:
        if label in ENTITY_TYPES:
            trimmed_start, trimmed_end = trim_span(text, start, end)
            out.append((doc_id, trimmed_start, trimmed_end, label))
    return out


def score_spans(gold: Iterable[Span], predicted: Iterable[Span]) -> dict[str, Score]:
    """Exact-match (offsets and type) precision, recall and F1 per type, plus micro "ALL"."""
    gold_set, predicted_set = set(gold), set(predicted)
    hits = gold_set & predicted_set
    types = sorted({s[3] for s in gold_set | predicted_set})
    scores = {
        t: _prf(_count(hits, t), _count(predicted_set, t), _count(gold_set, t)) for t in types
    }
    scores[ALL_TYPES] = _prf(len(hits), len(predicted_set), len(gold_set))
    return scores


def support(spans: Iterable[Span]) -> dict[str, int]:
    """How many spans of each type (the gold support behind a recall figure)."""
    return dict(Counter(s[3] for s in spans))


def _count(spans: set[Span], entity_type: str) -> int:
    return sum(1 for s in spans if s[3] == entity_type)


def _prf(true_positives: int, predicted: int, gold: int) -> Score:
    precision = true_positives / predicted if predicted else 0.0
    recall = true_positives / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
