"""Every real dev set in one table: the pipeline beside trafilatura and htmldate, one run.

Usage: python bench/real_sets.py [--every N] [--sets wcxb,newspaper,trafilatura-eval]
                                 [--dump FILE] [--readme bench/README.md]

Sets (`../shared/data`, read in place):
- `wcxb`: WCXB dev, 793 articles and 216 index pages (listing, collection), gold text,
  title, author and date;
- `newspaper`: newspaper's 157 saved news articles (every page one article); its `text/` is
  newspaper's own extraction, a rough reference for word-F1 only;
- `trafilatura-eval`: trafilatura's 990 evaluation pages (with / without snippets, and a
  title, author and date for most).
Which pages of newspaper and trafilatura-eval are not articles is our reading, kept in
`bench/data/not_articles.tsv` (each with its reason): every page the pipeline did not label
an article was read by eye; the others count as articles.

Rows, per set: body (WCXB's word-F1 on articles; trafilatura's snippet F-score over all
pages, as its docs compute it), label right (articles labelled `article`), index labelled
(WCXB's index pages labelled `index`), title / author / date exact (date on the day as the
page gives it: `published_date`). A page the pipeline rejects counts as empty text and no
label. Columns: pipeline, trafilatura, htmldate, then the pipeline and trafilatura on odd
and even pages (the set's pages in sorted order, numbered from 1). `--every N` takes every
N-th page of each set and kind (to iterate; the figures to report are the full sets').
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path
from statistics import fmean
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import real_html  # noqa: E402
from bench.real_html import (  # noqa: E402
    Output,
    Page,
    authors_key,
    load_pages,
    run_htmldate,
    run_trafilatura,
    text_key,
    word_f1,
)
from bench.run import log, write_block  # noqa: E402

SHARED = REPO.parent / "shared" / "data"
NEWSPAPER = SHARED / "newspaper-pages"
TRAFILATURA_EVAL = SHARED / "trafilatura-eval"
NOT_ARTICLES = REPO / "bench" / "data" / "not_articles.tsv"
SETS = ("wcxb", "newspaper", "trafilatura-eval")
METHODS = ("pipeline", "trafilatura", "htmldate")
MARK_START = "<!-- bench:real_sets -->"
MARK_END = "<!-- /bench:real_sets -->"


def newspaper_pages(root: Path = NEWSPAPER) -> list[Page]:
    """newspaper's saved articles, each with newspaper's own text as a rough reference."""
    others = not_articles()
    pages = []
    for path in sorted((root / "html").glob("*.html.gz")):
        name = path.name.removesuffix(".html.gz")
        text = root / "text" / f"{name}.txt"
        gold = {"main_content": text.read_text(encoding="utf-8")} if text.exists() else {}
        kind = "other" if ("newspaper", name) in others else "article"
        pages.append(Page(name, kind, None, path.read_bytes(), gold))
    return pages


def not_articles(path: Path = NOT_ARTICLES) -> dict[tuple[str, str], str]:
    """The pages that are not articles by our reading: (set, page) -> reason."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        rows = csv.reader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return {(row[0], row[1]): row[2] for row in rows if row}


def trafilatura_eval_pages(root: Path = TRAFILATURA_EVAL) -> list[Page]:
    """trafilatura's evaluation pages, `article` unless our reading says otherwise."""
    others = not_articles()
    pages = []
    evaldata = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    for url, entry in sorted(evaldata.items(), key=lambda item: item[1]["file"]):
        gold = {
            "with": entry["with"],
            "without": entry["without"],
            "title": entry.get("title") or None,
            "author": entry.get("author") or None,
            "publish_date": entry.get("date") or None,
        }
        kind = "other" if ("trafilatura-eval", entry["file"]) in others else "article"
        data = (root / "pages" / f"{entry['file']}.gz").read_bytes()
        pages.append(Page(entry["file"], kind, url, data, gold))
    return pages


def load_set(name: str) -> list[Page]:
    """One dev set's pages; WCXB's listing and collection pages are its `index` pages."""
    if name == "wcxb":
        return [
            Page(p.page_id, "article" if p.page_type == "article" else "index", *_rest(p))
            for p in load_pages(real_html.DATA)
        ]
    return newspaper_pages() if name == "newspaper" else trafilatura_eval_pages()


def _rest(page: Page) -> tuple[str | None, bytes, dict[str, object]]:
    return page.url, page.data, page.gold


def run_pipeline(page: Page, now: datetime) -> Output:
    """The flow's parse of one page (`bench.real_html.run_pipeline`, any set's file name)."""
    return real_html.run_pipeline(replace(page, page_id=page.page_id.removesuffix(".html")), now)


def label(output: Output) -> str | None:
    """The pipeline's label of a page: article, index, or None (rejected)."""
    if output.reason == "not_an_article":  # before page kind was a label
        return "index"
    return output.reason if output.kept else None


def snippet_f(pairs: Sequence[tuple[Page, Output]]) -> float:
    """trafilatura's evaluation: with-snippets found are true positives, without-snippets
    found false positives; the F-score over all snippets of all pages."""
    tp = fn = fp = 0
    for page, output in pairs:
        text = output.body
        found_with = sum(s in text for s in page.gold.get("with") or [])
        tp += found_with
        fn += len(page.gold.get("with") or []) - found_with
        fp += sum(s in text for s in page.gold.get("without") or [])
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _share(flags: Sequence[bool]) -> float:
    return sum(flags) / len(flags) if flags else float("nan")


def _field_match(
    pairs: Sequence[tuple[Page, Output]], key: str, same: Callable[[object, Output], bool]
) -> float:
    return _share(
        [same(p.gold[key], o) for p, o in pairs if p.page_type == "article" and p.gold.get(key)]
    )


