"""Rules that improve the model's spans within one article, before canonicalisation.

Each rule is a pure function of the body and the spans (plus the static tables under
`transforms/data/`), so an article's entities never depend on which batch it is in:

- `strip_titles`: "Ms Kim" → "Kim"; a span opened by an honorific ("Dr Raman") is a PERSON.
- `retype_places`: a span the gazetteer knows for sure becomes GPE/LOC ("Lyon" tagged ORG,
  "DPRK" tagged ORG); demonyms ("Russian") are never places.
- `person_tokens`: a one-word name that is the surname or first name of a PERSON named in
  full in the same article is that PERSON ("Delgado" tagged GPE next to "Ana Delgado").
- `find_repeats`: names the model missed that repeat a recognised name, or the surname of a
  recognised full name, written the same way elsewhere in the body.
- `org_acronyms`: "IMF" joins "International Monetary Fund" when its letters are the initials
  of exactly one ORG in the article; `org_alias_name` knows the common ones from a table.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources

from transforms.places import is_demonym, place_label
from transforms.records import EntitySpan

HONORIFICS: frozenset[str] = frozenset(
    ["mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "mx"]
)
PLACE_TYPES: frozenset[str] = frozenset({"GPE", "LOC"})
# Labels a sure gazetteer name overrides; NORP is left to the demonym table.
_RETYPED = frozenset({"PERSON", "ORG", "PRODUCT", "FAC", "WORK_OF_ART", "EVENT", "GPE", "LOC"})
_ACRONYM_STOPWORDS = frozenset({"of", "and", "for", "the", "&", "on", "in", "de", "des", "du"})
_MIN_REPEAT_LENGTH = 3


def strip_titles(body: str, span: EntitySpan, titles: frozenset[str]) -> EntitySpan:
    """The span without leading titles/honorifics; a span opened by an honorific is a PERSON."""
    label, start = span.label, span.start_char
    while True:
        match = re.match(r"(\S+)\s+(?=\S)", body[start : span.end_char])
        if match is None:
            break
        word = match.group(1).rstrip(".").casefold()
        if word in HONORIFICS:
            label = "PERSON"
        elif not (label == "PERSON" and word in titles):
            break
        start += match.end()
    if start == span.start_char and label == span.label:
        return span
    return EntitySpan(start, span.end_char, label, span.sentence_index)


def retype_places(surface: str, label: str, person_words: frozenset[str]) -> str:
    """The label the gazetteer gives a span: GPE/LOC for sure places, NORP for demonyms."""
    if label in PLACE_TYPES and is_demonym(surface):
        return "NORP"
    if label not in _RETYPED or surface.casefold() in person_words:
        return label
    sure = place_label(surface)
    if sure is None or is_demonym(surface):
        return label
    return sure


def person_words(person_keys: Iterable[str]) -> frozenset[str]:
    """First and last words of the multi-word person names of an article (casefolded)."""
    words: set[str] = set()
    for key in person_keys:
        parts = key.split()
        if len(parts) > 1:
            words.update((parts[0], parts[-1]))
    return frozenset(words)


def find_repeats(
    body: str, forms: Mapping[str, str], taken: Sequence[tuple[int, int]]
) -> list[tuple[int, int, str]]:
    """(start, end, type) of each further occurrence of a known form outside the taken spans.

    Matching is case-sensitive and on word boundaries, longest form first, so "Kim" in
    "Kimberley" or "us" in prose never match.
    """
    usable = sorted(
        (f for f in forms if len(f) >= _MIN_REPEAT_LENGTH and any(c.isupper() for c in f)),
        key=lambda f: (-len(f), f),
    )
    if not usable:
        return []
    pattern = re.compile(r"(?<![\w'’-])(?:" + "|".join(map(re.escape, usable)) + r")(?![\w-])")
    occupied = sorted(taken)
    found: list[tuple[int, int, str]] = []
    for match in pattern.finditer(body):
        start, end = match.span()
        if any(s < end and start < e for s, e in occupied):
            continue
        found.append((start, end, forms[match.group()]))
    return found


def acronym_of(name: str) -> str:
    """The initials of a name's significant words ("International Monetary Fund" → "IMF")."""
    words = [w for w in re.split(r"[\s-]+", name) if w and w.casefold() not in _ACRONYM_STOPWORDS]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


def org_acronyms(org_names: Iterable[str]) -> dict[str, str]:
    """Acronym → the one multi-word ORG name in the article whose initials it is."""
    by_acronym: dict[str, set[str]] = {}
    for name in org_names:
        if len(name.split()) > 1:
            by_acronym.setdefault(acronym_of(name), set()).add(name)
    return {a: next(iter(n)) for a, n in by_acronym.items() if len(a) > 1 and len(n) == 1}


def org_alias_name(surface: str) -> str | None:
    """The full name the alias table gives an organisation's short name ("IMF"), else None."""
    return _org_aliases().get(" ".join(surface.replace(".", "").split()).casefold())


@functools.cache
def _org_aliases() -> dict[str, str]:
    text = resources.files("transforms").joinpath("data", "org_aliases.csv").read_text("utf-8")
    table: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(text)):
        table[row["alias"].replace(".", "").casefold()] = row["name"]
        table.setdefault(row["name"].casefold(), row["name"])
    return table
