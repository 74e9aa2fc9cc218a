"""Corpus rules: the entities table folded from every batch's rows, one type per entity.

`fold_entity_rows` gives one row per entity id: the type its votes decide (over every
article of every batch: `transforms.entities.types.corpus_type`), the name most of its
articles give it, the place of the first row in a fixed order, the earliest
`first_seen_at`, every alias. `link_names` then links, over the whole table, a name that
says less to the one full name it can only mean (`same_as`); a one-word ORG that only the
model calls so, and that a person's own mentions use alone, is read as that surname and
takes the person's type; `spelling_links` links a plain spelling to the deliberate one
("Hubspot" → "HubSpot") when it is the rarer. All depend on the set of rows and votes only,
never on their order, so a run killed and rerun folds to the table of one clean run.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from transforms.entities.names import PLACE_TYPES, has_inner_capital, name_key
from transforms.entities.types import CUE, corpus_type

PLACE_COLUMNS = ("country_code", "geonames_id", "latitude", "longitude")
_INITIAL = re.compile(r"^[a-z]\.?$")


def fold_entity_rows(
    rows: Iterable[Mapping[str, Any]],
    votes: Mapping[str, Iterable[tuple[str, str, float]]],
    names: Mapping[str, Mapping[str, int]] | None = None,
) -> list[dict[str, Any]]:
    """One row per entity_id (sorted by id), typed by its votes ((type, evidence, weight) per
    article: `transforms.entities.types.corpus_type`; its rows' type if it has none), named
    by the name most of its articles give it (`names`: entity → name → articles; ties and
    entities without: `name_rank`), with `same_as` recomputed over all the rows
    (`link_names`, `spelling_links`)."""
    kept: dict[str, dict[str, Any]] = {}
    aliases: dict[str, set[str]] = defaultdict(set)
    for row in sorted(rows, key=_fold_order):
        key = row["entity_id"]
        if key not in kept:
            kept[key] = dict(row)
        entity = kept[key]
        aliases[key].update(row.get("aliases") or ())
        entity["first_seen_at"] = min(entity["first_seen_at"], row["first_seen_at"])
        if _unplaced(entity) and not _unplaced(row):  # the place columns travel together
            entity.update({column: row[column] for column in PLACE_COLUMNS})
    named = names or {}
    for key, entity in kept.items():
        entity["type"] = corpus_type(votes.get(key, ()), fallback=entity["type"])
        if named.get(key):
            entity["name"] = most_frequent_name(named[key])
    misread = _misread_surnames(kept, aliases, votes)
    same_as = link_names(
        (key, "PERSON" if key in misread else e["type"], e["name"]) for key, e in kept.items()
    )
    for key in misread & same_as.keys():
        kept[key]["type"] = "PERSON"  # a surname takes its full name's type
    same_as.update(
        spelling_links(
            (key, e["name"], sum(named.get(key, {}).values()))
            for key, e in kept.items()
            if e.get("geonames_id") is None
        )
    )
    return [
        dict(e, aliases=sorted(aliases[key]), same_as=same_as.get(key))
        for key, e in sorted(kept.items())
    ]


def _misread_surnames(
    kept: Mapping[str, Mapping[str, Any]],
    aliases: Mapping[str, set[str]],
    votes: Mapping[str, Iterable[tuple[str, str, float]]],
) -> set[str]:
    """One-word ORG entities that may be a person's surname the model misread ("Trump" an
    ORG beside "Donald Trump"): only the model's labels say ORG (no cue in any article, and
    no article where it reads the word as a place: "Ferguson" the town is no footballer's
    surname), and some person's mentions already use the word alone (one of their aliases)."""
    used_alone = {
        word
        for e in kept.values()
        if e["type"] == "PERSON" and len(name_key(e["name"]).split()) > 1
        for word in aliases[e["entity_id"]]
        if " " not in word
    }
    return {
        key
        for key, e in kept.items()
        if e["type"] == "ORG"
        and e["name"] in used_alone
        and not any(
            evidence == CUE or kind in PLACE_TYPES for kind, evidence, _ in votes.get(key, ())
        )
    }


