"""The static tables the entity rules read: CSV files in `data/` (one header line, UTF-8),
shipped with the package and read once per process."""

from __future__ import annotations

import csv
import functools
import io
from importlib import resources


@functools.cache
def read_csv(filename: str) -> tuple[dict[str, str], ...]:
    """The rows of `data/<filename>`, each a dict by the header's column names."""
    text = resources.files("transforms.entities").joinpath("data", filename).read_text("utf-8")
    return tuple(csv.DictReader(io.StringIO(text)))


@functools.cache
def function_words(role: str) -> frozenset[str]:
    """The words `data/function_words.csv` gives a role: `minor` (left in lower case by a
    title-case heading), `opening` (open a sentence, never a name), `not_member` (open a
    phrase, not a list member), `list_end` (may follow a whole list), `subject_verb` (a verb
    that follows its subject: "Shell said")."""
    return frozenset(row["word"] for row in read_csv("function_words.csv") if row["role"] == role)
