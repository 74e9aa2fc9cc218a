"""Body text: the paragraphs of one article, with mentions, numbers and quotes in a house style."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from random import Random

from bench.generate.cast import Cast
from bench.generate.identity import Identity, cities_of, slugify
from bench.generate.vocabulary import (
    CAST_CORES,
    CAST_QUOTE_CORES,
    CORES,
    GENERIC_QUOTES,
    LEADINS,
    LEDES,
    MONTHS,
    ORDINALS,
    QUOTE_CORES,
    TAILS,
    URL_HOSTS,
    WEEKDAYS,
    Company,
    Institute,
    Organisation,
    Site,
)

# a real-size body: 300 to 470 words, so that with a republication note (about 20 words)
# or a wire dateline (under 10) the article stays within 300 to 500
REAL_SIZE_WORDS = (300, 470)
REAL_SIZE_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Story:
    """What a file says: headline and paragraphs, plus where it belongs."""

    ident: Identity
    headline: str
    paras: tuple[str, ...]
    style: Site  # the publisher whose style the body was written in


class _Slots(dict[str, str]):
    """Template slots filled lazily, so every `{num}` in a sentence draws a fresh number."""

    def __init__(self, writer: BodyWriter) -> None:
        super().__init__()
        self._writer = writer

    def __missing__(self, key: str) -> str:
        return self._writer.fill(key)


class BodyWriter:
    """Writes the paragraphs of one article: mentions, numbers and quotes in a house style."""

    def __init__(self, rng: Random, ident: Identity, site: Site, cast: Cast | None = None) -> None:
        self.rng = rng
        self.ident = ident
        self.site = site
        self.cast = cast
        self.people = ident.people + (cast.people if cast else ())
        self.seen: set[str] = set()
        self._cores: list[str] = []
        self._core_pool = CORES + CAST_CORES if cast else CORES
        self._quotes = list(ident.topic.quotes + GENERIC_QUOTES)
        rng.shuffle(self._quotes)
        self._quote_cores = list(QUOTE_CORES + CAST_QUOTE_CORES if cast else QUOTE_CORES)
        self.slots = _Slots(self)
        t = ident.topic
        c = ident.country
        self._fillers: dict[str, Callable[[], str]] = {
            "A": lambda: self._person_ref(0, subject=True),
            "B": lambda: self._person_ref(1, subject=True),
            "C": lambda: self._person_ref(2, subject=True),
            "Ao": lambda: self._person_ref(0, subject=False),
            "Bo": lambda: self._person_ref(1, subject=False),
            "ORG": lambda: self._org_ref(ident.org),
            "CO": lambda: self._company_ref(ident.company),
            "INST": lambda: self._institute_ref(ident.institute),
            "country": lambda: c.name,
            "country2": lambda: ident.country2.name,
            "dem": lambda: c.demonym,
            "capital": lambda: c.capital,
            "city": lambda: ident.city if rng.random() < 0.7 else rng.choice(cities_of(c)),
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
            "weekday": lambda: "on " + rng.choice(WEEKDAYS),
            "year": lambda: str(ident.published.year - rng.randint(1, 12)),
            "future": lambda: str(ident.published.year + rng.randint(2, 11)),
            "month": lambda: rng.choice(MONTHS),
            "ordinal": lambda: rng.choice(ORDINALS),
            "url": self._url,
            "site_name": lambda: site.name.removeprefix("The "),
        }
        if cast is not None:
            self._fillers.update(self._cast_fillers(cast))

    def _cast_fillers(self, cast: Cast) -> dict[str, Callable[[], str]]:
        """The slots only real-size sentences use: the cast's people, bodies and places."""
        return {
            "D": lambda: self._person_ref(3, subject=True),
            "E": lambda: self._person_ref(4, subject=True),
            "F": lambda: self._person_ref(5, subject=True),
            "G": lambda: self._person_ref(6, subject=True),
            "Eo": lambda: self._person_ref(4, subject=False),
            "Fo": lambda: self._person_ref(5, subject=False),
            "ORG2": lambda: self._org_ref(cast.org),
            "CO2": lambda: self._company_ref(cast.company),
            "INST2": lambda: self._institute_ref(cast.institute),
            "country3": lambda: cast.country.name,
            "city3": lambda: cast.city,
            "city4": lambda: cast.city_abroad,
        }

    def fill(self, key: str) -> str:
        """The text for one slot."""
        return self._fillers[key]()

    def _person_ref(self, k: int, subject: bool) -> str:
        """A person in full (with title or description) the first time, shorter after."""
        p = self.people[k]
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

    def _org_ref(self, org: Organisation) -> str:
        """The organisation with its acronym the first time, its later name after."""
        full, acronym, later = org
        if full in self.seen:
            return later
        self.seen.add(full)
        return f"{full} ({acronym})"

    def _company_ref(self, company: Company) -> str:
        """The company's full name the first time, its short name after."""
        full, short = company
        if full in self.seen:
            return short
        self.seen.add(full)
        return full

    def _institute_ref(self, institute: Institute) -> str:
        """The institute with its acronym the first time, either form after."""
        full, acronym = institute
        if full in self.seen:
            return acronym if self.rng.random() < 0.5 else full
        self.seen.add(full)
        return f"{full} ({acronym})"

    def _pct(self) -> str:
        """A percentage, spelt the house's way."""
        value = f"{self.rng.randint(2, 480) / 10:.1f}"
        return f"{value} per cent" if self.site.per_cent else f"{value}%"

    def _money(self) -> str:
        """An amount in millions or billions of the country's currency."""
        sym = self.ident.country.currency
        if self.rng.random() < 0.5:
            return f"{sym}{self.rng.randint(11, 990) / 10:.1f} billion"
        return f"{sym}{self.rng.randint(15, 950)} million"

    def _date_text(self) -> str:
        """A day in the weeks before publication, in the house's date order."""
        day = self.ident.published - timedelta(days=self.rng.randrange(0, 40))
        month = MONTHS[day.month - 1]
        text = f"{month} {day.day}" if self.site.mdy else f"{day.day} {month}"
        if self.rng.random() < 0.3:
            text += f", {day.year}" if self.site.mdy else f" {day.year}"
        return text

    def _url(self) -> str:
        """A source URL of one of four shapes on an example host."""
        rng = self.rng
        host = rng.choice(URL_HOSTS)
        year = self.ident.published.year - rng.randint(0, 3)
        country = slugify(self.ident.country.short)
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
                text = rng.choice(LEADINS) + text
            if rng.random() < 0.18 and text.endswith(".") and not text.endswith('".'):
                text = text[:-1] + rng.choice(TAILS) + "."
        text = text.format_map(self.slots)
        text = text[0].upper() + text[1:]
        if self.site.curly:
            text = curl_quotes(text)
        return text

    def next_sentence(self) -> str:
        """The next sentence of the body: perhaps a quotation, else an unused core sentence."""
        rng = self.rng
        if rng.random() < 0.15 and self._quotes:
            template = self._quote_cores[rng.randrange(len(self._quote_cores))]
            return self.sentence(template, decorate=False)
        # each core sentence at most once per article, as a reporter would write it
        if not self._cores:
            self._cores = list(self._core_pool)
            rng.shuffle(self._cores)
        return self.sentence(self._cores.pop(), decorate=True)

    def paragraph(self, max_words: int | None = None) -> str:
        """A paragraph of two to five sentences, one of them perhaps a quotation; with
        `max_words`, it stops before the first sentence that would pass it."""
        sentences: list[str] = []
        words = 0
        for _ in range(self.rng.randint(2, 5)):
            text = self.next_sentence()
            words += len(text.split())
            if max_words is not None and words > max_words:
                break
            sentences.append(text)
        return " ".join(sentences)

    def paragraphs(self) -> list[str]:
        """About 400 to 600 words of paragraphs, the first one a lede (real size: 300-470)."""
        if self.cast is not None:
            return self._sized_paragraphs()
        rng = self.rng
        target = rng.randint(380, 560)
        first = self.sentence(rng.choice(LEDES), decorate=False) + " " + self.paragraph()
        paras = [first]
        words = len(first.split())
        while words < target:
            para = self.paragraph()
            paras.append(para)
            words += len(para.split())
        return paras

    def _sized_paragraphs(self) -> list[str]:
        """Paragraphs of two to five sentences up to a drawn length within REAL_SIZE_WORDS."""
        rng = self.rng
        low, high = REAL_SIZE_WORDS
        target = rng.randint(low, high - 10)
        paras = [[self.sentence(rng.choice(LEDES), decorate=False)]]
        words = len(paras[0][0].split())
        room = rng.randint(2, 5)
        while words < target:
            if room == 0:
                paras.append([])
                room = rng.randint(2, 5)
            text = self.next_sentence()
            # past the ceiling the body stops: a sentence is far shorter than the floor
            if words + len(text.split()) > high:
                break
            paras[-1].append(text)
            words += len(text.split())
            room -= 1
        return [" ".join(p) for p in paras if p]


def curl_quotes(text: str) -> str:
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
