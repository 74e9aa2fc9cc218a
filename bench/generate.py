"""Seeded generator of a realistic raw news corpus for the newsetl benchmark (issue 7).

`generate_corpus(out, n, seed)` writes `n` files under `out`: site text pages, plain
articles, HTML pages, gzipped copies of each, sidecars, duplicates and broken inputs, in
several encodings and nested folders. The same arguments always give the same bytes: every
random choice comes from a `random.Random` seeded by `(seed, article index, stream)`, so the
work can be split across processes without changing a byte.

Command line: `python bench/generate.py --n 10000 --out /tmp/corpus [--seed 0]
[--bad-share 0.02] [--dup-share 0.05] [--workers 2] [--manifest truth.jsonl]`.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import re
import sys
import time
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from random import Random
from typing import TypeVar

_T = TypeVar("_T")

# --------------------------------------------------------------------------------------
# Public result types
# --------------------------------------------------------------------------------------

ORIGINAL_KINDS: tuple[str, ...] = ("text_page", "plain_text", "html", "gzip")
DUPLICATE_KINDS: tuple[str, ...] = ("dup_exact", "dup_retitled", "dup_near")
BAD_KINDS: tuple[str, ...] = (
    "empty",
    "binary_png",
    "nul_text",
    "undecodable",
    "truncated_gzip",
    "gzip_bomb",
    "chrome_only",
)
KIND_SHARES: Mapping[str, float] = {
    "text_page": 0.45,
    "plain_text": 0.25,
    "html": 0.25,
    "gzip": 0.05,
}
_DUP_SHARES: Mapping[str, float] = {"dup_exact": 0.4, "dup_retitled": 0.25, "dup_near": 0.35}


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One written input file and the truth about it (what a perfect pipeline should find)."""

    index: int
    path: str  # relative to the corpus root, POSIX separators
    kind: str  # one of ORIGINAL_KINDS, DUPLICATE_KINDS or "bad"
    format: str  # text_page | plain_text | html (inner format for gzip and duplicates)
    site: str
    encoding: str  # utf-8 | utf-8-sig | utf-16 | cp1252 | binary
    gzipped: bool
    duplicate_of: str | None = None  # path of the original for duplicates
    bad_kind: str | None = None
    sidecar: str | None = None  # path of NAME.meta.json when one was written


@dataclass(frozen=True)
class CorpusStats:
    """Counts of what `generate_corpus` wrote; `kinds` counts every file exactly once."""

    n: int
    kinds: Mapping[str, int]
    formats: Mapping[str, int]
    bad_kinds: Mapping[str, int]
    encodings: Mapping[str, int]
    sidecars: int
    records: tuple[FileRecord, ...] = field(repr=False, default=())

    def to_dict(self) -> dict[str, object]:
        """The counts as plain JSON-able data (without the per-file records)."""
        return {
            "n": self.n,
            "kinds": dict(self.kinds),
            "formats": dict(self.formats),
            "bad_kinds": dict(self.bad_kinds),
            "encodings": dict(self.encodings),
            "sidecars": self.sidecars,
        }


# --------------------------------------------------------------------------------------
# Sites
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Site:
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


_TEXT_SITES: tuple[_Site, ...] = (
    _Site(
        "meridian-daily",
        "The Meridian Daily",
        "text_page",
        "www.meridiandaily.news",
        ("No time to read?", "Get a summary"),
    ),
    _Site(
        "harbour-post",
        "The Harbour Post",
        "text_page",
        "harbourpost.co.uk",
        ("Listen to this story", "Share this article"),
        title_case=False,
    ),
    _Site(
        "northgate-herald",
        "Northgate Herald",
        "text_page",
        "www.northgateherald.com",
        ("Advertisement", "Sign up for our newsletter"),
        curly=False,
        honorific_dot=True,
        mdy=True,
        per_cent=False,
        crlf=True,
    ),
    _Site(
        "tidewater-tribune",
        "Tidewater Tribune",
        "text_page",
        "tidewatertribune.net",
        ("Save for later", "Print this page"),
        title_case=False,
        mdy=True,
    ),
)
_PLAIN_SITES: tuple[_Site, ...] = (
    _Site(
        "wire-archive",
        "Meridian Wire",
        "plain_text",
        "wire.meridian-agency.org",
        title_case=False,
        dateline=True,
    ),
    _Site(
        "newsroom-dump",
        "Newsroom Dump",
        "plain_text",
        "newsroom.example.net",
        curly=False,
        honorific_dot=True,
        mdy=True,
        per_cent=False,
    ),
    _Site("cc-sample", "Common Crawl sample", "plain_text", "news.cc-sample.org"),
)
_HTML_SITES: tuple[_Site, ...] = (
    _Site("continentalwire.net", "Continental Wire", "html", "www.continentalwire.net"),
    _Site(
        "saltmarshgazette.co.uk",
        "The Saltmarsh Gazette",
        "html",
        "www.saltmarshgazette.co.uk",
        title_case=False,
    ),
    _Site(
        "kilimanjaro-ledger.co.ke",
        "Kilimanjaro Ledger",
        "html",
        "news.kilimanjaro-ledger.co.ke",
        curly=False,
        honorific_dot=True,
        mdy=True,
        per_cent=False,
    ),
)
_SITES_BY_FORMAT: Mapping[str, tuple[_Site, ...]] = {
    "text_page": _TEXT_SITES,
    "plain_text": _PLAIN_SITES,
    "html": _HTML_SITES,
}
_SITES: Mapping[str, _Site] = {s.key: s for s in (*_TEXT_SITES, *_PLAIN_SITES, *_HTML_SITES)}

# --------------------------------------------------------------------------------------
# Vocabularies (all invented text; real places and international bodies only)
# --------------------------------------------------------------------------------------

# (name, short name for headlines, demonym, capital, other cities, currency symbol)
_COUNTRIES: tuple[tuple[str, str, str, str, tuple[str, ...], str], ...] = (
    ("France", "France", "French", "Paris", ("Lyon", "Marseille", "Toulouse"), "€"),
    ("Japan", "Japan", "Japanese", "Tokyo", ("Osaka", "Nagoya", "Sapporo"), "$"),
    ("Brazil", "Brazil", "Brazilian", "Brasília", ("São Paulo", "Rio de Janeiro", "Recife"), "$"),
    ("Kenya", "Kenya", "Kenyan", "Nairobi", ("Mombasa", "Kisumu", "Nakuru"), "$"),
    ("Germany", "Germany", "German", "Berlin", ("Hamburg", "Munich", "Cologne"), "€"),
    ("India", "India", "Indian", "New Delhi", ("Mumbai", "Bengaluru", "Chennai"), "$"),
    ("Mexico", "Mexico", "Mexican", "Mexico City", ("Guadalajara", "Monterrey", "Puebla"), "$"),
    ("Canada", "Canada", "Canadian", "Ottawa", ("Toronto", "Montréal", "Vancouver"), "$"),
    ("Australia", "Australia", "Australian", "Canberra", ("Sydney", "Melbourne", "Perth"), "$"),
    ("Egypt", "Egypt", "Egyptian", "Cairo", ("Alexandria", "Giza", "Aswan"), "$"),
    ("Nigeria", "Nigeria", "Nigerian", "Abuja", ("Lagos", "Kano", "Ibadan"), "$"),
    (
        "South Africa",
        "South Africa",
        "South African",
        "Pretoria",
        ("Johannesburg", "Cape Town", "Durban"),
        "$",
    ),
    ("Argentina", "Argentina", "Argentine", "Buenos Aires", ("Córdoba", "Rosario", "Mendoza"), "$"),
    ("Spain", "Spain", "Spanish", "Madrid", ("Barcelona", "Valencia", "Seville"), "€"),
    ("Italy", "Italy", "Italian", "Rome", ("Milan", "Naples", "Turin"), "€"),
    ("Turkey", "Turkey", "Turkish", "Ankara", ("Istanbul", "Izmir", "Antalya"), "$"),
    ("Indonesia", "Indonesia", "Indonesian", "Jakarta", ("Surabaya", "Bandung", "Medan"), "$"),
    ("Vietnam", "Vietnam", "Vietnamese", "Hanoi", ("Ho Chi Minh City", "Da Nang", "Hue"), "$"),
    ("South Korea", "South Korea", "South Korean", "Seoul", ("Busan", "Incheon", "Daegu"), "$"),
    ("Poland", "Poland", "Polish", "Warsaw", ("Kraków", "Wrocław", "Gdańsk"), "€"),
    ("Sweden", "Sweden", "Swedish", "Stockholm", ("Gothenburg", "Malmö", "Uppsala"), "€"),
    ("Norway", "Norway", "Norwegian", "Oslo", ("Bergen", "Trondheim", "Tromsø"), "€"),
    ("Chile", "Chile", "Chilean", "Santiago", ("Valparaíso", "Concepción", "Antofagasta"), "$"),
    ("Colombia", "Colombia", "Colombian", "Bogotá", ("Medellín", "Cali", "Cartagena"), "$"),
    ("Peru", "Peru", "Peruvian", "Lima", ("Arequipa", "Cusco", "Trujillo"), "$"),
    ("Morocco", "Morocco", "Moroccan", "Rabat", ("Casablanca", "Marrakesh", "Fez"), "$"),
    ("Ghana", "Ghana", "Ghanaian", "Accra", ("Kumasi", "Tamale", "Takoradi"), "$"),
    ("Ethiopia", "Ethiopia", "Ethiopian", "Addis Ababa", ("Dire Dawa", "Mekelle", "Gondar"), "$"),
    ("Pakistan", "Pakistan", "Pakistani", "Islamabad", ("Karachi", "Lahore", "Peshawar"), "$"),
    ("Thailand", "Thailand", "Thai", "Bangkok", ("Chiang Mai", "Phuket", "Khon Kaen"), "$"),
    ("the Philippines", "Philippines", "Filipino", "Manila", ("Cebu", "Davao", "Quezon City"), "$"),
    ("the United Kingdom", "UK", "British", "London", ("Manchester", "Glasgow", "Cardiff"), "£"),
    (
        "the United States",
        "US",
        "American",
        "Washington",
        ("New York", "Chicago", "Los Angeles"),
        "$",
    ),
    ("Portugal", "Portugal", "Portuguese", "Lisbon", ("Porto", "Coimbra", "Faro"), "€"),
    ("Greece", "Greece", "Greek", "Athens", ("Thessaloniki", "Patras", "Heraklion"), "€"),
    ("Switzerland", "Switzerland", "Swiss", "Bern", ("Zürich", "Geneva", "Basel"), "€"),
    ("North Korea", "North Korea", "North Korean", "Pyongyang", ("Wonsan", "Kaesong"), "$"),
    ("Senegal", "Senegal", "Senegalese", "Dakar", ("Thiès", "Saint-Louis", "Touba"), "$"),
)

