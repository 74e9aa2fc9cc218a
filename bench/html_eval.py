"""Body-text precision/recall/F1 and pages/s: trafilatura defaults vs parse_html, one run.

Usage: python bench/html_eval.py [DIR] [--repeat N] [--settings] [--per-page]

Every `X.html` in DIR (default tests/html_pages) with an `X.expected.json` holding `"body"`
(the known article text; "" for a page without an article) is scored with bag-of-words
token overlap, micro-averaged over pages, so text returned for a page without an article
costs precision. Timings cover extraction from the decoded string (decoding excluded,
done once up front) and are the best of N repeats after one warm-up pass.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from transforms.html import BodyOptions, decode_html, parse_html

_TOKEN = re.compile(r"\w+")
Extractor = Callable[[str], str]


@dataclass
class Score:
    """Token counts summed over pages, and the seconds spent."""

    overlap: int = 0
    predicted: int = 0
    gold: int = 0
    seconds: float = 0.0

    def add(self, predicted: str, gold: str) -> tuple[float, float]:
        """Add one page; return its own precision and recall."""
        p, g = Counter(tokens(predicted)), Counter(tokens(gold))
        overlap = sum((p & g).values())
        self.overlap += overlap
        self.predicted += sum(p.values())
        self.gold += sum(g.values())
        return _ratio(overlap, sum(p.values())), _ratio(overlap, sum(g.values()))

    def prf(self) -> tuple[float, float, float]:
        """Micro-averaged precision, recall and F1."""
        precision = _ratio(self.overlap, self.predicted)
        recall = _ratio(self.overlap, self.gold)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


def _ratio(part: int, whole: int) -> float:
    """part/whole, with 0/0 counted as a perfect 1.0 (nothing expected, nothing given)."""
    return part / whole if whole else (1.0 if part == 0 else 0.0)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens of a text."""
    return _TOKEN.findall(text.casefold())


def load_pages(directory: Path) -> list[tuple[str, str, str]]:
    """(name, decoded html, gold body) for every page that has a body in its expectations."""
    pages = []
    for html_path in sorted(directory.glob("*.html")):
        expected_path = html_path.with_name(html_path.stem + ".expected.json")
        if not expected_path.exists():
            continue
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        if "body" in expected:
            pages.append((html_path.stem, decode_html(html_path.read_bytes()), expected["body"]))
    return pages


def extractors(settings: bool) -> dict[str, Extractor]:
    """The extractors to compare: defaults and ours, plus setting variants on request."""
    chosen: dict[str, Extractor] = {
        "trafilatura defaults": lambda html: trafilatura.extract(html) or "",
        "parse_html": lambda html: parse_html(html).body,
    }
    if settings:
        for label, kwargs in {
            "trafilatura comments off": {"include_comments": False},
            "trafilatura precision": {"include_comments": False, "favor_precision": True},
            "trafilatura recall": {"include_comments": False, "favor_recall": True},
            "trafilatura fast": {"include_comments": False, "fast": True},
        }.items():
            chosen[label] = lambda html, kw=kwargs: trafilatura.extract(html, **kw) or ""
        for label, options in {
            "parse_html precision": BodyOptions(favor_precision=True),
            "parse_html recall": BodyOptions(favor_recall=True),
            "parse_html fast": BodyOptions(fast=True),
        }.items():
            chosen[label] = lambda html, o=options: parse_html(html, options=o).body
    return chosen


def evaluate(
    pages: list[tuple[str, str, str]], extract: Extractor, repeat: int, per_page: bool
) -> Score:
    """Score one extractor on all pages and time it (best of `repeat` passes)."""
    score = Score()
    for name, html, gold in pages:
        precision, recall = score.add(extract(html), gold)
        if per_page:
            print(f"    {name:28s} P={precision:.3f} R={recall:.3f}")
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _, html, _ in pages:
            extract(html)
        best = min(best, time.perf_counter() - start)
    score.seconds = best
    return score


def main(argv: list[str] | None = None) -> None:
    """Print the comparison table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "directory",
        nargs="?",
        type=Path,
        default=Path(__file__).resolve().parents[1] / "tests" / "html_pages",
    )
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--settings", action="store_true", help="also compare settings")
    parser.add_argument("--per-page", action="store_true", help="print per-page P/R")
    args = parser.parse_args(argv)
    pages = load_pages(args.directory)
    if not pages:
        sys.exit(f"no X.html with X.expected.json holding 'body' in {args.directory}")
    parse_html(pages[0][1])  # warm-up: loads the language model once
    print(f"{len(pages)} pages from {args.directory}")
    print(f"{'extractor':28s} {'precision':>9s} {'recall':>7s} {'F1':>6s} {'pages/s':>8s}")
    for label, extract in extractors(args.settings).items():
        if args.per_page:
            print(f"  {label}")
        score = evaluate(pages, extract, args.repeat, args.per_page)
        precision, recall, f1 = score.prf()
        rate = len(pages) / score.seconds if score.seconds else float("inf")
        print(f"{label:28s} {precision:9.3f} {recall:7.3f} {f1:6.3f} {rate:8.1f}")


if __name__ == "__main__":
    main()
