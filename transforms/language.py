"""Offline language identification (ISO 639-1) with py3langid's bundled model."""

from __future__ import annotations

from functools import cache
from typing import Any

# The DFA walk is pure Python, linear in the sample: 500 characters decide as well as 2,000
# on news prose (same answer on every article of the benchmark corpus) at a quarter of the cost.
_SAMPLE_CHARS = 500


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, min_confidence: float = 0.5) -> str | None:
    """The ISO 639-1 code of the text's language, or None when too short or unsure."""
    sample = text[:_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < 20:
        return None
    code, confidence = _identifier().classify(sample)
    return str(code) if confidence >= min_confidence else None