_FIRST_F: tuple[str, ...] = (
    "Amara",
    "Sofia",
    "Mei",
    "Chiara",
    "Ingrid",
    "Fatima",
    "Lucía",
    "Aiko",
    "Nadia",
    "Renée",
    "Zoë",
    "Priya",
    "Olga",
    "Hannah",
    "Leila",
    "Grace",
    "Camila",
    "Yasmin",
    "Elif",
    "Marta",
    "Siobhan",
    "Thandiwe",
    "Keiko",
    "Astrid",
    "Noémie",
    "Beatriz",
    "Wanjiru",
    "Ama",
    "Isabel",
    "Małgorzata",
)
_FIRST_M: tuple[str, ...] = (
    "Daniel",
    "Kenji",
    "Mateo",
    "Tomasz",
    "Samuel",
    "Omar",
    "Luca",
    "Pierre",
    "Hiroshi",
    "Ahmed",
    "Jonas",
    "Rafael",
    "Kwame",
    "Arjun",
    "Viktor",
    "Emeka",
    "Diego",
    "Henrik",
    "Tariq",
    "Felipe",
    "Andrés",
    "Stefan",
    "Javier",
    "Oluwaseun",
    "Mikael",
    "Rohan",
    "Bruno",
    "Yusuf",
    "Hugo",
    "Joaquín",
)
_SURNAMES: tuple[str, ...] = (
    "Okafor",
    "Tanaka",
    "Moreau",
    "Silva",
    "Kowalski",
    "Haddad",
    "Ferreira",
    "Novak",
    "Lindqvist",
    "Mwangi",
    "Chen",
    "Rossi",
    "Dubois",
    "Nakamura",
    "Fernández",
    "Müller",
    "Sørensen",
    "Osei",
    "Kapoor",
    "Petrov",
    "Adeyemi",
    "García",
    "Johansson",
    "Kariuki",
    "Yilmaz",
    "Costa",
    "O'Brien",
    "van der Berg",
    "Nguyen",
    "Mensah",
    "Schmidt",
    "Lefèvre",
    "Ibáñez",
    "Kruger",
    "Haugen",
    "Rahman",
    "Bianchi",
    "Watanabe",
    "Achieng",
    "Dlamini",
    "Castillo",
    "Brennan",
    "Weiss",
    "Lambert",
    "Okonkwo",
    "Suzuki",
    "Santos",
    "Keller",
    "Hashemi",
    "Varga",
    "Wiśniewski",
    "Diallo",
)

# (full name with article, acronym for headlines, later reference)
_ORGS: tuple[tuple[str, str, str], ...] = (
    ("the World Health Organization", "WHO", "the WHO"),
    ("the International Monetary Fund", "IMF", "the IMF"),
    ("the United Nations", "UN", "the UN"),
    ("the European Union", "EU", "the EU"),
    ("the World Trade Organization", "WTO", "the WTO"),
    ("the Organisation for Economic Co-operation and Development", "OECD", "the OECD"),
    ("the International Energy Agency", "IEA", "the IEA"),
    ("the African Union", "AU", "the AU"),
    ("the Food and Agriculture Organization", "FAO", "the FAO"),
    ("the International Labour Organization", "ILO", "the ILO"),
    ("the North Atlantic Treaty Organization", "NATO", "NATO"),
    ("the Association of Southeast Asian Nations", "ASEAN", "ASEAN"),
    ("the European Central Bank", "ECB", "the ECB"),
    ("Médecins Sans Frontières", "MSF", "MSF"),
    ("the United Nations Children's Fund", "UNICEF", "UNICEF"),
    ("the International Committee of the Red Cross", "ICRC", "the ICRC"),
)
# invented companies: (full, short)
_COMPANIES: tuple[tuple[str, str], ...] = (
    ("Kestrel Energy Holdings", "Kestrel"),
    ("Northwind Logistics", "Northwind"),
    ("Baobab Telecom", "Baobab"),
    ("Halvorsen Maritime Group", "Halvorsen"),
    ("Sunfield Agritech", "Sunfield"),
    ("Meridian Pharmaceuticals", "Meridian Pharma"),
    ("Arcadia Motors", "Arcadia"),
    ("Lumen Semiconductor", "Lumen"),
    ("Banco Ribeira", "Ribeira"),
    ("Tessaly Systems", "Tessaly"),
    ("Cordillera Mining Corporation", "Cordillera"),
    ("Bluewater Shipping", "Bluewater"),
    ("Orchid Foods International", "Orchid Foods"),
    ("Quillon Networks", "Quillon"),
)
# invented research bodies: (full, acronym)
_INSTITUTES: tuple[tuple[str, str], ...] = (
    ("the Atlantic Policy Forum", "APF"),
    ("the Centre for Urban Resilience", "CUR"),
    ("the Global Water Observatory", "GWO"),
    ("the Pacific Energy Research Council", "PERC"),
    ("the Institute for Rural Development Studies", "IRDS"),
    ("the Southern Trade Monitor", "STM"),
    ("the Open Health Data Initiative", "OHDI"),
)


@dataclass(frozen=True, slots=True)
class _Topic:
    key: str
    minister: str
    issues: tuple[str, ...]
    measures: tuple[str, ...]
    sectors: tuple[str, ...]
    groups: tuple[str, ...]
    fields: tuple[str, ...]
    quotes: tuple[str, ...]
    headlines: tuple[str, ...]


