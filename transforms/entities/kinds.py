"""Kinds the model does not know, and words it takes for names.

An English news model knows people, companies and places; it does not know platforms,
software, devices and brands (it calls Twitter a PERSON, Netflix a GPE, Windows a NORP), and
it takes common nouns written in capitals for names ("API", "Pros", "Software"). Evidence
decides here, never the model's label:

- `known_kind`: a short curated list (`transforms/entities/data/known_kinds.csv`: name, type, kind),
  the best known social networks, platforms, software, devices and brands, each with the
  type it has whatever the model says (ORG for a platform or brand, PRODUCT for software
  and devices). Names that are also common words ("Signal", "Medium", "Oracle") or other
  things ("Amazon", "Apple", "Tesla") are left out: the model and the cues decide them.
- `kind_cue`: the words around a mention that tell a platform or product: "on X" for a
  one-word name read as a person, "X users", "X's app", "the X app", "an X phone".
- `is_common_noun`: no named entity at all: a common word the list of `not_entities.csv`
  holds (technical abbreviations such as "API", diseases such as "Covid"), an acronym the
  article also writes in the plural ("APIs", "GPUs"), or a one-word name the
  article capitalises only where a sentence, line or table cell begins while it also
  writes the word in lower case ("Software as a service ...", "... custom software").
"""

from __future__ import annotations

import functools
import re

from transforms.entities.static import read_csv

# Labels a name of a known kind or a product cue overrides.
MISREAD = frozenset({"PERSON", "GPE", "NORP", "LOC", "FAC"})
_PRODUCT_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:users?|app|apps|account|accounts|subscribers|feed|page|channel|post|posts)\b"
)
_PRODUCT_BEFORE = re.compile(r"\b(?:an?|the|their|his|her|my|your|our)\s+$", re.IGNORECASE)
_DEVICE_AFTER = re.compile(r"^\s+(?:phone|phones|laptop|laptops|tablet|device|devices)\b")
_ON_BEFORE = re.compile(r"\b(?:on|via)\s+$")
_AFTER_NAME_WORD = re.compile(r"[A-Z]\w*\s$")  # "White House": part of another name
# Words that title case never makes a name ("Contact Us", "About Us").
_FUNCTION_WORDS = frozenset({"us", "we", "our", "you", "your", "me", "my", "they", "them"})
_WORD = re.compile(r"(?<![\w-])\w+(?![\w-])")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,5}$")
# Where a capital says nothing about a name (the 4 characters before it): a line, a table
# cell, a sentence, a list item, a quotation or a heading begins.
_OPENING = re.compile(r"(?:[\n|]|[.!?:;•\-–—]\s|[\"“‘(#]|\d\.\s)\s*$")


@functools.cache
def _known() -> dict[str, tuple[str, str]]:
    return {
        row["name"].casefold(): (row["type"], row["kind"]) for row in read_csv("known_kinds.csv")
    }


def known_kind(surface: str) -> str | None:
    """The type a name of the curated list has ("Twitter" → ORG, "Windows" → PRODUCT)."""
    found = _known().get(" ".join(surface.split()).casefold())
    return found[0] if found else None


def brand_product(surface: str) -> bool:
    """Whether a name of several words begins with a known brand ("Google Cloud")."""
    words = surface.split()
    return len(words) > 1 and known_kind(words[0]) == "ORG"


def kind_cue(body: str, start: int, end: int, label: str) -> str | None:
    """The type the words around a mention give a platform or product, if any."""
    after = body[end : end + 20]
    before = body[max(0, start - 12) : start]
    if _DEVICE_AFTER.match(after) and _PRODUCT_BEFORE.search(before):
        return "PRODUCT"  # "an Android phone"
    if _PRODUCT_AFTER.match(after):
        return "ORG"  # "Twitter users", "Netflix's app", "the Spotify app"
    if label == "PERSON" and " " not in body[start:end] and _ON_BEFORE.search(before):
        return "ORG"  # a person is not "on" anything the way one is "on Reddit"
    return None


def is_common_noun(body: str, start: int, end: int) -> bool:
    """Whether the text at [start, end) is a common noun, not a name (module docstring)."""
    text = body[start:end]
    if text.casefold() in common_words():
        return True
    if not text.isupper() and text.casefold() in _FUNCTION_WORDS:
        return True
    if _ACRONYM.match(text):
        return _used_as_noun(body, text)
    if " " in text or not text[:1].isupper() or text.isupper() or not text[1:].islower():
        return False
    if known_kind(text) is not None:
        return False
    return _lower_case_too(body, text) and _capitalised_only_at_openings(body, text)


def _used_as_noun(body: str, acronym: str) -> bool:
    # "APIs", "GPUs"; not "a BBC reporter", which an organisation's name also takes
    return acronym + "s" in _words(body)


def _lower_case_too(body: str, word: str) -> bool:
    return word.lower() in _words(body)


def _capitalised_only_at_openings(body: str, word: str) -> bool:
    for start in _words(body).get(word, ()):
        before = body[max(0, start - 4) : start]
        if start and not _OPENING.search(before) and not _AFTER_NAME_WORD.search(before):
            return False
    return True


@functools.lru_cache(maxsize=2)
def _words(body: str) -> dict[str, list[int]]:
    """Where each word of a body starts (one pass per body: its spans ask many times)."""
    found: dict[str, list[int]] = {}
    for match in _WORD.finditer(body):
        found.setdefault(match.group(), []).append(match.start())
    return found


@functools.cache
def common_words() -> frozenset[str]:
    """The words of `not_entities.csv`: no name on their own."""
    return frozenset(row["word"] for row in read_csv("not_entities.csv"))
