"""Named entities of one article: the model's spans made into mentions of canonical entities.

`extract_mentions(nlp, bodies)` is the flow's one call per batch; it runs the model
(`transforms.entity_spans`) and `canonicalize` on each body. `canonicalize` is a function of
one body and the static tables only, never of the batch or run the article lands in:

1. spans cleaned and cut, titles stripped, sure places and demonyms retyped
   (`transforms.entity_rules`), names the line layout shows added (datelines, teams:
   `transforms.entity_lines`), missed repeats of the article's names added;
2. each mention votes for a type (`transforms.entity_types`), and each name of the article
   gets the type its mentions vote for;
3. names that are one entity in the article join (`transforms.entity_resolve`); a place is
   resolved in the context of the countries the article names;
4. each mention gets its entity's id (`transforms.entity_names.entity_id`: GeoNames id for a
   resolved place, else the name), display name and type, and keeps its vote, which the
   entities table sums over every article to decide the entity's one type.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from transforms.entity_lines import DATELINE, find_datelines, find_team_names
from transforms.entity_names import (
    PLACE_TYPES,
    display_name,
    entity_id,
    has_company_suffix,
    name_key,
    person_words,
    strip_title_words,
)
from transforms.entity_resolve import (
    find_root,
    join_acronyms,
    join_people,
    join_same_names,
    join_short_forms,
)
from transforms.entity_rules import (
    defined_acronyms,
    find_repeats,
    org_alias_name,
    retype_places,
    strip_titles,
)
from transforms.entity_spans import clean_spans, find_entity_spans
from transforms.entity_types import (
    COUNTRY,
    MINOR_PLACE,
    PLACE,
    STRONG,
    WEAK,
    decide_type,
    mention_vote,
    name_cue,
)
from transforms.places import (
    canonical_place_name,
    context_country,
    is_country,
    is_demonym,
    place_label,
    resolve_place,
)
from transforms.records import EntitySpan, Mention, Place
from transforms.sentences import sentence_index, sentence_starts

CanonicalName = Callable[[str, str], str | None]


@dataclass(frozen=True, slots=True)
class _Item:
    """One mention being canonicalised: its span (label = working type) and evidence."""

    span: EntitySpan
    surface: str
    key: str
    raw_label: str
    vote: tuple[str, float] = ("", 0.0)


def extract_mentions(nlp: Any, bodies: Sequence[str]) -> list[tuple[Mention, ...]]:
    """The mentions of each body: the model over the batch, then `canonicalize` per body."""
    spans = find_entity_spans(nlp, bodies)
    return [tuple(canonicalize(b, s)) for b, s in zip(bodies, spans, strict=True)]


def place_display_name(surface: str, entity_type: str) -> str | None:
    """The gazetteer's display name for a place ("DPRK" → "North Korea"), else None."""
    if entity_type not in PLACE_TYPES:
        return None
    return canonical_place_name(surface)


def canonicalize(
    body: str, spans: Iterable[EntitySpan], canonical_name: CanonicalName | None = None
) -> list[Mention]:
    """Mentions of canonical entities from the model's raw spans over one article body.

    `canonical_name(surface, type)` may override a place's display name; by default the
    gazetteer's is used. The result depends on this body and the static tables only.
    """
    items = _voted(body, _with_repeats(body, _with_lines(body, _cleaned(body, spans))))
    kinds = _article_types(items)
    starts = sentence_starts(body)
    places = _resolve_places(items, kinds)
    parent = _join(body, items, kinds, places)
    names = _display_names(items, kinds, parent, places, canonical_name)
    mentions = []
    for item in items:
        root = find_root(parent, item.key)
        kind = kinds[root]
        place = places.get(root) if kind in PLACE_TYPES else None
        name = names[root]
        # A name the article resolves to another (a surname to its full name) is that
        # entity: its label alone is no evidence against the article's reading.
        vote = item.vote if item.vote[1] > WEAK or root == item.key else (kind, WEAK)
        mentions.append(
            Mention(
                entity_id=entity_id(kind, name, place.geonames_id if place else None),
                canonical_name=name,
                entity_type=kind,
                surface=item.surface,
                start_char=item.span.start_char,
                end_char=item.span.end_char,
                sentence_index=sentence_index(starts, item.span.start_char),
                label=item.raw_label,
                vote_type=vote[0],
                vote_weight=vote[1],
                place=place,
            )
        )
    return mentions


