"""The names of one article before they are resolved: found, read and voted.

`find_names` takes the model's spans of one body and gives every name the article holds:
the spans cleaned and cut (`transforms.entities.spans`), titles stripped and sure places
retyped (`transforms.entities.rules`), names the line layout shows added or made sure
(datelines, teams: `transforms.entities.lines`), the missed repeats of the article's names
added, and each name's vote for its entity's type (`transforms.entities.types`); a place
written before its state or country ("Ferguson, Mo.", "Broward County, Florida") votes for
a place whatever the model read.

The rules read the article's `language` (English or French, the languages with a model):
titles are each language's; the rules that read English words are English-only, because
their words are English and would misread French ("a Marie" is no "a" opening a thing):
common nouns (`commons`), the product cues ("on X", "an X", "X users") and lists
(`enumerations`: "and", "or"), the cue words around a name (`types.context_cue`). What reads
no words of a language holds for both: the gazetteer, the curated names (`known_kinds.csv`),
a company's legal form, datelines and results lines (layout), the repeats of a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Set
from dataclasses import dataclass, replace

from transforms.entities.commons import is_common_noun
from transforms.entities.enumerations import listed_kinds
from transforms.entities.french import french_label, french_span, place_name
from transforms.entities.kinds import MISREAD, brand_product, kind_cue, name_kind, thing_cue
from transforms.entities.lines import DATELINE, find_datelines, find_team_names
from transforms.entities.names import PLACE_TYPES, name_key, person_words
from transforms.entities.places import (
    code_country,
    context_country,
    is_country,
    is_demonym,
    place_label,
    region_after,
    resolve_place,
    state_of_code,
)
from transforms.entities.rules import find_repeats, retype_places, strip_titles
from transforms.entities.spans import clean_spans, is_common_word
from transforms.entities.types import COUNTRY, MINOR_PLACE, PLACE, STRONG, WEAK, mention_vote
from transforms.records import EntitySpan, Place

_FIGURE_BEFORE = re.compile(r"\d\s?$")
# The last word of a name of a place below a state ("Broward County", "Orleans Parish").
_DIVISION_HEADS = frozenset({"county", "parish", "borough", "township"})
_CITY_BEFORE = re.compile(r"([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}),\s$")


@dataclass(frozen=True, slots=True)
class FoundName:
    """One name found in an article: its span (label: the type the rules read so far), the
    model's own label (or the rule's type for a name the model missed) and its vote."""

    span: EntitySpan
    surface: str
    key: str
    raw_label: str
    vote: tuple[str, float] = ("", 0.0)


def find_names(body: str, spans: Iterable[EntitySpan], language: str = "en") -> list[FoundName]:
    """Every name of one article in `language`, in body order, each with its vote."""
    items = _with_lines(body, _cleaned(body, spans, language), language)
    items = _with_repeats(body, items, language)
    return _voted(body, _place_codes(body, items), language)


def _cleaned(body: str, spans: Iterable[EntitySpan], language: str) -> list[FoundName]:
    """The model's spans cleaned and cut, titles stripped, sure places retyped."""
    cleaned = clean_spans(body, spans, language)
    if language == "fr":
        cleaned = [s for s in (french_span(body, s) for s in cleaned) if s is not None]
    trimmed = [strip_titles(body, s, language) for s in cleaned]
    persons = person_words(
        name_key(body[s.start_char : s.end_char]) for s in trimmed if s.label == "PERSON"
    )
    items = []
    for span in trimmed:
        surface = body[span.start_char : span.end_char]
        label = retype_places(place_name(surface, language), span.label, persons, language)
        if language == "fr":
            label = french_label(surface, label)
        items.append(FoundName(replace(span, label=label), surface, name_key(surface), span.label))
    return items


def _place_codes(body: str, items: list[FoundName]) -> list[FoundName]:
    """Items without the bare codes the article does not support as places.

    A US state's postal code after a US place ("Austin, TX") is that state, surely; one in
    an article that names the state in full is a place if the model reads it as one. A code
    that only the ISO tables make a place ("AI", "CA") keeps the model's label when the
    article gives no support (`_code_supported`), and is dropped when that label reads it
    as a place.
    """
    spelled = {
        country
        for i in items
        if not _is_code(i.surface)
        and not is_demonym(i.surface)
        and (country := context_country(i.surface))
    }
    names = {i.surface for i in items}
    kept = []
    for item in items:
        code = code_country(item.surface)
        state = supported_state(body, item.span.start_char, item.surface, names)
        if state is not None and after_place_of(body, item.span.start_char, "US"):
            kept.append(replace(item, span=replace(item.span, label="GPE"), vote=("GPE", STRONG)))
        elif state is not None and item.span.label in PLACE_TYPES:
            kept.append(item)  # "movers in NY" where the article names New York
        elif code is None or _code_supported(body, item.span.start_char, code, spelled):
            kept.append(item)
        elif item.raw_label not in PLACE_TYPES:
            kept.append(replace(item, span=replace(item.span, label=item.raw_label)))
    return kept


