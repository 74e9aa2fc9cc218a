"""Raw spaCy vs the entity pipeline on real gold (CoNLL-2003 English dev), in one run.

    .venv/bin/python -m bench.ner_real [--top 200] [--repeats 3] [--halves] [--ablation]
        [--screen N]

Each document is rebuilt as an article body (`bench.conll`). The raw side is the model's
spans (trimmed as the gold marks them); the pipeline side is what the flow writes: the
mentions of `extract_mentions`, typed with the type their entity gets in the entities table
folded over the whole corpus (`entity_rows` then `fold_entity_rows`). Types are mapped to
CoNLL's (PER, ORG, LOC, MISC) and scored by exact span. Also printed: words/s of the raw model
and of the entity stage (same bodies, same process, alternating, best of `--repeats`), and
the corpus consistency of the entities table (names with more than one type; the most
mentioned entities, to check their type by hand); with `--screen N`, the N entities most
articles name checked against the type the gold gives most of their mentions.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from bench.conll import CONLL_DEV, CONLL_TYPES, TO_CONLL, GoldDocument, GoldSpan, read_documents
from bench.span_scoring import Score, score_spans, trim_span
from flows.entity_store import fold_entities
from transforms.entities.article import canonicalize, extract_mentions
from transforms.entities.places import resolve_place
from transforms.entities.spans import NER_BATCH_SIZE, find_entity_spans
from transforms.output.rows import Article, RunInfo, article_votes, entity_rows, votes_table
from transforms.records import EntitySpan, Mention, ParsedDocument
from transforms.schema import ENTITIES_SCHEMA

MICRO = "PER/ORG/LOC"
_RUN = RunInfo("bench", datetime(1996, 8, 30, tzinfo=UTC))
_BATCH = 200  # articles per batch, as the flow cuts them


def raw_spans(
    docs: Sequence[GoldDocument], spans: Sequence[Sequence[EntitySpan]]
) -> list[GoldSpan]:
    """The model's own spans, trimmed as the gold marks them, in CoNLL types."""
    out: list[GoldSpan] = []
    for doc, found in zip(docs, spans, strict=True):
        for s in found:
            if s.label in TO_CONLL:
                start, end = trim_span(doc.text, s.start_char, s.end_char)
                out.append((doc.doc_id, start, end, TO_CONLL[s.label]))
    return out


def extract_all(nlp: Any, docs: Sequence[GoldDocument]) -> list[tuple[Mention, ...]]:
    """The entity stage of the flow over every document, in batches: mentions per article."""
    bodies = [d.text for d in docs]
    mentions: list[tuple[Mention, ...]] = []
    for first in range(0, len(bodies), _BATCH):
        mentions += extract_mentions(nlp, bodies[first : first + _BATCH])
    return mentions


def corpus_entities(
    docs: Sequence[GoldDocument], mentions: Sequence[tuple[Mention, ...]]
) -> dict[str, dict[str, Any]]:
    """The folded entities table of the corpus (batches of `_BATCH` articles), by entity id."""
    articles = [
        Article(d.doc_id, "0" * 64, ParsedDocument("plain_text", None, (d.text,)), m)
        for d, m in zip(docs, mentions, strict=True)
    ]
    return folded_entities(articles, _RUN)


def folded_entities(articles: Sequence[Article], run: RunInfo) -> dict[str, dict[str, Any]]:
    """The entities table folded over `articles` as the flow folds it (batches of `_BATCH`
    articles, then the corpus votes), by entity id."""
    rows: list[dict[str, object]] = []
    for first in range(0, len(articles), _BATCH):
        rows += entity_rows(articles[first : first + _BATCH], run, resolve_place)
    folded = fold_entities(
        pa.Table.from_pylist(rows, schema=ENTITIES_SCHEMA),
        votes_table(v for a in articles for v in article_votes(a)),
    )
    return {r["entity_id"]: r for r in folded.to_pylist()}


def pipeline_spans(
    docs: Sequence[GoldDocument],
    mentions: Sequence[tuple[Mention, ...]],
    entities: dict[str, dict[str, Any]],
    per_article: bool = False,
) -> list[GoldSpan]:
    """Each mention typed with its entity's type in the folded table, in CoNLL types
    (with the type its own article gave it, when `per_article`)."""
    out: list[GoldSpan] = []
    for doc, found in zip(docs, mentions, strict=True):
        for m in found:
            kind = TO_CONLL.get(
                m.entity_type if per_article else str(entities[m.entity_id]["type"])
            )
            if kind:
                out.append((doc.doc_id, m.start_char, m.end_char, kind))
    return out


