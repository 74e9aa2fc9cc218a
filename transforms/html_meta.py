"""Metadata of an HTML page: title, authors, date, canonical URL, site, language, description.

Sources in order of trust: schema.org JSON-LD (NewsArticle and kin), OpenGraph / `<meta>`
tags, then the DOM (`<h1>`, `<time>`, bylines); the date falls back to htmldate without
extensive search. Every function reads an already parsed lxml tree and never fetches.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from htmldate import find_date
from lxml.html import HtmlElement

from transforms.html_links import collapse_text, resolve_href
from transforms.links import registered_domain

_ARTICLE_TYPES = frozenset(
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
_AUTHOR_META = (
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "byl",
    "twitter:creator",
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
_BYLINE_XPATH = (
    ".//*[@rel='author' or @itemprop='author' or contains(@class, 'byline')"
    " or contains(@class, 'author-name') or contains(@class, 'article-author')]"
)
_BY_PREFIX = re.compile(
    r"^(?:(?:written|words|reporting|posted|published|story|text|photos?)\s+)?by\s*:?\s+"
    r"|^(?:von|par|por|door)\s+(?=\w+\s+\w)",
    re.IGNORECASE,
)
_AUTHOR_SPLIT = re.compile(r"\s*(?:[|•·;/]|\s[-\u2013—]\s|\band\b|&|\bund\b)\s*", re.IGNORECASE)
_AUTHOR_NOISE = re.compile(
    r"\d|@|https?:|www\.|\bmin(?:ute)?s?\b|\bread(?:ing)?\b|\bupdated?\b|\bpublished\b"
    r"|\bposted\b|\bcomments?\b|\bshare\b|\bfollow\b|\bstaff\b|\breporter\b|\bcorrespondent\b"
    r"|\beditor\b|\bwriter\b|\bcontributor\b|\bcolumnist\b|\bjournalist\b",
    re.IGNORECASE,
)
_NOT_NAMES = frozenset(
    {
        "by",
        "and",
        "admin",
        "anonymous",
        "unknown",
        "newsroom",
        "redacción",
        "redaccion",
        "rédaction",
        "redaction",
        "redaktion",
        "redazione",
    }
)
_TITLE_SEPARATORS = re.compile(r"\s+[|\u2013—·•-]\s+")
_LANG_TAG = re.compile(r"^([a-z]{2})(?:[-_][a-z0-9]+)*$", re.IGNORECASE)
_EARLIEST_YEAR, _LATEST_YEAR = 1990, 2100


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What the head and markup of a page say about the article."""

    title: str | None
    url: str | None
    site: str | None
    authors: tuple[str, ...]
    published_at: datetime | None
    html_language: str | None
    description: str | None


def extract_meta(tree: HtmlElement, url: str | None) -> PageMeta:
    """All page metadata; `url` (from a sidecar) overrides the page's canonical URL."""
    metas = collect_meta_tags(tree)
    article = find_json_ld_article(tree)
    page_url = url or canonical_url(tree, metas) or _json_url(article)
    site = _first_text(metas.get("og:site_name"), _json_name(article.get("publisher")))
    if site is None and page_url:
        site = registered_domain(page_url)
    return PageMeta(
        title=extract_title(tree, metas, article, site),
        url=page_url,
        site=site,
        authors=extract_authors(tree, metas, article),
        published_at=extract_published_at(tree, metas, article),
        html_language=html_language(tree),
        description=_first_text(
            metas.get("og:description"),
            metas.get("description"),
            metas.get("twitter:description"),
            article.get("description"),
        ),
    )


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
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        for node in _json_nodes(data):
            types = node.get("@type")
            names = [types] if isinstance(types, str) else types if isinstance(types, list) else []
            if any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in names):
                return node
    return {}


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


def extract_title(
    tree: HtmlElement, metas: dict[str, str], article: dict[str, Any], site: str | None
) -> str | None:
    """The headline: JSON-LD, og:title, the first `<h1>`, else `<title>` minus the site."""
    title = _first_text(article.get("headline"), metas.get("og:title"), metas.get("twitter:title"))
    if title is None:
        for h1 in tree.iter("h1"):
            title = _first_text(h1.text_content())
            if title:
                break
    if title is None:
        for element in tree.iter("title"):
            title = _first_text(element.text_content())
            break
    return _strip_site_suffix(title, site) if title else None


