"""Article identity: what an article is about, cheap to compute for any index.

Every random choice comes from a generator seeded by `(seed, article index, stream)`, so
any file can be rendered alone, in any process, and still give the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from random import Random
from typing import TypeVar

from bench.generate.vocabulary import (
    COMPANIES,
    COUNTRIES,
    FIRST_F,
    FIRST_M,
    HEADLINE_SMALL_WORDS,
    INSTITUTES,
    ORGS,
    SURNAMES,
    TOPICS,
    Company,
    Country,
    Institute,
    Organisation,
    Topic,
)

_T = TypeVar("_T")

STREAM_HEAD, STREAM_BODY, STREAM_PAGE, STREAM_DUP, STREAM_BAD, STREAM_CAST = range(6)
_EPOCH = datetime(2019, 1, 1, tzinfo=UTC)
_SPAN_DAYS = 6 * 365


@dataclass(frozen=True, slots=True)
class Person:
    """Someone an article quotes or names."""

    first: str
    last: str
    female: bool
    title: str  # e.g. "Finance Minister"; "" for people introduced by a description
    short_title: str  # e.g. "Minister", "Professor", ""
    desc: str  # appositive for people without a title


@dataclass(frozen=True, slots=True)
class Identity:
    """Who and where an article is about, when it was published, and its headline slots."""

    topic: Topic
    country: Country
    country2: Country
    city: str
    city2: str
    people: tuple[Person, Person, Person]  # the main actor, an expert, another voice
    org: Organisation
    company: Company
    institute: Institute
    published: datetime
    authors: tuple[str, ...]
    headline_slots: Mapping[str, str]


class _Random(Random):
    """`random.Random` with cheaper `choice` and `randint` (one C call instead of several)."""

    def choice(self, seq: Sequence[_T]) -> _T:  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))


def seeded_rng(seed: int, index: int, stream: int) -> Random:
    """A private generator for one (article, purpose): independent of every other draw."""
    return _Random((seed * 1_000_003 + index) * 8 + stream)


def draw_person(rng: Random, title: str, short_title: str, desc: str) -> Person:
    """A person of either sex with a name from the vocabulary."""
    female = rng.random() < 0.5
    first = rng.choice(FIRST_F if female else FIRST_M)
    return Person(first, rng.choice(SURNAMES), female, title, short_title, desc)


def cities_of(country: Country) -> tuple[str, ...]:
    """The capital, then the other cities of a country."""
    return (country.capital, *country.cities)


def make_identity(seed: int, index: int) -> Identity:
    """The identity of article `index` (also drawn for indices past the corpus)."""
    rng = seeded_rng(seed, index, STREAM_HEAD)
    topic = rng.choice(TOPICS)
    country = rng.choice(COUNTRIES)
    country2 = rng.choice(COUNTRIES)
    while country2 is country:
        country2 = rng.choice(COUNTRIES)
    city = rng.choice(cities_of(country))
    city2 = rng.choice(cities_of(country2))
    leader = rng.choice(
        (
            ("President", "President"),
            ("Prime Minister", "Prime Minister"),
            (topic.minister, "Minister"),
            (topic.minister, "Minister"),
            (f"{city} Mayor", "Mayor"),
        )
    )
    main = draw_person(rng, leader[0], leader[1], "")
    institute = rng.choice(INSTITUTES)
    company = rng.choice(COMPANIES)
    expert = _draw_expert(rng, topic, country, institute)
    voice = draw_person(
        rng,
        "",
        "",
        rng.choice(
            (
                f"who heads the {city} chamber of commerce",
                f"a spokesperson for the {country.demonym} interior ministry",
                f"a community organiser in {city}",
                f"chief executive of {company.full}",
                f"a researcher who has studied {rng.choice(topic.issues)} for a decade",
            )
        ),
    )
    published = _EPOCH + timedelta(
        days=rng.randrange(_SPAN_DAYS), minutes=rng.randrange(6 * 60, 22 * 60)
    )
    n_authors = 1 if rng.random() < 0.75 else 2
    authors = tuple(
        f"{rng.choice(FIRST_F + FIRST_M)} {rng.choice(SURNAMES)}" for _ in range(n_authors)
    )
    money = f"{country.currency}{rng.randint(2, 95)}{rng.choice(('bn', 'm'))}"
    slots = {
        "Country": country.short,
        "Country2": country2.short,
        "City": city,
        "City2": city2,
        "Capital": country.capital,
        "Dem": country.demonym,
        "Sur": main.last,
        "Org": (org := rng.choice(ORGS)).acronym,
        "Company": company.short,
        "issue": rng.choice(topic.issues),
        "measure": rng.choice(topic.measures),
        "groups": rng.choice(topic.groups),
        "pct_short": f"{rng.randint(5, 95) / 10:.1f}%",
        "money_short": money,
        "year": str(published.year - rng.randint(1, 25)),
        "template": rng.choice(topic.headlines),
    }
    return Identity(
        topic,
        country,
        country2,
        city,
        city2,
        (main, expert, voice),
        org,
        company,
        institute,
        published,
        authors,
        slots,
    )


def _draw_expert(rng: Random, topic: Topic, country: Country, institute: Institute) -> Person:
    """An academic, an analyst or a company economist, introduced by what they do."""
    expert_kind = rng.randrange(3)
    if expert_kind == 0:
        return draw_person(
            rng,
            "",
            "Professor",
            f"a professor of {rng.choice(topic.fields)} at the University of "
            f"{rng.choice(cities_of(country))}",
        )
    if expert_kind == 1:
        return draw_person(rng, "", "", f"a senior analyst at {institute.full}")
    return draw_person(rng, "", "", f"chief economist at {rng.choice(COMPANIES).full}")


def render_headline(slots: Mapping[str, str], template: str, title_case: bool) -> str:
    """A headline from a template, in title case for the publishers that use it."""
    text = template.format_map(slots)
    text = text[0].upper() + text[1:]
    if not title_case:
        return text
    words = text.split(" ")
    return " ".join(
        w if (k and w in HEADLINE_SMALL_WORDS) or not w[0].islower() else w[0].upper() + w[1:]
        for k, w in enumerate(words)
    )


def slugify(text: str) -> str:
    """The first seven words of `text` as a URL slug."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return "-".join(slug.split("-")[:7]) or "article"