def supported_state(body: str, start: int, surface: str, names: Set[str]) -> Place | None:
    """The US state a postal code at `start` names where the article supports it: a US place
    right before it ("Austin, TX"), or the state's name among the article's `names`."""
    state = state_of_code(surface)
    if state is None or not (after_place_of(body, start, "US") or state.canonical_name in names):
        return None
    return state


def after_place_of(body: str, start: int, country: str) -> bool:
    """Whether a place of `country` comes right before, with a comma ("Austin, TX")."""
    city = _CITY_BEFORE.search(body, max(0, start - 40), start)
    place = resolve_place(city.group(1), {country}) if city else None
    return place is not None and place.country_code == country


def _is_code(surface: str) -> bool:
    letters = surface.replace(".", "").replace(" ", "")
    return len(letters) <= 3 and letters.isupper()


def _code_supported(body: str, start: int, country: str, spelled: set[str]) -> bool:
    """Whether the article supports reading a bare code as its country: the country or one
    of its places is spelled out in the article, and the code is no unit after a figure
    ("15 GB") nor the state after a city of another country ("San Diego, CA")."""
    if country not in spelled:
        return False
    before = body[max(0, start - 40) : start]
    if _FIGURE_BEFORE.search(before):
        return False
    city = _CITY_BEFORE.search(before)
    place = resolve_place(city.group(1)) if city else None
    return place is None or place.country_code == country


def _with_lines(body: str, items: list[FoundName], language: str) -> list[FoundName]:
    """Items with datelines and team names: the line's name replaces what overlaps it."""
    found = find_datelines(body) + find_team_names(body)
    if not found:
        return items
    persons = person_words(i.key for i in items if i.span.label == "PERSON")
    kept = list(items)
    for start, end, role in found:
        overlapping = [i for i in kept if i.span.start_char < end and start < i.span.end_char]
        surface = body[start:end]
        if is_common_word(surface, language):
            continue
        kind = "GPE" if role == DATELINE or is_country(surface) else "ORG"
        if kind == "ORG" and _looks_like_person(surface, overlapping, persons):
            continue
        raw = overlapping[0].raw_label if overlapping else kind
        kept = [i for i in kept if i not in overlapping]
        span = EntitySpan(start, end, kind)
        kept.append(FoundName(span, surface, name_key(surface), raw, (kind, STRONG)))
    return sorted(kept, key=lambda i: i.span.start_char)


def _looks_like_person(surface: str, overlapping: list[FoundName], persons: frozenset[str]) -> bool:
    if name_key(surface) in persons:
        return True
    return any(i.span.label == "PERSON" and len(i.surface.split()) > 1 for i in overlapping)


def _with_repeats(body: str, items: list[FoundName], language: str) -> list[FoundName]:
    """Items plus the other occurrences of the article's names and its people's surnames,
    none where the article uses the word as a common noun (`is_common_noun`)."""
    forms: dict[str, str] = {}
    for item in items:
        forms.setdefault(item.surface, item.span.label)
    for item in items:
        words = item.surface.split()
        if item.span.label == "PERSON" and len(words) > 1:
            forms.setdefault(words[-1], "PERSON")
    taken = [(i.span.start_char, i.span.end_char) for i in items]
    added = []
    for start, end, kind in find_repeats(body, forms, taken, language):
        if is_common_noun(body, start, end, kind, language):
            continue  # "Code coverage ...": a surname's word as the common word it also is
        surface = body[start:end]
        added.append(FoundName(EntitySpan(start, end, kind), surface, name_key(surface), kind))
    return sorted([*items, *added], key=lambda i: i.span.start_char)


