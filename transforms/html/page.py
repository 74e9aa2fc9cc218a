"""Saved web pages to a parsed page: main text, metadata, links, and what kind of page it is.

The page is parsed once with lxml; that tree feeds trafilatura (the main text, `html_body`),
our metadata and link walkers (`html_meta`, `html_links`) and the index page test
(`page_kind`). Every page with text is read the same way: trafilatura's first reading, its
recall reading when the first looks incomplete, and when both are empty the fuller ones
(`html_body.fuller_text`); then the index test, the authors, the date (the day most of the
page's witnesses give: its metadata, htmldate, its URL; `transforms.text.dates.vote_date`)
and the language.

Kinds: `empty` when no text is left at all; `error` for the few words of an error or
sign-in page ("403 Forbidden", "Page not found"); `index` for a listing or collection of
other pages (`page_kind`: a label with its score and evidence, never a gate); else
`article`. An index page keeps its text, links and metadata like an article.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from dateutil.parser import UnknownTimezoneWarning
from htmldate import find_date
from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    document_fromstring,
)

from transforms.html.body import (
    DEFAULT_BODY_OPTIONS,
    BodyOptions,
    clean_paragraphs,
    fuller_readings,
    read_text,
    recall_text,
)
from transforms.html.byline_date import written_page_dates
from transforms.html.kind import INDEX_MIN_SCORE, explain, index_score
from transforms.html.kind_signals import PageSignals, page_signals, with_text
from transforms.html.links import document_base, extract_links
from transforms.html.meta import PageMeta, extract_meta, page_authors
from transforms.records import DateSource, PageKind, ParsedDocument
from transforms.text.dates import (
    date_in_url,
    first_plausible,
    page_date_witnesses,
    parse_datetime,
    vote_date,
)
from transforms.text.language import detect_language, word_count
from transforms.text.normalise import collapse_text
from transforms.text.urls import registered_domain

HtmlKind = Literal["article", "index", "empty", "error"]
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_UNPARSABLE = re.compile("[\x00-\x08\x0b\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# An error or sign-in page says so in a few words; short real news does not.
_ERROR_PAGE = re.compile(
    r"\b(?:404|page not found|not be found|couldn.t find|no longer available|access denied"
    r"|403 forbidden|^forbidden$|server error|sign in to|log in to|please (?:sign|log) in)\b",
    re.IGNORECASE | re.MULTILINE,
)
# A title that says so is an error page whatever links and suggestions its text lists.
_ERROR_TITLE = re.compile(
    r"^\W*(?:error\W*)?(?:40[34]\b|50[03]\b|page not found|not found\b|access denied"
    r"|(?:403 )?forbidden\W*$)",
    re.IGNORECASE,
)
_ERROR_PAGE_MAX_WORDS = 40
_FAR_FUTURE = "2099-12-31"  # htmldate's bound when no ingest time is given (no clock read)
_PARSER = HTMLParser(
    remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False
)
# lxml.html picks each element's class in Python (form controls get classes of their own),
# once per element object made: 8 % of a page's parse and extraction time. One class for
# every element, looked up in C, gives the same text (nothing here uses the form classes).
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
    )
)


@dataclass(frozen=True, slots=True)
class HtmlPage:
    """A parsed page and its kind: an article or index page keeps its paragraphs."""

    document: ParsedDocument
    kind: HtmlKind
    signals: PageSignals | None = None  # what the kind was decided on (None: no markup)


def read_html_page(
    html: str,
    *,
    url: str | None = None,
    now: datetime | None = None,
    options: BodyOptions = DEFAULT_BODY_OPTIONS,
) -> HtmlPage:
    """Parse a saved web page and tell its kind; `now` bounds the date (none after it)."""
    tree = parse_tree(html)
    if tree is None:
        site = registered_domain(url) if url else None
        return HtmlPage(ParsedDocument("html", None, (), url=url, site=site), "empty")
    meta = extract_meta(tree, url)
    links = extract_links(tree, document_base(tree, meta.url))
    markup = page_signals(
        tree,
        meta.url,
        meta.title,
        meta.page_types,
        anchor_texts=(link.anchor_text or "" for link in links),
    )
    teasers = {link.target_url for link in links if word_count(link.anchor_text or "") >= 8}
    markup = replace(markup, teaser_links=len(teasers))
    published_at, source = first_plausible((("meta", d) for d in meta.published_dates), now)
    page = ParsedDocument(
        source_format="html",
        title=meta.title,
        paragraphs=(),
        links=links,
        url=meta.url,
        site=meta.site,
        published_at=published_at,
        published_at_source=source,
        declared_language=meta.html_language,
        description=meta.description,
        image_url=meta.extras.image_url,
        categories=meta.extras.categories,
        tags=meta.extras.tags,
        modified_at=meta.modified_at,
    )
    headlines = _headlines(tree, meta)
    text = read_text(tree, url, options)
    paragraphs = clean_paragraphs(text.split("\n"), headlines, links, options)
    first = with_text(markup, paragraphs) if paragraphs else None
    recall = recall_text(tree, url, text, options)
    if recall is not None:
        paragraphs = clean_paragraphs(recall.split("\n"), headlines, links, options)
    for fuller in () if paragraphs else fuller_readings(tree, url, options):
        paragraphs = clean_paragraphs(fuller.split("\n"), headlines, links, options)
        if paragraphs:  # the fuller readings, before the page is called empty
            break
    if not paragraphs:
        return HtmlPage(page, "empty", markup)
    if _is_error_page(meta.title, paragraphs):
        return HtmlPage(page, "error", markup)
    # The higher of the two readings' scores is the index test's (text not read would
    # score no higher than either: it counts as prose that names its headline).
    final = with_text(markup, paragraphs)
    signals = first if first and index_score(first) > index_score(final) else final
    score = index_score(signals)
    kind: PageKind = "index" if score >= INDEX_MIN_SCORE else "article"
    labelled = replace(
        page, page_kind=kind, page_kind_score=score, page_kind_evidence=explain(signals)
    )
    return HtmlPage(_read_page(tree, meta, labelled, paragraphs, now), kind, signals)


def _read_page(
    tree: HtmlElement,
    meta: PageMeta,
    page: ParsedDocument,
    paragraphs: tuple[str, ...],
    now: datetime | None,
) -> ParsedDocument:
    """The page with its text: its paragraphs, authors, date (searched) and language."""
    published_at, source = vote_date(_page_dates(tree, meta, now), now)
    return replace(
        page,
        paragraphs=paragraphs,
        authors=page_authors(tree, meta),
        published_at=published_at,
        published_at_source=source,
        declared_language=meta.html_language or detect_language(" ".join(paragraphs[:20])),
    )


def parse_tree(html: str) -> HtmlElement | None:
    """The lxml document tree of a page, or None when there is no markup to parse."""
    # A form feed is white space to HTML but not text lxml may write back (htmldate does).
    text = _UNPARSABLE.sub("", _XML_DECLARATION.sub("", html, count=1)).replace("\x0c", " ")
    if not text.strip():
        return None
    try:
        tree = document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    return tree if isinstance(tree, HtmlElement) else None


def _is_error_page(title: str | None, paragraphs: tuple[str, ...]) -> bool:
    """A title, or a few words, that say the page is missing or locked ("Page not found",
    "403 Forbidden", "Sign in to…"); a story that says "forbidden fruit" is none."""
    if title and _ERROR_TITLE.search(title):
        return True
    if sum(word_count(p) for p in paragraphs) > _ERROR_PAGE_MAX_WORDS:
        return False
    return bool(_ERROR_PAGE.search("\n".join((title or "", *paragraphs))))


def _page_dates(
    tree: HtmlElement, meta: PageMeta, now: datetime | None
) -> list[tuple[DateSource, datetime | None]]:
    """The page's date witnesses, most trusted first (`page_date_witnesses`): its text's,
    the metadata's, htmldate's, the URL's; the text's dates are read knowing the days the
    metadata and the URL give (an ambiguous 09.10.2024 in the order they confirm)."""
    modified, in_url = meta.modified_at, date_in_url(meta.url)
    given = (*meta.published_dates, modified, in_url)
    known = frozenset(value.date() for value in given if value is not None)
    written = written_page_dates(tree, known, modified.date() if modified else None)
    found = _htmldate(tree, meta.url, now)
    return page_date_witnesses(written, meta.published_dates, modified, found, in_url)


def _htmldate(tree: HtmlElement, url: str | None, now: datetime | None) -> datetime | None:
    """htmldate's publication date: its quick search, then its extensive one if need be."""
    # The extensive search (text patterns, then dateparser) costs five times the quick one
    # and found a different date on one of the 336 dev articles the quick one dates.
    max_date = now.strftime("%Y-%m-%d") if now else _FAR_FUTURE
    for extensive in (False, True):
        with warnings.catch_warnings():  # dateutil on "EST": a page's words, not the run's news
            warnings.simplefilter("ignore", UnknownTimezoneWarning)
            found = find_date(
                tree, extensive_search=extensive, original_date=True, max_date=max_date, url=url
            )
        if found:
            return parse_datetime(found)
    return None


def _headlines(tree: HtmlElement, meta: PageMeta) -> set[str]:
    """The page's headline and its `<h1>`s, casefolded: a paragraph equal to one is no text."""
    texts = [meta.title or ""] + [collapse_text(h1.text_content()) for h1 in tree.iter("h1")]
    return {t.casefold() for t in texts if t}