def link_names(entities: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """Corpus-level rule: a PERSON name that says less joins the one full name it can mean.

    `entities` are (entity_id, type, name) rows of the whole table. A name without middle
    initials ("George Bush") joins the one name that adds only initials ("George W. Bush");
    then a one-word name ("Bush") joins the one full name (counting those joined as one)
    ending with it. A surname two full names share ("Hollis" for Wade and Ada Hollis) links
    nowhere; only the last word counts, so "Kim" (first word of Kim Jong-un) links nowhere.
    Nor does a one-word name the table also holds as a place: the word names the town in
    this corpus too ("Ferguson" for the events in Ferguson, Missouri, not Ego Ferguson).
    """
    rows = list(entities)
    people = {e: name_key(n).split() for e, kind, n in rows if kind == "PERSON"}
    places = {name_key(n) for _, kind, n in rows if kind in PLACE_TYPES}
    by_bare: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for entity, words in people.items():
        if len(words) > 1:
            by_bare[tuple(w for w in words if not _INITIAL.match(w))].add(entity)
    links: dict[str, str] = {}
    for entity, words in people.items():
        bare = tuple(words)
        if len(bare) > 1 and bare == tuple(w for w in words if not _INITIAL.match(w)):
            fuller = by_bare.get(bare, set()) - {entity}
            if len(fuller) == 1:
                links[entity] = next(iter(fuller))
    full_names: dict[str, set[str]] = defaultdict(set)
    for entity, words in people.items():
        if len(words) > 1:
            full_names[words[-1]].add(links.get(entity, entity))
    for entity, words in people.items():
        if len(words) == 1 and words[0] not in places:
            targets = full_names.get(words[0], set())
            if len(targets) == 1:
                links[entity] = next(iter(targets))
    return dict(sorted(links.items()))


def most_frequent_name(articles: Mapping[str, int]) -> str:
    """The name most articles give an entity (`articles`: name → articles); a tie goes by
    `name_rank`."""
    return min(articles, key=lambda name: (-articles[name], *name_rank(name)))


def spelling_links(entities: Iterable[tuple[str, str, int]]) -> dict[str, str]:
    """Corpus-level rule: a plain spelling of a name joins the one deliberate spelling of it
    (a capital inside a word: `names.id_key`) that more articles use ("Hubspot" in one
    article → "HubSpot" in nine). A deliberate spelling rarer than the plain one is another
    name ("ReAct", a prompting technique in one article, beside "React", a JavaScript library
    in ten): the two stay apart. `entities` are (entity_id, name, articles) rows."""
    groups: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for entity, name, articles in entities:
        groups[name_key(name)].append((entity, name, articles))
    links: dict[str, str] = {}
    for members in groups.values():
        deliberate = [m for m in members if has_inner_capital(m[1])]
        if len(deliberate) != 1:
            continue
        target, _, most = deliberate[0]
        for entity, name, articles in members:
            if not has_inner_capital(name) and articles < most:
                links[entity] = target
    return dict(sorted(links.items()))


def name_rank(name: str) -> tuple[bool, str]:
    """How a display name ranks against another of the same entity (lowest wins): mixed
    case before ALL CAPS, then by name."""
    return (name.isupper(), name)


def _fold_order(row: Mapping[str, Any]) -> tuple[object, ...]:
    # A total order that ignores time and batches: the first row of an entity gives its name
    # and place (by `name_rank`, then resolved places by GeoNames id), so folding is
    # associative and a merge depends on the set of rows only.
    geonames_id = row.get("geonames_id")
    return (row["entity_id"], *name_rank(str(row["name"])), geonames_id is None, geonames_id or 0)


def _unplaced(row: Mapping[str, Any]) -> bool:
    return all(row.get(column) is None for column in PLACE_COLUMNS)