def _cleaned(body: str, spans: Iterable[EntitySpan]) -> list[_Item]:
    trimmed = [strip_titles(body, s) for s in clean_spans(body, spans)]
    persons = person_words(
        name_key(body[s.start_char : s.end_char]) for s in trimmed if s.label == "PERSON"
    )
    items = []
    for span in trimmed:
        surface = body[span.start_char : span.end_char]
        label = retype_places(surface, span.label, persons)
        items.append(_Item(replace(span, label=label), surface, name_key(surface), span.label))
    return items


def _with_lines(body: str, items: list[_Item]) -> list[_Item]:
    """Items with datelines and team names: the line's name replaces what overlaps it."""
    found = find_datelines(body) + find_team_names(body)
    if not found:
        return items
    persons = person_words(i.key for i in items if i.span.label == "PERSON")
    kept = list(items)
    for start, end, role in found:
        overlapping = [i for i in kept if i.span.start_char < end and start < i.span.end_char]
        surface = body[start:end]
        kind = "GPE" if role == DATELINE or is_country(surface) else "ORG"
        if kind == "ORG" and _looks_like_person(surface, overlapping, persons):
            continue
        raw = overlapping[0].raw_label if overlapping else kind
        kept = [i for i in kept if i not in overlapping]
        span = EntitySpan(start, end, kind)
        kept.append(_Item(span, surface, name_key(surface), raw, (kind, STRONG)))
    return sorted(kept, key=lambda i: i.span.start_char)


def _looks_like_person(surface: str, overlapping: list[_Item], persons: frozenset[str]) -> bool:
    if name_key(surface) in persons:
        return True
    return any(i.span.label == "PERSON" and len(i.surface.split()) > 1 for i in overlapping)


def _with_repeats(body: str, items: list[_Item]) -> list[_Item]:
    """Items plus the other occurrences of the article's names and its people's surnames."""
    forms: dict[str, str] = {}
    for item in items:
        forms.setdefault(item.surface, item.span.label)
    for item in items:
        words = item.surface.split()
        if item.span.label == "PERSON" and len(words) > 1:
            forms.setdefault(words[-1], "PERSON")
    taken = [(i.span.start_char, i.span.end_char) for i in items]
    added = []
    for start, end, kind in find_repeats(body, forms, taken):
        surface = body[start:end]
        added.append(_Item(EntitySpan(start, end, kind), surface, name_key(surface), kind))
    return sorted([*items, *added], key=lambda i: i.span.start_char)


def _voted(body: str, items: list[_Item]) -> list[_Item]:
    """Each item with its vote: a line rule's or demonym's strongly, else its cues' or label's."""
    voted = []
    for item in items:
        if item.vote[1]:
            voted.append(item)
            continue
        label = item.span.label
        start, end = item.span.start_char, item.span.end_char
        if is_demonym(item.surface) and label in PLACE_TYPES | {"NORP"}:
            vote = ("NORP", STRONG)
        elif label == "NORP":
            vote = ("NORP", WEAK)
        else:
            vote = mention_vote(body, start, end, label, _gazetteer(item.surface))
        voted.append(replace(item, vote=vote))
    return voted


def _gazetteer(surface: str) -> str | None:
    if place_label(surface) is None:
        return MINOR_PLACE if resolve_place(surface) is not None else None
    return COUNTRY if is_country(surface) else PLACE


def _article_types(items: Sequence[_Item]) -> dict[str, str]:
    """One type per name of the article: what its mentions vote for.

    A one-word name that begins or ends a full person name of the article is that person,
    unless a cue says otherwise ("Pirelli shares" next to a "Pirelli Cables" read as a name).
    """
    votes: dict[str, dict[str, float]] = defaultdict(dict)
    for item in items:
        kind, weight = item.vote
        votes[item.key][kind] = votes[item.key].get(kind, 0.0) + weight
    types = {key: decide_type(v) for key, v in votes.items()}
    persons = person_words(k for k, t in types.items() if t == "PERSON")
    sure = {i.key for i in items if i.vote[1] > WEAK and i.vote[0] != "PERSON"}
    for key, kind in types.items():
        if kind != "PERSON" and key in persons and " " not in key and key not in sure:
            types[key] = "PERSON"
    return types


