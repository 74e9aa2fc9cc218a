"""Metadata of an HTML page: title, authors, date, canonical URL, site, language, description.

Sources in order of trust: schema.org JSON-LD (NewsArticle and kin), OpenGraph / `<meta>`
tags, then the DOM (`<time>`, bylines). The headline and authors have modules of their own
(`html_title`, `html_authors`); the date here is the page's metadata only (source `meta`):
the fallbacks (htmldate, the URL, the path) are `transforms.text.dates`' business. Authors are
read apart (`page_authors`), only for the pages that turn out to be articles: their last
sources search the whole page. Every function reads an already parsed lxml tree and never
fetches.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml.html import HtmlElement

from transforms.html.authors import extract_authors
from transforms.html.extras import PageExtras, extract_extras
from transforms.html.links import resolve_href
from transforms.html.title import extract_title
from transforms.text.dates import parse_datetime
from transforms.text.normalise import collapse_text
from transforms.text.urls import registered_domain

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "liveblogposting",
        "scholarlyarticle",
        "techarticle",
        "report",
        "posting",
    }
)
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "date",
)
_MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "last-modified",
    "dcterms.modified",
)
_LANG_TAG = re.compile(r"^([a-z]{2})(?:[-_][a-z0-9]+)*$", re.IGNORECASE)
_HOST_NOISE = frozenset({"www", "com", "org", "net", "co", "uk", "edu", "gov", "io"})


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What the head and markup of a page say about the article."""

    title: str | None
    url: str | None
    site: str | None
    published_dates: tuple[datetime, ...]  # the metadata's witnesses, most trusted first
    html_language: str | None
    description: str | None
    modified_at: datetime | None = None
    page_types: frozenset[str] = frozenset()  # "og:<og:type>" and JSON-LD @types, lower-cased
    # What `page_authors` reads: the meta tags, the JSON-LD article, the site's names.
    tags: Mapping[str, str] = field(default_factory=dict, repr=False)
    json_ld: Mapping[str, Any] = field(default_factory=dict, repr=False)
    site_names: tuple[str, ...] = ()
    extras: PageExtras = field(default_factory=PageExtras)  # main image, categories, tags


def extract_meta(tree: HtmlElement, url: str | None) -> PageMeta:
    """All page metadata but the authors; `url` (from a sidecar) overrides the canonical URL."""
    metas = collect_meta_tags(tree)
    article = find_json_ld_article(tree)
    page_url = url or canonical_url(tree, metas) or _json_url(article)
    site = _first_text(metas.get("og:site_name"), _json_name(article.get("publisher")))
    if site is None and page_url:
        site = registered_domain(page_url)
    names = site_names(metas, article, page_url)
    return PageMeta(
        title=extract_title(tree, metas, article, names),
        url=page_url,
        site=site,
        published_dates=extract_published_dates(tree, metas, article),
        modified_at=extract_modified_at(metas, article),
        html_language=html_language(tree),
        description=_first_text(
            metas.get("og:description"),
            metas.get("description"),
            metas.get("twitter:description"),
            article.get("description"),
        ),
        page_types=page_types(tree, metas),
        tags=metas,
        json_ld=article,
        site_names=tuple(names),
        extras=extract_extras(tree, metas, article, page_url),
    )


def page_authors(tree: HtmlElement, meta: PageMeta) -> tuple[str, ...]:
    """The page's authors, cleaned (`html_authors`)."""
    return extract_authors(tree, meta.tags, meta.json_ld, meta.site_names)


def site_names(metas: dict[str, str], article: dict[str, Any], url: str | None) -> list[str]:
    """The names a site goes by: og:site_name, the JSON-LD publisher, application-name and
    the labels of its host name ("www.example-news.co.uk" → "example-news")."""
    names = [
        metas.get("og:site_name"),
        metas.get("application-name"),
        _json_name(article.get("publisher")),
    ]
    host = (registered_domain(url) or "") if url else ""
    names += [label for label in host.split(".") if label not in _HOST_NOISE]
    names.append(host)
    return [html.unescape(name) for name in names if name]


def collect_meta_tags(tree: HtmlElement) -> dict[str, str]:
    """`<meta>` contents keyed by lower-cased property/name/itemprop; the first one wins."""
    metas: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if key and content and content.strip():
            metas.setdefault(key.strip().lower(), content.strip())
    return metas


