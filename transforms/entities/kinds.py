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
  one-word name read as a person, or as a people no table knows ("on Debian"), "X users",
  "X's app", "the X app", "an X phone"; "an X" (a thing one has) and "the X" for a full
  name read as a person, when X ends its phrase.
- `product_name_cue`: a name that is software by its own form ("C++", "C#", "F#").

Words the model takes for names are `transforms.entities.commons`'.
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
_INDEFINITE_BEFORE = re.compile(r"(?:^|[^\w])(?:[Aa]|[Aa]n)\s+$")
_THE_BEFORE = re.compile(r"(?:^|[^\w])the\s+$")
# What may follow a name that ends its noun phrase: punctuation, or a word that is no noun.
_WHOLE_PHRASE_AFTER = re.compile(
    r"^(?:\s*[,.;:!?)]|\s*$|\s+(?:and|or|but|is|was|has|had|can|will|with|for|to|in|on|at|"
    r"from|that|which|lets|allows|does|did|are|were)\b)"
)
_LANGUAGE_FORM = re.compile(r"[A-Z][A-Za-z]?(?:\+\+|#)")


@functools.cache
def _known() -> dict[str, tuple[str, str]]:
    return {
        row["name"].casefold(): (row["type"], row["kind"]) for row in read_csv("known_kinds.csv")
    }


def known_kind(surface: str) -> str | None:
    """The type a name of the curated list has ("Twitter" → ORG, "Windows" → PRODUCT)."""
    found = _known().get(" ".join(surface.split()).casefold())
    return found[0] if found else None


def name_kind(surface: str) -> str | None:
    """The type a name has by itself: the curated list's ("Twitter" → ORG), or PRODUCT for a
    programming language's form ("C++", "C#", "F#")."""
    if _LANGUAGE_FORM.fullmatch(surface):
        return "PRODUCT"
    return known_kind(surface)


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
    if _ON_BEFORE.search(before) and _one_of_a_kind(body[start:end], label):
        return "ORG"  # a person, or a people, is not "on" anything as one is "on Reddit"
    if thing_cue(body, start, end) and label != "NORP":
        return "PRODUCT"  # "an Apple Watch", "a Zorblr": a thing one has
    if (
        label == "PERSON"
        and " " in body[start:end]
        and _WHOLE_PHRASE_AFTER.match(after)
        and _THE_BEFORE.search(before)
    ):
        return "ORG"  # "the App Store": no person's full name takes "the"
    return None


def _one_of_a_kind(surface: str, label: str) -> bool:
    """Whether a name the "on X" cue may make a platform: one word read as a person, or as
    a people in the singular (no nationality reaches here: "on Debian", not "on Muslims")."""
    if " " in surface:
        return False
    return label == "PERSON" or (label == "NORP" and not surface.endswith("s"))


def thing_cue(body: str, start: int, end: int) -> bool:
    """Whether "a" or "an" opens a name that ends its noun phrase ("an Apple Watch,"): a
    thing one has, not a company ("a Google search" goes on) or a person."""
    before = body[max(0, start - 12) : start]
    return bool(
        _INDEFINITE_BEFORE.search(before) and _WHOLE_PHRASE_AFTER.match(body[end : end + 20])
    )
