"""Each entity rule switched off in turn, on the same model spans: what it adds on real gold.

Used by `python -m bench.ner_real --ablation`. A rule is switched off by swapping the
function that applies it for one that does nothing, for the time of one pass (bench only:
the pipeline itself has no switches). The model runs once; every pass canonicalises its
spans again and folds the corpus again, so a row differs from the full pipeline by that
rule alone.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from bench.conll import GoldDocument, GoldSpan
from transforms.entities.article import canonicalize
from transforms.records import EntitySpan, Mention

# name → [(module, attribute, replacement)]
ABLATIONS: dict[str, list[tuple[str, str, Callable[..., Any]]]] = {
    "span cuts (line breaks, dashes, figures, open parenthesis)": [
        ("transforms.entities.spans", "split_span", lambda body, span: [span])
    ],
    "datelines": [("transforms.entities.mentions", "find_datelines", lambda body: [])],
    "team lines (results, standings, fixtures)": [
        ("transforms.entities.mentions", "find_team_names", lambda body: [])
    ],
    "missed repeats (and capitals forms)": [
        ("transforms.entities.mentions", "find_repeats", lambda body, forms, taken: [])
    ],
    "gazetteer retyping (sure places)": [
        ("transforms.entities.mentions", "retype_places", lambda surface, label, persons: label)
    ],
    "name cues (legal forms, organisation and event head words)": [
        ("transforms.entities.types", "name_cue", lambda surface, gazetteer=None: None)
    ],
    "context cues (titles, roles, said, shares in)": [
        ("transforms.entities.types", "context_cue", lambda body, s, e, gazetteer=None: None)
    ],
}
PER_ARTICLE = "one type per entity over the corpus (off: each article's own type)"


@contextmanager
def switched_off(name: str) -> Iterator[None]:
    """The rules of one ablation replaced by no-ops for the duration of the block."""
    saved = []
    for module_name, attribute, replacement in ABLATIONS.get(name, []):
        module = importlib.import_module(module_name)
        saved.append((module, attribute, getattr(module, attribute)))
        setattr(module, attribute, replacement)
    try:
        yield
    finally:
        for module, attribute, original in saved:
            setattr(module, attribute, original)


def ablation_spans(
    docs: Sequence[GoldDocument],
    spans: Sequence[Sequence[EntitySpan]],
    score: Callable[[Sequence[tuple[Mention, ...]], bool], list[GoldSpan]],
) -> dict[str, list[GoldSpan]]:
    """Predicted spans of the full pipeline and of each ablation, from the same model spans.

    `score(mentions, per_article)` turns the mentions of every document into typed spans
    (through the corpus fold, or with each article's own type when `per_article`).
    """
    out: dict[str, list[GoldSpan]] = {}
    for name in ["all rules", *ABLATIONS, PER_ARTICLE]:
        with switched_off(name):
            mentions = [tuple(canonicalize(d.text, s)) for d, s in zip(docs, spans, strict=True)]
        out[name] = score(mentions, name == PER_ARTICLE)
    return out