_TOPICS: tuple[_Topic, ...] = (
    _Topic(
        "economy",
        "Finance Minister",
        (
            "rising food prices",
            "the cost of borrowing",
            "the weakening currency",
            "youth unemployment",
            "the budget deficit",
            "stubborn inflation",
        ),
        (
            "a temporary cut in fuel duty",
            "the new tax on imports",
            "an increase in the minimum wage",
            "the stimulus package",
            "a freeze on public-sector hiring",
        ),
        ("manufacturing", "retail", "construction", "services", "tourism"),
        ("households", "small businesses", "pensioners", "factory workers", "first-time buyers"),
        ("economics", "public finance"),
        (
            "We cannot ask families to carry this burden alone",
            "The numbers are moving in the right direction, but slowly",
            "Nobody should pretend there is a painless way out of this",
            "Businesses need certainty, and this plan gives them very little",
            "Every month of delay makes the adjustment more expensive",
            "Our priority is to protect the people with the least room to manoeuvre",
        ),
        (
            "{Country} raises interest rates as {issue} bites",
            "{Org} cuts {Country} growth forecast to {pct_short}",
            "{Sur} unveils {money_short} plan to tackle {issue}",
            "{Company} to invest {money_short} in {City}",
            "Prices in {Country} rise at fastest pace since {year}",
            "{City} businesses brace for {measure}",
            "{Dem} parliament backs {measure} after long debate",
            "Why {issue} is worrying economists in {Capital}",
        ),
    ),
    _Topic(
        "diplomacy",
        "Foreign Minister",
        (
            "the border dispute",
            "the stalled trade agreement",
            "electoral reform",
            "the refugee situation",
            "the new security pact",
        ),
        (
            "a ceasefire monitoring mission",
            "the visa agreement",
            "a package of sanctions",
            "the constitutional amendment",
            "the new citizenship rules",
        ),
        ("defence", "foreign trade", "public administration", "the diplomatic service"),
        ("voters", "border communities", "civil servants", "refugees", "opposition lawmakers"),
        ("international relations", "political science"),
        (
            "Dialogue is the only road that leads anywhere",
            "We have been patient, and patience has limits",
            "This agreement is a beginning, not an end",
            "The door remains open, but the next step is theirs",
            "Our neighbours know exactly where we stand",
            "Nobody in this region benefits from another winter of uncertainty",
        ),
        (
            "{Country} and {Country2} agree to resume talks on {issue}",
            "{Sur} heads to {City2} as pressure grows over {issue}",
            "{Org} calls for calm after clashes near {City}",
            "{Dem} leader invites {Country2} counterpart to {Capital}",
            "{Country} recalls ambassador from {Country2}",
            "What {measure} means for {groups}",
            "{Sur} defends {measure} in tense parliamentary session",
            "Talks in {City} end without deal on {issue}",
        ),
    ),
    _Topic(
        "health",
        "Health Minister",
        (
            "the measles outbreak",
            "hospital waiting lists",
            "a shortage of nurses",
            "the rise in dengue cases",
            "antibiotic resistance",
        ),
        (
            "the vaccination campaign",
            "a new screening programme",
            "emergency funding for clinics",
            "the ban on flavoured vapes",
        ),
        ("public health", "pharmaceuticals", "primary care"),
        ("patients", "nurses", "children under five", "rural clinics", "doctors"),
        ("epidemiology", "public health"),
        (
            "The clinics are doing extraordinary work with very little",
            "We are seeing cases we had not seen in a decade",
            "Prevention costs a fraction of what treatment does",
            "Parents deserve clear information, not rumours",
            "The next six weeks will be decisive",
            "Staff are exhausted, and they have been for a long time",
        ),
        (
            "{Org} warns of {issue} in {Country}",
            "{City} hospitals struggle with {issue}",
            "{Country} launches {measure} as cases climb",
            "{Sur} promises {money_short} for {measure}",
            "{Company} wins approval for new treatment in {Country}",
            "Doctors in {City} report sharp rise in {issue}",
            "How {Country} cut {issue} by {pct_short}",
        ),
    ),
    _Topic(
        "climate",
        "Energy Minister",
        (
            "the prolonged drought",
            "rising sea levels",
            "air pollution",
            "power shortages",
            "wildfire risk",
        ),
        (
            "the carbon tax",
            "a new solar subsidy",
            "the coal phase-out plan",
            "flood defences along the coast",
            "the ban on single-use plastics",
        ),
        ("renewable energy", "agriculture", "mining", "the power grid"),
        ("farmers", "coastal residents", "energy companies", "fishing communities"),
        ("climate science", "environmental engineering"),
        (
            "The weather we used to call extreme is now simply the weather",
            "Farmers cannot plan a season on promises",
            "The technology exists; what is missing is the money",
            "Every degree we avoid is worth the effort",
            "We are building for the climate our grandchildren will live with",
            "The grid was never designed for this kind of demand",
        ),
        (
            "{Country} bets on {measure} to ease {issue}",
            "{Org} report: {issue} threatens {groups} in {Country}",
            "{Company} opens {money_short} solar plant near {City}",
            "Heatwave pushes {City} power demand to record",
            "{Sur} defends {measure} amid protests in {City}",
            "{Country} misses emissions target for {year}",
            "Drought cuts {Country} harvest by {pct_short}",
        ),
    ),
    _Topic(
        "technology",
        "Digital Affairs Minister",
        (
            "online fraud",
            "data privacy",
            "the chip shortage",
            "misinformation on social media",
            "cyberattacks on hospitals",
        ),
        (
            "the new data protection law",
            "a licensing regime for AI developers",
            "the national broadband plan",
            "age checks for social media",
        ),
        ("telecommunications", "semiconductors", "software", "e-commerce"),
        ("start-ups", "internet users", "app developers", "online shoppers"),
        ("computer science", "information security"),
        (
            "Regulation has to keep pace with what people actually use",
            "The attackers only need to be lucky once",
            "We want investment, but not at the expense of privacy",
            "Small firms should not need a legal department to comply",
            "Connectivity is no longer a luxury",
            "The rules were written for a different internet",
        ),
        (
            "{Country} passes {measure}",
            "{Company} fined {money_short} over {issue}",
            "{Sur} vows crackdown on {issue}",
            "{City} start-ups court investors as {issue} bites",
            "{Org} urges common rules on {issue}",
            "Hackers hit {City} hospital systems",
            "{Company} to build chip plant in {Country}",
        ),
    ),
    _Topic(
        "transport",
        "Transport Minister",
        (
            "traffic congestion",
            "delays on the rail network",
            "the shortage of truck drivers",
            "road safety",
            "airport capacity",
        ),
        (
            "the new metro line",
            "a high-speed rail link",
            "congestion charging",
            "the port expansion",
        ),
        ("logistics", "aviation", "shipping", "public transport"),
        ("commuters", "hauliers", "airline passengers", "taxi drivers"),
        ("transport planning", "civil engineering"),
        (
            "Commuters have waited long enough",
            "A railway is a promise to the next fifty years",
            "We are moving more goods with fewer drivers every year",
            "The port is the front door of the whole economy",
            "Nobody wants to sit in traffic for two hours a day",
            "The timetable is ambitious, but it is achievable",
        ),
        (
            "{City} opens {measure} after years of delay",
            "{Country} signs {money_short} deal for {measure}",
            "{Company} expands routes between {City} and {City2}",
            "{Sur} promises end to {issue}",
            "Strike halts trains across {Country}",
            "{Org} backs {measure} in {Country}",
            "{Capital} commuters face {issue} as works begin",
        ),
    ),
)

_LEDES: tuple[str, ...] = (
    "{A} announced {measure} {when}, saying {issue} had become impossible to ignore.",
    "the government of {country} has approved {measure}, a step {A} described as overdue.",
    "{ORG} has warned that {issue} could affect {num} people in {country} this year.",
    "{A} said {when} that {country} would press ahead with {measure} despite criticism.",
    "{group_cap} in {city} are facing growing uncertainty over {issue}, officials said {when}.",
    "{CO} said {when} it would spend {money} on {sector} in {country} over {small} years.",
)

