"""Text pages and plain articles: title, paragraphs, chrome (learnt and fallback), navigation."""

from __future__ import annotations

from pathlib import Path

import pytest

from transforms.parse.text_page import (
    FALLBACK_CHROME,
    find_chrome_lines,
    is_text_page,
    parse_plain_text,
    parse_text_page,
    split_paragraphs,
)

RAW = Path(__file__).parent / "fixtures" / "raw"


def _read(relative: str) -> str:
    return (RAW / relative).read_text(encoding="utf-8")


def test_text_page_title_paragraphs_and_navigation() -> None:
    doc = parse_text_page(_read("harbour/2024/ferry-strike.txt"))
    assert doc.source_format == "text_page"
    assert doc.title == "Ferry crews walk out as talks with Nordline stall"
    assert len(doc.paragraphs) == 3
    assert doc.paragraphs[0].startswith("Ferry crews at the port of Kiel stopped work")
    assert doc.paragraphs[2].endswith("https://nordline.example.com/notices/strike.")
    assert "No time to read?" not in doc.body and "Get a summary" not in doc.body
    assert [(link.kind, link.target_title) for link in doc.links] == [
        ("previous_article", "Harbour Dredging Plan Wins Council Vote"),
        ("next_article", "Ice Delays Grain Shipments Across the Baltic"),
    ]


def test_chrome_is_learnt_from_lines_repeated_across_a_site() -> None:
    pages = [_read("lakeside/museum.txt"), _read("lakeside/tram.txt")]
    chrome = find_chrome_lines(pages)
    assert {"listen to this story", "share on social"} <= chrome
    assert "previous article" not in chrome  # navigation labels are structure, not chrome
    doc = parse_text_page(pages[0], chrome)
    assert doc.paragraphs == (
        "The Lakeside Museum of Modern Art in Geneva reopened its doors on Saturday after a "
        "renovation that cost 40 million francs.",
        "Director Amélie Perrin said the new wing would host works lent by the Louvre. Perrin "
        "added that entry would be free for students.",
    )
    assert [link.target_title for link in doc.links] == [
        "Rowing Club Celebrates Centenary",
        "Geneva Approves New Tram Line",
    ]


def test_unlearnt_chrome_stays_in_the_body_of_a_lone_page() -> None:
    doc = parse_text_page(
        _read("lakeside/museum.txt"), find_chrome_lines([_read("lakeside/museum.txt")])
    )
    assert "Share on social" in doc.body  # one page: nothing to learn from, no fallback entry


def test_one_page_uses_the_fallback_list() -> None:
    assert find_chrome_lines(["Title\n\nNo time to read?\nBody."]) == FALLBACK_CHROME


def test_repeated_long_paragraphs_are_not_chrome() -> None:
    paragraph = (
        "A syndicated paragraph that several copies share word for word, long enough "
        "to be prose rather than a button label."
    )
    pages = [f"Title {i}\n\n{paragraph}\n\nOwn paragraph {i}." for i in range(3)]
    assert paragraph.casefold() not in find_chrome_lines(pages)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Title\n\nBody text.", False),
        ("Title\n\nNo time to read?\n\nBody.", True),
        ("Title\n\nBody.\n\nNext Article\n\nOther", True),
    ],
)
def test_is_text_page(text: str, expected: bool) -> None:
    assert is_text_page(text, FALLBACK_CHROME) is expected


def test_plain_article_title_and_paragraphs() -> None:
    doc = parse_plain_text(
        "\n\n  Central bank holds rates  \n\nFirst para\nwrapped line.\n\nSecond para.\n"
    )
    assert doc.source_format == "plain_text"
    assert doc.title == "Central bank holds rates"
    assert doc.paragraphs == ("First para wrapped line.", "Second para.")
    assert doc.body == "First para wrapped line.\n\nSecond para."


def test_plain_article_one_paragraph_per_line_when_no_blank_lines() -> None:
    doc = parse_plain_text("Title\nLine one.\nLine two.")
    assert doc.paragraphs == ("Line one.", "Line two.")


@pytest.mark.parametrize("text", ["", "   \n\n  ", "\n"])
def test_empty_text_has_no_title_and_no_body(text: str) -> None:
    assert parse_plain_text(text).paragraphs == ()
    assert parse_text_page(text).title is None


def test_split_paragraphs_folds_white_space() -> None:
    assert split_paragraphs(["  a   b ", "", "c\t d"]) == ("a b", "c d")


def test_identical_copies_do_not_teach_chrome() -> None:
    page = "Title\n\nShort first paragraph.\n\nShort second paragraph."
    assert find_chrome_lines([page, page]) == FALLBACK_CHROME
