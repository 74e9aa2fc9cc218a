"""The metadata peers give (description, main image, categories, tags): the pipeline beside
trafilatura on the same pages, one run.

Usage: python bench/page_metadata.py [--data DIR] [--readme bench/README.md]

On every WCXB dev page (`../shared/data/wcxb-dev`), and on the pages of newspaper's tests
(`newspaper-pages`, no URL known) and trafilatura's evaluation set (`trafilatura-eval`,
many languages, most not news), in this one process: the pipeline's own
parse (`transforms.parse.document.parse_input`, the page's URL as a sidecar gives it) and
trafilatura's `extract_metadata` (its defaults, the same URL). Per field and per half of the
article pages (ids sorted, split in two) and over the index pages (listing, collection), it
counts the pages where each gives a value and how the two compare: the same value (text
folded: case, white space, HTML entities; an image URL resolved against the page; lists as
sets of folded labels), a different one, or a value from one side only. A page the pipeline
does not keep (a reject) gives no value. trafilatura writes each keywords meta as one
comma-joined tag: its tags are split at commas before comparing.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from trafilatura.metadata import extract_metadata  # noqa: E402

from bench.real_html import DATA, Page, load_pages  # noqa: E402
from bench.run import log, write_block  # noqa: E402
from transforms.parse.document import RawInput, parse_input  # noqa: E402
from transforms.records import Reject, Sidecar  # noqa: E402

FIELDS = ("description", "image_url", "categories", "tags")
MARK_START = "<!-- bench:page_metadata -->"
MARK_END = "<!-- /bench:page_metadata -->"
NOW = datetime(2026, 12, 1, tzinfo=UTC)

Value = str | frozenset[str] | None


@dataclass(frozen=True, slots=True)
class Compared:
    """One field on one set of pages: who gives a value, and how the two compare."""

    pages: int
    ours: int
    theirs: int
    same: int  # both give it, the same
    different: int  # both give it, not the same
    ours_only: int
    theirs_only: int

    @property
    def agreement(self) -> float:
        """Share of pages where both say the same (the same value, or both nothing)."""
        return (self.pages - self.different - self.ours_only - self.theirs_only) / self.pages


def _fold(text: str) -> str:
    return " ".join(html.unescape(text).casefold().split())


def _labels(values: Sequence[str], split: bool = False) -> frozenset[str] | None:
    parts = [p for v in values for p in (v.split(",") if split else [v])]
    folded = frozenset(_fold(p) for p in parts if _fold(p))
    return folded or None


def other_pages(root: Path) -> list[Page]:
    """The saved pages of newspaper's tests (`html/*.html.gz`, no URL) or of trafilatura's
    evaluation (`pages/*.gz`, URLs from `evaldata.json`); none when the folder is absent."""
    if (root / "evaldata.json").exists():
        known = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
        urls = {entry["file"]: url for url, entry in known.items()}
        files = sorted((root / "pages").glob("*.gz"))
        return [Page(f.stem, "page", urls.get(f.stem), f.read_bytes(), {}) for f in files]
    files = sorted((root / "html").glob("*.html.gz"))
    return [
        Page(f.name.removesuffix(".html.gz"), "article", None, f.read_bytes(), {}) for f in files
    ]


def ours(page: Page) -> dict[str, Value]:
    """The pipeline's four fields for one page (all None for a reject)."""
    parsed = parse_input(
        RawInput(f"wcxb/{page.page_id}.html.gz", page.data, Sidecar(url=page.url)), now=NOW
    )
    if isinstance(parsed, Reject):
        return dict.fromkeys(FIELDS)
    return {
        "description": _fold(parsed.description) if parsed.description else None,
        "image_url": parsed.image_url,
        "categories": _labels(parsed.categories),
        "tags": _labels(parsed.tags),
    }


def theirs(page: Page) -> dict[str, Value]:
    """trafilatura's `extract_metadata` fields for one page."""
    found = extract_metadata(gzip.decompress(page.data), default_url=page.url)
    image = found.image
    base = found.url or page.url
    return {
        "description": _fold(found.description) if found.description else None,
        "image_url": urljoin(base, image.strip()) if image and base else image,
        "categories": _labels(found.categories or []),
        "tags": _labels(found.tags or [], split=True),
    }


def compare(pairs: Sequence[tuple[Value, Value]]) -> Compared:
    """How the pipeline's values (left) and trafilatura's (right) compare over pages."""
    both = [(a, b) for a, b in pairs if a is not None and b is not None]
    return Compared(
        pages=len(pairs),
        ours=sum(a is not None for a, _ in pairs),
        theirs=sum(b is not None for _, b in pairs),
        same=sum(a == b for a, b in both),
        different=sum(a != b for a, b in both),
        ours_only=sum(a is not None and b is None for a, b in pairs),
        theirs_only=sum(a is None and b is not None for a, b in pairs),
    )


def markdown(groups: dict[str, dict[str, Compared]], command: str) -> str:
    """The comparison as a markdown table, one row per page group and field."""
    lines = [
        f"`{command}` ({datetime.now(UTC):%Y-%m-%d}):",
        "",
        "| pages | field | pipeline gives | trafilatura gives | same | different | "
        "pipeline only | trafilatura only | agreement |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for group, fields in groups.items():
        for name, c in fields.items():
            lines.append(
                f"| {group} ({c.pages}) | {name} | {c.ours} | {c.theirs} | {c.same} | "
                f"{c.different} | {c.ours_only} | {c.theirs_only} | {c.agreement:.1%} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure both on every page and print (and optionally record) the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--readme", type=Path, help="write the table into this README")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no WCXB dev set at {args.data}", file=sys.stderr)
        return 2
    pages = load_pages(args.data)
    articles = sorted((p for p in pages if p.page_type == "article"), key=lambda p: p.page_id)
    half = len(articles) // 2
    groups_pages = {
        "WCXB articles, first half": articles[:half],
        "WCXB articles, second half": articles[half:],
        "WCXB index pages": [p for p in pages if p.page_type != "article"],
        "newspaper pages": other_pages(args.data.parent / "newspaper-pages"),
        "trafilatura eval": other_pages(args.data.parent / "trafilatura-eval"),
    }
    results: dict[str, dict[str, Compared]] = {}
    for group, chosen in groups_pages.items():
        if not chosen:
            continue
        log(f"{group}: {len(chosen)} pages")
        values = [(ours(p), theirs(p)) for p in chosen]
        results[group] = {f: compare([(a[f], b[f]) for a, b in values]) for f in FIELDS}
    table = markdown(results, "python bench/page_metadata.py")
    print(table)
    if args.readme:
        write_block(args.readme, MARK_START, MARK_END, table, "## The metadata peers give")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