_CORES: tuple[str, ...] = (
    "{A} said {issue} would remain a priority for the government in the coming months.",
    "{A} told reporters in {capital} that talks with {country2} had made steady progress.",
    "{B} said the figures showed {measure} was beginning to have an effect.",
    "the announcement came after {ORG} published data showing a rise of {pct} in {sector} costs.",
    "{ORG} estimated that {num} people in {country} had been affected by {issue}.",
    "officials in {city} said {measure} would cost about {money} over {small} years.",
    "critics, including {Bo}, argued that {measure} did not go far enough.",
    "the {dem} government has faced growing pressure over {issue} since {year}.",
    "a spokesperson for {CO} declined to comment on the details but said the company was "
    "following the situation closely.",
    "{CO} said it would invest {money} in {sector} in {country} by {future}.",
    "figures released by the statistics office {when} showed {sector} output grew by {pct}.",
    "the full report is available at {url}.",
    "according to {url}, the number of {group} affected rose to {num} last year.",
    "{B} said the data, published at {url}, pointed to a slowdown in {sector}.",
    "{A} is expected to travel to {city2} {when} to discuss {issue} with officials from "
    "{country2}.",
    "delegates from {country2} and {country} agreed to set up a joint working group on {issue}.",
    "{ORG} has urged {country} to speed up {measure}.",
    "residents of {city} have complained for years about {issue}.",
    "local groups representing {group} welcomed the move but warned that the money would take "
    "time to arrive.",
    "the opposition said the plan lacked detail and called on {Ao} to publish a timetable.",
    "{C} said the number of {group} seeking help had almost doubled since {year}.",
    "the {dem} authorities say around {pct} of the budget for {measure} has already been spent.",
    "the latest estimates put the cost of {issue} at roughly {money} a year.",
    "{B} cautioned that the estimates were preliminary and could be revised.",
    "it is the {ordinal} time since {year} that {country} has announced {measure}.",
    "analysts at {INST} said the decision could affect as many as {num} {group}.",
    "{C} said {CO} had been in talks with regulators in {capital} for several months.",
    "a vote on the proposal is scheduled for {when_bare} in {capital}.",
    "protesters gathered outside government buildings in {city} {weekday}, calling for action "
    "on {issue}.",
    "the measure still needs approval from parliament, where the ruling coalition holds a "
    "narrow majority.",
    "{INST} said in a report that {issue} had cost the region about {money} since {year}.",
    "{A} and {Bo} met in {city} {weekday} for what aides described as a constructive meeting.",
    "{B} pointed out that {country2} had faced a similar problem in {year} and had taken "
    "almost a decade to recover.",
    "{ORG} said it would send a team of experts to {capital} before the end of the month.",
    "in {city2}, the reaction was more cautious, with officials saying they would study the plan.",
    "the share of {group} who say they trust the government on {issue} fell to {pct}, a survey "
    "found.",
    "{C} said conditions in {city} had improved slightly but remained difficult for {group}.",
    "{A} has repeatedly said that {measure} will not be reversed.",
    "the central bank in {capital} has kept its benchmark rate at {rate} since {month}.",
    "a similar scheme in {country2} was abandoned after {small} months because of rising costs.",
)

_QUOTE_CORES: tuple[str, ...] = (
    '"{quote}," {A} said.',
    '"{quote}," said {Bo}.',
    '"{quote}," {B} told the {site_name}.',
    '{C} put it more bluntly: "{quote}."',
    '"{quote}," {A} wrote in a post on social media {weekday}.',
)

_LEADINS: tuple[str, ...] = (
    "{when}, ",
    "in {city}, ",
    "meanwhile, ",
    "separately, ",
    "by contrast, ",
    "at the same time, ",
    "in a separate development, ",
)
_GENERIC_QUOTES: tuple[str, ...] = (
    "We will not be rushed into a decision we might regret",
    "This is not the end of the discussion, it is the start of it",
    "People want to see results, not another round of meetings",
    "We have listened, and we have changed the plan accordingly",
    "The details matter more than the headlines",
    "I understand the frustration, and I share it",
    "Nobody I spoke to expected it to happen this quickly",
    "It's a step forward, but a small one",
    "We were told this would be temporary, and here we are",
    "There is still a lot of work to do before anyone can celebrate",
    "The question is not whether, but when",
    "If it works here, others will follow",
)
_TAILS: tuple[str, ...] = (
    ", officials said",
    ", according to local media",
    ", according to figures published at {url}",
    ", a government source said",
    ", the report added",
    ", people familiar with the matter said",
    ", according to a statement from {ORG}",
)
_URL_HOSTS: tuple[str, ...] = (
    "stats.example.org",
    "data.example.int",
    "open.example.gov",
    "research.example.edu",
    "archive.example.net",
    "www.example.org",
)
_COMMENTS: tuple[str, ...] = (
    "Typical. They announce a plan and then nothing happens for three years.",
    "Finally some good news from {city}.",
    "Does anyone know if this applies to people outside {capital}?",
    "The article forgets to mention what happened in {year}.",
    "I live in {city} and I can tell you nobody here has seen a cent of this money.",
    "Good reporting, thank you.",
    "{Sur} says this every year.",
    "Who is going to pay for all of this?",
)
_ORDINALS: tuple[str, ...] = ("second", "third", "fourth", "fifth")
_WEEKDAYS: tuple[str, ...] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
_MONTHS: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_SMALL_WORDS = frozenset(
    (
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "of",
        "on",
        "or",
        "the",
        "to",
        "vs",
        "with",
        "after",
        "over",
        "amid",
        "into",
    )
)
_MENU: tuple[str, ...] = (
    "World",
    "Business",
    "Politics",
    "Health",
    "Climate",
    "Technology",
    "Sport",
    "Opinion",
)
_EPOCH = datetime(2019, 1, 1, tzinfo=UTC)
_SPAN_DAYS = 6 * 365
_NO_BOM_UTF16 = "utf-16-le"

# --------------------------------------------------------------------------------------
# Article identity: what an article is about, cheap to compute for any index
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Person:
    first: str
    last: str
    female: bool
    title: str  # e.g. "Finance Minister"; "" for people introduced by a description
    short_title: str  # e.g. "Minister", "Professor", ""
    desc: str  # appositive for people without a title


@dataclass(frozen=True, slots=True)
class _Identity:
    topic: _Topic
    country: tuple[str, str, str, str, tuple[str, ...], str]
    country2: tuple[str, str, str, str, tuple[str, ...], str]
    city: str
    city2: str
    people: tuple[_Person, _Person, _Person]
    org: tuple[str, str, str]
    company: tuple[str, str]
    institute: tuple[str, str]
    published: datetime
    authors: tuple[str, ...]
    headline_slots: Mapping[str, str]


_STREAM_HEAD, _STREAM_BODY, _STREAM_PAGE, _STREAM_DUP, _STREAM_BAD = range(5)


class _Random(Random):
    """`random.Random` with cheaper `choice` and `randint` (one C call instead of several)."""

    def choice(self, seq: Sequence[_T]) -> _T:  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))


def _rng(seed: int, index: int, stream: int) -> Random:
    """A private generator for one (article, purpose): independent of every other draw."""
    return _Random((seed * 1_000_003 + index) * 8 + stream)


def _person(rng: Random, title: str, short_title: str, desc: str) -> _Person:
    female = rng.random() < 0.5
    first = rng.choice(_FIRST_F if female else _FIRST_M)
    return _Person(first, rng.choice(_SURNAMES), female, title, short_title, desc)


