"""Dates as written in a page's text, and the date written under its headline (the byline's)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml.html import document_fromstring

from transforms.html.byline_date import BYLINE_CHARS, written_page_dates
from transforms.text.written_dates import (
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
    assert tuple(d.date() if d else None for d in found) == (byline, labelled)
    assert BYLINE_CHARS == 300


def test_the_last_date_and_the_labelled_one() -> None:
    assert last_written_date("May 1, 2020 · Published 3 March 2024") == datetime(
        2024, 3, 3, tzinfo=UTC
    )
    assert last_written_date("May 1, 2020 · Updated: 3 March 2024") is None
    assert published_written_date("Posted: May 1, 2020 · Published 3 March 2024") == datetime(
        2020, 5, 1, tzinfo=UTC
    )
    assert published_written_date("veröffentlicht am 03.04.2024") == datetime(
        2024, 4, 3, tzinfo=UTC
    )
    assert published_written_date("May 1, 2020") is None
