"""Raw spaCy vs the entity pipeline on the NER gold set: per-type P/R/F1 and words/s.

    .venv/bin/python -m bench.ner_eval [--speed-docs N] [--no-speed]

The pipeline's spans are its mentions (offsets into the body) typed with the entity's
voted type, so both sides are scored by the same exact-span rule of `bench.span_scoring`.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.span_scoring import ALL_TYPES, Span, normalise_predictions, score_spans, support
from transforms.entities.article import canonicalize, place_display_name
from transforms.entities.spans import NER_BATCH_SIZE, find_entity_spans

GOLD_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "ner_gold"


def load_gold(gold_dir: Path = GOLD_DIR) -> list[dict[str, Any]]:
    """The gold documents, sorted by file name."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.json"))]


def gold_spans(docs: Sequence[dict[str, Any]]) -> list[Span]:
    """Every annotated span as (doc id, start, end, type)."""
    return [(d["id"], e["start"], e["end"], e["type"]) for d in docs for e in d["entities"]]


def raw_spans(nlp: Any, docs: Sequence[dict[str, Any]]) -> list[Span]:
    """The model's own spans, trimmed as the gold set marks them."""
    out: list[Span] = []
    for doc, spans in zip(docs, find_entity_spans(nlp, [d["body"] for d in docs]), strict=True):
        triples = [(s.start_char, s.end_char, s.label) for s in spans]
        out += normalise_predictions(doc["id"], doc["body"], triples)
    return out


def pipeline_spans(nlp: Any, docs: Sequence[dict[str, Any]]) -> list[Span]:
    """The entity stage's mentions, typed with their entity's type."""
    out: list[Span] = []
    for doc, spans in zip(docs, find_entity_spans(nlp, [d["body"] for d in docs]), strict=True):
        for m in canonicalize(doc["body"], spans, place_display_name):
            out.append((doc["id"], m.start_char, m.end_char, m.entity_type))
    return out


def _table(gold: list[Span], raw: list[Span], pipe: list[Span]) -> str:
    before, after = score_spans(gold, raw), score_spans(gold, pipe)
    counts = support(gold)
    lines = [f"{'type':<12}{'n':>5}   {'raw P/R/F1':<20}{'pipeline P/R/F1':<20}"]
    for kind in sorted(set(before) | set(after), key=lambda k: (k == ALL_TYPES, k)):
        b, a = before.get(kind, (0.0, 0.0, 0.0)), after.get(kind, (0.0, 0.0, 0.0))
        n = len(gold) if kind == ALL_TYPES else counts.get(kind, 0)
        before_text = " ".join(f"{x:.2f}" for x in b)
        after_text = " ".join(f"{x:.2f}" for x in a)
        lines.append(f"{kind:<12}{n:>5}   {before_text:<20}{after_text}")
    return "\n".join(lines)


def _words(bodies: Sequence[str]) -> int:
    return sum(len(b.split()) for b in bodies)


def raw_words_per_s(
    nlp: Any, bodies: list[str], batch_size: int = NER_BATCH_SIZE, n_process: int = 1
) -> float:
    """Words/s of the raw model alone, `nlp.pipe` in minibatches of `batch_size` documents."""
    start = time.perf_counter()
    for _ in nlp.pipe(bodies, batch_size=batch_size, n_process=n_process):
        pass
    return _words(bodies) / (time.perf_counter() - start)


def measure_speed(nlp: Any, bodies: list[str], n_process: int = 1) -> tuple[float, float]:
    """Words/s of the raw model alone and of the whole entity stage (model + rules)."""
    words = _words(bodies)
    raw = raw_words_per_s(nlp, bodies, n_process=n_process)
    start = time.perf_counter()
    for body, spans in zip(
        bodies, find_entity_spans(nlp, bodies, n_process=n_process), strict=True
    ):
        canonicalize(body, spans, place_display_name)
    stage = words / (time.perf_counter() - start)
    return raw, stage


def _stage_words_per_s(bodies: list[str], n_process: int = 1) -> float:
    """Words/s of the whole entity stage over `bodies` in this process (model preloaded)."""
    from flows.nlp import load_ner

    nlp = load_ner()
    start = time.perf_counter()
    for body, spans in zip(
        bodies, find_entity_spans(nlp, bodies, n_process=n_process), strict=True
    ):
        canonicalize(body, spans, place_display_name)
    return _words(bodies) / (time.perf_counter() - start)


def _warm() -> None:
    from flows.nlp import load_ner
    from transforms.entities.places import place_index_size

    load_ner()
    place_index_size()


def compare_parallelism(bodies: list[str]) -> dict[str, float]:
    """Words/s of the entity stage: one process, spaCy n_process=2, two batches in two processes.

    The two-batch figure is what the flow does (flows/workers.py): a pool of two warmed-up
    processes, each running one half as a batch with n_process=1.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    results = {"one process": _stage_words_per_s(bodies)}
    results["n_process=2, one batch"] = _stage_words_per_s(bodies, n_process=2)
    half = len(bodies) // 2
    with ProcessPoolExecutor(
        2, mp_context=multiprocessing.get_context("spawn"), initializer=_warm
    ) as pool:
        list(pool.map(_stage_words_per_s, [bodies[:2], bodies[2:4]]))  # wait for warm-up
        start = time.perf_counter()
        list(pool.map(_stage_words_per_s, [bodies[:half], bodies[half:]]))
        results["two batches, two processes"] = _words(bodies) / (time.perf_counter() - start)
    return results


def main(argv: Sequence[str] | None = None) -> None:
    """Print the score table and the speed figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed-copies", type=int, default=20, help="gold bodies repeated N times")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--n-process", type=int, default=1)
    parser.add_argument(
        "--parallel", action="store_true", help="compare n_process=2 with two parallel batches"
    )
    parser.add_argument(
        "--minibatches",
        default="",
        help="comma-separated nlp.pipe minibatch sizes to time the raw model with (e.g. 8,16,64)",
    )
    args = parser.parse_args(argv)
    from flows.nlp import load_ner, model_name
    from transforms.entities.places import place_index_size

    nlp = load_ner()
    place_index_size()
    docs = load_gold()
    gold = gold_spans(docs)
    print(f"model {model_name()}, {len(docs)} gold articles, {len(gold)} spans")
    print(_table(gold, raw_spans(nlp, docs), pipeline_spans(nlp, docs)))
    if not args.no_speed:
        bodies = [d["body"] for d in docs] * args.speed_copies
        raw, stage = measure_speed(nlp, bodies, args.n_process)
        print(
            f"speed ({_words(bodies)} words, n_process={args.n_process}): "
            f"raw model {raw:,.0f} words/s, whole entity stage {stage:,.0f} words/s"
        )
    for size in (int(x) for x in args.minibatches.split(",") if x.strip()):
        bodies = [d["body"] for d in docs] * args.speed_copies
        rate = raw_words_per_s(nlp, bodies, batch_size=size)
        print(f"raw model, minibatch {size}: {rate:,.0f} words/s")
    if args.parallel:
        bodies = [d["body"] for d in docs] * args.speed_copies
        for label, rate in compare_parallelism(bodies).items():
            print(f"entity stage, {label}: {rate:,.0f} words/s")


if __name__ == "__main__":
    main()
