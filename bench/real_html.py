"""Real pages: the pipeline beside trafilatura alone and htmldate alone, per page type, one run.

Usage: python bench/real_html.py [--data DIR] [--ids 0001,0002] [--methods pipeline,...]
                                 [--dump FILE] [--readme bench/README.md] [--ablations]

Reads WCXB's development split (`../shared/data/wcxb-dev`: saved pages and human-reviewed
ground truth) and runs, on every page and in this one process:

- pipeline: `transforms.parse.document.parse_input` on a `RawInput` (the function the flow calls),
  with the page's URL as the sidecar would give it;
- trafilatura: `bare_extraction` with metadata (its own defaults otherwise);
- htmldate: `find_date` with `extensive_search`.

Per page type (article / listing / collection) it prints body word-F1 (WCXB's metric: `\\w+`
tokens lower-cased, mean over pages; a page not kept counts as empty text), the with/without
snippet rates, title / author / date exact-match rates (case and punctuation folded; dates on
the page's own day, `published_date`; over the pages whose ground truth has the field), the
share of pages labelled articles and index pages, and pages per CPU-second (process time,
so other jobs on the box do not count).
`--ablations` adds the tables of `bench/real_html_ablations.py` (body rules and options,
index-test rules), measured in the same run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from statistics import fmean
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import trafilatura  # noqa: E402
from htmldate import find_date  # noqa: E402

from bench.run import log, write_block  # noqa: E402
from transforms.parse.document import RawInput, parse_input  # noqa: E402
from transforms.records import Reject, Sidecar  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "wcxb-dev"
PAGE_TYPES = ("article", "listing", "collection")
METHODS = ("pipeline", "trafilatura", "htmldate")
MARK_START = "<!-- bench:real_html -->"
MARK_END = "<!-- /bench:real_html -->"
ABLATION_START = "<!-- bench:real_html_ablations -->"
ABLATION_END = "<!-- /bench:real_html_ablations -->"
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Page:
    """One dev page: its id, type, URL, saved bytes (gzip) and ground truth."""

    page_id: str
    page_type: str
    url: str | None
    data: bytes
    gold: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Output:
    """What one method gives for one page."""

    kept: bool
    body: str = ""
    title: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None  # YYYY-MM-DD
    reason: str | None = None  # the page kind when kept, else the reject's error_type


@dataclass(slots=True)
class Run:
    """One method's outputs on a list of pages, and the CPU seconds it took."""

    outputs: list[Output] = field(default_factory=list)
    cpu_seconds: float = 0.0


def load_pages(root: Path = DATA, ids: Iterable[str] | None = None) -> list[Page]:
    """The dev pages (all, or those `ids`) in id order."""
    wanted = set(ids) if ids is not None else None
    pages = []
    for truth_path in sorted((root / "ground-truth").glob("*.json")):
        if wanted is not None and truth_path.stem not in wanted:
            continue
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        kind = truth["_internal"]["page_type"]["primary"]
        pages.append(
            Page(
                truth_path.stem,
                "collection" if kind == "category" else kind,
                truth.get("url"),
                (root / "html" / f"{truth_path.stem}.html.gz").read_bytes(),
                truth["ground_truth"],
            )
        )
    return pages


def stratified_ids(pages: Sequence[Page], every: dict[str, int]) -> list[str]:
    """Every k-th id (sorted) of each page type: a fixed sample that keeps the type mix."""
    chosen = []
    for kind, step in every.items():
        ids = sorted(p.page_id for p in pages if p.page_type == kind)
        chosen += ids[::step]
    return sorted(chosen)


def run_pipeline(page: Page, now: datetime) -> Output:
    """The flow's own parse of one page, with the URL a crawler's sidecar would record."""
    parsed = parse_input(
        RawInput(f"wcxb/{page.page_id}.html.gz", page.data, Sidecar(url=page.url)), now=now
    )
    if isinstance(parsed, Reject):
        return Output(kept=False, reason=parsed.error_type)
    return Output(
        kept=True,
        body=parsed.body,
        title=parsed.title,
        authors=parsed.authors,
        date=parsed.published_date.isoformat() if parsed.published_date else None,
        reason=parsed.page_kind,
    )


