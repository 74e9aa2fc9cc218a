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

This module is where evidence becomes a type, at each level:

- a mention: `mention_vote` (a cue's type with `STRONG`, else the model's label with `WEAK`);
- an article: `article_types` sums its mentions' votes per name (`decide_type`), a lone
  first or last name of a person of the article being that person (`transforms.entities.article`);
- the corpus (a batch's staged rows, the whole entities table): `vote_rows` turns an
  article's mentions into its vote rows (the one representation of votes, stored under
  `_entity_votes/`: article, entity, type, evidence, weight), and `corpus_type` decides over
  them. There the model counts as one source, however often it repeats one guess: its
  labels weigh `WEAK` each but `MODEL_SOURCE` at most in all, shared by the types in
  proportion to how often it said each, while each cue adds `STRONG` (a vote stored before
  evidence was recorded counts as the model's). Two cues outvote a model that never
  wavered, however many times it said so; a model split two to one ties with one cue.

The result never depends on the order of the votes.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from transforms.entities.names import (
    COMPANY_SUFFIXES,
    has_company_suffix,
    is_title,
    person_words,
)
from transforms.entities.static import read_csv

# Whole numbers, so that sums of votes are exact whatever order they are added in.
WEAK = 1.0
STRONG = 4.0
MODEL_SOURCE = 6.0  # what the model's labels of an entity weigh at most, over the corpus
MODEL = "model"  # evidence: the model's label (or the article's reading of a joined name)
CUE = "cue"  # evidence: a cue in the name or around it, a line rule, a curated list
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
    "MISC",  # the French model's label for a name of none of its other types
)
# The French model's labels (WikiNER's PER, ORG, LOC, MISC) in these types. LOC is any place
# there, country, city or mountain alike: it stays LOC, and the gazetteer makes a sure
# country or city GPE as it does for English labels (`rules.retype_places`). MISC holds
# events, works, products and nationalities alike: it stays MISC, no guess among them.
FRENCH_TYPES = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}
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
    body: str,
    start: int,
    end: int,
    label: str,
    gazetteer: str | None = None,
    english: bool = True,
) -> tuple[str, float]:
    """(type, weight) this mention gives its entity: a cue's type strongly, else its label.

    `gazetteer` is what the gazetteer knows the name as: `COUNTRY`, `PLACE` (a big place),
    `MINOR_PLACE` or None. A place's name is no person's or company's by a cue that fits
    places too. The cue words (`type_cues.csv`) are English and end a name as English does
    ("... University"): in another language only a company's legal form is a cue
    ("Renault SA").
    """
    surface = body[start:end]
    if not english:
        return ("ORG", STRONG) if has_company_suffix(surface) else (label, WEAK)
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


def article_types(votes: Iterable[tuple[str, tuple[str, float]]]) -> dict[str, str]:
    """One type per name of an article, from its mentions' (name key, (type, weight)) votes:
    the type they sum to. A one-word name that begins or ends a full person name of the
    article is that person, unless a cue says otherwise ("Pirelli shares" next to a
    "Pirelli Cables" read as a name)."""
    summed: dict[str, dict[str, float]] = defaultdict(dict)
    sure = set()
    for key, (kind, weight) in votes:
        summed[key][kind] = summed[key].get(kind, 0.0) + weight
        if weight > WEAK and kind != "PERSON":
            sure.add(key)
    types = {key: decide_type(v) for key, v in summed.items()}
    persons = person_words(k for k, t in types.items() if t == "PERSON")
    for key, kind in types.items():
        if kind != "PERSON" and key in persons and " " not in key and key not in sure:
            types[key] = "PERSON"
    return types


def decide_type(votes: Mapping[str, float], fallback: str = "ORG") -> str:
    """The type with the most weight; ties go by a fixed order, `fallback` if no votes."""
    if not votes:
        return fallback
    return max(votes, key=lambda t: (votes[t], -_rank(t)))


class Vote(NamedTuple):
    """One article's evidence for one entity's type: a row of `_entity_votes/`
    (`transforms.schema.ENTITY_VOTES_SCHEMA`; `._asdict()` is the stored row)."""

    article_id: str
    entity_id: str
    type: str
    evidence: str  # MODEL | CUE
    weight: float
    name: str  # the entity's display name in this article: the corpus shows the most frequent


def vote_rows(article_id: str, votes: Iterable[tuple[str, str, float, str]]) -> list[Vote]:
    """The votes of one article from its mentions' (entity_id, type, weight, name) votes:
    summed per entity, type and evidence, in a fixed order. The one converter to stored
    votes."""
    totals: dict[tuple[str, str, str], float] = defaultdict(float)
    names: dict[str, str] = {}
    for entity, kind, weight, name in votes:
        names.setdefault(entity, name)  # one display name per entity in an article
        if kind:
            totals[(entity, kind, CUE if weight > WEAK else MODEL)] += weight
    return [Vote(article_id, e, k, v, w, names[e]) for (e, k, v), w in sorted(totals.items())]


def corpus_type(rows: Iterable[tuple[str, str, float]], fallback: str = "ORG") -> str:
    """An entity's one type from its vote rows (type, evidence, weight), one row per article
    and evidence (module docstring): the model one source of bounded weight, each cue a
    vote."""
    cues: dict[str, float] = defaultdict(float)
    model: dict[str, float] = defaultdict(float)
    for kind, evidence, weight in rows:
        if evidence == CUE:
            cues[kind] += weight
        else:
            model[kind] += weight
    said = sum(model.values())
    scores = dict(cues)
    for kind, weight in model.items():
        scores[kind] = scores.get(kind, 0.0) + min(said, MODEL_SOURCE) * weight / said
    return decide_type(scores, fallback)


@functools.cache
def _cues() -> dict[str, str]:
    return {row["word"]: row["cue"] for row in read_csv("type_cues.csv")}


def _rank(kind: str) -> int:
    return ENTITY_TYPES.index(kind) if kind in ENTITY_TYPES else len(ENTITY_TYPES)