def score_table(gold: list[GoldSpan], sides: dict[str, list[GoldSpan]]) -> str:
    """Markdown table: P/R/F1 per CoNLL type and PER/ORG/LOC micro, one column per side."""
    scored = {name: _scores(gold, spans) for name, spans in sides.items()}
    counts = Counter(s[3] for s in gold)
    header = "| type | gold spans | " + " | ".join(f"{n} P / R / F1" for n in sides) + " |"
    lines = [header, "|---|---:|" + "---:|" * len(sides)]
    for kind in (*CONLL_TYPES, MICRO):
        n = sum(counts[t] for t in ("PER", "ORG", "LOC")) if kind == MICRO else counts[kind]
        cells = [" / ".join(f"{x:.3f}" for x in scored[name][kind]) for name in sides]
        label = f"**{kind} micro**" if kind == MICRO else kind
        lines.append(f"| {label} | {n} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _scores(gold: list[GoldSpan], predicted: list[GoldSpan]) -> dict[str, Score]:
    scores = score_spans(gold, predicted)
    core = ("PER", "ORG", "LOC")
    scores[MICRO] = score_spans(
        [s for s in gold if s[3] in core], [s for s in predicted if s[3] in core]
    )["ALL"]
    return {k: scores.get(k, (0.0, 0.0, 0.0)) for k in (*CONLL_TYPES, MICRO)}


def measure_speed(nlp: Any, docs: Sequence[GoldDocument], repeats: int) -> dict[str, float]:
    """Words/s of the raw model, of the entity stage (model and rules) and of its rules alone
    (`canonicalize` over the model's spans), best of `repeats`, the three alternating; in CPU
    seconds of this process, which other jobs on a shared machine disturb less than the wall
    clock."""
    bodies = [d.text for d in docs]
    words = sum(len(b.split()) for b in bodies)
    spans = find_entity_spans(nlp, bodies)
    best = {"raw model": 0.0, "entity stage": 0.0, "its rules alone": 0.0}
    for _ in range(repeats):
        for name, work in (
            ("raw model", lambda: list(nlp.pipe(bodies, batch_size=NER_BATCH_SIZE))),
            ("entity stage", lambda: extract_all(nlp, docs)),
            (
                "its rules alone",
                lambda: [canonicalize(b, s) for b, s in zip(bodies, spans, strict=True)],
            ),
        ):
            start = time.process_time()
            work()
            best[name] = max(best[name], words / (time.process_time() - start))
    return best


def several_types(
    docs: Sequence[GoldDocument],
    spans: Sequence[Sequence[EntitySpan]],
    entities: dict[str, dict[str, Any]],
) -> tuple[int, list[str], list[str]]:
    """Names (casefolded) with more than one type: how many by the raw model's labels, and
    in the entities table, those that are a place and an organisation named after it (a city
    and its club: two entities, as meant) and the others."""
    raw: dict[str, set[str]] = defaultdict(set)
    for doc, found in zip(docs, spans, strict=True):
        for s in found:
            if s.label in TO_CONLL:
                start, end = trim_span(doc.text, s.start_char, s.end_char)
                raw[" ".join(doc.text[start:end].split()).casefold()].add(s.label)
    table: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in entities.values():
        table[str(row["name"]).casefold()].append(row)
    namesakes: list[str] = []
    others: list[str] = []
    for name, rows in sorted(table.items()):
        if len({r["type"] for r in rows}) > 1:
            places = [r for r in rows if r["geonames_id"] is not None]
            rest = {r["type"] for r in rows if r["geonames_id"] is None}
            (namesakes if places and rest == {"ORG"} else others).append(name)
    return sum(1 for kinds in raw.values() if len(kinds) > 1), namesakes, others


def top_entities(
    mentions: Sequence[tuple[Mention, ...]], entities: dict[str, dict[str, Any]], top: int
) -> list[tuple[int, str, str, str]]:
    """(mentions, type, name, example surfaces) of the `top` most-mentioned entities."""
    counts = Counter(m.entity_id for found in mentions for m in found)
    out = []
    for entity, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]:
        row = entities[entity]
        aliases = ", ".join(list(row["aliases"])[:4])
        out.append((n, str(row["type"]), str(row["name"]), aliases))
    return out


