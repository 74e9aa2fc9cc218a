"""Saved web pages to ParsedDocument: decoding, main text, metadata and links.

The page is parsed once with lxml; that tree feeds trafilatura (main text), htmldate
(the date fallback) and our own metadata and link walkers (`html_meta`, `html_links`).

Main text: trafilatura with comments off, then a clean-up of what it lets through: the
headline and byline repeated as paragraphs, site chrome ("No time to read?", "Share this
article", cookie and newsletter prompts) and the headlines of related or previous/next
stories. One paragraph per block (paragraph, heading, list item, quote).

No-article rule: a page that holds no article (an error page, a cookie wall, a section
index whose text is mostly the headlines it links to) gives a ParsedDocument with empty
`paragraphs`; its metadata and links are still filled. The caller rejects it as
`empty_body`. Concretely the body is emptied when trafilatura finds nothing, when it has
fewer than `MIN_BODY_WORDS` words, or when half or more of its paragraphs are the anchor
texts of links on the page (a listing).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

import trafilatura
from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

from transforms.decoding import decode_text, detect_legacy_charset
from transforms.html_links import collapse_text, document_base, extract_links
from transforms.html_meta import PageMeta, extract_meta
from transforms.language import detect_language
from transforms.links import is_internal, registered_domain
from transforms.records import LinkRef, ParsedDocument

__all__ = ["decode_html", "is_internal", "parse_html", "registered_domain"]

MIN_BODY_WORDS = 25
_PRESCAN_BYTES = 4096
_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE
)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UNSAFE_CODECS = frozenset(
    {"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape", "utf-7"}
)
_ASCII_PROBE = "<meta charset=x>"
_MULTIBYTE_DECLARATIONS = ("utf-16", "utf-32")
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
_BYLINE_START = re.compile(r"^(?:by|par|von|por|door|di)\s", re.IGNORECASE)
_LISTING_MIN_HEADLINE_LINKS = 4
_LISTING_MAX_PARAGRAPH_WORDS = 40
_CHROME_MAX_CHARS = 160
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


DEFAULT_BODY_OPTIONS = BodyOptions()


def decode_html(data: bytes) -> str:
    """HTML bytes to NFC text: BOM, then a declared charset that fits, then detection."""
    declared = _declared_charset(data)
    if (
        not data.startswith(_BOMS)
        and b"\x00" not in data[:8192]
        and not _decodes(data, declared)
        and not _decodes(data, "utf-8")
    ):
        declared = detect_legacy_charset(data)
    return decode_text(data, declared=declared)


def _decodes(data: bytes, encoding: str | None) -> bool:
    """Whether the bytes decode strictly with the encoding (False for None or unknown)."""
    if encoding is None:
        return False
    try:
        data.decode(encoding)
    except (LookupError, UnicodeError):
        return False
    return True


def _is_ascii_compatible(encoding: str) -> bool:
    """Whether ASCII markup decodes to itself in the encoding."""
    try:
        return _ASCII_PROBE.encode("ascii").decode(encoding) == _ASCII_PROBE
    except (LookupError, UnicodeError, ValueError):
        return False


def _declared_charset(data: bytes) -> str | None:
    """The `<meta charset>` / http-equiv charset, unless the bytes contradict it."""
    match = _META_CHARSET.search(data[:_PRESCAN_BYTES])
    if not match:
        return None
    name = match.group(1).decode("ascii")
    try:
        codec = codecs.lookup(name)
    except LookupError:
        return None
    if codec.name in _UNSAFE_CODECS or not _is_ascii_compatible(codec.name):
        return None  # not an ASCII-compatible text codec: no web page is in it
    if codec.name.startswith(_MULTIBYTE_DECLARATIONS):
        return None  # a UTF-16 page cannot announce itself in ASCII; browsers read UTF-8
    if codec.name != "utf-8" and not data.isascii() and _decodes(data, "utf-8"):
        return None  # valid multi-byte UTF-8 under a legacy label: the label lies
    return name


def parse_html(
    html: str, *, url: str | None = None, options: BodyOptions = DEFAULT_BODY_OPTIONS
) -> ParsedDocument:
    """Parse a saved web page; `url` (from a sidecar) wins over the page's canonical URL."""
    tree = parse_tree(html)
    if tree is None:
        return ParsedDocument(
            source_format="html",
            title=None,
            paragraphs=(),
            url=url,
            site=registered_domain(url) if url else None,
        )
    meta = extract_meta(tree, url)
    links = extract_links(tree, document_base(tree, meta.url))
    paragraphs = extract_paragraphs(tree, meta, links, options)
    language = meta.html_language or detect_language(
        " ".join(paragraphs) or " ".join(filter(None, (meta.title, meta.description)))
    )
    return ParsedDocument(
        source_format="html",
        title=meta.title,
        paragraphs=paragraphs,
        links=links,
        url=meta.url,
        site=meta.site,
        authors=meta.authors,
        published_at=meta.published_at,
        language=language,
        description=meta.description,
    )


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


