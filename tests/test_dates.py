"""Publication dates: parsing, dates in URLs and paths, the order of sources, the limits."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.discovery import discover_files
from flows.storage import read_raw
from transforms.output.rows import Article, RunInfo, article_row
from transforms.parse.document import RawInput, parse_input
from transforms.records import DateSource, ParsedDocument, Sidecar
from transforms.text.dates import (
    date_in_path,
    date_in_url,
    first_plausible,
    page_date_witnesses,
    parse_datetime,
    vote_date,
)
from transforms.text.written_dates import WrittenPageDates

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
RUN = RunInfo("run-1", NOW)
BODY = b"Harbour reopens after storm\n\nThe harbour reopened on Monday after a week of repairs.\n"


def _day(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05T10:00:00+01:00", datetime(2024, 3, 5, 9, 0, tzinfo=UTC)),
        ("2024-03-05T10:00:00Z", datetime(2024, 3, 5, 10, 0, tzinfo=UTC)),
        ("2024-03-05T10:00:00+0100", datetime(2024, 3, 5, 9, 0, tzinfo=UTC)),
        ("2024-03-05", _day(2024, 3, 5)),
        ("Tue, 05 Mar 2024 10:00:00 GMT", datetime(2024, 3, 5, 10, 0, tzinfo=UTC)),
        ("1969-07-21", _day(1969, 7, 21)),  # old, but parsing is not judging
        ("yesterday", None),
        ("0001-01-01", None),
        ("", None),
    ],
)
def test_parse_datetime(value: str, expected: datetime | None) -> None:
    assert parse_datetime(value) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example.org/2019/12/02/germany-launches-funding", _day(2019, 12, 2)),
        ("https://example.com/world/2019-04-12-harbour-reopens", _day(2019, 4, 12)),
        ("https://example.com/2019_04_12/story.html", _day(2019, 4, 12)),
        ("https://example.com/2019/12/harbour-reopens/", _day(2019, 12, 1)),  # month only
        ("https://example.com/2019/13/45/nope", None),
        ("https://example.com/story/20190412", None),  # bare digits may be an id
        ("https://example.com/products/2019", None),
        ("https://example.com/a?date=2019-04-12", None),  # only the path speaks
        ("http://[::1", None),
        (None, None),
    ],
)
def test_date_in_url(url: str | None, expected: datetime | None) -> None:
    assert date_in_url(url) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("harbour-post/2019/08/ilo-urges-common-rules-000008.txt", _day(2019, 8, 1)),
        ("corpora/wire/2023/07/04/peru-bets-on-solar.txt", _day(2023, 7, 4)),
        ("dump/2019-04-12-harbour-reopens.html.gz", _day(2019, 4, 12)),
        ("site/harbour-reopens-000012.txt", None),
        ("site/2019/story.txt", None),
    ],
)
def test_date_in_path(path: str, expected: datetime | None) -> None:
    assert date_in_path(path) == expected


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_a_dated_folder_gives_its_date(day: date) -> None:
    assert date_in_path(f"site/{day:%Y/%m/%d}/story.txt") == _day(day.year, day.month, day.day)
    assert date_in_path(f"site/{day:%Y/%m}/story.txt") == _day(day.year, day.month, 1)


@given(st.text())
def test_arbitrary_paths_never_raise(path: str) -> None:
    found = date_in_path(path)
    assert found is None or found.tzinfo is UTC


def test_first_plausible_keeps_the_order_and_the_limits() -> None:
    future = NOW + timedelta(days=1)
    assert first_plausible([("meta", future), ("url", _day(2019, 1, 2))], NOW) == (
        _day(2019, 1, 2),
        "url",
    )
    assert first_plausible([("meta", _day(1969, 7, 21))], NOW) == (_day(1969, 7, 21), "meta")
    assert first_plausible([("url", _day(1985, 1, 1)), ("path", None)], NOW) == (None, None)
    assert first_plausible([("sidecar", NOW)], NOW) == (NOW, "sidecar")  # not after: fine


def _parse(path: str, data: bytes = BODY, sidecar: Sidecar | None = None) -> ParsedDocument:
    parsed = parse_input(RawInput(path, data, sidecar), now=NOW)
    assert isinstance(parsed, ParsedDocument), parsed
    return parsed


def test_vote_date_takes_the_day_most_witnesses_give() -> None:
    json_ld = datetime(2018, 4, 3, 16, 50, tzinfo=UTC)
    open_graph = datetime(2023, 12, 19, 18, 6, tzinfo=UTC)
    witnesses: list[tuple[DateSource, datetime | None]] = [
        ("meta", json_ld),
        ("meta", open_graph),
        ("htmldate", datetime(2023, 12, 19, tzinfo=UTC)),
        ("url", None),
    ]
    assert vote_date(witnesses, NOW) == (open_graph, "meta")
    # One witness each: the order of trust decides; a date after `now` is no witness.
    assert vote_date([("meta", json_ld), ("htmldate", open_graph)], NOW) == (json_ld, "meta")
    later = NOW + timedelta(days=1)
    assert vote_date([("meta", later), ("url", json_ld)], NOW) == (json_ld, "url")
    assert vote_date([("meta", None)], NOW) == (None, None)


def test_vote_date_counts_each_witness_on_its_own_calendar_day() -> None:
    # 22:30 in New York and 02:30 UTC the next morning are one instant but two days: the
    # URL's day sides with the page's own offset.
    new_york = datetime(2021, 6, 1, 22, 30, tzinfo=timezone(timedelta(hours=-4)))
    utc = datetime(2021, 6, 2, 2, 30, tzinfo=UTC)
    chosen, source = vote_date(
        [("meta", utc), ("meta", new_york), ("url", datetime(2021, 6, 1, tzinfo=UTC))], NOW
    )
    assert (chosen, source) == (new_york, "meta")
    assert chosen is not None and chosen.date() == date(2021, 6, 1)


@pytest.mark.parametrize(
    ("path", "sidecar", "expected", "source"),
    [
        (
            "cc/2019/12/story.txt",
            Sidecar(url="https://news.example.org/2019/12/02/story", fetched_at=NOW),
            _day(2019, 12, 2),
            "url",
        ),
        ("harbour-post/2019/08/story.txt", None, _day(2019, 8, 1), "path"),
        ("site/story.txt", Sidecar(fetched_at=_day(2020, 5, 6)), _day(2020, 5, 6), "sidecar"),
        ("site/story.txt", Sidecar(fetched_at=NOW + timedelta(days=3)), None, None),
        ("site/1985/02/story.txt", None, None, None),  # before 1990, and no page says so
        ("site/story.txt", None, None, None),
    ],
)
def test_text_inputs_get_the_url_path_and_sidecar_dates(
    path: str, sidecar: Sidecar | None, expected: datetime | None, source: str | None
) -> None:
    doc = _parse(path, sidecar=sidecar)
    assert (doc.published_at, doc.published_at_source) == (expected, source)


_PROSE = (
    "<p>The harbour board met on Tuesday to discuss the new ferry timetable, which moves the "
    "first crossing forty minutes earlier and adds a late boat on Fridays. Several members "
    "asked for a trial period before the change becomes permanent.</p>"
)


def _html(head: str) -> bytes:
    return f"<html><head>{head}</head><body><article>{_PROSE}</article></body></html>".encode()


@pytest.mark.parametrize(
    ("head", "expected", "source"),
    [
        (
            '<meta property="article:published_time" content="2021-06-01T12:00:00-04:00">',
            datetime(2021, 6, 1, 16, 0, tzinfo=UTC),
            "meta",
        ),
        (
            '<meta property="article:published_time" content="1972-03-01">',
            _day(1972, 3, 1),
            "meta",
        ),  # the page's own metadata may be older than 1990
        (
            '<meta property="article:published_time" content="2030-01-01">'
            '<link rel="canonical" href="https://example.com/2018/07/04/ferry-times">',
            _day(2018, 7, 4),
            "htmldate",
        ),  # a date after the ingest time is not believed; htmldate reads the URL
        ("", _day(2019, 3, 1), "path"),
    ],
)
def test_html_dates_come_from_meta_then_htmldate_then_url_and_path(
    head: str, expected: datetime, source: str
) -> None:
    doc = _parse("site/2019/03/story.html", _html(head))
    assert (doc.published_at, doc.published_at_source) == (expected, source)


REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "root", [REPO / "data" / "raw", REPO.parent / "shared" / "seeds"], ids=["sample", "seeds"]
)
def test_sample_inputs_are_dated_wherever_url_or_path_says(root: Path) -> None:
    """Every article of the project's sample folder (and the shared seeds) whose URL or path
    carries a date gets one (16 of 22 had none before issue 12)."""
    if not root.is_dir():
        pytest.skip(f"{root} is not beside this checkout")
    dated = 0
    for entry in discover_files(str(root)):
        raw, _ = read_raw(str(root), entry, 10_000_000)
        parsed = parse_input(raw, now=NOW + timedelta(days=3650))
        if not isinstance(parsed, ParsedDocument):
            continue
        if date_in_path(entry.source_path) or date_in_url(parsed.url):
            assert parsed.published_at is not None, entry.source_path
            dated += 1
    assert dated or root.name == "seeds"


def test_published_date_is_the_day_in_the_pages_own_time_zone() -> None:
    # 22:30 in New York is 03:30 the next day in UTC: the page's day is the 1st.
    doc = _parse(
        "site/story.html",
        _html(
            '<meta property="article:published_time" content="2021-06-01T22:30:00-04:00">'
            '<meta property="article:modified_time" content="2021-06-02T09:00:00+02:00">'
        ),
    )
    assert doc.published_at == datetime(2021, 6, 2, 2, 30, tzinfo=UTC)
    assert doc.published_date == date(2021, 6, 1)
    assert doc.modified_at == datetime(2021, 6, 2, 7, 0, tzinfo=UTC)
    row = article_row(Article("site/story.html", "0" * 64, doc), RUN, "0" * 64)
    assert row["published_at"] == datetime(2021, 6, 2, 2, 30, tzinfo=UTC)
    assert getattr(row["published_at"], "tzinfo", None) == UTC
    assert row["published_date"] == date(2021, 6, 1)
    assert row["modified_at"] == datetime(2021, 6, 2, 7, 0, tzinfo=UTC)


def test_a_date_written_without_an_offset_is_its_own_day() -> None:
    doc = _parse("site/story.html", _html('<meta name="pubdate" content="2021-06-01T23:50:00">'))
    assert doc.published_date == date(2021, 6, 1)
    assert _parse("site/2019/03/story.txt").published_date == date(2019, 3, 1)


def test_the_byline_date_is_the_first_witness_and_a_timed_one_gives_the_instant() -> None:
    byline = _day(2024, 3, 3)
    stale = datetime(2023, 1, 5, 9, 0, tzinfo=UTC)
    # One witness each: the byline, first in trust, gives the day.
    assert vote_date([("text", byline), ("meta", stale)], NOW) == (byline, "text")
    # A timed witness of the byline's day gives the instant (and is the source named).
    timed = datetime(2024, 3, 3, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    witnesses: list[tuple[DateSource, datetime | None]] = [
        ("text", byline),
        ("meta", stale),
        ("meta", timed),
        ("htmldate", _day(2024, 3, 3)),
    ]
    assert vote_date(witnesses, NOW) == (timed, "meta")
    # Two day-only witnesses of one day: the most trusted is named.
    assert vote_date([("htmldate", byline), ("text", byline)], NOW) == (byline, "htmldate")


def _story(byline: str, head: str = "", above: str = "") -> bytes:
    """A story page: the head's tags, a line above the headline, the headline, a byline."""
    return (
        f"<html><head>{head}</head><body>{above}<h1>Harbour reopens after the storm</h1>"
        f"<p class='byline'>{byline}</p><article>{_PROSE}</article></body></html>"
    ).encode()


