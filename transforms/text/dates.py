"""Publication dates: timestamps, dates written in URLs and paths, and the choice among them.

`published_at` comes from the first source that gives a plausible date, in this order:
the page's metadata (`meta`), htmldate on the page (`htmldate`), a date in the URL
(`url`), a date in the raw file's path (`path`), the crawler's `fetched_at` (`sidecar`).
A date is plausible when it is not after the ingest time and not before 1990, except that
a page's own metadata may give an older date (archives republish old stories).
A web page has several witnesses of its date (the dates its text writes under its
headline and labels as published, the JSON-LD article, OpenGraph, the other meta tags, a
`<time>` element, htmldate, its URL): `vote_date` takes the day most of them give, and
among the witnesses of that day the most trusted (a JSON-LD date a CMS left stale while
OpenGraph, htmldate and the URL agree on another day is outvoted; a lone witness keeps
its place in the order). On the real dev sets (`bench/real_sets.py`) this gives the day
right on more pages than the first plausible witness did, on each set. The text's dates
(`transforms.html.byline_date`) are the first witnesses: the day a reader sees (a CMS's
metadata is often another day, a WebPage node's or a sitemap's); they are days without a
time, so the instant of the day chosen is a timed witness's when one agrees
(`published_at_source` names that one). `page_date_witnesses` decides which of a web page's
dates are witnesses: a metadata date on its modified day is its last save when the byline
writes an earlier day, and its byline's update date counts only where it states no
publication date.

A URL or path gives `2019/04/12/`, `2019-04-12-slug` or `2019_04_12`; a month folder alone
(`2019/12/`) gives the first of that month, the only day it names for sure: crawler
dumps file by month, and `published_at_source = path` says the day is not known.
Dates without a time are midnight UTC. A timestamp keeps the offset it is written with, so
that `published_date` is the calendar day in the page's own time zone (a story stamped
22:00 in New York is of that day, not of the next one in UTC); the table stores the UTC
instant beside it. Nothing here reads the clock: the caller passes `now`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from transforms.records import DateSource
from transforms.text.written_dates import WrittenPageDates

EARLIEST_YEAR = 1990
# Witnesses of a day without a time: the text's, htmldate's (YYYY-MM-DD), the URL's.
_DAY_ONLY: frozenset[DateSource] = frozenset({"text", "htmldate", "url"})
_OLDEST_PARSED_YEAR = 1800  # a page saying year 1 or 1066 is a template default, not a date
_DAY = re.compile(
    r"(?<![0-9])(?P<y>(?:19|20)[0-9]{2})(?P<sep>[/_.-])(?P<m>[01]?[0-9])(?P=sep)"
    r"(?P<d>[0-3]?[0-9])(?![0-9])"
)
_MONTH_FOLDER = re.compile(r"(?:^|/)(?P<y>(?:19|20)[0-9]{2})/(?P<m>[01]?[0-9])/")
# The offsets of the world's time zones: an instant's day is one of the days between.
_WESTMOST, _EASTMOST = timedelta(hours=-12), timedelta(hours=14)


def parse_datetime(value: str) -> datetime | None:
    """An ISO 8601 or RFC 2822 timestamp as an aware datetime in the offset it states (so its
    `.date()` is the day as the page gives it); naive means UTC."""
    text = value.strip()
    if not text:
        return None
    parsed: datetime | None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed is None or parsed.year < _OLDEST_PARSED_YEAR:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        parsed.astimezone(UTC)  # an instant out of range in UTC (year 9999 at -05:00) is none
    except (OverflowError, ValueError):
        return None
    return parsed


def date_in_url(url: str | None) -> datetime | None:
    """The date written in a URL's path (`/2019/04/12/slug`, `/2019-04-12-slug`, `/2019/12/`)."""
    if not url:
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    return date_in_path(path)


def date_in_path(path: str) -> datetime | None:
    """The date written in a path: a full date first, else a `YYYY/MM/` month folder."""
    for match in _DAY.finditer(path):
        found = _date(match["y"], match["m"], match["d"])
        if found is not None:
            return found
    for match in _MONTH_FOLDER.finditer(path):
        found = _date(match["y"], match["m"], "1")
        if found is not None:
            return found
    return None


def _date(year: str, month: str, day: str) -> datetime | None:
    try:
        return datetime(int(year), int(month), int(day), tzinfo=UTC)
    except ValueError:
        return None


def is_plausible(value: datetime, source: DateSource, now: datetime | None) -> bool:
    """Not after `now` (when given), and from 1990 on unless the page's metadata says so."""
    if now is not None and value > now:
        return False
    return source == "meta" or value.year >= EARLIEST_YEAR


def first_plausible(
    candidates: Iterable[tuple[DateSource, datetime | None]], now: datetime | None
) -> tuple[datetime | None, DateSource | None]:
    """The first plausible date among (source, date) candidates, in their order, and its source."""
    for source, value in candidates:
        if value is not None and is_plausible(value, source, now):
            return value, source
    return None, None


def vote_date(
    candidates: Iterable[tuple[DateSource, datetime | None]], now: datetime | None
) -> tuple[datetime | None, DateSource | None]:
    """The plausible witness, most trusted first, of the day most witnesses give, and its
    source; days are each witness's own calendar day (the offset it states). A witness of a
    day without a time (the text's, htmldate's, the URL's) chooses a day like any other,
    but the instant is a timed witness's of the same day when there is one."""
    plausible = [
        (source, value)
        for source, value in candidates
        if value is not None and is_plausible(value, source, now)
    ]
    if not plausible:
        return None, None
    votes = Counter(value.date() for _, value in plausible)
    most = max(votes.values())
    day = next(value.date() for _, value in plausible if votes[value.date()] == most)
    of_day = [(value, source) for source, value in plausible if value.date() == day]
    timed = [(value, source) for value, source in of_day if source not in _DAY_ONLY]
    return (timed or of_day)[0]


def page_date_witnesses(
    written: WrittenPageDates,
    published: Sequence[datetime],
    modified: datetime | None,
    found: datetime | None,
    in_url: datetime | None,
) -> list[tuple[DateSource, datetime | None]]:
    """A web page's date witnesses for `vote_date`, most trusted first: the dates its text
    writes (`transforms.html.byline_date`), its metadata's publication dates, htmldate's
    (`found`) and its URL's.

    Two of the page's own words decide what counts:
    - a metadata "publication" date on the page's `modified` day is the CMS's last save, not
      a witness, when the text writes an earlier day for the story (its byline's, or one
      labelled published) that is that instant's day in no time zone;
    - the byline's update date ("Last updated: Dec 12, 2025") is a witness only where the
      page states no publication date at all (none in its metadata, its byline or a
      "Published" label): then it is the only day the page gives for itself.
    """
    texts = [written.byline, written.published]
    if not published and not any(texts) and written.updated is not None:
        texts = [written.updated]
    dated = list(published)
    if modified is not None:
        saved = [value for value in dated if value.date() == modified.date()]
        earlier = [
            text
            for text in texts
            if text is not None
            and text.date() < modified.date()
            and not any(_a_day_of(text.date(), value) for value in saved)
        ]
        if saved and earlier:
            dated = [value for value in dated if value.date() != modified.date()]
    return [
        *(("text", text) for text in texts),
        *(("meta", value) for value in dated),
        ("htmldate", found),
        ("url", in_url),
    ]


def _a_day_of(day: date, instant: datetime) -> bool:
    """Whether `day` is the instant's calendar day in some time zone."""
    utc = instant.astimezone(UTC).replace(tzinfo=None)
    return (utc + _WESTMOST).date() <= day <= (utc + _EASTMOST).date()
