"""Rules that improve the model's spans within one article, before canonicalisation.

Each rule is a pure function of the body and the spans (plus the static tables under
`transforms/entities/data/`), so an article's entities never depend on which batch it is in:

- `strip_titles`: "Ms Kim" → "Kim"; a span opened by an honorific ("Dr Raman") is a PERSON.
- `retype_places`: a span the gazetteer knows for sure becomes GPE/LOC ("Lyon" tagged ORG,
  "DPRK" tagged ORG); demonyms ("Russian") are never places.
- `find_repeats`: names the model missed that repeat a recognised name, or the surname of a
  recognised full name, written the same way elsewhere in the body (or in capitals, as a
  headline writes it).
- `defined_acronyms`: "the World Health Organization (WHO)" defines WHO in this article;
  `org_acronyms`: "IMF" joins "International Monetary Fund" when its letters are the initials
  of exactly one ORG in the article; `org_alias_name` knows the common ones from a table.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Mapping, Sequence

from transforms.entities.names import PLACE_TYPES, is_honorific, is_title
from transforms.entities.places import is_demonym, place_label
from transforms.entities.static import read_csv
from transforms.records import EntitySpan

# Labels a sure gazetteer name overrides; NORP is left to the demonym table.
_RETYPED = frozenset({"PERSON", "ORG", "PRODUCT", "FAC", "WORK_OF_ART", "EVENT", "GPE", "LOC"})
_ACRONYM_STOPWORDS = frozenset({"of", "and", "for", "the", "&", "on", "in", "de", "des", "du"})
_MIN_REPEAT_LENGTH = 3
# A capitals form of a name is looked for only when long enough not to be an acronym.
_MIN_CAPITALS_LENGTH = 4
_NEXT_WORD = re.compile(r" ([^\W\d_][\w'’-]*)")
# (the token before the word or "" at the start of the text, the word) right before a match
_PREVIOUS_WORD = re.compile(r"(?:^|(\S*)\s+)([^\W\d_][\w'’.-]*) $")
_DEFINITION = re.compile(r"\s*\(\s*([A-Z][A-Za-z&.]*[A-Z]\.?)\s*\)")


def strip_titles(body: str, span: EntitySpan, language: str = "en") -> EntitySpan:
    """The span without leading titles/honorifics of the article's `language`; a span opened
    by an honorific is a PERSON."""
    label, start = span.label, span.start_char
    while True:
        match = re.match(r"(\S+)\s+(?=\S)", body[start : span.end_char])
        if match is None:
            break
        word = match.group(1)
        if is_honorific(word, language):
            label = "PERSON"
        elif not (label == "PERSON" and is_title(word, language)):
            break
        start += match.end()
    if start == span.start_char and label == span.label:
        return span
    return EntitySpan(start, span.end_char, label, span.sentence_index)


def retype_places(
    surface: str, label: str, person_words: frozenset[str], language: str = "en"
) -> str:
    """The label the gazetteer gives a span: GPE/LOC for sure places, NORP for demonyms.

    The French model's LOC is any place (`types.FRENCH_TYPES`): there a city of any size the
    gazetteer knows is a GPE, as the English model would label it; elsewhere a city must be
    big enough for its name to beat the other readings of the word (`place_label`).
    """
    if label in PLACE_TYPES and is_demonym(surface):
        return "NORP"
    if label not in _RETYPED or surface.casefold() in person_words:
        return label
    sure = place_label(surface, 0) if language == "fr" and label == "LOC" else place_label(surface)
    if sure is None or is_demonym(surface):
        return label
    return sure


def find_repeats(
    body: str, forms: Mapping[str, str], taken: Sequence[tuple[int, int]], language: str = "en"
) -> list[tuple[int, int, str]]:
    """(start, end, type) of each further occurrence of a known form outside the taken spans.

    Matching is case-sensitive and on word boundaries, longest form first, so "Kim" in
    "Kimberley" or "us" in prose never match; a match that a capitalised word touches is
    part of a longer name the model missed, and is skipped. A form of four letters or more
    also matches in capitals ("ROMANIA" in a headline repeats "Romania").
    """
    variants = {f: (kind, False) for f, kind in forms.items()}
    for form, kind in forms.items():
        if len(form) >= _MIN_CAPITALS_LENGTH and not form.isupper():
            variants.setdefault(form.upper(), (kind, True))
    usable = sorted(
        (f for f in variants if len(f) >= _MIN_REPEAT_LENGTH and any(c.isupper() for c in f)),
        key=lambda f: (-len(f), f),
    )
    occupied = _Spans(taken)
    found: list[tuple[int, int, str]] = []
    for form in usable:
        kind, in_capitals = variants[form]
        start = body.find(form)
        while start >= 0:
            end = start + len(form)
            if (
                _on_word_boundaries(body, start, end)
                and not occupied.overlaps(start, end)
                and (in_capitals or not _inside_longer_name(body, start, end, language))
            ):
                found.append((start, end, kind))
                occupied.add(start, end)
            start = body.find(form, end)
    return sorted(found)


class _Spans:
    """(start, end) spans sorted by start, asked whether a span overlaps one of them in time
    logarithmic in their number (a 1.5M-character article has ~20k: a scan of all of them
    per match made the search quadratic)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self._spans = sorted(spans)
        self._starts = [s for s, _ in self._spans]
        self._longest = max((e - s for s, e in self._spans), default=0)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether some span has s < end and start < e (only those starting within the
        longest span's length before `start` can)."""
        low = bisect.bisect_left(self._starts, start - self._longest)
        high = bisect.bisect_left(self._starts, end)
        return any(e > start for _, e in self._spans[low:high])

    def add(self, start: int, end: int) -> None:
        """Take one more span."""
        at = bisect.bisect_left(self._spans, (start, end))
        self._spans.insert(at, (start, end))
        self._starts.insert(at, start)
        self._longest = max(self._longest, end - start)


def _on_word_boundaries(body: str, start: int, end: int) -> bool:
    before = body[start - 1] if start else " "
    after = body[end] if end < len(body) else " "
    return not (before.isalnum() or before in "_'’-") and not (after.isalnum() or after in "_-")


def _inside_longer_name(body: str, start: int, end: int, language: str) -> bool:
    """Whether a capitalised word touches the match: it is then part of a name not found.

    A capitalised word before it does not count when it opens a sentence or is a title.
    """
    after = _NEXT_WORD.match(body, end)
    if after and after.group(1)[0].isupper():
        return True
    before = _PREVIOUS_WORD.search(body, max(0, start - 60), start)
    if before is None or not before.group(2)[0].isupper():
        return False
    word = before.group(2).rstrip(".").casefold()
    opens_sentence = not before.group(1) or before.group(1)[-1] in '.!?"“:'
    return not (opens_sentence or is_title(word, language))


def defined_acronyms(body: str, spans: Sequence[EntitySpan]) -> dict[str, int]:
    """Acronym → index of the span it is defined after: "Name (ACR)" spells it out."""
    defined: dict[str, int] = {}
    for index, span in enumerate(spans):
        if span.label == "PERSON" or len(body[span.start_char : span.end_char].split()) < 2:
            continue
        match = _DEFINITION.match(body, span.end_char, span.end_char + 16)
        if match:
            defined.setdefault(match.group(1), index)
    return defined


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
    table: dict[str, str] = {}
    for row in read_csv("org_aliases.csv"):
        table[row["alias"].replace(".", "").casefold()] = row["name"]
        table.setdefault(row["name"].casefold(), row["name"])
    return table
