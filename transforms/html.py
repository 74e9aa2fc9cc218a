"""Saved web pages to a parsed page: main text, metadata, links, and what kind of page it is.

The page is parsed once with lxml; that tree feeds trafilatura (main text, its author and
htmldate's date), our metadata and link walkers (`html_meta`, `html_links`) and the index
page test (`page_kind`). Every rule below was kept because it raised word-F1 on the WCXB
dev articles in `bench/real_html.py`, beside trafilatura alone, on both halves of the set.

Main text: trafilatura with comments off; its `favor_recall` reading replaces the default
one when it is at least 5 % longer (the default stops short on some layouts: +0.008 F1).
The text is then cleaned of the headline repeated as a paragraph, the headlines of
previous/next/related stories, short site-chrome lines ("Share this article", cookie and
newsletter prompts), and repeated paragraphs (+0.0013 together). One paragraph per block.

Kinds: `empty` when no text is left at all, or only the few words of an error or sign-in
page; `index` for a listing or collection of other pages (`page_kind`); else `article`.
Only an article keeps its paragraphs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

import trafilatura
from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

from transforms.dates import first_plausible, parse_datetime
from transforms.decoding import decode_html
from transforms.html_links import collapse_text, document_base, extract_links
from transforms.html_meta import PageMeta, extract_meta
from transforms.language import detect_language
from transforms.links import is_internal, registered_domain
from transforms.page_kind import is_index_page, page_signals
from transforms.records import LinkRef, ParsedDocument

__all__ = ["decode_html", "is_internal", "parse_html", "read_html_page", "registered_domain"]

PageKind = Literal["article", "index", "empty"]
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_UNPARSABLE = re.compile("[\x00-\x08\x0b\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CHROME = re.compile(
    r"^(?:no time to read\??|get a summary|previous article|next article|advertisement"
    r"|share (?:this|on)\b.*|read more\b.*|related(?: articles| stories)?:?|sign up\b.*"
    r"|subscribe\b.*|follow us\b.*|we use cookies\b.*|accept(?: all)?(?: cookies)?"
    r"|skip to (?:main )?content|most (?:read|popular)|(?:à )?lire aussi|see also|read also"
    r"|lesen sie auch|mehr zum thema|lee también|leer más)\s*:?$",
    re.IGNORECASE,
)
_CHROME_MAX_CHARS = 160
# An error or sign-in page says so in a few words; short real news does not.
_ERROR_PAGE = re.compile(
    r"\b(?:404|page not found|not be found|couldn.t find|no longer available|access denied"
    r"|forbidden|server error|sign in to|log in to|please (?:sign|log) in)\b",
    re.IGNORECASE,
)
_ERROR_PAGE_MAX_WORDS = 40
_REPEAT_MIN_WORDS = 9  # a repeated paragraph this long is a pull quote or a widget, not text
_RECALL_MIN_GAIN = 1.05
_FAR_FUTURE = "2099-12-31"  # htmldate's bound when no ingest time is given (no clock read)
_PARSER = HTMLParser(
    remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False
)


@dataclass(frozen=True, slots=True)
class BodyOptions:
    """How trafilatura extracts the main text (kept as data so the bench can compare)."""

    favor_precision: bool = False
    favor_recall: bool = False
    fast: bool = False  # no readability/justext fallbacks
    include_tables: bool = True
    recall_fallback: bool = True  # the favor_recall reading when it is longer
    drop_headlines: bool = True  # each clean-up rule can be switched off to measure it
    drop_other_stories: bool = True
    drop_chrome: bool = True
    drop_repeats: bool = True


DEFAULT_BODY_OPTIONS = BodyOptions()


@dataclass(frozen=True, slots=True)
class HtmlPage:
    """A parsed page and its kind; only an article keeps its paragraphs."""

    document: ParsedDocument
    kind: PageKind


@dataclass(frozen=True, slots=True)
class _Extraction:
    """What trafilatura read: the main text's lines, its author string and its date."""

    lines: list[str]
    author: str | None = None
    date: str | None = None


def parse_html(
    html: str,
    *,
    url: str | None = None,
    now: datetime | None = None,
    options: BodyOptions = DEFAULT_BODY_OPTIONS,
) -> ParsedDocument:
    """Parse a saved web page; `url` (from a sidecar) wins over the page's canonical URL."""
    return read_html_page(html, url=url, now=now, options=options).document


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
    extraction = extract_text(tree, url, now, options)
    meta = extract_meta(tree, url, extraction.author)
    links = extract_links(tree, document_base(tree, meta.url))
    paragraphs = clean_paragraphs(extraction.lines, _headlines(tree, meta), links, options)
    published_at, source = first_plausible(
        [("meta", meta.published_at), ("htmldate", _library_date(extraction.date))], now
    )
    document = ParsedDocument(
        source_format="html",
        title=meta.title,
        paragraphs=paragraphs,
        links=links,
        url=meta.url,
        site=meta.site,
        authors=meta.authors,
        published_at=published_at,
        published_at_source=source,
        language=meta.html_language
        or detect_language(
            " ".join(paragraphs) or " ".join(filter(None, (meta.title, meta.description)))
        ),
        description=meta.description,
    )
    if not paragraphs or _is_error_page(meta.title, paragraphs):
        return HtmlPage(replace(document, paragraphs=()), "empty")
    signals = page_signals(tree, meta.url, meta.title, meta.page_types, paragraphs)
    if is_index_page(signals):
        return HtmlPage(replace(document, paragraphs=()), "index")
    return HtmlPage(document, "article")


