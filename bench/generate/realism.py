"""How real-sized the generated bodies are: words and names per article beside real news.

    .venv/bin/python -m bench.generate.realism [--n 400] [--seed 3]

Real news is the CoNLL-2003 English dev split in `../shared/data` (Reuters, gold PER/ORG/LOC
spans), its documents of 200-700 tokens. Names are counted the same way on every side by
the pipeline's spaCy model (PERSON, ORG, GPE, LOC, FAC as PER/ORG/LOC), and for real news
also from the gold spans; words are the pipeline's `word_count`.
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.generate.plan import ORIGINAL_KINDS, make_plan
from bench.generate.renderer import Renderer
from transforms.text.language import word_count

CONLL = Path(__file__).resolve().parents[3] / "shared" / "data" / "conll2003-dev" / "eng.testa"
_SPACY_TYPES = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
_NEWS_TOKENS = (200, 700)  # real articles; shorter CoNLL documents are mostly results tables

Name = tuple[str, str]  # (PER | ORG | LOC, surface text)


@dataclass(frozen=True, slots=True)
class Article:
    """A body and the names found in it, in order (repeats kept)."""

    text: str
    names: tuple[Name, ...]


def read_conll(path: Path) -> list[tuple[str, list[Name]]]:
    """Each CoNLL document as (text, gold PER/ORG/LOC spans); IOB1 runs of one type are spans."""
    docs: list[tuple[list[str], list[Name]]] = []
    previous = "O"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-") or not docs:
            docs.append(([], []))
            if line.startswith("-DOCSTART-"):
                continue
        if not line.strip():
            previous = "O"
            continue
        token, *_, tag = line.split(" ")
        tokens, spans = docs[-1]
        tokens.append(token)
        kind = tag[2:] if tag != "O" else "O"
        if kind in ("PER", "ORG", "LOC"):
            if tag.startswith("B-") or kind != previous:
                spans.append((kind, token))
            else:
                spans[-1] = (kind, f"{spans[-1][1]} {token}")
        previous = kind
    return [(" ".join(tokens), spans) for tokens, spans in docs if tokens]


def generated_bodies(n: int, seed: int, real_size: bool) -> list[str]:
    """The bodies of the original articles of a generated corpus (nothing written to disk)."""
    plan = make_plan(n, seed, 0.0, 0.0, real_size)
    renderer = Renderer(plan, Path("/nonexistent"))
    return [
        "\n\n".join(renderer.story(i).paras) for i in range(n) if plan.kinds[i] in ORIGINAL_KINDS
    ]


def spacy_names(nlp: Any, texts: Sequence[str]) -> list[Article]:
    """Each text with the PER/ORG/LOC names the pipeline's model finds in it."""
    return [
        Article(
            text,
            tuple((_SPACY_TYPES[e.label_], e.text) for e in doc.ents if e.label_ in _SPACY_TYPES),
        )
        for text, doc in zip(texts, nlp.pipe(texts, batch_size=64), strict=True)
    ]


def describe(label: str, articles: Sequence[Article]) -> str:
    """One markdown row: words per article and names per 100 words and per article."""
    words = [word_count(a.text) for a in articles]
    total = sum(words)
    mentions = sum(len(a.names) for a in articles)
    distinct = [len(set(a.names)) for a in articles]
    q1, median, q3 = statistics.quantiles(words, n=4)
    return (
        f"| {label} | {len(articles)} | {min(words)} / {q1:.0f} / {median:.0f} / {q3:.0f} / "
        f"{max(words)} | {100 * mentions / total:.1f} | {100 * sum(distinct) / total:.1f} | "
        f"{statistics.median(distinct):.0f} |"
    )


def _halves(label: str, articles: Sequence[Article]) -> Iterable[str]:
    """The row of the whole set, then of its odd and even documents."""
    yield describe(label, articles)
    yield describe(f"{label}, odd", articles[1::2])
    yield describe(f"{label}, even", articles[0::2])


def main(argv: Sequence[str] | None = None) -> int:
    """Print the comparison table."""
    parser = argparse.ArgumentParser(prog="python -m bench.generate.realism")
    parser.add_argument("--n", type=int, default=400, help="generated articles per mode")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args(argv)
    if not CONLL.exists():
        parser.error(f"real news not found at {CONLL}")
    from flows.nlp import load_ner

    nlp = load_ner()
    low, high = _NEWS_TOKENS
    news = [(t, s) for t, s in read_conll(CONLL) if low <= len(t.split()) <= high]
    print(
        "| bodies | articles | words min / q1 / median / q3 / max | name mentions per 100 words "
        "| distinct names per 100 words | distinct names per article (median) |"
    )
    print("|---|---|---|---|---|---|")
    rows = [
        *_halves("real news (CoNLL dev), gold spans", [Article(t, tuple(s)) for t, s in news]),
        *_halves("real news (CoNLL dev), spaCy", spacy_names(nlp, [t for t, _ in news])),
        describe(
            "generator default, spaCy", spacy_names(nlp, generated_bodies(args.n, args.seed, False))
        ),
        *_halves(
            "generator --real-size, spaCy",
            spacy_names(nlp, generated_bodies(args.n, args.seed, True)),
        ),
    ]
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