def metrics(set_name: str, method: str, pairs: Sequence[tuple[Page, Output]]) -> dict[str, float]:
    """The table's rows for one set, method and group of pages."""
    articles = [(p, o) for p, o in pairs if p.page_type == "article"]
    indexes = [(p, o) for p, o in pairs if p.page_type == "index"]
    out: dict[str, float] = {}
    if method == "htmldate":
        pass
    elif set_name == "trafilatura-eval":
        out["body"] = snippet_f(pairs)
    else:  # over the articles that have a reference text (newspaper keeps none for some)
        referenced = [(p, o) for p, o in articles if p.gold.get("main_content")]
        out["body"] = (
            fmean(word_f1(o.body, str(p.gold["main_content"])) for p, o in referenced)
            if referenced
            else float("nan")
        )
    if method == "pipeline":
        out["label right"] = _share([label(o) == "article" for _, o in articles])
        out["index labelled"] = _share([label(o) == "index" for _, o in indexes])
    elif method == "trafilatura":
        out["label right"] = _share([o.kept for _, o in articles])  # kept text, no label
    if method != "htmldate":
        out["title"] = _field_match(
            pairs, "title", lambda g, o: text_key(o.title) == text_key(str(g))
        )
        out["author"] = _field_match(
            pairs, "author", lambda g, o: authors_key(o.authors) == authors_key(str(g))
        )
    out["date"] = _field_match(pairs, "publish_date", lambda g, o: o.date == str(g)[:10])
    return out


ROWS = ("body", "label right", "index labelled", "title", "author", "date")


def table(results: dict[str, dict[str, dict[str, dict[str, float]]]], command: str) -> str:
    """`results[set][method][group]` as one markdown table (groups: all, odd, even)."""
    columns = [(m, "all") for m in METHODS] + [
        (m, half) for m in ("pipeline", "trafilatura") for half in ("odd", "even")
    ]
    head = [f"{m}" if g == "all" else f"{m} {g}" for m, g in columns]
    lines = [f"Command: `{command}`  ", f"Run {datetime.now(UTC):%Y-%m-%d}, one process.", ""]
    lines += ["| set | measure | " + " | ".join(head) + " |", "|---|---|" + "---:|" * len(head)]
    for set_name, by_method in results.items():
        for row in ROWS:
            cells = []
            for method, group in columns:
                value = by_method.get(method, {}).get(group, {}).get(row, float("nan"))
                cells.append("—" if value != value else f"{value:.3f}")
            if any(c != "—" for c in cells):
                lines.append(f"| {set_name} | {row} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _fields(dumped: dict[str, Any]) -> dict[str, Any]:
    """An Output's fields from one page of a dump (lists back to tuples)."""
    fields = {k: v for k, v in dumped.items() if k != "kind"}
    fields["authors"] = tuple(fields.get("authors") or ())
    return fields


def counts_line(pages: dict[str, list[Page]]) -> str:
    """How many pages of each kind each set has."""
    parts = []
    for name, chosen in pages.items():
        kinds = {k: sum(p.page_type == k for p in chosen) for k in ("article", "index", "other")}
        parts.append(name + " " + ", ".join(f"{n} {k}" for k, n in kinds.items() if n))
    return "Pages: " + "; ".join(parts) + "."


def main(argv: list[str] | None = None) -> int:
    """Run every method on every set and print the one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--every", type=int, default=1, help="every N-th page of each kind")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--dump", type=Path, help="write per-page outputs as JSON here")
    parser.add_argument("--readme", type=Path, help="write the table into this README")
    parser.add_argument(
        "--rescore", type=Path, help="score the outputs of an earlier --dump (run nothing)"
    )
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        sys.exit(f"no real dev data in {SHARED}")
    now = datetime.now(UTC)
    pages = {}
    for name in args.sets.split(","):
        every = load_set(name)
        pages[name] = [
            p
            for k in ("article", "index", "other")
            for p in [q for q in every if q.page_type == k][:: args.every]
        ]
    methods: dict[str, Callable[[Page], Output]] = {
        "pipeline": lambda page: run_pipeline(page, now),
        "trafilatura": run_trafilatura,
        "htmldate": run_htmldate,
    }
    results: dict[str, dict[str, dict[str, dict[str, float]]]] = {}
    dump: dict[str, dict[str, dict[str, object]]] = {}
    replay = json.loads(args.rescore.read_text(encoding="utf-8")) if args.rescore else {}
    for name, chosen in pages.items():
        chosen.sort(key=lambda p: p.page_id)
        for method in args.methods.split(","):
            log(f"{name}: {method} on {len(chosen)} pages")
            outputs = (
                [Output(**_fields(replay[f"{name}/{method}"][p.page_id])) for p in chosen]
                if replay
                else [methods[method](page) for page in chosen]
            )
            pairs = list(zip(chosen, outputs, strict=True))
            results.setdefault(name, {})[method] = {
                "all": metrics(name, method, pairs),
                "odd": metrics(name, method, pairs[0::2]),
                "even": metrics(name, method, pairs[1::2]),
            }
            dump.setdefault(f"{name}/{method}", {}).update(
                {p.page_id: {"kind": p.page_type, **asdict(o)} for p, o in pairs}
            )
    command = "python bench/real_sets.py " + " ".join(argv if argv is not None else sys.argv[1:])
    text = table(results, command.strip()) + "\n\n" + counts_line(pages)
    print(text)
    if args.dump:
        args.dump.write_text(json.dumps(dump, ensure_ascii=False, indent=1))
    if args.readme:
        write_block(args.readme, MARK_START, MARK_END, text, "## Every real set (issue 25)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