def run_trafilatura(page: Page) -> Output:
    """trafilatura alone: `bare_extraction` with metadata on the saved bytes."""
    document = trafilatura.bare_extraction(
        gzip.decompress(page.data), url=page.url, with_metadata=True
    )
    if document is None:
        return Output(kept=False)
    text = getattr(document, "text", None) or ""
    author = getattr(document, "author", None)
    return Output(
        kept=bool(text.strip()),
        body=text,
        title=getattr(document, "title", None),
        authors=tuple(a.strip() for a in author.split(";")) if author else (),
        date=getattr(document, "date", None),
    )


def run_htmldate(page: Page) -> Output:
    """htmldate alone, extensive search, on the saved bytes."""
    found = find_date(gzip.decompress(page.data), url=page.url, extensive_search=True)
    return Output(kept=False, date=found)


def run_method(name: str, pages: Sequence[Page], now: datetime) -> Run:
    """Run one method over the pages, timing its process (CPU) time."""
    method: Callable[[Page], Output] = {
        "pipeline": lambda page: run_pipeline(page, now),
        "trafilatura": run_trafilatura,
        "htmldate": run_htmldate,
    }[name]
    run = Run()
    start = time.process_time()
    for page in pages:
        run.outputs.append(method(page))
    run.cpu_seconds = time.process_time() - start
    return run


def tokens(text: str) -> list[str]:
    """WCXB's tokens: `\\w+`, lower-cased."""
    return _TOKEN.findall(text.lower())


