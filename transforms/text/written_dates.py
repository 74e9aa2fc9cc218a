"""Dates as people write them in a page's text: "March 1, 2024", "1 March 2024", "12. Dezember
2023", "2024-03-01", "01.03.2024", "03/01/2024".

English and German month names (and their three-letter forms) are read: the languages of the
real dev sets (`bench/real_sets.py`). A numeric date whose two numbers are 12 or less and
differ (03/04/2024, 09.10.2024) could be either order: it is read in the order the page's
other dates confirm (`known`: the days its metadata gives) when exactly one order is among
them; else a dotted one day first, as Europe writes it, and a slashed one as no date
(`written_dates` gives None for it, so that a caller does not take a later date instead).
A date the text labels as an update ("Updated Dec 18, 2025", "Last updated:", "aktualisiert
am") is not a publication date: `first_written_date` and `last_written_date` skip it and
`first_update_date` finds it. Pure: no clock, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import NamedTuple

_ENGLISH = "january february march april may june july august september october november december"
_GERMAN = "januar februar märz april mai juni juli august september oktober november dezember"
_NAMES = zip(_ENGLISH.split(), _GERMAN.split(), strict=True)
_MONTHS = {
    name: number
    for number, (english, german) in enumerate(_NAMES, 1)
    for name in (english, english[:3], german, german[:3])
} | {"sept": 9, "jän": 1, "maerz": 3}
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_WRITTEN = re.compile(
    rf"\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}\b"  # March 1, 2024
    rf"|\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?P<mon2>"
    + "|".join(sorted(_MONTHS, key=len, reverse=True))
    + r")\.?,?\s+(?P<y2>(?:19|20)\d\d)\b"  # 1 March 2024, 12. Dezember 2023
    r"|\b(?P<y3>(?:19|20)\d\d)-(?P<m3>[01]\d)-(?P<d3>[0-3]\d)\b"  # 2024-03-01
    r"|\b(?P<d4>[0-3]?\d)\.(?P<m4>[01]?\d)\.(?P<y4>(?:19|20)\d\d)\b"  # 01.03.2024
    r"|\b(?P<m5>[01]?\d)/(?P<d5>[0-3]?\d)/(?P<y5>(?:19|20)\d\d)\b",  # 03/01/2024 (US)
    re.IGNORECASE,
)
# What says the date that follows is an update, not the publication.
_UPDATE_LABEL = re.compile(
    r"(?:updat|modif|revis|review|aktualisiert|geändert)\w*\s*(?:on|am|:)?\s*:?\s*(?:\w+,\s*)?$",
    re.IGNORECASE,
)
# What says the date that follows is the publication's.
_PUBLISHED_WORD = re.compile(r"publish|posted|veröffentlicht|erschienen", re.IGNORECASE)
_PUBLISHED_LABEL = re.compile(
    rf"(?:{_PUBLISHED_WORD.pattern})\w*\s*(?:on|am|:)?\s*:?\s*(?:\w+,\s*)?$", re.IGNORECASE
)
_LABEL_CHARS = 40  # how far before a date its label is looked for
_BETWEEN_TWO_DATES = re.compile(r"[\s,|·•/–—-]*")  # "May 21, 2025 · April 24, 2025"
_NO_DAYS: frozenset[date] = frozenset()


class WrittenPageDates(NamedTuple):
    """The dates a page's text writes for itself (`transforms.html.byline_date`)."""

    byline: datetime | None  # under (or just above) the headline, not an update's
    published: datetime | None  # labelled as the publication's, unless the byline's
    updated: datetime | None  # the byline's update date


def written_dates(
    text: str, known: frozenset[date] = _NO_DAYS
) -> Iterator[tuple[int, date | None]]:
    """Each date written in the text, in order, with its offset: None for a date whose order
    is ambiguous and that `known` does not settle, or a date that does not exist."""
    for start, _, found in _written(text, known):
        yield start, found