def find_json_ld_article(tree: HtmlElement) -> dict[str, Any]:
    """The first schema.org article object in the page's JSON-LD, or an empty dict."""
    for node in _json_ld_nodes(tree):
        types = node.get("@type")
        names = [types] if isinstance(types, str) else types if isinstance(types, list) else []
        if any(isinstance(t, str) and t.lower() in ARTICLE_TYPES for t in names):
            return node
    return {}


def page_types(tree: HtmlElement, metas: dict[str, str]) -> frozenset[str]:
    """What the page says it is: "og:" + its og:type, and every JSON-LD @type; lower-cased."""
    types = {f"og:{metas['og:type'].lower()}"} if "og:type" in metas else set()
    for node in _json_ld_nodes(tree):
        value = node.get("@type")
        for name in [value] if isinstance(value, str) else value if isinstance(value, list) else []:
            if isinstance(name, str):
                types.add(name.lower())
    return frozenset(types)


def _json_ld_nodes(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    """Every object of every JSON-LD script of the page (top level, lists, `@graph`)."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        yield from _json_nodes(data)


def _json_nodes(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Objects of a JSON-LD document: top level, lists and `@graph`, not deeper."""
    if depth > 3:
        return
    if isinstance(data, list):
        for item in data:
            yield from _json_nodes(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _json_nodes(data["@graph"], depth + 1)


def canonical_url(tree: HtmlElement, metas: dict[str, str]) -> str | None:
    """The page's own absolute URL: `<link rel=canonical>`, else og:url."""
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            href = resolve_href(link.get("href") or "", metas.get("og:url"))
            if href and href.startswith(("http://", "https://")):
                return href
    og_url = (metas.get("og:url") or "").strip()
    return og_url if og_url.startswith(("http://", "https://")) else None


_OPEN_GRAPH_DATES = ("article:published_time", "og:article:published_time")
_TIME_ELEMENTS = (
    ".//time[@datetime][@itemprop='datePublished' or @pubdate or @data-published]"
    "|.//article//time[@datetime]|.//header//time[@datetime]"
)


def extract_published_dates(
    tree: HtmlElement, metas: dict[str, str], article: dict[str, Any]
) -> tuple[datetime, ...]:
    """The publication times the metadata states (offsets kept), one per kind of source, most
    trusted first: the JSON-LD article, OpenGraph, the other meta tags, a `<time>` element.
    Each is a witness of its own: `transforms.text.dates.vote_date` weighs them."""
    json_ld = _first_datetime(article.get("datePublished"), article.get("dateCreated"))
    open_graph = _first_datetime(*(metas.get(key) for key in _OPEN_GRAPH_DATES))
    other = _first_datetime(*(metas.get(key) for key in _DATE_META if key not in _OPEN_GRAPH_DATES))
    element = _first_datetime(*(t.get("datetime", "") for t in tree.xpath(_TIME_ELEMENTS)))
    return tuple(found for found in (json_ld, open_graph, other, element) if found is not None)


def _first_datetime(*values: Any) -> datetime | None:
    """The first of the values that parses as a timestamp."""
    for value in values:
        parsed = parse_datetime(value) if isinstance(value, str) else None
        if parsed is not None:
            return parsed
    return None


def extract_modified_at(metas: dict[str, str], article: dict[str, Any]) -> datetime | None:
    """Last modification time the page's metadata states (JSON-LD, then meta tags)."""
    return _first_datetime(article.get("dateModified"), *(metas.get(key) for key in _MODIFIED_META))


def html_language(tree: HtmlElement) -> str | None:
    """The ISO 639-1 code in `<html lang>` (or xml:lang), if it holds one."""
    root = tree.getroottree().getroot()
    value = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not value:
        return None
    match = _LANG_TAG.match(value.strip())
    return match.group(1).lower() if match else None


def _json_url(article: dict[str, Any]) -> str | None:
    """The article URL a JSON-LD object states (`url`, else `mainEntityOfPage`)."""
    for value in (article.get("url"), article.get("mainEntityOfPage")):
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        if isinstance(value, str) and value.strip().startswith(("http://", "https://")):
            return value.strip()
    return None


def _json_name(value: Any) -> str | None:
    """The `name` of a JSON-LD object (or the string itself)."""
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("name")
    return value if isinstance(value, str) else None


def _first_text(*values: Any) -> str | None:
    """The first non-empty string among the values, whitespace-collapsed and NFC."""
    for value in values:
        if isinstance(value, str):
            text = collapse_text(value)
            if text:
                return unicodedata.normalize("NFC", text)
    return None