def _make_identity(seed: int, index: int) -> _Identity:
    rng = _rng(seed, index, _STREAM_HEAD)
    topic = rng.choice(_TOPICS)
    country = rng.choice(_COUNTRIES)
    country2 = rng.choice(_COUNTRIES)
    while country2 is country:
        country2 = rng.choice(_COUNTRIES)
    city = rng.choice((country[3], *country[4]))
    city2 = rng.choice((country2[3], *country2[4]))
    leader = rng.choice(
        (
            ("President", "President"),
            ("Prime Minister", "Prime Minister"),
            (topic.minister, "Minister"),
            (topic.minister, "Minister"),
            (f"{city} Mayor", "Mayor"),
        )
    )
    main = _person(rng, leader[0], leader[1], "")
    institute = rng.choice(_INSTITUTES)
    company = rng.choice(_COMPANIES)
    expert_kind = rng.randrange(3)
    if expert_kind == 0:
        expert = _person(
            rng,
            "",
            "Professor",
            f"a professor of {rng.choice(topic.fields)} at the University of "
            f"{rng.choice((country[3], *country[4]))}",
        )
    elif expert_kind == 1:
        expert = _person(rng, "", "", f"a senior analyst at {institute[0]}")
    else:
        expert = _person(rng, "", "", f"chief economist at {rng.choice(_COMPANIES)[0]}")
    voice = _person(
        rng,
        "",
        "",
        rng.choice(
            (
                f"who heads the {city} chamber of commerce",
                f"a spokesperson for the {country[2]} interior ministry",
                f"a community organiser in {city}",
                f"chief executive of {company[0]}",
                f"a researcher who has studied {rng.choice(topic.issues)} for a decade",
            )
        ),
    )
    published = _EPOCH + timedelta(
        days=rng.randrange(_SPAN_DAYS), minutes=rng.randrange(6 * 60, 22 * 60)
    )
    n_authors = 1 if rng.random() < 0.75 else 2
    authors = tuple(
        f"{rng.choice(_FIRST_F + _FIRST_M)} {rng.choice(_SURNAMES)}" for _ in range(n_authors)
    )
    money = f"{country[5]}{rng.randint(2, 95)}{rng.choice(('bn', 'm'))}"
    slots = {
        "Country": country[1],
        "Country2": country2[1],
        "City": city,
        "City2": city2,
        "Capital": country[3],
        "Dem": country[2],
        "Sur": main.last,
        "Org": (org := rng.choice(_ORGS))[1],
        "Company": company[1],
        "issue": rng.choice(topic.issues),
        "measure": rng.choice(topic.measures),
        "groups": rng.choice(topic.groups),
        "pct_short": f"{rng.randint(5, 95) / 10:.1f}%",
        "money_short": money,
        "year": str(published.year - rng.randint(1, 25)),
        "template": rng.choice(topic.headlines),
    }
    return _Identity(
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


def _render_headline(slots: Mapping[str, str], template: str, title_case: bool) -> str:
    text = template.format_map(slots)
    text = text[0].upper() + text[1:]
    if not title_case:
        return text
    words = text.split(" ")
    return " ".join(
        w if (k and w in _SMALL_WORDS) or not w[0].islower() else w[0].upper() + w[1:]
        for k, w in enumerate(words)
    )


def _slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return "-".join(slug.split("-")[:7]) or "article"


# --------------------------------------------------------------------------------------
# Body text
# --------------------------------------------------------------------------------------


class _Slots(dict[str, str]):
    """Template slots filled lazily, so every `{num}` in a sentence draws a fresh number."""

    def __init__(self, writer: _BodyWriter) -> None:
        super().__init__()
        self._writer = writer

    def __missing__(self, key: str) -> str:
        return self._writer.fill(key)


class _BodyWriter:
    """Writes the paragraphs of one article: mentions, numbers and quotes in a house style."""

    def __init__(self, rng: Random, ident: _Identity, site: _Site) -> None:
        self.rng = rng
        self.ident = ident
        self.site = site
        self.seen: set[str] = set()
        self._cores: list[str] = []
        self._quotes = list(ident.topic.quotes + _GENERIC_QUOTES)
        rng.shuffle(self._quotes)
        self._quote_cores = list(_QUOTE_CORES)
        self.slots = _Slots(self)
        t = ident.topic
        c = ident.country
        self._fillers: dict[str, Callable[[], str]] = {
            "A": lambda: self._person_ref(0, subject=True),
            "B": lambda: self._person_ref(1, subject=True),
            "C": lambda: self._person_ref(2, subject=True),
            "Ao": lambda: self._person_ref(0, subject=False),
            "Bo": lambda: self._person_ref(1, subject=False),
            "ORG": self._org_ref,
            "CO": self._company_ref,
            "INST": self._institute_ref,
            "country": lambda: c[0],
            "country2": lambda: ident.country2[0],
            "dem": lambda: c[2],
            "capital": lambda: c[3],
            "city": lambda: ident.city if rng.random() < 0.7 else rng.choice((c[3], *c[4])),
            "city2": lambda: ident.city2,
            "issue": lambda: rng.choice(t.issues),
            "measure": lambda: rng.choice(t.measures),
            "sector": lambda: rng.choice(t.sectors),
            "group": lambda: rng.choice(t.groups),
            "group_cap": lambda: rng.choice(t.groups).capitalize(),
            "quote": self._quotes.pop,
            "num": lambda: f"{rng.randint(120, 98_000):,}",
            "small": lambda: str(rng.randint(2, 12)),
            "pct": self._pct,
            "rate": lambda: f"{rng.randint(5, 140) / 10:.1f}%",
            "money": self._money,
            "when": lambda: "on " + self._date_text(),
            "when_bare": self._date_text,
            "weekday": lambda: "on " + rng.choice(_WEEKDAYS),
            "year": lambda: str(ident.published.year - rng.randint(1, 12)),
            "future": lambda: str(ident.published.year + rng.randint(2, 11)),
            "month": lambda: rng.choice(_MONTHS),
            "ordinal": lambda: rng.choice(_ORDINALS),
            "url": self._url,
            "site_name": lambda: site.name.removeprefix("The "),
        }

    def fill(self, key: str) -> str:
        """The text for one slot."""
        return self._fillers[key]()

    def _person_ref(self, k: int, subject: bool) -> str:
        p = self.ident.people[k]
        full = f"{p.first} {p.last}"
        if full not in self.seen:
            self.seen.add(full)
            if p.title:
                return f"{p.title} {full}"
            return f"{full}, {p.desc}," if subject else full
        r = self.rng.random()
        if r < 0.5:
            return p.last
        if r < 0.8 or not p.short_title:
            mr = ("Ms" if p.female else "Mr") + ("." if self.site.honorific_dot else "")
            return f"{mr} {p.last}"
        return f"{p.short_title} {p.last}"

    def _org_ref(self) -> str:
        full, acronym, later = self.ident.org
        if full in self.seen:
            return later
        self.seen.add(full)
        return f"{full} ({acronym})"

    def _company_ref(self) -> str:
        full, short = self.ident.company
        if full in self.seen:
            return short
        self.seen.add(full)
        return full

    def _institute_ref(self) -> str:
        full, acronym = self.ident.institute
        if full in self.seen:
            return acronym if self.rng.random() < 0.5 else full
        self.seen.add(full)
        return f"{full} ({acronym})"

    def _pct(self) -> str:
        value = f"{self.rng.randint(2, 480) / 10:.1f}"
        return f"{value} per cent" if self.site.per_cent else f"{value}%"

    def _money(self) -> str:
        sym = self.ident.country[5]
        if self.rng.random() < 0.5:
            return f"{sym}{self.rng.randint(11, 990) / 10:.1f} billion"
        return f"{sym}{self.rng.randint(15, 950)} million"

    def _date_text(self) -> str:
        day = self.ident.published - timedelta(days=self.rng.randrange(0, 40))
        month = _MONTHS[day.month - 1]
        text = f"{month} {day.day}" if self.site.mdy else f"{day.day} {month}"
        if self.rng.random() < 0.3:
            text += f", {day.year}" if self.site.mdy else f" {day.year}"
        return text

    def _url(self) -> str:
        rng = self.rng
        host = rng.choice(_URL_HOSTS)
        year = self.ident.published.year - rng.randint(0, 3)
        country = _slugify(self.ident.country[1])
        shape = rng.randrange(4)
        if shape == 0:
            return f"https://{host}/report-{year}"
        if shape == 1:
            return f"https://{host}/{self.ident.topic.key}/{year}/{country}-summary"
        if shape == 2:
            return f"https://{host}/publications/{country}/{rng.randint(100, 9999)}.pdf"
        return f"https://{host}/data?topic={self.ident.topic.key}&year={year}"

    def sentence(self, template: str, decorate: bool) -> str:
        """One sentence from a template, with an optional lead-in and tail."""
        rng = self.rng
        text = template
        if decorate:
            if rng.random() < 0.22 and not text.startswith("in "):
                text = rng.choice(_LEADINS) + text
            if rng.random() < 0.18 and text.endswith(".") and not text.endswith('".'):
                text = text[:-1] + rng.choice(_TAILS) + "."
        text = text.format_map(self.slots)
        text = text[0].upper() + text[1:]
        if self.site.curly:
            text = _curl(text)
        return text

    def paragraph(self) -> str:
        """A paragraph of two to five sentences, one of them perhaps a quotation."""
        rng = self.rng
        parts = []
        for _ in range(rng.randint(2, 5)):
            if rng.random() < 0.15 and self._quotes:
                template = self._quote_cores[rng.randrange(len(self._quote_cores))]
                parts.append(self.sentence(template, decorate=False))
            else:
                # each core sentence at most once per article, as a reporter would write it
                if not self._cores:
                    self._cores = list(_CORES)
                    rng.shuffle(self._cores)
                parts.append(self.sentence(self._cores.pop(), decorate=True))
        return " ".join(parts)

    def paragraphs(self) -> list[str]:
        """About 400 to 600 words of paragraphs, the first one a lede."""
        rng = self.rng
        target = rng.randint(380, 560)
        first = self.sentence(rng.choice(_LEDES), decorate=False) + " " + self.paragraph()
        paras = [first]
        words = len(first.split())
        while words < target:
            para = self.paragraph()
            paras.append(para)
            words += len(para.split())
        return paras


def _curl(text: str) -> str:
    """Typographic quotes and apostrophes, as most publishers print them."""
    text = text.replace("'", "\u2019")
    if '"' not in text:
        return text
    parts = text.split('"')
    out = [parts[0]]
    for k, part in enumerate(parts[1:]):
        out.append("\u201c" if k % 2 == 0 else "\u201d")
        out.append(part)
    return "".join(out)


# --------------------------------------------------------------------------------------
# The plan: what each file index is, decided up front from Random(seed)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    seed: int
    n: int
    kinds: tuple[str, ...]
    formats: tuple[str, ...]
    sites: tuple[str, ...]
    sources: tuple[int, ...]  # original index for duplicates, else -1
    bad_kinds: tuple[str, ...]
    members: Mapping[str, tuple[int, ...]]  # site -> original indices, ascending


def _apportion(total: int, shares: Mapping[str, float]) -> dict[str, int]:
    """Integer counts summing to `total`, proportional to `shares` (largest remainder)."""
    weight = sum(shares.values())
    exact = {k: total * v / weight for k, v in shares.items()}
    counts = {k: int(v) for k, v in exact.items()}
    rest = total - sum(counts.values())
    for k in sorted(exact, key=lambda k: counts[k] - exact[k])[:rest]:
        counts[k] += 1
    return counts


def expected_counts(n: int, bad_share: float, dup_share: float) -> dict[str, int]:
    """How many files of each kind `generate_corpus` writes for these arguments."""
    n_bad = round(n * bad_share)
    n_dup = round(n * dup_share)
    n_orig = n - n_bad - n_dup
    if n_orig < 1 and n > 0:
        raise ValueError("bad_share + dup_share leave no room for original articles")
    counts = _apportion(n_orig, KIND_SHARES)
    counts.update(_apportion(n_dup, _DUP_SHARES))
    counts["bad"] = n_bad
    return counts


def _make_plan(n: int, seed: int, bad_share: float, dup_share: float) -> _Plan:
    rng = Random(seed)
    counts = expected_counts(n, bad_share, dup_share)
    kinds = [k for k, c in counts.items() for _ in range(c)]
    rng.shuffle(kinds)
    originals = [i for i, k in enumerate(kinds) if k in ORIGINAL_KINDS]
    formats: list[str] = []
    sites: list[str] = []
    sources: list[int] = []
    bad_kinds: list[str] = []
    n_bad = 0
    for kind in kinds:
        source = -1
        bad = ""
        if kind in ("text_page", "plain_text", "html"):
            fmt = kind
            site = rng.choice(_SITES_BY_FORMAT[fmt]).key
        elif kind == "gzip":
            fmt = rng.choices(("text_page", "plain_text", "html"), (45, 25, 25))[0]
            site = rng.choice(_SITES_BY_FORMAT[fmt]).key
        elif kind in DUPLICATE_KINDS:
            source = rng.choice(originals)
            fmt, site = "", ""  # resolved below, once the source's format is known
        else:
            bad = BAD_KINDS[n_bad % len(BAD_KINDS)]
            n_bad += 1
            fmt = {
                "binary_png": "html",
                "truncated_gzip": "html",
                "undecodable": "plain_text",
                "gzip_bomb": "plain_text",
            }.get(bad, "text_page")
            site = rng.choice(_SITES_BY_FORMAT[fmt]).key
        formats.append(fmt)
        sites.append(site)
        sources.append(source)
        bad_kinds.append(bad)
    for i, kind in enumerate(kinds):
        if kind not in DUPLICATE_KINDS:
            continue
        j = sources[i]
        if kind == "dup_near":
            # syndication: the same story on another publisher, in any format
            formats[i] = rng.choice(("text_page", "plain_text", "html"))
            choices = [s.key for s in _SITES_BY_FORMAT[formats[i]] if s.key != sites[j]]
            sites[i] = rng.choice(choices)
        else:
            formats[i], sites[i] = formats[j], sites[j]
    members: dict[str, list[int]] = {key: [] for key in _SITES}
    for i in originals:
        members[sites[i]].append(i)
    return _Plan(
        seed,
        n,
        tuple(kinds),
        tuple(formats),
        tuple(sites),
        tuple(sources),
        tuple(bad_kinds),
        {k: tuple(v) for k, v in members.items()},
    )


# --------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Story:
    """What a file says: headline and paragraphs, plus where it belongs."""

    ident: _Identity
    headline: str
    paras: tuple[str, ...]
    style: _Site  # the publisher whose style the body was written in


class _Renderer:
    """Turns plan entries into files; caches identities, which neighbours share."""

    def __init__(self, plan: _Plan, out: Path) -> None:
        self.plan = plan
        self.out = out
        self._identities: dict[int, _Identity] = {}
        self._dirs: set[Path] = set()

    # ---- what each index is -------------------------------------------------------
    def ident(self, i: int) -> _Identity:
        found = self._identities.get(i)
        if found is None:
            if len(self._identities) > 20_000:
                self._identities.clear()
            found = self._identities[i] = _make_identity(self.plan.seed, i)
        return found

    def headline(self, i: int) -> str:
        """The headline file `i` carries (a retitled copy gets its own)."""
        site = _SITES[self.plan.sites[i]]
        if self.plan.kinds[i] == "dup_retitled":
            j = self.plan.sources[i]
            ident = self.ident(j)
            original = self.headline(j)
            rng = _rng(self.plan.seed, i, _STREAM_DUP)
            for _ in range(20):
                text = _render_headline(
                    ident.headline_slots, rng.choice(ident.topic.headlines), site.title_case
                )
                if text != original:
                    return text
            return original + " (updated)"
        j = self.plan.sources[i] if self.plan.kinds[i] == "dup_near" else i
        ident = self.ident(j)
        return _render_headline(
            ident.headline_slots,
            ident.headline_slots["template"],
            _SITES[self.plan.sites[j]].title_case,
        )

    def relpath(self, i: int) -> str:
        """Where file `i` lives under the corpus root."""
        plan = self.plan
        kind = plan.kinds[i]
        if kind == "dup_exact":
            original = self.relpath(plan.sources[i])
            folder, _, name = original.rpartition("/")
            stem, dot, ext = name.partition(".")
            return f"mirror/{folder}/{stem[:-7]}-{i:06d}{dot}{ext}"
        j = plan.sources[i] if kind in DUPLICATE_KINDS else i
        when = self.ident(j).published
        site = _SITES[plan.sites[i]]
        slug = _slugify(self.headline(i))
        if kind == "bad":
            ext = {"html": ".html", "plain_text": ".txt", "text_page": ".txt"}[plan.formats[i]]
            if plan.bad_kinds[i] in ("truncated_gzip", "gzip_bomb"):
                ext += ".gz"
        else:
            ext = ".html" if plan.formats[i] == "html" else ".txt"
            if kind == "gzip":
                ext += ".gz"
        if site.format == "plain_text":
            folder = f"corpora/{site.key}/{when:%Y/%m}"
        else:
            folder = f"{site.key}/{when:%Y/%m}"
        return f"{folder}/{slug}-{i:06d}{ext}"

    def canonical_url(self, i: int) -> str:
        site = _SITES[self.plan.sites[i]]
        when = self.ident(self.plan.sources[i] if self.plan.sources[i] >= 0 else i).published
        return f"https://{site.domain}/{when:%Y/%m/%d}/{_slugify(self.headline(i))}-{i}"

    def neighbours(self, i: int, count: int) -> list[int]:
        """Up to `count` other original articles of the same site, nearest in order."""
        members = self.plan.members[self.plan.sites[i]]
        pos = bisect_left(members, i)
        lo = max(0, pos - count // 2 - 1)
        picked = [m for m in members[lo : lo + count + 2] if m != i]
        return picked[:count]

    def _nav(self, i: int) -> tuple[str, str]:
        """Headlines of the previous and next article of the same site."""
        members = self.plan.members[self.plan.sites[i]]
        rng = _rng(self.plan.seed, i, _STREAM_PAGE)
        before = bisect_left(members, i) - 1
        after = bisect_right(members, i)
        # an article outside the corpus, as when the neighbour was never crawled
        other = self.ident(self.plan.n + i).headline_slots
        outside = _render_headline(other, other["template"], rng.random() < 0.5)
        prev = self.headline(members[before]) if before >= 0 else outside
        nxt = self.headline(members[after]) if after < len(members) else outside
        return prev, nxt

    # ---- content --------------------------------------------------------------------
    def story(self, i: int) -> _Story:
        plan = self.plan
        kind = plan.kinds[i]
        j = plan.sources[i] if kind in DUPLICATE_KINDS else i
        ident = self.ident(j)
        style = self.style(j)
        paras = _BodyWriter(_rng(plan.seed, j, _STREAM_BODY), ident, style).paragraphs()
        if kind == "dup_near":
            rng = _rng(plan.seed, i, _STREAM_DUP)
            if rng.random() < 0.5 and len(paras) > 2:
                k = rng.randrange(1, len(paras))
                paras[k] = _BodyWriter(rng, ident, style).paragraph()
            else:
                paras.append(
                    f"This article was first published by {style.name} and is republished "
                    f"under a content-sharing agreement with {_SITES[plan.sites[i]].name}."
                )
        return _Story(ident, self.headline(i), tuple(paras), style)

    def style(self, j: int) -> _Site:
        """The house style an original's body is written in (curly quotes for cp1252 files)."""
        site = _SITES[self.plan.sites[j]]
        if not site.curly and self.encoding(j) == "cp1252":
            return replace(site, curly=True)
        return site

    def encoding(self, i: int) -> str:
        """The encoding file `i` is meant to be written in (cp1252 may fall back to UTF-8)."""
        fmt = self.plan.formats[i]
        r = _rng(self.plan.seed, i, _STREAM_BAD).random()
        if fmt == "html":
            return "cp1252" if r < 0.1 else "utf-8"
        if r < 0.08:
            return "cp1252"
        if r < 0.14:
            return "utf-16"
        return "utf-8-sig" if r < 0.22 else "utf-8"

    def text_page(self, i: int, story: _Story, with_body: bool = True) -> str:
        site = _SITES[self.plan.sites[i]]
        prev, nxt = self._nav(i)
        chrome = "\n".join(site.chrome)
        body = "\n\n".join(story.paras) + "\n\n" if with_body else ""
        text = (
            f"{story.headline}\n\n{chrome}\n\n{body}{chrome}\n"
            f"Previous Article\n\n{prev}\n\nNext Article\n\n{nxt}"
        )
        return text.replace("\n", "\r\n") if site.crlf else text

    def plain_text(self, i: int, story: _Story) -> str:
        site = _SITES[self.plan.sites[i]]
        paras = list(story.paras)
        if site.dateline:
            when = story.ident.published
            paras[0] = (
                f"{story.ident.city.upper()}, {when.day} {_MONTHS[when.month - 1]} "
                f"({site.name}) \u2014 {paras[0]}"
            )
        return story.headline + "\n\n" + "\n\n".join(paras) + "\n"

    def html_page(self, i: int, story: _Story, charset: str) -> str:
        site = _SITES[self.plan.sites[i]]
        rng = _rng(self.plan.seed, i, _STREAM_PAGE)
        ident = story.ident
        url = self.canonical_url(i)
        esc = html.escape
        offset = timezone(timedelta(hours=rng.choice((-5, 0, 1, 2, 3, 9))))
        published = ident.published.astimezone(offset).isoformat()
        authors = ", ".join(ident.authors)
        head = [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            f'<meta charset="{charset}">' if charset else "",
            f"<title>{esc(story.headline)} | {esc(site.name)}</title>",
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<link rel="canonical" href="{esc(url)}">',
            f'<meta property="og:site_name" content="{esc(site.name)}">',
            f'<meta property="og:title" content="{esc(story.headline)}">',
            f'<meta property="og:url" content="{esc(url)}">',
            f'<meta name="author" content="{esc(authors)}">',
            f'<meta property="article:published_time" content="{published}">',
            '<link rel="stylesheet" href="/static/css/main.css">',
            '<script src="/static/js/analytics.js" async></script>',
        ]
        if rng.random() < 0.5:
            ld = {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "headline": story.headline,
                "datePublished": published,
                "author": [{"@type": "Person", "name": a} for a in ident.authors],
                "publisher": {"@type": "Organization", "name": site.name},
                "mainEntityOfPage": url,
            }
            head.append(
                '<script type="application/ld+json">'
                + json.dumps(ld, ensure_ascii=False)
                + "</script>"
            )
        head.append("</head>")
        menu = "".join(f'<li><a href="/{m.lower()}">{m}</a></li>' for m in _MENU)
        body = [
            "<body>",
            f'<header class="masthead"><a class="logo" href="/">{esc(site.name)}</a>',
            f'<nav class="main-menu"><ul>{menu}</ul></nav></header>',
            '<main id="content">',
            '<article class="story">',
            f"<h1>{esc(story.headline)}</h1>",
            f'<p class="byline">By <span class="author">{esc(" and ".join(ident.authors))}'
            f'</span> \u00b7 <time datetime="{published}">{ident.published:%d %B %Y}</time></p>',
        ]
        internal = self.neighbours(i, 6)
        link_at = rng.randrange(1, len(story.paras)) if len(story.paras) > 1 else 0
        for k, para in enumerate(story.paras):
            text = _link_urls(esc(para, quote=False), rng)
            if k == link_at and internal:
                target = internal[0]
                city = esc(ident.city, quote=False)
                anchor = f'<a href="{esc(self.canonical_url(target))}">{city}</a>'
                text = text.replace(city, anchor, 1)
            body.append(f"<p>{text}</p>")
            if k == 1:
                body.append('<div class="ad-slot" aria-hidden="true">Advertisement</div>')
        body.append("</article>")
        related = "".join(
            f'<li><a href="{esc(self.canonical_url(r))}">{esc(self.headline(r))}</a></li>'
            for r in internal[1:5]
        )
        body.append(f'<aside class="related"><h2>Related stories</h2><ul>{related}</ul></aside>')
        comments = []
        for _ in range(rng.randint(0, 4)):
            user = f"{rng.choice(_FIRST_F + _FIRST_M).lower()}{rng.randint(1, 999)}"
            words = rng.choice(_COMMENTS).format(
                city=ident.city,
                capital=ident.country[3],
                year=ident.published.year - 2,
                Sur=ident.people[0].last,
            )
            comments.append(
                f'<div class="comment"><span class="comment-author">{esc(user)}'
                f"</span><p>{esc(words)}</p></div>"
            )
        body.append(
            f'<section id="comments" class="comments"><h2>Comments ({len(comments)})'
            f"</h2>{''.join(comments)}</section>"
        )
        body.extend(
            [
                "</main>",
                '<div id="cookie-consent" class="cookie-banner"><p>We use cookies to improve your '
                'experience and to show you relevant advertising. <a href="/privacy">Privacy '
                "policy</a></p><button>Accept all</button><button>Manage choices</button></div>",
                f'<footer class="site-footer"><p>\u00a9 {ident.published.year} '
                f"{esc(site.name)}. All rights reserved.</p><ul>"
                '<li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li>'
                '<li><a href="/terms">Terms of use</a></li></ul></footer>',
                "</body>",
                "</html>",
            ]
        )
        return "\n".join(line for line in (*head, *body) if line) + "\n"

    # ---- files ----------------------------------------------------------------------
    def article_bytes(self, i: int) -> tuple[bytes, str]:
        """The bytes of an article file (not gzipped) and the encoding actually used."""
        fmt = self.plan.formats[i]
        story = self.story(i)
        encoding = self.encoding(i)
        if fmt == "html":
            # some pages do not declare their charset at all
            declared = _rng(self.plan.seed, i, _STREAM_DUP + 200).random() < 0.85
            charset = "windows-1252" if encoding == "cp1252" else ("utf-8" if declared else "")
            text = self.html_page(i, story, charset)
        elif fmt == "text_page":
            text = self.text_page(i, story)
        else:
            text = self.plain_text(i, story)
        if encoding == "cp1252":
            try:
                return text.encode("cp1252"), "cp1252"
            except UnicodeEncodeError:  # a name outside Windows-1252 (Gdańsk, Wiśniewski)
                if fmt == "html":
                    text = self.html_page(i, story, "utf-8")
                return text.encode("utf-8"), "utf-8"
        if encoding == "utf-16":
            return b"\xff\xfe" + text.encode(_NO_BOM_UTF16), "utf-16"
        if encoding == "utf-8-sig":
            return b"\xef\xbb\xbf" + text.encode("utf-8"), "utf-8-sig"
        return text.encode("utf-8"), "utf-8"

    def bad_bytes(self, i: int) -> bytes:
        rng = _rng(self.plan.seed, i, _STREAM_BAD)
        bad = self.plan.bad_kinds[i]
        if bad == "empty":
            return b""
        if bad == "binary_png":
            return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(
                rng.randint(2_000, 20_000)
            )
        if bad == "nul_text":
            text = self.text_page(i, self.story_of_own(i)).encode("utf-8")
            step = rng.randint(3, 9)
            return b"\x00".join(text[k : k + step] for k in range(0, len(text), step))
        if bad == "undecodable":
            junk = bytes(
                rng.choice((0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xC0, 0xC1, 0xF5, 0xFF))
                for _ in range(400)
            )
            return b"Headline\n\n" + junk + b"\n"
        if bad == "truncated_gzip":
            data = gzip.compress(self.html_page(i, self.story_of_own(i), "utf-8").encode(), mtime=0)
            return data[: len(data) // 2]
        if bad == "gzip_bomb":
            return _gzip_bomb()
        return self.text_page(i, self.story_of_own(i), with_body=False).encode("utf-8")

    def story_of_own(self, i: int) -> _Story:
        ident = self.ident(i)
        style = self.style(i)
        paras = _BodyWriter(_rng(self.plan.seed, i, _STREAM_BODY), ident, style).paragraphs()
        return _Story(ident, self.headline(i), tuple(paras), style)

    def sidecar(self, i: int) -> bytes | None:
        """A crawler's NAME.meta.json for some HTML and plain articles."""
        fmt = self.plan.formats[i]
        if fmt == "text_page":
            return None
        rng = _rng(self.plan.seed, i, _STREAM_DUP + 100)
        if rng.random() >= (0.35 if fmt == "html" else 0.3):
            return None
        url = self.canonical_url(i)
        if rng.random() < 0.2:
            url += "?utm_source=rss&utm_medium=feed"
        j = self.plan.sources[i] if self.plan.sources[i] >= 0 else i
        fetched = self.ident(j).published + timedelta(minutes=rng.randint(5, 60 * 72))
        meta = {
            "url": url,
            "fetched_at": fetched.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "source": _SITES[self.plan.sites[i]].name,
        }
        return (json.dumps(meta, ensure_ascii=False) + "\n").encode("utf-8")

    def write(self, i: int) -> FileRecord:
        """Write file `i` (and its sidecar) and say what it is."""
        plan = self.plan
        kind = plan.kinds[i]
        rel = self.relpath(i)
        sidecar_rel: str | None = None
        duplicate_of: str | None = None
        if kind == "bad":
            data, encoding = self.bad_bytes(i), "binary"
            gzipped = rel.endswith(".gz")
        elif kind == "dup_exact":
            j = plan.sources[i]
            data, encoding = self.article_bytes(j)
            gzipped = plan.kinds[j] == "gzip"
            if gzipped:
                data = gzip.compress(data, mtime=0)
            duplicate_of = self.relpath(j)
        else:
            data, encoding = self.article_bytes(i)
            gzipped = kind == "gzip"
            if gzipped:
                data = gzip.compress(data, mtime=0)
            if kind in DUPLICATE_KINDS:
                duplicate_of = self.relpath(plan.sources[i])
            else:
                meta = self.sidecar(i)
                if meta is not None:
                    base = rel.removesuffix(".gz").rsplit(".", 1)[0]
                    sidecar_rel = base + ".meta.json"
                    self._put(sidecar_rel, meta)
        self._put(rel, data)
        return FileRecord(
            i,
            rel,
            kind,
            plan.formats[i],
            plan.sites[i],
            encoding,
            gzipped,
            duplicate_of,
            plan.bad_kinds[i] or None,
            sidecar_rel,
        )

    def _put(self, rel: str, data: bytes) -> None:
        path = self.out / rel
        parent = path.parent
        if parent not in self._dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)
        with open(path, "wb") as fh:
            fh.write(data)


_URL_RE = re.compile(r"https://[^\s<]+[^\s<.,;:)]")


def _link_urls(text: str, rng: Random) -> str:
    """Turn most URLs written in an escaped paragraph into anchors."""

    def repl(m: re.Match[str]) -> str:
        url = m.group(0)
        return f'<a href="{url}">{url}</a>' if rng.random() < 0.7 else url

    return _URL_RE.sub(repl, text)


@cache
def _gzip_bomb() -> bytes:
    """20 MB of zeros, gzipped to about 20 kB."""
    return gzip.compress(bytes(20 * 1024 * 1024), compresslevel=9, mtime=0)


# --------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------

_WORKER: _Renderer | None = None


def _init_worker(plan: _Plan, out: Path) -> None:
    global _WORKER
    _WORKER = _Renderer(plan, out)


def _write_chunk(bounds: tuple[int, int]) -> list[FileRecord]:
    assert _WORKER is not None
    return [_WORKER.write(i) for i in range(*bounds)]


def generate_corpus(
    out: Path,
    n: int,
    seed: int = 0,
    bad_share: float = 0.02,
    dup_share: float = 0.05,
    workers: int | None = None,
) -> CorpusStats:
    """Write `n` raw news files under `out`, byte-identical for a given seed; count them.

    `workers` processes share the work (default: the CPU count for large corpora, one
    process below 2,000 files); the output does not depend on it.
    """
    if n < 0 or not 0 <= bad_share <= 1 or not 0 <= dup_share <= 1:
        raise ValueError("n must be >= 0 and the shares between 0 and 1")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    plan = _make_plan(n, seed, bad_share, dup_share)
    if workers is None:
        workers = 1 if n < 2_000 else (os.cpu_count() or 1)
    records: list[FileRecord] = []
    if workers <= 1:
        renderer = _Renderer(plan, out)
        records = [renderer.write(i) for i in range(n)]
    else:
        step = max(200, min(2_000, n // (workers * 8) + 1))
        chunks = [(lo, min(n, lo + step)) for lo in range(0, n, step)]
        with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(plan, out)) as pool:
            for part in pool.map(_write_chunk, chunks):
                records.extend(part)
    return _summarise(n, records)


def _summarise(n: int, records: Sequence[FileRecord]) -> CorpusStats:
    return CorpusStats(
        n=n,
        kinds=dict(sorted(Counter(r.kind for r in records).items())),
        formats=dict(sorted(Counter(r.format for r in records if r.kind != "bad").items())),
        bad_kinds=dict(sorted(Counter(r.bad_kind for r in records if r.bad_kind).items())),
        encodings=dict(sorted(Counter(r.encoding for r in records).items())),
        sidecars=sum(1 for r in records if r.sidecar),
        records=tuple(records),
    )


def write_manifest(stats: CorpusStats, path: Path) -> None:
    """The ground truth as JSON lines, one per file, for scoring a pipeline run."""
    with open(path, "w", encoding="utf-8") as fh:
        for r in stats.records:
            fh.write(
                json.dumps(
                    {
                        "path": r.path,
                        "kind": r.kind,
                        "format": r.format,
                        "site": r.site,
                        "encoding": r.encoding,
                        "gzipped": r.gzipped,
                        "duplicate_of": r.duplicate_of,
                        "bad_kind": r.bad_kind,
                        "sidecar": r.sidecar,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point: generate, print the counts as JSON and the time taken."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, required=True, help="number of files to write")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bad-share", type=float, default=0.02)
    parser.add_argument("--dup-share", type=float, default=0.05)
    parser.add_argument(
        "--workers", type=int, default=None, help="processes (default: CPU count for n >= 2000)"
    )
    parser.add_argument(
        "--manifest",
        type=Path,
        default=None,
        help="write the per-file ground truth as JSON lines here",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    stats = generate_corpus(
        args.out, args.n, args.seed, args.bad_share, args.dup_share, workers=args.workers
    )
    elapsed = time.perf_counter() - started
    if args.manifest is not None:
        write_manifest(stats, args.manifest)
    print(json.dumps(stats.to_dict(), indent=2))
    print(f"wrote {args.n} files to {args.out} in {elapsed:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