def test_a_page_is_dated_by_the_date_under_its_headline() -> None:
    doc = _parse("site/story.html", _story("By Ana Ruiz · March 3, 2024"))
    assert doc.published_date == date(2024, 3, 3)
    assert doc.published_at_source == "text"  # htmldate may read it too: day-only, after


def _chosen_day(witnesses: list[tuple[DateSource, datetime | None]]) -> date | None:
    chosen, _ = vote_date(witnesses, NOW)
    return chosen.date() if chosen else None


def test_a_metadata_date_on_the_modified_day_is_the_last_save_when_the_byline_is_earlier() -> None:
    saved = datetime(2024, 5, 20, 16, 2, tzinfo=UTC)  # "published" = modified: the last save
    byline = WrittenPageDates(_day(2024, 1, 14), None, None)
    found = _day(2024, 5, 20)  # htmldate reads the same stamp
    witnesses = page_date_witnesses(byline, (saved,), saved, found, None)
    assert ("meta", saved) not in witnesses
    assert _chosen_day(witnesses) == date(2024, 1, 14)
    # A page modified after its publication keeps its publication witness.
    published = datetime(2023, 11, 2, 9, 0, tzinfo=UTC)
    witnesses = page_date_witnesses(byline, (published,), saved, found, None)
    assert ("meta", published) in witnesses
    # A byline a day before the stamp may be the same instant in another zone: kept.
    late = datetime(2024, 1, 15, 7, 0, tzinfo=timezone(timedelta(hours=1)))
    witnesses = page_date_witnesses(byline, (late,), late, _day(2024, 1, 15), None)
    assert ("meta", late) in witnesses
    assert _chosen_day(witnesses) == date(2024, 1, 15)
    # A byline later than the modified day is no reason to doubt the metadata.
    later = WrittenPageDates(_day(2024, 6, 1), None, None)
    assert ("meta", saved) in page_date_witnesses(later, (saved,), saved, found, None)


