"""The first screen: the most-named entities of a real corpus, scored against hand labels.

    .venv/bin/python -m bench.top_entities [--set dev|holdout] [--top 150] [--cache DIR]
        [--contexts N] [--readme bench/README.md]

The corpus is what no one on this project wrote (`../shared/data/`, read in place), one of
two sets (`--set`), each with its own gold file:

- `dev` (the default): the article pages of WCXB dev plus newspaper's 157 news pages, the
  set the entity rules were tuned on; gold `bench/top_entities_gold.csv`;
- `holdout`: the pages of trafilatura's evaluation set whose text the parse reads as
  English (~171 of 990: blogs, shops, government pages and forums besides news), which no
  entity rule was tuned on; gold `bench/top_entities_gold_holdout.csv`, labelled the same
  way by reading the contexts, before any rule was changed for it.

Each page goes through the flow's own stages (`parse_input`, the entity stage of
`flows.batch`, `entity_rows` per batch of 200, the entities table folded over the corpus),
then the `--top` entities by the number of articles naming them are listed with type,
`same_as`, surfaces and country and scored against the set's gold file, labelled by hand
after reading the contexts (`--contexts N` prints N sentences around each listed name):

- `types`: the accepted types (`|`-separated), or `-` when the name is no named entity
  (a common noun, a disease, a reading that is not a name);
- `country`: the country code its resolution must carry (empty: none; `*`: any; `US|`:
  US or none);
- `same_as`: the name it must link to (empty: none; `*`: either);
- `bad_surfaces`: surfaces (`|`-separated) that are another thing's reading; an entity that
  holds one is wrong whatever its type.

A name the gold file does not hold is listed as unlabelled (not counted right). `--cache`
keeps the parsed pages and the model's spans between runs (the rules after the model are
rerun every time).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import pickle
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.ner_real import folded_entities
from bench.run import write_block
from flows.nlp import load_ner
from transforms.entities.article import (
    EXTRACTED,
    canonicalize,
    entities_status,
    model_language,
)
from transforms.entities.spans import find_entity_spans
from transforms.output.rows import Article, RunInfo
from transforms.parse.document import RawInput, parse_input
from transforms.records import EntitySpan, Reject, Sidecar

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
GOLD = Path(__file__).with_name("top_entities_gold.csv")
HOLDOUT_GOLD = Path(__file__).with_name("top_entities_gold_holdout.csv")
_RUN = RunInfo("bench", datetime(2026, 1, 1, tzinfo=UTC))


@dataclass(frozen=True, slots=True)
class Listed:
    """One entity of the first screen."""

    name: str
    type: str
    articles: int
    same_as: str | None
    country: str | None
    surfaces: tuple[str, ...]
    verdict: str = ""
    why: str = ""


def corpus_inputs(data: Path = DATA) -> list[RawInput]:
    """The article pages of WCXB dev and every newspaper page, with their URLs."""
    inputs = []
    for truth_path in sorted((data / "wcxb-dev" / "ground-truth").glob("*.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        if truth["_internal"]["page_type"]["primary"] != "article":
            continue
        raw = (data / "wcxb-dev" / "html" / f"{truth_path.stem}.html.gz").read_bytes()
        inputs.append(
            RawInput(f"wcxb/{truth_path.stem}.html.gz", raw, Sidecar(url=truth.get("url")))
        )
    for path in sorted((data / "newspaper-pages" / "html").glob("*.html.gz")):
        inputs.append(RawInput(f"newspaper/{path.name}", path.read_bytes()))
    return inputs


def holdout_inputs(data: Path = DATA) -> list[RawInput]:
    """Every page of trafilatura's evaluation set, with its URL (the English ones are kept
    after the parse has read their language: `set_articles`)."""
    folder = data / "trafilatura-eval"
    index = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    inputs = []
    for url, entry in sorted(index.items()):
        path = folder / "pages" / f"{entry['file']}.gz"
        if path.exists():
            inputs.append(RawInput(f"eval/{path.name}", path.read_bytes(), Sidecar(url=url)))
    return inputs


@dataclass(frozen=True, slots=True)
class CorpusSet:
    """A set of real pages to list the first screen of, and its hand labels."""

    folder: str  # under DATA: the set is absent without it
    gold: Path
    inputs: Callable[[], list[RawInput]]
    language: str | None = None  # keep only the articles the parse reads in this language


SETS = {
    "dev": CorpusSet("wcxb-dev", GOLD, corpus_inputs),
    "holdout": CorpusSet("trafilatura-eval", HOLDOUT_GOLD, holdout_inputs, "en"),
}


def set_articles(corpus: CorpusSet) -> list[Article]:
    """The parsed articles of a set (only those in its language, when it has one)."""
    articles = parse_all(corpus.inputs())
    if corpus.language is None:
        return articles
    return [a for a in articles if a.document.language == corpus.language]


def parse_all(inputs: Sequence[RawInput]) -> list[Article]:
    """The flow's parse of each input; rejects are left out (they have no entities)."""
    now = _RUN.started_at
    articles = []
    for raw in inputs:
        parsed = parse_input(raw, now=now)
        if not isinstance(parsed, Reject):
            articles.append(Article(raw.source_path, "0" * 64, parsed))
    return articles


