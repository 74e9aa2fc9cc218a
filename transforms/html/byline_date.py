"""The dates a page writes for its readers: under (or just above) its headline, and where
its text says "Published …".

A reader takes a story's date from its byline, and so do WCXB's annotators; the metadata
often says otherwise (a CMS's stale JSON-LD, a WebPage node's date, a sitemap's time).
`written_page_dates` reads the page's visible text once and gives its written dates for
`transforms.text.dates.page_date_witnesses`:
- the byline's date: the first date (not an update's) written from the first `<h1>` with
  text on, within `BYLINE_CHARS` characters (the headline, a standfirst, the byline), else
  the last one (not an update's) written in the `ABOVE_CHARS` characters just above it
  ("Published October 14, 2025" over the headline);
- the date the text labels as the publication's ("Published: Aug 13, 2025", "veröffentlicht
  am 3. Mai 2022"), wherever it is, unless it is the byline's (one date, one witness);
- the byline's update date ("Last updated: Dec 12, 2025" under or just above the headline)
  where the byline does not speak of the publication ("Originally published in March
  2022"), a witness only where the page states no publication date at all.
Dates are read by `transforms.text.written_dates` (English and German month names, numeric
forms; an ambiguous 03/04/2024 is read in the order the metadata's days confirm, else a
slashed one is no date). Pure: reads a parsed tree.
"""

from __future__ import annotations

from datetime import date

from lxml import etree
from lxml.html import HtmlElement

from transforms.text.written_dates import (
    WrittenPageDates,
    first_update_date,
    first_written_date,
    last_written_date,
    mentions_publication,
    published_written_date,
)

BYLINE_CHARS = 300  # a byline's date starts within them, from the headline's first character
ABOVE_CHARS = 60  # or ends within them, just above the headline
# Plain strings: lxml's default "smart" results carry their parent, which costs time here.
_VISIBLE_TEXT = etree.XPath(
    ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript"
    " or ancestor::template)]",
    smart_strings=False,
)


def written_page_dates(
    tree: HtmlElement, known: frozenset[date] = frozenset(), modified: date | None = None
) -> WrittenPageDates:
    """The byline's date, the date labelled as the publication's and the byline's update
    date (see the docstring); `known` and `modified` are the days the metadata gives."""
    body = tree.find("body")
    text = " ".join(" ".join(_VISIBLE_TEXT(body if body is not None else tree)).split())
    headings = (" ".join(" ".join(_VISIBLE_TEXT(h1)).split()) for h1 in tree.iter("h1"))
    return written_text_dates(text, next((h for h in headings if h), ""), known, modified)


def written_text_dates(
    text: str, headline: str, known: frozenset[date] = frozenset(), modified: date | None = None
) -> WrittenPageDates:
    """`written_page_dates` on the page's visible text and its headline's words."""
    start = text.find(headline) if headline else -1  # the first `<h1>` with text, where it shows
    byline = updated = None
    if start >= 0:
        after = text[start : start + BYLINE_CHARS + 30]
        above = text[max(0, start - ABOVE_CHARS) : start]
        byline = first_written_date(after, BYLINE_CHARS, known, modified) or last_written_date(
            above, known
        )
        if not mentions_publication(above + " " + after[:BYLINE_CHARS]):
            updated = first_update_date(after, BYLINE_CHARS, known) or first_update_date(
                above, known=known
            )
    labelled = published_written_date(text, known)
    return WrittenPageDates(byline, None if labelled == byline else labelled, updated)
