"""Dates as people write them in a page's text: "March 1, 2024", "1 March 2024", "12. Dezember
2023", "2024-03-01", "01.03.2024", "03/01/2024".

English and German month names (and their three-letter forms) are read: the languages of the
real dev sets (`bench/real_sets.py`). A slashed date is read in the one order that makes a
date (03/13/2024, 13/03/2024); when both its numbers are 12 or less and differ it could be
either and is read as no date
(`written_date` returns None for it, so that a caller does not take a later date instead).
A date the text labels as an update ("Updated Dec 18, 2025", "Last updated:", "aktualisiert
am") is not a publication date: `first_written_date` skips it. Pure: no clock, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime

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


def written_dates(text: str) -> Iterator[tuple[int, date | None]]:
    """Each date written in the text, in order, with its offset: None for a slashed date
    whose order is ambiguous or a date that does not exist."""
    for match in _WRITTEN.finditer(text):
        yield match.start(), _date_of(match)


def first_written_date(text: str, before: int | None = None) -> datetime | None:
    """The first date written in the text (starting `before` characters in, if given) that is
    not labelled an update, as midnight UTC (the day as written); None when there is none or
    the first is ambiguous."""
    for offset, found in written_dates(text):
        if before is not None and offset >= before:
            return None
        if _labelled(text, offset, _UPDATE_LABEL):
            continue
        return _midnight(found)
    return None


def last_written_date(text: str) -> datetime | None:
    """The last date written in the text, unless it is labelled an update or ambiguous."""
    last = None
    for offset, found in written_dates(text):
        last = None if _labelled(text, offset, _UPDATE_LABEL) else found
    return _midnight(last)


def published_written_date(text: str) -> datetime | None:
    """The first date the text labels as the publication's ("Published: Aug 13, 2025"),
    unless it is ambiguous."""
    for label in _PUBLISHED_WORD.finditer(text):  # labels first: a few, where dates are many
        end = label.end() + _LABEL_CHARS + 30  # a date starting within reach, whole
        for offset, found in written_dates(text[label.start() : end]):
            offset += label.start()
            if _labelled(text, offset, _PUBLISHED_LABEL):
                return _midnight(found)
    return None


def _labelled(text: str, offset: int, label: re.Pattern[str]) -> bool:
    """Whether the date at `offset` follows the label."""
    return bool(label.search(text[max(0, offset - _LABEL_CHARS) : offset]))


def _midnight(day: date | None) -> datetime | None:
    """The day as written, as midnight UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None


def _date_of(match: re.Match[str]) -> date | None:
    """The date a match names (None: ambiguous or impossible)."""
    groups = match.groupdict()
    if groups["mon"]:
        parts = (int(groups["y"]), _MONTHS[groups["mon"].lower()], int(groups["d"]))
    elif groups["mon2"]:
        parts = (int(groups["y2"]), _MONTHS[groups["mon2"].lower()], int(groups["d2"]))
    elif groups["y3"]:
        parts = (int(groups["y3"]), int(groups["m3"]), int(groups["d3"]))
    elif groups["y4"]:
        parts = (int(groups["y4"]), int(groups["m4"]), int(groups["d4"]))
    else:
        first, second = int(groups["m5"]), int(groups["d5"])
        if first <= 12 and second <= 12 and first != second:
            return None  # 03/04/2024: March 4 in the US, 3 April elsewhere
        month, day = (first, second) if first <= 12 else (second, first)  # 13/04/2024
        parts = (int(groups["y5"]), month, day)
    try:
        return date(*parts)
    except ValueError:
        return None
