"""Named entities of one article: the model's spans made into mentions of canonical entities.

`extract_mentions(nlp, bodies)` is the flow's one call per batch; it runs the model
(`transforms.entities.spans`) and `canonicalize` on each body. `canonicalize` is a function of
one body and the static tables only, never of the batch or run the article lands in:

1. the article's names are found, each mention with its vote for a type
   (`transforms.entities.mentions`: spans cleaned and cut, titles stripped, sure places
   retyped, datelines and teams, missed repeats), and each name gets the type its mentions
   vote for (`transforms.entities.types`);
2. names that are one entity in the article join (`transforms.entities.resolve`); a place is
   resolved in the context of the countries the article names;
3. each mention gets its entity's id (`transforms.entities.names.entity_id`: GeoNames id for a
   resolved place, else the name), display name and type, and keeps its vote, which the
   entities table sums over every article to decide the entity's one type.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from transforms.entities.french import place_name
from transforms.entities.mentions import FoundName, find_names, supported_state
from transforms.entities.names import (
    PLACE_TYPES,
    display_name,
    entity_id,
    has_company_suffix,
    strip_title_words,
)
from transforms.entities.places import (
    canonical_place_name,
    context_country,
    resolve_place,
    singular_demonym,
    state_of_code,
)
from transforms.entities.resolve import (
    find_root,
    join_acronyms,
    join_people,
    join_same_names,
    join_short_forms,
)
from transforms.entities.rules import acronym_of, defined_acronyms, org_alias_name
from transforms.entities.spans import find_entity_spans
from transforms.entities.types import FRENCH_TYPES, STRONG, WEAK, article_types, name_cue
from transforms.records import EntitySpan, Mention, Place
from transforms.text.sentences import sentence_index, sentence_starts

CanonicalName = Callable[[str, str], str | None]
# The languages the project has an entity model for (`flows.nlp.MODEL_PACKAGES`).
MODEL_LANGUAGES = frozenset({"en", "fr"})
EXTRACTED = "extracted"
NO_MODEL = "no_model_for_language"
DISABLED = "disabled"
ENTITIES_STATUSES = (EXTRACTED, NO_MODEL, DISABLED)


def entities_status(language: str | None, enabled: bool = True) -> str:
    """Whether an article's entities are looked for: only with a model of its language (an
    English model over German text finds "Ich" and "Nein" people). A language the text does
    not tell is taken for English."""
    if not enabled:
        return DISABLED
    return EXTRACTED if model_language(language) else NO_MODEL


def model_language(language: str | None) -> str | None:
    """The language whose model reads an article: its own when the project has one, English
    when the text does not tell, else None."""
    if language is None:
        return "en"
    return language if language in MODEL_LANGUAGES else None


def extract_mentions(
    nlp: Any, bodies: Sequence[str], language: str = "en"
) -> list[tuple[Mention, ...]]:
    """The mentions of each body (all in `language`, read by `nlp`, that language's model):
    the model over the batch, then `canonicalize` per body."""
    spans = find_entity_spans(nlp, bodies)
    return [
        tuple(canonicalize(b, s, language=language)) for b, s in zip(bodies, spans, strict=True)
    ]


def project_types(spans: Iterable[EntitySpan], language: str) -> list[EntitySpan]:
    """A model's spans with the project's types: the French model's labels mapped
    (`FRENCH_TYPES`); the English model's are the project's own."""
    if language != "fr":
        return list(spans)
    return [replace(s, label=FRENCH_TYPES.get(s.label, s.label)) for s in spans]


def place_display_name(surface: str, entity_type: str) -> str | None:
    """The gazetteer's display name for a place ("DPRK" → "North Korea"), else None (a US
    state's code too: "LA" is Laos or Louisiana as its article resolves it)."""
    if entity_type not in PLACE_TYPES or state_of_code(surface) is not None:
        return None
    return canonical_place_name(surface)


def canonicalize(
    body: str,
    spans: Iterable[EntitySpan],
    canonical_name: CanonicalName | None = None,
    language: str = "en",
) -> list[Mention]:
    """Mentions of canonical entities from the model's raw spans over one article body in
    `language` (English or French: the model's labels are mapped to the project's types).

    `canonical_name(surface, type)` may override a place's display name; by default the
    gazetteer's is used. The result depends on this body and the static tables only.
    """
    items = find_names(body, project_types(spans, language), language)
    kinds = article_types((i.key, i.vote) for i in items)
    starts = sentence_starts(body)
    places = _resolve_places(body, items, kinds, language)
    parent = _join(body, items, kinds, places, language)
    names = _display_names(items, kinds, parent, places, canonical_name, language)
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


def _resolve_places(
    body: str, items: Sequence[FoundName], kinds: dict[str, str], language: str
) -> dict[str, Place]:
    """The place each place-typed name of the article resolves to, in the context of the
    countries the article's other names tell for sure ("Atlanta" makes Georgia the state);
    a US state's code is the state where the article supports it (`supported_state`); a
    French article's country names are the gazetteer's (`french.place_name`)."""
    surfaces = {
        i.key: place_name(i.surface, language) for i in items if kinds[i.key] in PLACE_TYPES
    }
    tells = {
        i.key: country
        for i in items
        if kinds[i.key] in PLACE_TYPES | {"NORP"}
        and (country := context_country(place_name(i.surface, language)))
    }
    names = {i.surface for i in items}
    states = {
        i.key: state
        for i in items
        if (state := supported_state(body, i.span.start_char, i.surface, names)) is not None
    }
    places = {}
    for key, surface in surfaces.items():
        context = {country for other, country in tells.items() if other != key}
        place = states.get(key) or resolve_place(surface, context)
        if place is not None:
            places[key] = place
    return places


def _join(
    body: str,
    items: Sequence[FoundName],
    kinds: dict[str, str],
    places: dict[str, Place],
    language: str,
) -> dict[str, str]:
    """Map each name key to the key of the name it joins in this article."""
    parent = join_people(k for k, t in kinds.items() if t == "PERSON")
    aliased = {i.key for i in items if kinds[i.key] == "ORG" and org_alias_name(i.surface)}
    orgs = {i.surface: i.key for i in items if kinds[i.key] == "ORG"}
    spans = [i.span for i in items]
    # a place's acronym spells its initials ("DRC"); "San Francisco (SFO)" names its airport
    defined = {
        acronym: items[index].key
        for acronym, index in defined_acronyms(body, spans).items()
        if kinds[items[index].key] != "PERSON"
        and (
            kinds[items[index].key] not in PLACE_TYPES
            or acronym.replace(".", "") == acronym_of(items[index].surface)
        )
    }
    for short, full in join_acronyms(orgs, defined, aliased).items():
        if short in kinds and kinds[short] != "PERSON":
            parent.setdefault(short, full)
            kinds[short] = kinds[full]
    # a company by its name: its English head words ("... Group") in English, else its
    # legal form alone (`types.mention_vote`)
    companies = {
        i.key
        for i in items
        if kinds[i.key] == "ORG"
        and (name_cue(i.surface) == "ORG" if language == "en" else has_company_suffix(i.surface))
    }
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
    items: Sequence[FoundName],
    kinds: dict[str, str],
    parent: dict[str, str],
    places: dict[str, Place],
    canonical_name: CanonicalName | None,
    language: str,
) -> dict[str, str]:
    """The display name of each root: the gazetteer's, alias table's or demonym table's
    (a people by its adjective: "Americans" is "American"), else its best surface."""
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    first_seen: dict[str, int] = {}
    known: dict[str, str] = {}
    for index, item in enumerate(items):
        root = find_root(parent, item.key)
        kind = kinds[item.key]
        given = canonical_name(item.surface, kind) if canonical_name else None
        place = places.get(item.key) if kind in PLACE_TYPES else None
        alias = org_alias_name(item.surface) if kind == "ORG" else None
        people = singular_demonym(item.surface) if kind == "NORP" else None
        name = given or (place.canonical_name if place else None) or alias or people
        if name:
            known.setdefault(root, name)
        if root != item.key:
            continue
        form = strip_title_words(item.surface, language)
        forms[root][form] += 1
        first_seen.setdefault(form, index)
    names = {root: display_name(counter, first_seen) for root, counter in forms.items()}
    for item in items:  # a root seen only through the names that join it
        root = find_root(parent, item.key)
        names.setdefault(root, strip_title_words(item.surface, language))
    names.update(known)
    return names
