"""Type evidence: what one mention says about its entity's type, and the type votes decide.

Every mention votes for a type with a weight. The model's label (after the span rules) is
weak evidence (`WEAK`); a cue in the name or around it is strong (`STRONG`):

- in the name: a company's legal form ("Lear Corp", "Pirelli SpA"), an organisation's head
  word ("... Party", "Ministry of ...", "... University", "... Agency", "... United");
- before it: a title or honorific ("Mr", "President"), "said" when the name ends the clause
  ("..., said Ana Ruiz."), a person's role ("striker", "spokesman"), an organisation's kind
  ("oil firm", "club", "newspaper"), "shares in";
- after it: a person's role ("Hull striker" makes Hull a team), "shares", a person's age
  (", 42,").

`decide_type` sums the votes: over one article for the article's mentions, and over the
whole table for the entity (`transforms.entities.corpus`). The result never depends on the
order of the votes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from transforms.entities.names import COMPANY_SUFFIXES, is_title
from transforms.entities.static import read_csv

# Whole numbers, so that sums of votes are exact whatever order they are added in.
WEAK = 1.0
STRONG = 4.0
COUNTRY = "country"
PLACE = "place"  # a place big enough for its name to be sure
MINOR_PLACE = "minor place"  # a place the gazetteer knows, among other readings of the name
# The entity types, in order of preference when two have the same weight.
ENTITY_TYPES = (
    "PERSON",
    "ORG",
    "GPE",
    "LOC",
    "NORP",
    "FAC",
    "EVENT",
    "PRODUCT",
    "WORK_OF_ART",
    "LAW",
)
# Cue words, kept as data (`transforms/entities/data/type_cues.csv`, one word and its cue a line):
# org_head (last word of an organisation's name), place_like_head (a head that also ends
# place names: "Union", "City"), org_lead ("Ministry of ..."), team_role (a role before a
# player or after their team: "striker"), person_role (a role before a person or after their
# organisation: "spokesman"), org_kind ("oil firm ..."), person_verb ("said ..."),
# place_kind ("the city of ..."), event_head (last word of an event's name: "Open", "Cup").
_WORD_BEFORE = re.compile(r"([A-Za-z][\w'’-]*)\.?,?\s+$")
_WORD_AFTER = re.compile(r"\s+([a-z]+)\b")
_PLACE_KIND_BEFORE = re.compile(r"\b([a-z]+)\s+of\s+$")
_CLAUSE_END = re.compile(r"\s*(?:[,.;:]|$)")
_AGE = re.compile(r"^,\s+\d{1,2},")
_SHARES_BEFORE = re.compile(r"(?:shares|stake|stakes|holding)\s+(?:in|of)\s+$", re.IGNORECASE)
_SHARES_AFTER = re.compile(r"^(?:['’]s)?\s+(?:shares|stock|share price)\b")


def mention_vote(
    body: str, start: int, end: int, label: str, gazetteer: str | None = None
) -> tuple[str, float]:
    """(type, weight) this mention gives its entity: a cue's type strongly, else its label.

    `gazetteer` is what the gazetteer knows the name as: `COUNTRY`, `PLACE` (a big place),
    `MINOR_PLACE` or None. A place's name is no person's or company's by a cue that fits
    places too.
    """
    surface = body[start:end]
    cue = name_cue(surface, gazetteer) or context_cue(body, start, end, gazetteer)
    return (cue, STRONG) if cue else (label, WEAK)


def name_cue(surface: str, gazetteer: str | None = None) -> str | None:
    """The type the name's own words make sure of, if any."""
    words = surface.replace(",", " ").split()
    if len(words) > 1 and words[-1].rstrip(".").casefold() in COMPANY_SUFFIXES:
        return "ORG"
    if gazetteer in (COUNTRY, PLACE):  # "Russian Federation", "Mexico City"
        return None
    cues = _cues()
    last = cues.get(words[-1].casefold(), "") if len(words) > 1 else ""
    if last == "org_head" or (last == "place_like_head" and gazetteer is None):
        return "ORG"
    if last == "event_head":
        return "EVENT"  # "the Hong Kong Open", "the Fed Cup"
    if len(words) > 2 and cues.get(words[0].casefold()) == "org_lead" and words[1] == "of":
        return "ORG"
    return None


def context_cue(body: str, start: int, end: int, gazetteer: str | None = None) -> str | None:
    """The type the words right around a mention make sure of, if any."""
    before = body[max(0, start - 40) : start]
    after = body[end : end + 30]
    following = _WORD_AFTER.match(after)
    cues = _cues()
    role_after = cues.get(following.group(1)) if following else None
    if role_after == "team_role":
        return "GPE" if gazetteer == COUNTRY else "ORG"  # "Spain captain", "Hull striker"
    if role_after == "person_role" and gazetteer is None:
        return "ORG"  # "Acme chairman"; "a Texas trader" says nothing
    if (kind := _PLACE_KIND_BEFORE.search(before)) and cues.get(kind.group(1)) == "place_kind":
        return "GPE"  # "the city of ...", "the province of ..."
    if gazetteer == COUNTRY:
        return None
    if gazetteer is None and (_SHARES_BEFORE.search(before) or _SHARES_AFTER.match(after)):
        return "ORG"
    previous = _WORD_BEFORE.search(before)
    if previous:
        word = previous.group(1).casefold()
        if is_title(word) or cues.get(word) in ("person_role", "team_role"):
            return "PERSON"
        # "..., said Ana Ruiz." names the speaker; "said Nokia would stay" does not.
        if cues.get(word) == "person_verb" and _CLAUSE_END.match(after):
            return "PERSON"
        if cues.get(word) == "org_kind":
            return "ORG"
    if _AGE.match(after):
        return "PERSON"
    return None


def decide_type(votes: Mapping[str, float], fallback: str = "ORG") -> str:
    """The type with the most weight; ties go by a fixed order, `fallback` if no votes."""
    if not votes:
        return fallback
    return max(votes, key=lambda t: (votes[t], -_rank(t)))


@functools.cache
def _cues() -> dict[str, str]:
    return {row["word"]: row["cue"] for row in read_csv("type_cues.csv")}


def _rank(kind: str) -> int:
    return ENTITY_TYPES.index(kind) if kind in ENTITY_TYPES else len(ENTITY_TYPES)