def _strip_site_suffix(title: str, site: str | None) -> str:
    """ "Headline | The Daily Example" → "Headline" when the last part names the site."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    tail = parts[-1].lower().replace(" ", "")
    site_key = (site or "").lower().replace(" ", "")
    if site_key and (tail in site_key or site_key.split(".")[0] in tail):
        last = list(_TITLE_SEPARATORS.finditer(title))[-1]
        return title[: last.start()].strip()
    return title


def extract_authors(
    tree: HtmlElement, metas: dict[str, str], article: dict[str, Any]
) -> tuple[str, ...]:
    """Clean author names from JSON-LD, author meta tags, else the visible byline."""
    from_json = clean_authors(_json_authors(article.get("author")))
    if from_json:
        return from_json
    from_meta = clean_authors(metas[key] for key in _AUTHOR_META if key in metas)
    if from_meta:
        return from_meta
    for element in tree.xpath(_BYLINE_XPATH):
        names = clean_authors([element.text_content()])
        if names:
            return names
    return ()


def _json_authors(value: Any) -> Iterator[str]:
    """Author names in a JSON-LD `author` value; people before organisations."""
    items = value if isinstance(value, list) else [value]
    people: list[str] = []
    others: list[str] = []
    for item in items:
        if isinstance(item, str):
            people.append(item)
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            is_org = str(item.get("@type", "")).lower() in {"organization", "newsmediaorganization"}
            (others if is_org else people).append(item["name"])
    yield from people or others


def clean_authors(raw: Iterable[str]) -> tuple[str, ...]:
    """Author names without "By", reading times, dates, roles or duplicates."""
    names: list[str] = []
    seen: set[str] = set()
    for value in raw:
        text = collapse_text(value)
        if text.startswith(("http://", "https://")):
            continue  # article:author often holds a profile URL
        for part in _split_authors(text):
            key = part.casefold()
            if key not in seen:
                seen.add(key)
                names.append(part)
    return tuple(names)


def _split_authors(text: str) -> Iterator[str]:
    """Candidate names in one byline string, noise parts dropped."""
    parts = _AUTHOR_SPLIT.split(text)
    if len(parts) == 1 and text.count(",") >= 1:
        comma_parts = [p.strip() for p in text.split(",")]
        # "Jane Doe, Omar Haddad" lists people; "Doe, Jane" is one inverted name
        if all(len(p.split()) >= 2 for p in comma_parts if p):
            parts = comma_parts
    for part in parts:
        name = _BY_PREFIX.sub("", part.strip()).strip(" ,:;.-\u2013—()[]\"'")
        name = _BY_PREFIX.sub("", name).strip()
        if not name or _AUTHOR_NOISE.search(name):
            continue
        words = name.split()
        if len(words) > 5 or len(name) > 60 or not any(ch.isalpha() for ch in name):
            continue
        if name.casefold() in _NOT_NAMES:
            continue
        yield name


def extract_published_at(
    tree: HtmlElement, metas: dict[str, str], article: dict[str, Any]
) -> datetime | None:
    """Publication time in UTC: JSON-LD, meta tags, `<time>`, else htmldate (day only)."""
    candidates: list[Any] = [article.get("datePublished"), article.get("dateCreated")]
    candidates += [metas.get(key) for key in _DATE_META]
    for value in candidates:
        parsed = parse_datetime(value) if isinstance(value, str) else None
        if parsed is not None:
            return parsed
    for time_element in tree.xpath(
        ".//time[@datetime][@itemprop='datePublished' or @pubdate or @data-published]"
        "|.//article//time[@datetime]|.//header//time[@datetime]"
    ):
        parsed = parse_datetime(time_element.get("datetime", ""))
        if parsed is not None:
            return parsed
    try:
        found = find_date(tree, extensive_search=False, original_date=True)
    except Exception:  # htmldate is defensive but not total on malformed trees
        return None
    return parse_datetime(found) if isinstance(found, str) else None


def parse_datetime(value: str) -> datetime | None:
    """An ISO 8601 or RFC 2822 timestamp as an aware UTC datetime; naive means UTC."""
    text = value.strip()
    if not text:
        return None
    parsed: datetime | None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed is None or not _EARLIEST_YEAR <= parsed.year <= _LATEST_YEAR:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


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