def word_f1(predicted: str, reference: str) -> float:
    """WCXB's word-level F1 of one page (bag of tokens)."""
    from collections import Counter

    pred, ref = Counter(tokens(predicted)), Counter(tokens(reference))
    if not ref:
        return 1.0 if not pred else 0.0
    overlap = sum((pred & ref).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(pred.values()), overlap / sum(ref.values())
    return 2 * precision * recall / (precision + recall)


def snippet_rate(text: str, snippets: list[str]) -> float:
    """Share of the snippets found in the text (case-insensitive), 1.0 when there are none."""
    if not snippets:
        return 1.0
    lowered = text.lower()
    return sum(s.lower() in lowered for s in snippets) / len(snippets)


def text_key(value: str | None) -> str:
    """A title or name compared with case and punctuation folded."""
    return " ".join(tokens(value or ""))


def authors_key(value: str | Sequence[str] | None) -> str:
    """Author names compared as a folded token string, list separators ("and", ",") ignored."""
    joined = value if isinstance(value, str) or value is None else " and ".join(value)
    return " ".join(t for t in tokens(joined or "") if t != "and")


def score(pages: Sequence[Page], outputs: Sequence[Output]) -> dict[str, float]:
    """The metrics of one method on one group of pages."""
    pairs = list(zip(pages, outputs, strict=True))
    gold = [(p.gold, o) for p, o in pairs]
    titled = [(g, o) for g, o in gold if g.get("title")]
    authored = [(g, o) for g, o in gold if g.get("author")]
    dated = [(g, o) for g, o in gold if g.get("publish_date")]
    return {
        "pages": len(pairs),
        "f1": fmean(word_f1(o.body, g.get("main_content") or "") for g, o in gold),
        "with": fmean(snippet_rate(o.body, g.get("with") or []) for g, o in gold),
        "without": fmean(snippet_rate(o.body, g.get("without") or []) for g, o in gold),
        "title": _share(text_key(o.title) == text_key(g["title"]) for g, o in titled),
        "author": _share(authors_key(o.authors) == authors_key(g["author"]) for g, o in authored),
        "date": _share(o.date == str(g["publish_date"])[:10] for g, o in dated),
        "kept": _share(o.kept and o.reason in (None, "article") for _, o in gold),
        "index": _share(o.reason == "index" for _, o in gold),
        "empty_body": _share(o.reason == "empty_body" for _, o in gold),
    }


def _share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else float("nan")


def evaluate(
    pages: Sequence[Page], methods: Sequence[str], now: datetime
) -> dict[str, dict[str, dict[str, float]]]:
    """`{method: {page_type: metrics}}` for every method, all run here, one after the other."""
    results: dict[str, dict[str, dict[str, float]]] = {}
    for name in methods:
        log(f"{name}: {len(pages)} pages")
        run = run_method(name, pages, now)
        per_type: dict[str, dict[str, float]] = {}
        for kind in PAGE_TYPES:
            chosen = [
                (p, o) for p, o in zip(pages, run.outputs, strict=True) if p.page_type == kind
            ]
            if chosen:
                per_type[kind] = score([p for p, _ in chosen], [o for _, o in chosen])
        per_type["all"] = {"pages_per_cpu_s": len(pages) / run.cpu_seconds}
        results[name] = per_type
        RUNS[name] = run
    return results


RUNS: dict[str, Run] = {}  # the last evaluate()'s outputs, for --dump

_ROWS = (
    ("f1", "body word-F1 (mean)", "{:.4f}"),
    ("with", "with-snippets found", "{:.1%}"),
    ("without", "without-snippets found (lower is better)", "{:.1%}"),
    ("title", "title exact match", "{:.1%}"),
    ("author", "author exact match", "{:.1%}"),
    ("date", "date exact match (YYYY-MM-DD)", "{:.1%}"),
    ("kept", "labelled an article (trafilatura: has text)", "{:.1%}"),
    ("index", "labelled `index` (a row, with its text)", "{:.1%}"),
    ("empty_body", "rejected `empty_body`", "{:.1%}"),
)
_ONLY = {
    "trafilatura": {"f1", "with", "without", "title", "author", "date", "kept"},
    "htmldate": {"date"},
}


def markdown(results: dict[str, dict[str, dict[str, float]]], command: str) -> str:
    """The results as one markdown table per page type, then the speeds."""
    methods = list(results)
    lines = [f"Command: `{command}`  ", f"Run {datetime.now(UTC):%Y-%m-%d}, one process.", ""]
    for kind in PAGE_TYPES:
        if kind not in results[methods[0]]:
            continue
        pages = int(results[methods[0]][kind]["pages"])
        lines += [f"**{kind}** ({pages} pages)", ""]
        lines += ["| | " + " | ".join(methods) + " |", "|---|" + "---:|" * len(methods)]
        for key, label, fmt in _ROWS:
            cells = []
            for name in methods:
                value = results[name][kind][key]
                shown = name == "pipeline" or key in _ONLY.get(name, set())
                cells.append(fmt.format(value) if shown and value == value else "—")
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        lines.append("")
    speeds = " · ".join(f"{n} {results[n]['all']['pages_per_cpu_s']:.1f}" for n in methods)
    lines.append(f"Pages per CPU-second (per core), all types: {speeds}.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the methods over the dev pages and print (and optionally record) the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--ids", help="comma-separated page ids (default: all)")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--types", default=",".join(PAGE_TYPES), help="page types to run")
    parser.add_argument("--dump", type=Path, help="write per-page outputs as JSON here")
    parser.add_argument("--readme", type=Path, help="write the table into this README")
    parser.add_argument(
        "--ablations", action="store_true", help="also each body and index rule, switched off"
    )
    args = parser.parse_args(argv)
    if not (args.data / "ground-truth").is_dir():
        sys.exit(f"no WCXB dev data in {args.data} (expected ground-truth/ and html/)")
    pages = load_pages(args.data, args.ids.split(",") if args.ids else None)
    pages = [p for p in pages if p.page_type in args.types.split(",")]
    now = datetime.now(UTC)
    results = evaluate(pages, args.methods.split(","), now)
    command = "python bench/real_html.py " + " ".join(argv if argv is not None else sys.argv[1:])
    table = markdown(results, command.strip())
    print(table)
    if args.dump:
        dump = {
            name: {p.page_id: asdict(o) for p, o in zip(pages, run.outputs, strict=True)}
            for name, run in RUNS.items()
        }
        args.dump.write_text(json.dumps(dump, ensure_ascii=False, indent=1))
    if args.readme:
        write_block(args.readme, MARK_START, MARK_END, table, "## Real pages (issue 12)")
    if args.ablations:
        from bench.real_html_ablations import body_ablations, index_ablations

        tables = (body_ablations(pages, now), index_ablations(pages, now))
        ablations = "\n\n".join((f"Command: `{command.strip()}`", *tables))
        print(ablations)
        if args.readme:
            write_block(args.readme, ABLATION_START, ABLATION_END, ablations)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