def model_spans(
    bodies: Sequence[str], cache: Path | None, language: str = "en"
) -> list[list[EntitySpan]]:
    """The spans of each body by `language`'s model (kept in `cache` by the body's hash when
    given)."""
    store: dict[str, list[EntitySpan]] = {}
    name = "spans.pickle" if language == "en" else f"spans_{language}.pickle"
    path = cache / name if cache else None
    if path and path.exists():
        store = pickle.loads(path.read_bytes())
    keys = [hashlib.sha256(b.encode()).hexdigest() for b in bodies]
    missing = sorted({k: b for k, b in zip(keys, bodies, strict=True) if k not in store}.items())
    if missing:
        found = find_entity_spans(load_ner(language), [b for _, b in missing])
        store.update({k: s for (k, _), s in zip(missing, found, strict=True)})
        if path:
            path.write_bytes(pickle.dumps(store))
    return [store[k] for k in keys]


def with_entities(articles: Sequence[Article], cache: Path | None) -> list[Article]:
    """The articles with the mentions and status the flow's entity stage gives them (an
    article in a language with a model is read by that model: `flows.batch`)."""
    languages = [a.document.language for a in articles]
    models = [model_language(language) for language in languages]
    spans: dict[str, list[EntitySpan]] = {}
    for model in sorted({m for m in models if m}):
        modelled = [a for a, m in zip(articles, models, strict=True) if m == model]
        bodies = [a.document.body for a in modelled]
        found = model_spans(bodies, cache, model)
        spans.update(zip((a.source_path for a in modelled), found, strict=True))
    return [
        replace(
            a,
            mentions=tuple(canonicalize(a.document.body, spans[a.source_path], language=m)),
            entities_status=EXTRACTED,
        )
        if m
        else replace(a, entities_status=entities_status(language))
        for a, m, language in zip(articles, models, languages, strict=True)
    ]


def entities_table(articles: Sequence[Article]) -> dict[str, dict[str, Any]]:
    """The entities table folded over the corpus as the flow folds it, by entity id."""
    return folded_entities(articles, _RUN)


def top_entities(articles: Sequence[Article], top: int) -> list[Listed]:
    """The `top` entities by articles naming them (ties by name), as the first screen lists them."""
    table = entities_table(articles)
    naming: Counter[str] = Counter()
    for article in articles:
        naming.update({m.entity_id for m in article.mentions})
    ranked = sorted(naming, key=lambda e: (-naming[e], table[e]["name"], e))[:top]
    listed = []
    for entity_id in ranked:
        row = table[entity_id]
        target = table.get(row.get("same_as") or "")
        listed.append(
            Listed(
                row["name"],
                row["type"],
                naming[entity_id],
                target["name"] if target else None,
                row["country_code"],
                tuple(row["aliases"]),
            )
        )
    return listed


