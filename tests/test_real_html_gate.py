"""The real-page gate (issue 12): a fixed sample of WCXB dev pages, pipeline vs trafilatura.

Fails when the body word-F1 on the sample's article pages falls below the figure recorded
here minus 0.01, or below trafilatura alone on the same pages in the same run, or when the
share of article pages kept as articles (or of index pages rejected as `not_an_article`)
falls under its recorded figure. The sample is every 13th article and every 11th listing
and collection page, ids sorted: 81 pages, about 10 s. Skips when ../shared/data is absent.
"""

from __future__ import annotations

from datetime import UTC, datetime
from statistics import fmean

import pytest

from bench.real_html import (
    DATA,
    Page,
    load_pages,
    run_pipeline,
    run_trafilatura,
    stratified_ids,
    word_f1,
)

SAMPLE_EVERY = {"article": 13, "listing": 11, "collection": 11}
# Recorded with `pytest tests/test_real_html_gate.py -s` (issue 12; index floor raised when
# the section-URL, link-share, price and metadata-date steps came: 10 -> 11 of 20, and when
# the missing-headline rule came: 11 -> 12 of 20, and the sentence and text-link rules: 13).
RECORDED_F1 = 0.953
RECORDED_KEPT = 1.0
RECORDED_INDEX_REJECTED = 0.65
NOW = datetime(2100, 1, 1, tzinfo=UTC)  # no page of the set is dated after it


@pytest.fixture(scope="module")
def sample() -> list[Page]:
    """The fixed stratified sample of dev pages."""
    if not (DATA / "ground-truth").is_dir():
        pytest.skip(f"real dev data not found at {DATA} (../shared/data is not beside the repo)")
    every = load_pages(DATA)
    return [page for page in every if page.page_id in set(stratified_ids(every, SAMPLE_EVERY))]


def test_sample_is_stratified(sample: list[Page]) -> None:
    counts = {kind: sum(p.page_type == kind for p in sample) for kind in SAMPLE_EVERY}
    assert counts == {"article": 61, "listing": 9, "collection": 11}


def test_body_f1_and_kept_rate_hold(sample: list[Page]) -> None:
    articles = [p for p in sample if p.page_type == "article"]
    indexes = [p for p in sample if p.page_type != "article"]
    ours = [run_pipeline(p, NOW) for p in articles]
    gold = [p.gold.get("main_content") or "" for p in articles]
    f1 = fmean(word_f1(o.body, g) for o, g in zip(ours, gold, strict=True))
    alone = fmean(word_f1(run_trafilatura(p).body, g) for p, g in zip(articles, gold, strict=True))
    kept = fmean(o.kept for o in ours)
    rejected = fmean(run_pipeline(p, NOW).reason == "not_an_article" for p in indexes)
    print(f"\ngate: F1 {f1:.4f} (trafilatura {alone:.4f}), kept {kept:.3f}, index {rejected:.2f}")
    assert f1 >= RECORDED_F1 - 0.01
    assert f1 >= alone
    assert kept >= RECORDED_KEPT
    assert rejected >= RECORDED_INDEX_REJECTED
