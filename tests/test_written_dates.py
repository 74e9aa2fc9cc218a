"""Dates as written in a page's text, and the date written under its headline (the byline's)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml.html import document_fromstring

from transforms.html.byline_date import BYLINE_CHARS, written_page_dates
from transforms.text.written_dates import (
    first_update_date,
    first_written_date,
    last_written_date,
    published_written_date,
    written_dates,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("By Ana Ruiz · March 1, 2024 · 4 min read", date(2024, 3, 1)),
        ("Sept. 3rd, 2020", date(2020, 9, 3)),
        ("1 March 2024", date(2024, 3, 1)),
        ("the 1st of March, 2024", date(2024, 3, 1)),
        ("Veröffentlicht am 12. Dezember 2023", date(2023, 12, 12)),
        ("3. Jän 2022", date(2022, 1, 3)),
        ("2024-03-01", date(2024, 3, 1)),
        ("01.03.2024", date(2024, 3, 1)),  # day first, as Europe writes it with dots
        ("03/13/2024", date(2024, 3, 13)),  # the one order that makes a date
        ("13/03/2024", date(2024, 3, 13)),
        ("05/05/2024", date(2024, 5, 5)),
        ("03/04/2024", None),  # March 4 in the US, 3 April elsewhere: not read
        ("February 30, 2024", None),  # no such day
        ("In 2024 the ferry ran 1,200 times", None),
    ],
)
def test_a_written_date_is_read_in_any_of_its_usual_forms(text: str, expected: date | None) -> None:
    found = first_written_date(text)
    assert (found.date() if found else None) == expected
    assert found is None or found.tzinfo == UTC  # the day as written, no time


def test_an_update_is_no_publication_date_and_an_ambiguous_date_stops_the_search() -> None:
    assert first_written_date("Last updated: May 2, 2025 · Published April 3, 2024") == (
        datetime(2024, 4, 3, tzinfo=UTC)
    )
    assert first_written_date("Aktualisiert am 02.05.2025, erschienen 03.04.2024") == (
        datetime(2024, 4, 3, tzinfo=UTC)
    )
    assert first_written_date("03/04/2024 · May 2, 2025") is None  # not a later date instead
    assert first_written_date("x" * 50 + " May 2, 2025", before=40) is None


@given(st.text(max_size=200))
def test_any_text_reads_without_error(text: str) -> None:
    for offset, found in written_dates(text):
        assert 0 <= offset < len(text)
        assert found is None or 1900 <= found.year < 2100


def _page(body: str) -> str:
    menu = "Home · May 1, 2020 · News · Sport · Weather · Boats · Tides · Letters · Contact"
    return (
        f"<html><head><title>May 9, 2019</title></head><body><nav>{menu}</nav>{body}</body></html>"
    )


@pytest.mark.parametrize(
    ("body", "byline", "labelled"),
    [
        (
            "<h1>Ferry <b>times</b> change</h1><script>var d = 'June 2, 2021'</script>"
            "<p class='byline'>By Ana Ruiz · March 3, 2024</p><p>The first ferry…</p>",
            date(2024, 3, 3),
            None,
        ),  # a script's date is not visible; the menu's is too far above the headline
        (
            "<header><h1>Ferry times change</h1></header><div><span>Updated Dec 18, 2025"
            "</span> <time>12. Dezember 2023</time></div>",
            date(2023, 12, 12),
            None,
        ),
        (
            "<p>Published October 14, 2025</p><h1>Ferry times change</h1><p>By Ana Ruiz</p>",
            date(2025, 10, 14),  # just above the headline
            None,  # labelled published too: the same date, one witness
        ),
        (
            "<h1>Ferry times change</h1><p>" + "word " * 80 + "Posted on March 3, 2024</p>",
            None,  # too far under the headline for a byline
            date(2024, 3, 3),
        ),
        ("<p>By Ana Ruiz · March 3, 2024</p>", None, None),  # no headline, no byline
    ],
)
def test_the_text_dates_are_the_bylines_and_the_one_labelled_published(
    body: str, byline: date | None, labelled: date | None
) -> None:
    found = written_page_dates(document_fromstring(_page(body)))
    assert tuple(d.date() if d else None for d in found[:2]) == (byline, labelled)
    assert BYLINE_CHARS == 300


def test_the_last_date_and_the_labelled_one() -> None:
    assert last_written_date("May 1, 2020 · Published 3 March 2024") == datetime(
        2024, 3, 3, tzinfo=UTC
    )
    # The last date that is not an update's: "MAY 1, 2020 Updated: …" over a headline.
    assert last_written_date("May 1, 2020 · Updated: 3 March 2024") == datetime(
        2020, 5, 1, tzinfo=UTC
    )
    assert last_written_date("Updated: 3 March 2024") is None
    assert published_written_date("Posted: May 1, 2020 · Published 3 March 2024") == datetime(
        2020, 5, 1, tzinfo=UTC
    )
    assert published_written_date("veröffentlicht am 03.04.2024") == datetime(
        2024, 4, 3, tzinfo=UTC
    )
    assert published_written_date("May 1, 2020") is None


@pytest.mark.parametrize(
    ("text", "known", "expected"),
    [
        ("09.10.2024", {date(2024, 9, 10)}, date(2024, 9, 10)),  # the metadata says September
        ("09.10.2024", set(), date(2024, 10, 9)),  # else day first, as dots are written in Europe
        ("03/04/2024", {date(2024, 3, 4)}, date(2024, 3, 4)),
        ("03/04/2024", {date(2024, 4, 3)}, date(2024, 4, 3)),
        ("03/04/2024", {date(2024, 3, 4), date(2024, 4, 3)}, None),  # both known: still either
        ("03/04/2024", {date(2023, 3, 4)}, None),
        ("13/04/2024", {date(2024, 4, 12)}, date(2024, 4, 13)),  # one order only: as before
    ],
)
def test_an_ambiguous_date_is_read_in_the_order_the_pages_other_dates_confirm(
    text: str, known: set[date], expected: date | None
) -> None:
    found = first_written_date(text, known=frozenset(known))
    assert (found.date() if found else None) == expected


def test_two_dates_in_a_row_the_first_the_modified_day_give_the_second() -> None:
    byline = "Ferry timetable 2025 May 21, 2025 · April 24, 2025 by the harbour desk"
    modified = date(2025, 5, 21)
    assert first_written_date(byline, modified=modified) == datetime(2025, 4, 24, tzinfo=UTC)
    assert first_written_date(byline) == datetime(2025, 5, 21, tzinfo=UTC)  # modified unknown
    # Words between the two dates: the first is the byline's, whatever the modified day.
    apart = "May 21, 2025 by the harbour desk, first run April 24, 2025"
    assert first_written_date(apart, modified=modified) == datetime(2025, 5, 21, tzinfo=UTC)
    assert first_written_date("May 21, 2025", modified=modified) == datetime(
        2025, 5, 21, tzinfo=UTC
    )


def test_the_update_date_is_found_where_it_is_labelled() -> None:
    assert first_update_date("By Ana Ruiz · Last updated: Dec 12, 2025 · 4 min") == datetime(
        2025, 12, 12, tzinfo=UTC
    )
    assert first_update_date("May 1, 2020 · aktualisiert am 03.05.2020") == datetime(
        2020, 5, 3, tzinfo=UTC
    )
    assert first_update_date("May 1, 2020") is None
    assert first_update_date("x" * 50 + " Updated May 2, 2025", before=40) is None


@pytest.mark.parametrize(
    ("body", "byline", "updated"),
    [
        (
            "<p>Harbour · Last updated: Dec 12, 2025</p><h1>Ferry times change</h1><p>By Ana</p>",
            None,
            date(2025, 12, 12),
        ),  # an update just above the headline: the byline's update date, no byline date
        (
            "<p>MARCH 2, 2024 Updated: JUNE 4, 2025</p><h1>Ferry times change</h1>",
            date(2024, 3, 2),  # the date above the headline that is not the update's
            date(2025, 6, 4),
        ),
        (
            "<h1>Ferry times change</h1><p>By Ana Ruiz · Updated on Dec. 9, 2025</p>",
            None,
            date(2025, 12, 9),
        ),
        (
            "<h1>Ferry times change</h1><p>First published in May 2019. Last updated on"
            " Dec. 9, 2025.</p>",
            None,
            None,  # the byline speaks of a publication, if without a day: no update date
        ),
    ],
)
def test_the_bylines_update_date_is_kept_apart(
    body: str, byline: date | None, updated: date | None
) -> None:
    found = written_page_dates(document_fromstring(_page(body)))
    assert (found.byline.date() if found.byline else None) == byline
    assert (found.updated.date() if found.updated else None) == updated