def test_an_update_date_dates_the_page_only_when_it_states_no_publication_date() -> None:
    updated = WrittenPageDates(None, None, _day(2024, 5, 12))
    guess = _day(2024, 5, 2)  # htmldate's, from somewhere in the page
    witnesses = page_date_witnesses(updated, (), None, guess, None)
    assert witnesses[0] == ("text", _day(2024, 5, 12))
    assert _chosen_day(witnesses) == date(2024, 5, 12)
    published = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
    witnesses = page_date_witnesses(updated, (published,), None, guess, None)
    assert ("text", _day(2024, 5, 12)) not in witnesses
    assert _chosen_day(witnesses) == date(2024, 3, 1)
    with_byline = WrittenPageDates(_day(2024, 2, 1), None, _day(2024, 5, 12))
    assert _chosen_day(page_date_witnesses(with_byline, (), None, guess, None)) == date(2024, 2, 1)


def test_a_page_saved_again_is_dated_by_its_byline_and_keeps_its_modified_time() -> None:
    stamp = "2024-05-20T16:02:46Z"
    head = (
        f'<meta property="article:published_time" content="{stamp}">'
        f'<meta property="article:modified_time" content="{stamp}">'
    )
    doc = _parse("site/story.html", _story("Ana Ruiz · January 14, 2024", head))
    assert doc.published_date == date(2024, 1, 14)
    assert doc.published_at_source == "text"
    assert doc.modified_at == datetime(2024, 5, 20, 16, 2, 46, tzinfo=UTC)


def test_a_page_that_gives_only_an_update_date_is_dated_by_it() -> None:
    above = "<p>News · Last updated: May 12, 2024</p>"
    assert _parse("site/story.html", _story("By Ana Ruiz", above=above)).published_date == date(
        2024, 5, 12
    )
    head = '<meta property="article:published_time" content="2024-03-01">'
    dated = _story("By Ana Ruiz", head, above)
    assert _parse("site/story.html", dated).published_date == date(2024, 3, 1)