def _voted(body: str, items: list[FoundName], language: str) -> list[FoundName]:
    """Each item with its vote: a line rule's or demonym's strongly, else its cues' or label's;
    a name no cue types takes the kind its list's known members tell (lists and product
    cues read English words: English only)."""
    english = language == "en"
    listed = listed_kinds(body, [i.span for i in items], name_kind) if english else {}
    companies = _companies(items)
    # a county the article places once ("Broward County, Florida") is that place throughout
    counties = {
        i.key
        for i in items
        if english
        and i.surface.split()[-1].casefold() in _DIVISION_HEADS
        and _placed(body, i.span.end_char, i.surface, None)
    }
    voted = []
    for index, item in enumerate(items):
        if item.vote[1]:
            voted.append(item)
            continue
        label = item.span.label
        start, end = item.span.start_char, item.span.end_char
        gazetteer = _gazetteer(item.surface)
        if is_demonym(item.surface) and label in PLACE_TYPES | {"NORP"}:
            vote = ("NORP", STRONG)
        elif item.key in counties or (english and _placed(body, end, item.surface, gazetteer)):
            vote = ("GPE", STRONG)
        elif kind := name_kind(item.surface) or (
            _product_cue(body, start, end, label, companies) if english else None
        ):
            vote = (kind, STRONG)
        elif label == "NORP":
            # a people's word the tables do not know, listed with software: software
            # ("Debian or Ubuntu"); a nationality never takes a list's kind
            kind = listed.get(index)
            fits = kind is not None and _listed_kind_fits(item, kind, gazetteer)
            vote = (kind, STRONG) if kind and fits else ("NORP", WEAK)
        else:
            vote = mention_vote(body, start, end, label, gazetteer, english)
            kind = listed.get(index)
            if vote[1] == WEAK and kind and _listed_kind_fits(item, kind, gazetteer):
                vote = (kind, STRONG)
        voted.append(replace(item, vote=vote))
    return voted


def _placed(body: str, end: int, surface: str, gazetteer: str | None) -> bool:
    """Whether a place is named before the state or country it lies in (`region_after`:
    "Ferguson, Mo.", "Broward County, Florida", "Osoyoos, British Columbia"): one the
    gazetteer knows in that country, or a county, parish or borough."""
    words = surface.split()
    if gazetteer is None and (len(words) < 2 or words[-1].casefold() not in _DIVISION_HEADS):
        return False
    country = region_after(body, end)
    if country is None:
        return False
    place = resolve_place(surface, {country}) if gazetteer else None
    return gazetteer is None or (place is not None and place.country_code == country)


def _listed_kind_fits(item: FoundName, kind: str, gazetteer: str | None) -> bool:
    """Whether a list's kind may type a name: never a sure place or a nationality, a full
    person name only PRODUCT; PRODUCT also a name read as an ORG."""
    if gazetteer in (COUNTRY, PLACE) or is_demonym(item.surface):
        return False
    label = item.span.label
    if label == "PERSON" and " " in item.surface and kind != "PRODUCT":
        return False  # "Google, Meta and Mark Zuckerberg"; software lists name no people
    return label in MISREAD or (label == "ORG" and kind == "PRODUCT")


def _product_cue(body: str, start: int, end: int, label: str, companies: Set[str]) -> str | None:
    """A platform's or product's type for a name the model reads as a person or place (an
    ORG: "an X" only), never for a place the gazetteer is sure of ("Texas users").
    `companies`: the keys of the one-word names the article's model reads as companies."""
    if label not in MISREAD:
        return "PRODUCT" if label == "ORG" and thing_cue(body, start, end) else None
    surface = body[start:end]
    if place_label(surface) is not None:
        return None
    if brand_product(surface) or (
        label == "PERSON" and " " in surface and name_key(surface.split()[0]) in companies
    ):
        return "PRODUCT"  # "Google Cloud"; "Apple Pay" where the article names Apple alone
    return kind_cue(body, start, end, label)


def _companies(items: list[FoundName]) -> set[str]:
    """The one-word names the article's model reads as a company at least twice and never as
    a person ("Apple"): a person's name does not begin with one ("Apple Pay" is its product;
    "Wang", read ORG four times and PERSON once beside "Wang Donghai", is a surname)."""
    labels: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for item in items:
        if " " not in item.key:
            labels.setdefault(item.key, set()).add(item.raw_label)
            counts[item.key] = counts.get(item.key, 0) + (item.raw_label == "ORG")
    return {key for key, seen in labels.items() if "PERSON" not in seen and counts[key] >= 2}


def _gazetteer(surface: str) -> str | None:
    if place_label(surface) is None:
        return MINOR_PLACE if resolve_place(surface) is not None else None
    return COUNTRY if is_country(surface) else PLACE