def run(docs: Sequence[GoldDocument], nlp: Any, options: argparse.Namespace) -> None:
    """Score both sides, time them, print the consistency figures and the top entities."""
    bodies = [d.text for d in docs]
    spans = find_entity_spans(nlp, bodies)
    mentions = extract_all(nlp, docs)
    entities = corpus_entities(docs, mentions)
    gold = [s for d in docs for s in d.spans]
    raw, pipe = raw_spans(docs, spans), pipeline_spans(docs, mentions, entities)
    print(score_table(gold, {"raw model": raw, "pipeline": pipe}))
    micro = _scores(gold, pipe)[MICRO][2]
    print(f"\npipeline {MICRO} micro F1, four decimals: {micro:.4f}")
    if options.halves:
        print("\nF1 on each half of the documents (raw model → pipeline):\n")
        print(halves_table(docs, gold, {"raw model": raw, "pipeline": pipe}))
    if options.ablation:
        from bench.ner_ablation import ablation_spans

        def typed(found: Sequence[tuple[Mention, ...]], per_article: bool) -> list[GoldSpan]:
            return pipeline_spans(docs, found, corpus_entities(docs, found), per_article)

        print("\nEach rule switched off (F1; the same model spans):\n")
        print(halves_table(docs, gold, {"raw model": raw, **ablation_spans(docs, spans, typed)}))
    if options.repeats:
        rates = measure_speed(nlp, docs, options.repeats)
        shown = ", ".join(f"{name} {rate:,.0f}" for name, rate in rates.items())
        ratio = rates["entity stage"] / rates["raw model"]
        print(f"\nwords/s (CPU, best of {options.repeats}): {shown}; stage/raw {ratio:.2f}x")
    raw_mixed, namesakes, others = several_types(docs, spans, entities)
    print(
        f"\nnames with more than one type: raw model labels {raw_mixed}; entities table "
        f"{len(namesakes) + len(others)} of {len(entities)} entities: {len(namesakes)} a place "
        f"and a club or body named after it ({', '.join(namesakes)}), {len(others)} other "
        f"({', '.join(others)})"
    )
    if options.screen:
        agree, disagree = first_screen(docs, mentions, entities, options.screen)
        print(
            f"\nfirst screen: of the {options.screen} entities most articles name, {agree} have "
            "the type the gold gives most of their mentions; the others:"
        )
        print("\n".join(disagree))
    if options.top:
        print(f"\ntop {options.top} entities by mentions:")
        for i, (n, kind, name, aliases) in enumerate(
            top_entities(mentions, entities, options.top), 1
        ):
            print(f"{i:4d} {n:4d} {kind:<12} {name} [{aliases}]")


def first_screen(
    docs: Sequence[GoldDocument],
    mentions: Sequence[tuple[Mention, ...]],
    entities: dict[str, dict[str, Any]],
    top: int,
) -> tuple[int, list[str]]:
    """The `top` entities by articles naming them (the first screen), each checked against
    the gold: its type in CoNLL's types against the type the gold gives most of its mentions
    (by exact span; `none` where the gold marks no such span). How many agree, and a line
    for each that does not."""
    gold = {(d.doc_id, s[1], s[2]): s[3] for d in docs for s in d.spans}
    naming: Counter[str] = Counter()
    said: dict[str, Counter[str]] = defaultdict(Counter)
    for doc, found in zip(docs, mentions, strict=True):
        naming.update({m.entity_id for m in found})
        for m in found:
            said[m.entity_id][gold.get((doc.doc_id, m.start_char, m.end_char), "none")] += 1
    ranked = sorted(naming, key=lambda e: (-naming[e], str(entities[e]["name"]), e))[:top]
    disagree = []
    for rank, entity in enumerate(ranked, 1):
        row = entities[entity]
        kind, gold_kind = TO_CONLL.get(str(row["type"]), "none"), said[entity].most_common(1)[0][0]
        if kind != gold_kind:
            counts = ", ".join(f"{k} {n}" for k, n in said[entity].most_common())
            disagree.append(f"{rank:4d} {row['name']} {row['type']} ({naming[entity]}): {counts}")
    return len(ranked) - len(disagree), disagree


def halves_table(
    docs: Sequence[GoldDocument], gold: list[GoldSpan], sides: dict[str, list[GoldSpan]]
) -> str:
    """Markdown: F1 per type on even and odd documents, one row per side."""
    kinds = (*CONLL_TYPES, MICRO)
    halves = [{d.doc_id for i, d in enumerate(docs) if i % 2 == parity} for parity in (0, 1)]
    header = "| | " + " | ".join(f"{k} even / odd" for k in kinds) + " |"
    lines = [header, "|---|" + "---:|" * len(kinds)]
    for name, predicted in sides.items():
        scores = [
            _scores([s for s in gold if s[0] in ids], [s for s in predicted if s[0] in ids])
            for ids in halves
        ]
        cells = [f"{scores[0][k][2]:.3f} / {scores[1][k][2]:.3f}" for k in kinds]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the options and run the benchmark."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--top", type=int, default=200, help="list the N most-mentioned entities")
    parser.add_argument("--repeats", type=int, default=5, help="speed runs (0: skip the timing)")
    parser.add_argument(
        "--screen", type=int, default=0, help="check the N entities most articles name"
    )
    parser.add_argument("--halves", action="store_true", help="also score even and odd documents")
    parser.add_argument("--ablation", action="store_true", help="switch each rule off in turn")
    args = parser.parse_args(argv)
    if not CONLL_DEV.exists():
        raise SystemExit(f"no CoNLL dev file at {CONLL_DEV}")
    from flows.nlp import load_ner, model_name
    from transforms.entities.places import place_index_size

    nlp = load_ner()
    place_index_size()
    docs = read_documents()
    print(f"model {model_name()}, {len(docs)} documents, {sum(d.words for d in docs)} tokens\n")
    run(docs, nlp, args)


if __name__ == "__main__":
    main()