def read_gold(path: Path = GOLD) -> dict[str, dict[str, str]]:
    """The hand labels, by name."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["name"]: row for row in csv.DictReader(handle)}


def judge(entity: Listed, gold: dict[str, dict[str, str]]) -> Listed:
    """The entity with its verdict (right / wrong / unlabelled) and why it is wrong."""
    label = gold.get(entity.name)
    if label is None:
        return replace(entity, verdict="unlabelled")
    why = []
    types = label["types"].split("|")
    if types == ["-"]:
        why.append("not a named entity")
    elif entity.type not in types:
        why.append(f"type {entity.type}, not {label['types']}")
    if label["country"] != "*" and (entity.country or "") not in label["country"].split("|"):
        why.append(f"country {entity.country or 'none'}, not {label['country'] or 'none'}")
    if label["same_as"] != "*" and (entity.same_as or "") != label["same_as"]:
        why.append(f"same_as {entity.same_as or 'none'}, not {label['same_as'] or 'none'}")
    bad = set(filter(None, label["bad_surfaces"].split("|"))) & set(entity.surfaces)
    if bad:
        why.append("surfaces of another thing: " + ", ".join(sorted(bad)))
    return replace(entity, verdict="wrong" if why else "right", why="; ".join(why))


def contexts(articles: Sequence[Article], names: set[str], per_name: int) -> dict[str, list[str]]:
    """Up to `per_name` snippets around the mentions of each canonical name, one per article."""
    found: dict[str, list[str]] = defaultdict(list)
    for article in articles:
        body = article.document.body
        seen = set()
        for m in article.mentions:
            if m.canonical_name in names and m.canonical_name not in seen:
                seen.add(m.canonical_name)
                if len(found[m.canonical_name]) < per_name:
                    text = body[max(0, m.start_char - 70) : m.end_char + 70].replace("\n", " ")
                    found[m.canonical_name].append(f"[{m.label}] {text}")
    return found


def markdown(listed: Sequence[Listed], command: str, articles: int) -> str:
    """The first-screen table and its totals."""
    counts = Counter(e.verdict for e in listed)
    lines = [
        f"Command: `{command}`  ",
        f"{articles} articles; top {len(listed)} entities by articles naming them: "
        f"**{counts['right']} right ({100 * counts['right'] / max(1, len(listed)):.1f} %)**, "
        f"{counts['wrong']} wrong, {counts['unlabelled']} unlabelled.",
        "",
        "| # | name | type | articles | same_as | country | surfaces | verdict | why |",
        "|---:|---|---|---:|---|---|---|---|---|",
    ]
    for rank, e in enumerate(listed, 1):
        surfaces = ", ".join(e.surfaces[:4]) + (" …" if len(e.surfaces) > 4 else "")
        lines.append(
            f"| {rank} | {e.name} | {e.type} | {e.articles} | {e.same_as or ''} | "
            f"{e.country or ''} | {surfaces} | {e.verdict} | {e.why} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the corpus, print (and optionally write) the scored first screen."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=sorted(SETS), default="dev", help="the corpus")
    parser.add_argument("--top", type=int, default=150)
    parser.add_argument("--cache", type=Path, help="keep parsed pages and spans here")
    parser.add_argument("--contexts", type=int, default=0, help="snippets per name to print")
    parser.add_argument("--readme", type=Path, help="rewrite the table block in this file")
    parser.add_argument("--block", default="top-entities", help="the README block's name")
    args = parser.parse_args(argv)
    corpus = SETS[args.set]
    if not (DATA / corpus.folder).is_dir():
        print(f"no {corpus.folder} data at {DATA}: nothing to measure", file=sys.stderr)
        return 2
    articles = _parsed(corpus, args.set, args.cache)
    articles = with_entities(articles, args.cache)
    gold = read_gold(corpus.gold) if corpus.gold.exists() else {}
    listed = [judge(e, gold) for e in top_entities(articles, args.top)]
    command = "python -m bench.top_entities" + (f" --set {args.set}" if args.set != "dev" else "")
    command += f" --top {args.top}" if args.top != 150 else ""
    table = markdown(listed, command, len(articles))
    print(table)
    if args.contexts:
        names = {e.name for e in listed}
        for name, snippets in sorted(contexts(articles, names, args.contexts).items()):
            print(f"## {name}")
            for snippet in snippets:
                print("   ", snippet)
    if args.readme:
        write_block(
            args.readme,
            f"<!-- {args.block} -->",
            f"<!-- /{args.block} -->",
            table,
            "## First screen: the most-named entities (issue 24)",
        )
    return 0


def _parsed(corpus: CorpusSet, name: str, cache: Path | None) -> list[Article]:
    path = (
        cache / ("articles.pickle" if name == "dev" else f"articles_{name}.pickle")
        if cache
        else None
    )
    if path and path.exists():
        loaded: list[Article] = pickle.loads(gzip.decompress(path.read_bytes()))
        return loaded
    articles = set_articles(corpus)
    if cache and path:
        cache.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(pickle.dumps(articles)))
    return articles


if __name__ == "__main__":
    raise SystemExit(main())
