"""Ablations of the HTML layer on the real pages, each measured in one run beside the rest.

- `body_ablations`: body word-F1 on the article pages (all, odd ids, even ids) and pages
  per CPU-second with each clean-up rule or trafilatura option changed (`BodyOptions`).
- `index_ablations`: the index-page test (`transforms.html.kind.EVIDENCE`) without each
  of its rules, scored on the signals the pipeline decided on: index pages labelled
  `index` (all, listings, collections, odd and even ids) and articles taken for indexes.

Called by `bench/real_html.py --ablations`.
"""

from __future__ import annotations

import gzip
import time
from collections.abc import Sequence
from datetime import datetime
from statistics import fmean

from bench.real_html import Page, word_f1
from bench.run import log
from transforms.html.body import BodyOptions
from transforms.html.kind import EVIDENCE, Evidence, is_index_page
from transforms.html.page import HtmlPage, read_html_page
from transforms.text.decoding import decode_html

_NO_RULES = {"drop_headlines": False, "drop_other_stories": False, "drop_chrome": False}
BODY_ABLATIONS: dict[str, BodyOptions] = {
    "pipeline (all rules)": BodyOptions(),
    "without the recall reading": BodyOptions(recall_fallback=False),
    "recall reading on every page (no trigger)": BodyOptions(recall_always=True),
    "without the headline rule": BodyOptions(drop_headlines=False),
    "without the other-stories rule": BodyOptions(drop_other_stories=False),
    "without the chrome rule": BodyOptions(drop_chrome=False),
    "without the repeat rule": BodyOptions(drop_repeats=False),
    "without any clean-up rule": BodyOptions(drop_repeats=False, **_NO_RULES),
    "trafilatura favor_precision": BodyOptions(favor_precision=True, recall_fallback=False),
    "trafilatura favor_recall": BodyOptions(favor_recall=True),
    "trafilatura without tables": BodyOptions(include_tables=False),
    "trafilatura without fallbacks (fast)": BodyOptions(fast=True),
}


def body_ablations(pages: Sequence[Page], now: datetime) -> str:
    """Body word-F1 and speed on the article pages with each rule or option changed."""
    articles = [p for p in pages if p.page_type == "article"]
    htmls = [decode_html(gzip.decompress(p.data)) for p in articles]
    lines = [
        "| body on article pages | word-F1 | odd ids | even ids | pages per CPU-s |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, options in BODY_ABLATIONS.items():
        log(f"ablation: {label}")
        scores: dict[int, list[float]] = {0: [], 1: []}
        start = time.process_time()
        parsed = [
            read_html_page(html, url=page.url, now=now, options=options)
            for page, html in zip(articles, htmls, strict=True)
        ]
        speed = len(articles) / (time.process_time() - start)
        for page, result in zip(articles, parsed, strict=True):
            body = result.document.body if result.kind == "article" else ""
            scores[int(page.page_id) % 2].append(word_f1(body, page.gold.get("main_content") or ""))
        every = scores[0] + scores[1]
        lines.append(
            f"| {label} | {fmean(every):.4f} | {fmean(scores[1]):.4f} "
            f"| {fmean(scores[0]):.4f} | {speed:.1f} |"
        )
    return "\n".join(lines)


def index_ablations(pages: Sequence[Page], now: datetime) -> str:
    """Index pages labelled `index` and articles taken by the index test without each rule."""
    log("ablation: index rules")
    results = [
        read_html_page(decode_html(gzip.decompress(p.data)), url=p.url, now=now) for p in pages
    ]
    lines = [
        "| index test | index pages labelled | listings | collections | odd ids | even ids "
        "| articles taken |",
        "|---|---:|---:|---:|---:|---:|---:|",
        _index_row("all rules", pages, results, EVIDENCE),
    ]
    for rule in EVIDENCE:
        rest = tuple(other for other in EVIDENCE if other is not rule)
        lines.append(_index_row(f"without {rule.name} ({rule.points:+d})", pages, results, rest))
    return "\n".join(lines)


def _index_row(
    label: str, pages: Sequence[Page], results: Sequence[HtmlPage], evidence: Sequence[Evidence]
) -> str:
    """One row of the index ablation table."""
    taken = {
        page.page_id: _taken_as_index(result, evidence)
        for page, result in zip(pages, results, strict=True)
    }

    def share(chosen: Sequence[Page]) -> str:
        return f"{fmean(taken[p.page_id] for p in chosen):.1%}" if chosen else "—"

    index = [p for p in pages if p.page_type != "article"]
    articles = [p.page_id for p in pages if p.page_type == "article" and taken[p.page_id]]
    return (
        f"| {label} | {share(index)} "
        f"| {share([p for p in index if p.page_type == 'listing'])} "
        f"| {share([p for p in index if p.page_type == 'collection'])} "
        f"| {share([p for p in index if int(p.page_id) % 2])} "
        f"| {share([p for p in index if not int(p.page_id) % 2])} "
        f"| {len(articles)} ({', '.join(articles[:4])}) |"
    )


def _taken_as_index(result: HtmlPage, evidence: Sequence[Evidence]) -> bool:
    """Whether the test with these rules labels the page an index page (a page without
    text, or an error page, is a reject: never one)."""
    if result.signals is None or result.kind in ("empty", "error"):
        return False
    return is_index_page(result.signals, evidence)