def parse_tree(html: str) -> HtmlElement | None:
    """The lxml document tree of a page, or None when there is no markup to parse."""
    text = _UNPARSABLE.sub("", _XML_DECLARATION.sub("", html, count=1))
    if not text.strip():
        return None
    try:
        tree = document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    return tree if isinstance(tree, HtmlElement) else None


def extract_text(
    tree: HtmlElement, url: str | None, now: datetime | None, options: BodyOptions
) -> _Extraction:
    """trafilatura's main text (its recall reading when longer), author and date."""
    common: dict[str, Any] = {
        "url": url,
        "include_comments": False,
        "include_tables": options.include_tables,
        "favor_precision": options.favor_precision,
        "fast": options.fast,
        "deduplicate": False,  # its cache is shared across documents: order would matter
    }
    max_date = now.strftime("%Y-%m-%d") if now else _FAR_FUTURE
    document = trafilatura.bare_extraction(
        tree,
        favor_recall=options.favor_recall,
        with_metadata=True,
        date_extraction_params={
            "extensive_search": True,
            "original_date": True,
            "max_date": max_date,
        },
        **common,
    )
    text = str(getattr(document, "text", None) or "")
    if options.recall_fallback and not options.favor_recall:
        recall = trafilatura.extract(tree, favor_recall=True, output_format="txt", **common) or ""
        if len(_WORDS.findall(recall)) > _RECALL_MIN_GAIN * len(_WORDS.findall(text)):
            text = recall
    author = getattr(document, "author", None)
    date = getattr(document, "date", None)
    return _Extraction(
        text.split("\n"),
        author if isinstance(author, str) else None,
        date if isinstance(date, str) else None,
    )


_WORDS = re.compile(r"\w+")


def _is_error_page(title: str | None, paragraphs: tuple[str, ...]) -> bool:
    """A few words that say the page is missing or locked ("Page not found", "Sign in to…")."""
    if sum(len(p.split()) for p in paragraphs) > _ERROR_PAGE_MAX_WORDS:
        return False
    return bool(_ERROR_PAGE.search(" ".join((title or "", *paragraphs))))


def _library_date(value: str | None) -> datetime | None:
    return parse_datetime(value) if value else None


def _headlines(tree: HtmlElement, meta: PageMeta) -> set[str]:
    """The page's headline and its `<h1>`s, casefolded: a paragraph equal to one is no text."""
    texts = [meta.title or ""] + [collapse_text(h1.text_content()) for h1 in tree.iter("h1")]
    return {t.casefold() for t in texts if t}


def clean_paragraphs(
    lines: Iterable[str],
    headlines: set[str],
    links: tuple[LinkRef, ...],
    options: BodyOptions = DEFAULT_BODY_OPTIONS,
) -> tuple[str, ...]:
    """Drop the repeated headline, site chrome, other stories' headlines and repeats."""
    foreign = {
        link.anchor_text.casefold()
        for link in links
        if link.kind != "hyperlink" and link.anchor_text
    } | {link.target_title.casefold() for link in links if link.target_title}
    kept: list[str] = []
    seen: set[str] = set()
    for line in lines:
        paragraph = unicodedata.normalize("NFC", collapse_text(line))
        key = paragraph.casefold()
        if (
            not paragraph
            or (options.drop_headlines and key in headlines)
            or (options.drop_other_stories and key in foreign)
            or (options.drop_chrome and _is_chrome(paragraph))
            or (options.drop_repeats and _is_repeat(paragraph, kept, seen))
        ):
            continue
        seen.add(key)
        kept.append(paragraph)
    return tuple(kept)


def _is_chrome(paragraph: str) -> bool:
    """A short line of site chrome ("Share this article", "Subscribe…")."""
    return len(paragraph) <= _CHROME_MAX_CHARS and bool(_CHROME.match(paragraph))


def _is_repeat(paragraph: str, kept: list[str], seen: set[str]) -> bool:
    """The paragraph just kept again, or a long paragraph seen before (a pull quote)."""
    if kept and kept[-1] == paragraph:
        return True
    return paragraph.casefold() in seen and len(paragraph.split()) >= _REPEAT_MIN_WORDS
