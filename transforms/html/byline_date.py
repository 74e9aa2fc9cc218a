"""The dates a page writes for its readers: under (or just above) its headline, and where
its text says "Published …".

A reader takes a story's date from its byline, and so do WCXB's annotators; the metadata
often says otherwise (a CMS's stale JSON-LD, a WebPage node's date, a sitemap's time).
`written_page_dates` reads the page's visible text once and gives two witnesses for
`transforms.text.dates.vote_date`, the most trusted first:
- the byline's date: the first date (not an update's) written from the first `<h1>` with
  text on,
  within `BYLINE_CHARS` characters (the headline, a standfirst, the byline), else the last
  one written in the `ABOVE_CHARS` characters just above it ("Published October 14, 2025"
  over the headline);
- the date the text labels as the publication's ("Published: Aug 13, 2025", "veröffentlicht
  am 3. Mai 2022"), wherever it is, unless it is the byline's (one date, one witness).
Dates are read by `transforms.text.written_dates` (English and German month names, numeric
forms; an ambiguous 03/04/2024 is no date). Pure: reads a parsed tree.
"""

from __future__ import annotations

from datetime import datetime

from lxml import etree
from lxml.html import HtmlElement

from transforms.text.written_dates import (
    first_written_date,
    last_written_date,
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


def written_page_dates(tree: HtmlElement) -> tuple[datetime | None, datetime | None]:
    """The byline's date and the date labelled as the publication's (see the docstring)."""
    body = tree.find("body")
    text = " ".join(" ".join(_VISIBLE_TEXT(body if body is not None else tree)).split())
    headings = (" ".join(" ".join(_VISIBLE_TEXT(h1)).split()) for h1 in tree.iter("h1"))
    words = next((heading for heading in headings if heading), "")
    start = text.find(words) if words else -1  # the first `<h1>` with text, where it shows
    byline = None
    if start >= 0:
        after = text[start : start + BYLINE_CHARS + 30]
        byline = first_written_date(after, before=BYLINE_CHARS) or last_written_date(
            text[max(0, start - ABOVE_CHARS) : start]
        )
    labelled = published_written_date(text)
    return byline, None if labelled == byline else labelled  # one date written: one witness
