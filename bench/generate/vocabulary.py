"""The generator's vocabulary, read from `vocabulary/*.json` once at import.

All text is invented; only places and international bodies are real. The order of every
list is part of the output: a seeded draw picks by position, so reordering or adding an
entry changes the corpus a seed gives.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

_DATA = Path(__file__).resolve().parent / "vocabulary"


@dataclass(frozen=True, slots=True)
class Site:
    """A made-up publisher and its house style."""

    key: str  # folder name
    name: str
    format: str
    domain: str
    chrome: tuple[str, str] = ("", "")
    title_case: bool = True
    curly: bool = True
    honorific_dot: bool = False
    mdy: bool = False
    per_cent: bool = True
    crlf: bool = False
    dateline: bool = False


class Country(NamedTuple):
    """A country as articles name it."""

    name: str  # with its article where English uses one ("the United Kingdom")
    short: str  # for headlines ("UK")
    demonym: str
    capital: str
    cities: tuple[str, ...]  # other cities than the capital
    currency: str  # symbol printed before amounts


class Organisation(NamedTuple):
    """An international body: full name, acronym for headlines, later reference."""

    full: str
    acronym: str
    later: str


class Company(NamedTuple):
    """An invented company: full name, then its short name."""

    full: str
    short: str


class Institute(NamedTuple):
    """An invented research body: full name, then its acronym."""

    full: str
    acronym: str


@dataclass(frozen=True, slots=True)
class Topic:
    """A news beat: who speaks for it, what it is about, its quotes and headline templates."""

    key: str
    minister: str
    issues: tuple[str, ...]
    measures: tuple[str, ...]
    sectors: tuple[str, ...]
    groups: tuple[str, ...]
    fields: tuple[str, ...]
    quotes: tuple[str, ...]
    headlines: tuple[str, ...]


def _load(name: str) -> Any:
    """The parsed content of one vocabulary file."""
    with open(_DATA / f"{name}.json", encoding="utf-8") as fh:
        return json.load(fh)


def _tuples(row: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON object with its lists turned into tuples (the dataclasses are frozen)."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}


def _strings(group: Mapping[str, list[str]], key: str) -> tuple[str, ...]:
    """One list of strings from a vocabulary file."""
    return tuple(group[key])


SITES_IN_ORDER: tuple[Site, ...] = tuple(Site(**_tuples(row)) for row in _load("sites"))
SITES_BY_FORMAT: Mapping[str, tuple[Site, ...]] = {
    fmt: tuple(s for s in SITES_IN_ORDER if s.format == fmt)
    for fmt in ("text_page", "plain_text", "html")
}
SITES: Mapping[str, Site] = {s.key: s for s in SITES_IN_ORDER}

COUNTRIES: tuple[Country, ...] = tuple(Country(**_tuples(row)) for row in _load("countries"))

_people = _load("people")
FIRST_F: tuple[str, ...] = _strings(_people, "female")
FIRST_M: tuple[str, ...] = _strings(_people, "male")
SURNAMES: tuple[str, ...] = _strings(_people, "surnames")

_bodies = _load("organisations")
ORGS: tuple[Organisation, ...] = tuple(Organisation(**r) for r in _bodies["international"])
COMPANIES: tuple[Company, ...] = tuple(Company(**r) for r in _bodies["companies"])
INSTITUTES: tuple[Institute, ...] = tuple(Institute(**r) for r in _bodies["institutes"])

TOPICS: tuple[Topic, ...] = tuple(Topic(**_tuples(row)) for row in _load("topics"))

_sentences = _load("sentences")
LEDES: tuple[str, ...] = _strings(_sentences, "ledes")
CORES: tuple[str, ...] = _strings(_sentences, "cores")
QUOTE_CORES: tuple[str, ...] = _strings(_sentences, "quote_cores")
LEADINS: tuple[str, ...] = _strings(_sentences, "leadins")
TAILS: tuple[str, ...] = _strings(_sentences, "tails")
GENERIC_QUOTES: tuple[str, ...] = _strings(_sentences, "generic_quotes")
COMMENTS: tuple[str, ...] = _strings(_sentences, "comments")
# sentences naming the wider cast, written only in real-size articles
CAST_CORES: tuple[str, ...] = _strings(_sentences, "cast_cores")
CAST_QUOTE_CORES: tuple[str, ...] = _strings(_sentences, "cast_quote_cores")

_words = _load("words")
URL_HOSTS: tuple[str, ...] = _strings(_words, "url_hosts")
MENU: tuple[str, ...] = _strings(_words, "menu")
ORDINALS: tuple[str, ...] = _strings(_words, "ordinals")
WEEKDAYS: tuple[str, ...] = _strings(_words, "weekdays")
MONTHS: tuple[str, ...] = _strings(_words, "months")
HEADLINE_SMALL_WORDS: frozenset[str] = frozenset(_words["headline_small_words"])
