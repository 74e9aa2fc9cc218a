"""The wider cast of a real-size article: more people, bodies and places than its identity.

Real news names many more people, organisations and places per hundred words than the
default bodies do (see `bench.generate.realism`); a real-size article adds this cast, drawn
from its own seeded stream so the identity, and the default corpus, stay as they were.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from random import Random
from typing import TypeVar

from bench.generate.identity import (
    STREAM_CAST,
    Identity,
    Person,
    cities_of,
    draw_person,
    seeded_rng,
)
from bench.generate.vocabulary import (
    COMPANIES,
    COUNTRIES,
    INSTITUTES,
    ORGS,
    Company,
    Country,
    Institute,
    Organisation,
)

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Cast:
    """Four more people, a second body of each kind, a third country and two more cities."""

    people: tuple[Person, Person, Person, Person]
    org: Organisation
    company: Company
    institute: Institute
    country: Country
    city: str  # another city of the article's country
    city_abroad: str  # a city of the third country


def _other(rng: Random, choices: Sequence[_T], *taken: _T) -> _T:
    """One of `choices` that is none of `taken`."""
    return rng.choice([c for c in choices if c not in taken])


def make_cast(seed: int, index: int, ident: Identity) -> Cast:
    """The wider cast of article `index`, around its identity."""
    rng = seeded_rng(seed, index, STREAM_CAST)
    org = _other(rng, ORGS, ident.org)
    company = _other(rng, COMPANIES, ident.company)
    institute = _other(rng, INSTITUTES, ident.institute)
    country = _other(rng, COUNTRIES, ident.country, ident.country2)
    city = _other(rng, cities_of(ident.country), ident.city)
    city_abroad = rng.choice(cities_of(country))
    group = rng.choice(ident.topic.groups)
    people = (
        draw_person(rng, "", "", f"a spokesperson for {org.full}"),
        draw_person(rng, "", "", f"chief executive of {company.full}"),
        draw_person(rng, "", "", f"a former {ident.country.demonym} ambassador to {country.name}"),
        draw_person(
            rng,
            *rng.choice(
                (
                    ("opposition leader", "", ""),
                    (f"{city} Mayor", "Mayor", ""),
                    ("", "", f"a lawmaker from {city}"),
                    ("", "", f"who represents {group} in {city}"),
                )
            ),
        ),
    )
    return Cast(people, org, company, institute, country, city, city_abroad)
