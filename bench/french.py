"""French entities beside English on a real many-language set: speed, memory, what they find.

    .venv/bin/python -m bench.french [--repeats 3] [--top 40] [--flow DIR] [--readme FILE]

The set is trafilatura's evaluation pages (`../shared/data/trafilatura-eval`, read in place),
parsed as the flow parses them, each page's language decided as the flow decides it.

1. Speed, in one process: words/s (CPU seconds, one BLAS thread, best of `--repeats`, the
   sides alternating) of the raw model and of the entity stage (model and rules) of each
   language over the set's pages in that language: the English model over the English
   pages, the French over the French.
2. The French pages' most-named entities (by pages naming them; the flow's `canonicalize`),
   with their type, country and surfaces, to read by hand.
3. With `--flow DIR`: `newsetl run` (2 workers, entities on) over a copy of the set in DIR,
   then over a copy of its English pages only; each worker's peak RSS (VmHWM), and the
   mentions the tables hold per article language: none for a language without a model.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import duckdb

from bench.languages import EVAL, no_eval_set, parsed_pages
from bench.run import bench_env, stop_server, write_block
from bench.scale import measure_tree
from flows.nlp import load_ner
from transforms.entities.article import extract_mentions, model_language
from transforms.entities.spans import find_entity_spans
from transforms.records import Mention, ParsedDocument


def by_model(docs: Sequence[ParsedDocument]) -> dict[str, list[ParsedDocument]]:
    """The pages each language's model reads (as `flows.batch` routes them)."""
    routed: dict[str, list[ParsedDocument]] = defaultdict(list)
    for doc in docs:
        model = model_language(doc.language)
        routed[model or "none"].append(doc)
    return routed


def speed(routed: dict[str, list[ParsedDocument]], repeats: int) -> dict[str, float]:
    """Words/s of each language's raw model and entity stage (best of `repeats`)."""
    sides: dict[str, Callable[[], object]] = {}
    words: dict[str, int] = {}
    for language in ("en", "fr"):
        bodies = [d.body for d in routed[language]]
        nlp = load_ner(language)
        words[f"{language} raw model"] = words[f"{language} entity stage"] = sum(
            len(b.split()) for b in bodies
        )
        sides[f"{language} raw model"] = partial(find_entity_spans, nlp, bodies)
        sides[f"{language} entity stage"] = partial(extract_mentions, nlp, bodies, language)
    best: dict[str, float] = {}
    for _ in range(max(1, repeats)):
        for name, side in sides.items():
            gc.collect()  # the previous side's garbage is not this side's time
            started = time.process_time()
            side()
            seconds = time.process_time() - started
            best[name] = max(best.get(name, 0.0), words[name] / seconds)
    return best


def top_french(docs: Sequence[ParsedDocument], top: int) -> list[str]:
    """The `top` names most French pages mention, as table rows."""
    found = extract_mentions(load_ner("fr"), [d.body for d in docs], "fr")
    pages: Counter[tuple[str, str, str]] = Counter()
    surfaces: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for mentions in found:
        keys = set()
        for m in mentions:
            key = _key(m)
            keys.add(key)
            surfaces[key].add(m.surface)
        pages.update(keys)
    rows = []
    for (name, kind, country), n in sorted(pages.items(), key=lambda kv: (-kv[1], kv[0]))[:top]:
        forms = ", ".join(sorted(surfaces[(name, kind, country)])[:4])
        rows.append(f"| {name} | {kind} | {n} | {country} | {forms} |")
    return rows


def _key(m: Mention) -> tuple[str, str, str]:
    return (m.canonical_name, m.entity_type, m.place.country_code or "" if m.place else "")


def flow_runs(docs: Sequence[ParsedDocument], folder: Path) -> list[str]:
    """`newsetl run` over the set and over its English pages: workers' RSS, mentions."""
    index = json.loads((EVAL / "evaldata.json").read_text(encoding="utf-8"))
    english = {
        f"{index[d.url]['file']}.gz" for d in docs if d.url and model_language(d.language) == "en"
    }
    newsetl = str(Path(sys.executable).parent / "newsetl")
    lines = []
    env = bench_env(str(folder / "prefect"))
    try:
        for name, keep in (
            ("all pages", lambda _: True),
            ("English pages only", english.__contains__),
        ):
            raw = folder / name.replace(" ", "-") / "raw"
            out = raw.parent / "out"
            shutil.rmtree(raw.parent, ignore_errors=True)
            raw.mkdir(parents=True)
            for page in sorted((EVAL / "pages").glob("*.gz")):
                if keep(page.name):
                    shutil.copy(page, raw / page.name)
            cmd = [newsetl, "run", "--raw", str(raw), "--out", str(out), "--quiet"]
            peaks = measure_tree([*cmd, "--workers", "2"], env)
            if peaks.returncode != 0:
                raise RuntimeError(f"newsetl run failed:\n{peaks.output[-3000:]}")
            lines.append(
                f"| {name} | {len(list(raw.iterdir()))} | {peaks.wall:.1f} | "
                f"{', '.join(str(mb) for mb in peaks.worker_mb)} | {_mentions_by_language(out)} |"
            )
    finally:
        stop_server(env)
    return lines


def _mentions_by_language(out: Path) -> str:
    relation = duckdb.sql(
        f"select a.language, a.entities_status, count(distinct a.article_id), count(m.article_id)"
        f" from read_parquet('{out}/articles/**/*.parquet', hive_partitioning=true) a"
        f" left join read_parquet('{out}/mentions/**/*.parquet', hive_partitioning=true) m"
        " using (article_id) group by all order by 3 desc"
    )
    rows = relation.fetchall() if relation is not None else []
    return "; ".join(f"{lang} {status}: {n} articles, {m} mentions" for lang, status, n, m in rows)


def main(argv: list[str] | None = None) -> int:
    """Measure and print (and optionally write) the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--flow", type=Path, help="also run newsetl over copies of the set here")
    parser.add_argument("--readme", type=Path, help="rewrite the block in this file")
    args = parser.parse_args(argv)
    if no_eval_set():
        return 2
    docs = parsed_pages()
    routed = by_model(docs)
    best = speed(routed, args.repeats)
    counts = ", ".join(f"{k} {len(v)}" for k, v in sorted(routed.items()))
    lines = [
        "Command: `python -m bench.french" + (" --flow DIR`  " if args.flow else "`  "),
        f"{len(docs)} pages parsed as articles; the model that reads them: {counts}.",
        "",
        f"| words/s (CPU, best of {args.repeats}) | raw model | entity stage | vs English stage |",
        "|---|---:|---:|---:|",
    ]
    for language in ("en", "fr"):
        stage = best[f"{language} entity stage"]
        lines.append(
            f"| {language} ({len(routed[language])} pages) | {best[f'{language} raw model']:,.0f} "
            f"| {stage:,.0f} | {stage / best['en entity stage']:.2f} |"
        )
    if args.flow:
        lines += [
            "",
            "| `newsetl run --workers 2` over | pages | wall (s) | worker peak RSS (MB) | "
            "articles and mentions by language |",
            "|---|---:|---:|---|---|",
            *flow_runs(docs, args.flow),
        ]
    lines += [
        "",
        f"The {args.top} names most French pages mention:",
        "",
        "| name | type | pages | country | surfaces |",
        "|---|---|---:|---|---|",
        *top_french(routed["fr"], args.top),
    ]
    table = "\n".join(lines) + "\n"
    print(table)
    if args.readme:
        write_block(args.readme, "<!-- french -->", "<!-- /french -->", table, "## French entities")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