def first_written_date(
    text: str,
    before: int | None = None,
    known: frozenset[date] = _NO_DAYS,
    modified: date | None = None,
) -> datetime | None:
    """The first date written in the text (starting `before` characters in, if given) that is
    not labelled an update, as midnight UTC (the day as written); None when there is none or
    the first is ambiguous. Two dates written one after the other, the first the page's
    `modified` day ("May 21, 2025 April 24, 2025": a theme's updated and published dates):
    the second."""
    found = [
        (start, end, day)
        for start, end, day in _written(text, known)
        if (before is None or start < before) and not _labelled(text, start, _UPDATE_LABEL)
    ]
    if not found:
        return None
    (_, end, day), following = found[0], found[1:2]
    if modified is not None and day == modified and following:
        start, _, then = following[0]
        if then is not None and _BETWEEN_TWO_DATES.fullmatch(text[end:start]):
            day = then
    return _midnight(day)


def last_written_date(text: str, known: frozenset[date] = _NO_DAYS) -> datetime | None:
    """The last date written in the text that is not labelled an update, unless ambiguous."""
    last = None
    for start, _, found in _written(text, known):
        if not _labelled(text, start, _UPDATE_LABEL):
            last = found
    return _midnight(last)


def first_update_date(
    text: str, before: int | None = None, known: frozenset[date] = _NO_DAYS
) -> datetime | None:
    """The first date the text labels as an update ("Last updated: Dec 12, 2025"), starting
    `before` characters in if given."""
    for start, _, found in _written(text, known):
        if before is not None and start >= before:
            return None
        if _labelled(text, start, _UPDATE_LABEL):
            return _midnight(found)
    return None


def mentions_publication(text: str) -> bool:
    """Whether the text speaks of the publication ("Originally published in March 2022")."""
    return bool(_PUBLISHED_WORD.search(text))


def published_written_date(text: str, known: frozenset[date] = _NO_DAYS) -> datetime | None:
    """The first date the text labels as the publication's ("Published: Aug 13, 2025"),
    unless it is ambiguous."""
    for label in _PUBLISHED_WORD.finditer(text):  # labels first: a few, where dates are many
        end = label.end() + _LABEL_CHARS + 30  # a date starting within reach, whole
        for offset, _, found in _written(text[label.start() : end], known):
            offset += label.start()
            if _labelled(text, offset, _PUBLISHED_LABEL):
                return _midnight(found)
    return None


def _written(text: str, known: frozenset[date]) -> Iterator[tuple[int, int, date | None]]:
    """Each date written in the text: its start, its end, and the date (None: ambiguous or
    impossible)."""
    for match in _WRITTEN.finditer(text):
        yield match.start(), match.end(), _date_of(match, known)


def _labelled(text: str, offset: int, label: re.Pattern[str]) -> bool:
    """Whether the date at `offset` follows the label."""
    return bool(label.search(text[max(0, offset - _LABEL_CHARS) : offset]))


def _midnight(day: date | None) -> datetime | None:
    """The day as written, as midnight UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None


def _date_of(match: re.Match[str], known: frozenset[date]) -> date | None:
    """The date a match names (None: ambiguous and not settled by `known`, or impossible)."""
    groups = match.groupdict()
    if groups["mon"]:
        return _day(int(groups["y"]), _MONTHS[groups["mon"].lower()], int(groups["d"]))
    if groups["mon2"]:
        return _day(int(groups["y2"]), _MONTHS[groups["mon2"].lower()], int(groups["d2"]))
    if groups["y3"]:
        return _day(int(groups["y3"]), int(groups["m3"]), int(groups["d3"]))
    dotted = bool(groups["y4"])
    year = int(groups["y4"] or groups["y5"])
    first, second = (
        (int(groups["d4"]), int(groups["m4"]))
        if dotted
        else (
            int(groups["m5"]),
            int(groups["d5"]),
        )
    )
    if first > 12 or second > 12 or first == second:  # 13/04/2024: one order makes a date
        month, day = (second, first) if first > 12 or dotted else (first, second)
        return _day(year, month, day)
    day_first, month_first = _day(year, second, first), _day(year, first, second)
    confirmed = [d for d in (day_first, month_first) if d in known]
    if len(confirmed) == 1:
        return confirmed[0]
    return day_first if dotted else None  # 03/04/2024: March 4 in the US, 3 April elsewhere


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