def extract_paragraphs(
    tree: HtmlElement, meta: PageMeta, links: tuple[LinkRef, ...], options: BodyOptions
) -> tuple[str, ...]:
    """The article's paragraphs, or () when the page holds no article."""
    text = trafilatura.extract(
        tree,
        url=meta.url,
        output_format="txt",
        include_comments=False,
        include_tables=options.include_tables,
        include_images=False,
        include_links=False,
        favor_precision=options.favor_precision,
        favor_recall=options.favor_recall,
        fast=options.fast,
        deduplicate=False,
        with_metadata=False,
    )
    if not text:
        return ()
    paragraphs = clean_paragraphs(text.split("\n"), meta, links)
    if sum(len(p.split()) for p in paragraphs) < MIN_BODY_WORDS:
        return ()
    if _is_listing(tree, paragraphs, links):
        return ()
    return paragraphs


def clean_paragraphs(
    lines: list[str], meta: PageMeta, links: tuple[LinkRef, ...]
) -> tuple[str, ...]:
    """Drop repeated headline and byline, site chrome and other stories' headlines."""
    foreign = {
        link.anchor_text.casefold()
        for link in links
        if link.kind != "hyperlink" and link.anchor_text
    } | {link.target_title.casefold() for link in links if link.target_title}
    title = (meta.title or "").casefold()
    kept: list[str] = []
    for line in lines:
        paragraph = unicodedata.normalize("NFC", collapse_text(line))
        key = paragraph.casefold()
        if not paragraph or key == title or key in foreign:
            continue
        if len(paragraph) <= _CHROME_MAX_CHARS and (
            _CHROME.match(paragraph) or _is_byline(paragraph, meta)
        ):
            continue
        if kept and kept[-1] == paragraph:
            continue
        kept.append(paragraph)
    return tuple(kept)


def _is_byline(paragraph: str, meta: PageMeta) -> bool:
    """A short line that only names the authors (and perhaps a date or reading time)."""
    if not meta.authors or len(paragraph) > 120:
        return False
    lowered = paragraph.casefold()
    return bool(_BYLINE_START.match(paragraph)) and any(
        a.casefold() in lowered for a in meta.authors
    )


def _is_listing(tree: HtmlElement, paragraphs: tuple[str, ...], links: tuple[LinkRef, ...]) -> bool:
    """Whether the text is an index of other stories rather than one article.

    Either half or more of the paragraphs are link anchor texts, or the page has several
    linked headlines (teaser cards) and no paragraph long enough to be article prose.
    """
    anchors = {link.anchor_text.casefold() for link in links if link.anchor_text}
    linked = sum(1 for p in paragraphs if p.casefold().lstrip("- ") in anchors)
    if len(paragraphs) >= 4 and linked * 2 >= len(paragraphs):
        return True
    if max(len(p.split()) for p in paragraphs) >= _LISTING_MAX_PARAGRAPH_WORDS:
        return False
    headline_links = tree.xpath("count(//h2//a[@href]|//h3//a[@href]|//h4//a[@href])")
    return isinstance(headline_links, float) and headline_links >= _LISTING_MIN_HEADLINE_LINKS