def _resolve_places(items: Sequence[_Item], kinds: dict[str, str]) -> dict[str, Place]:
    """The place each place-typed name of the article resolves to, in the context of the
    countries the article's other names tell for sure ("Atlanta" makes Georgia the state)."""
    surfaces = {i.key: i.surface for i in items if kinds[i.key] in PLACE_TYPES}
    tells = {
        i.key: country
        for i in items
        if kinds[i.key] in PLACE_TYPES | {"NORP"} and (country := context_country(i.surface))
    }
    places = {}
    for key, surface in surfaces.items():
        context = {country for other, country in tells.items() if other != key}
        place = resolve_place(surface, context)
        if place is not None:
            places[key] = place
    return places


def _join(
    body: str, items: Sequence[_Item], kinds: dict[str, str], places: dict[str, Place]
) -> dict[str, str]:
    """Map each name key to the key of the name it joins in this article."""
    parent = join_people(k for k, t in kinds.items() if t == "PERSON")
    aliased = {i.key for i in items if kinds[i.key] == "ORG" and org_alias_name(i.surface)}
    orgs = {i.surface: i.key for i in items if kinds[i.key] == "ORG"}
    spans = [i.span for i in items]
    defined = {
        acronym: items[index].key
        for acronym, index in defined_acronyms(body, spans).items()
        if kinds[items[index].key] != "PERSON"
    }
    for short, full in join_acronyms(orgs, defined, aliased).items():
        if short in kinds and kinds[short] != "PERSON":
            parent.setdefault(short, full)
            kinds[short] = kinds[full]
    companies = {i.key for i in items if kinds[i.key] == "ORG" and name_cue(i.surface) == "ORG"}
    said_person = {i.key for i in items if i.vote == ("PERSON", STRONG)}
    shorts = {k for k, t in kinds.items() if t in ("ORG", "PERSON") and k not in said_person}
    # a company named with its own legal form ("Pirelli SpA") is no short form of another
    own_form = {i.key for i in items if has_company_suffix(i.surface)}
    for short, full in join_short_forms(shorts - parent.keys() - own_form, companies).items():
        parent.setdefault(short, full)
        kinds[short] = "ORG"
    same: dict[str, tuple[str, str]] = {}
    for item in items:
        if item.key in parent:
            continue
        if item.key in places:
            place = places[item.key]
            same[item.key] = (kinds[item.key], str(place.geonames_id or place.canonical_name))
        elif kinds[item.key] == "ORG" and (alias := org_alias_name(item.surface)):
            same[item.key] = ("ORG", alias)
    parent.update(join_same_names(same))
    return parent


def _display_names(
    items: Sequence[_Item],
    kinds: dict[str, str],
    parent: dict[str, str],
    places: dict[str, Place],
    canonical_name: CanonicalName | None,
) -> dict[str, str]:
    """The display name of each root: the gazetteer's or alias table's, else its best surface."""
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    first_seen: dict[str, int] = {}
    known: dict[str, str] = {}
    for index, item in enumerate(items):
        root = find_root(parent, item.key)
        kind = kinds[item.key]
        given = canonical_name(item.surface, kind) if canonical_name else None
        place = places.get(item.key) if kind in PLACE_TYPES else None
        alias = org_alias_name(item.surface) if kind == "ORG" else None
        name = given or (place.canonical_name if place else None) or alias
        if name:
            known.setdefault(root, name)
        if root != item.key:
            continue
        form = strip_title_words(item.surface)
        forms[root][form] += 1
        first_seen.setdefault(form, index)
    names = {root: display_name(counter, first_seen) for root, counter in forms.items()}
    for item in items:  # a root seen only through the names that join it
        root = find_root(parent, item.key)
        names.setdefault(root, strip_title_words(item.surface))
    names.update(known)
    return names
