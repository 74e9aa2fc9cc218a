"""Authors of an HTML page: the first source that names someone, cleaned into a list of names.

Sources in order (measured on the WCXB dev pages, `bench/real_html.py`): schema.org JSON-LD
people, the `article:author`, `author` and parse.ly/sailthru/Dublin Core meta tags,
trafilatura's own author finder (bylines in the markup), our byline selector, and last
JSON-LD organisations. A site name beside a person's name is dropped (og:site_name, the
publisher, the domain); a site alone stays, as the dev pages' own bylines name it. Cleaning
drops "By", roles, dates, reading times, handles and markup debris, and splits "A, B and
C" into three names.
"""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from lxml.html import HtmlElement
from trafilatura.metadata import examine_meta, extract_author, extract_meta_json

from transforms.text.normalise import collapse_text, compact_key

_AUTHOR_META = ("article:author", "author", "parsely-author", "sailthru.author", "dc.creator")
_BYLINE_XPATH = (
    ".//*[@rel='author' or @itemprop='author' or contains(@class, 'byline')"
    " or contains(@class, 'author-name') or contains(@class, 'article-author')]"
)
_ORGANISATION_TYPES = frozenset({"organization", "newsmediaorganization", "corporation"})
_BY_PREFIX = re.compile(
    r"^(?:(?:written|words|reporting|posted|published|story|text|photos?|article|recipe"
    r"|reviewed|edited|compiled|this (?:post|article|story) (?:was )?written)\s+)?by\s*:?\s+"
    r"|^(?:authors?|von|par|por|door)\s*:\s*|^(?:authors?|von|par|por|door)\s+(?=\w+\s+\w"
    r"|(?:redaktion|redacci[oó]n|r[ée]daction|redazione)\b)",
    re.IGNORECASE,
)
_AUTHOR_SPLIT = re.compile(r"\s*(?:[|•·;/]|\s[-\u2013—]\s|\band\b|&|\bund\b)\s*", re.IGNORECASE)
# A byline glued to its date ("Luke Kim December 12" loses its digits upstream). Months that
# are also first or last names (April, May, June, July, August) only count with a day.
_MONTH_NAMES = "january|february|march|september|october|november|december"
_MONTH_ABBREVIATIONS = "jan|feb|mar|apr|may|june?|july?|aug|sept?|oct|nov|dec"
_MONTH = rf"{_MONTH_NAMES}|(?:{_MONTH_ABBREVIATIONS})\.?\s+\d"
_ONLY_A_MONTH = re.compile(rf"^(?:{_MONTH_NAMES}|april|august|{_MONTH_ABBREVIATIONS})\.?$", re.I)
_TRAILING_DATE = re.compile(
    rf"\s+(?:(?:last\s+)?updated\b.*|(?:reviewed|edited|fact[- ]checked)\s+by\b.*"
    rf"|(?:published|posted|on)?\s*(?:{_MONTH})\b.*)$",
    re.IGNORECASE,
)
_AUTHOR_NOISE = re.compile(
    r"\d|@|https?:|www\.|\.(?:com|org|net|io|co|uk)\b|[{}<>=\"]|\bmin(?:ute)?s?\b"
    r"|\bread(?:ing)?\b|\bupdated?\b|\bpublished\b|\bposted\b|\bcomments?\b|\bshare\b"
    r"|\bfollow\b|\bview\b|\bposts\b|[a-z]\.[a-z]|^\w+\s+by$",
    re.IGNORECASE,
)
# A role after a name is cut off ("Keith Barry Senior Autos Reporter" → "Keith Barry"); a
# role alone is no name ("Staff Reporter"). A collective after a name is the author
# ("Podium Staff", "Everfit Team").
_ROLE_WORDS = frozenset(
    {"reporter", "correspondent", "editor", "writer", "columnist", "journalist", "consultant"}
    | {"director", "ceo", "founder", "senior", "former", "chief", "contributing", "head"}
    | {"attorney", "expert", "co-founder", "cofounder", "reviewer", "lead"}
)
_COLLECTIVE_WORDS = frozenset({"staff", "team", "contributor", "contributors", "desk"})
_NOT_NAMES = frozenset(
    {
        "by",
        "and",
        "on",
        "home",
        "admin",
        "anonymous",
        "unknown",
        "newsroom",
        "the author",
    }
)


def extract_authors(
    tree: HtmlElement,
    metas: Mapping[str, str],
    article: Mapping[str, Any],
    site_names: Iterable[str] = (),
) -> tuple[str, ...]:
    """Clean author names from the first source that has one (see the module docstring).

    `site_names` are the names the site goes by.
    """
    sites = {_site_key(name) for name in site_names if name}
    for source in _author_sources(tree, metas, article):
        names = clean_authors(source)
        if names:
            # "Jane Doe, The Daily Example" loses the site; a site alone is its own author
            return tuple(n for n in names if _site_key(n) not in sites) or names
    return ()


def _author_sources(
    tree: HtmlElement, metas: Mapping[str, str], article: Mapping[str, Any]
) -> Iterator[Iterable[str]]:
    """The author sources in order, each read only when the ones before it name no one."""
    people, organisations = _json_authors(article.get("author"))
    yield people
    yield from ([metas[key]] for key in _AUTHOR_META if key in metas)
    yield _library_author(tree)
    yield _byline_texts(tree)
    yield organisations


def _library_author(tree: HtmlElement) -> Iterator[str]:
    """trafilatura's author string ("A; B"): its meta tags and JSON-LD, else its byline search."""
    # The steps of its `extract_metadata`, without the rest of it: htmldate's search alone
    # costs more than the author, and the date has sources of its own (`transforms.html.page`).
    found = examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None  # trafilatura's own rule: a one-word meta author is a handle
    with contextlib.suppress(Exception):  # as trafilatura does: its reader raises on odd JSON
        found = extract_meta_json(tree, found)
    author = found.author or extract_author(tree)
    if author:
        yield author


def _byline_texts(tree: HtmlElement) -> Iterator[str]:
    """The text of the first byline element that yields a name."""
    for element in tree.xpath(_BYLINE_XPATH):
        text = element.text_content()
        if clean_authors([text]):
            yield text
            return


def _json_authors(value: Any) -> tuple[list[str], list[str]]:
    """Names in a JSON-LD `author` value: (people, organisations)."""
    items = value if isinstance(value, list) else [value]
    people: list[str] = []
    organisations: list[str] = []
    for item in items:
        if isinstance(item, str):
            people.append(item)
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            kind = str(item.get("@type", "")).lower()
            (organisations if kind in _ORGANISATION_TYPES else people).append(item["name"])
    return people, organisations


def clean_authors(raw: Iterable[str]) -> tuple[str, ...]:
    """Author names without "By", reading times, dates, roles or duplicates."""
    names: list[str] = []
    seen: set[str] = set()
    for value in raw:
        text = collapse_text(html.unescape(value))
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
    for part in (p for chunk in _AUTHOR_SPLIT.split(text) for p in _split_commas(chunk)):
        name = _BY_PREFIX.sub("", part.strip()).strip(" ,:;.-\u2013—()[]\"'")
        name = _TRAILING_DATE.sub("", _BY_PREFIX.sub("", name)).strip(" ,:;.-\u2013—")
        name = _without_role(name)
        if not name or _AUTHOR_NOISE.search(name):
            continue
        words = name.split()
        if len(words) > 5 or len(name) > 60 or not any(ch.isalpha() for ch in name):
            continue
        if name.casefold() in _NOT_NAMES or _ONLY_A_MONTH.match(name):
            continue
        yield name


def _split_commas(text: str) -> list[str]:
    """ "Jane Doe, Omar Haddad" lists people; "Doe, Jane" is one inverted name."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) > 1 and all(len(p.split()) >= 2 for p in parts if p):
        return parts
    return [text]


def _without_role(name: str) -> str:
    """The name before a role word, "" for a role alone, a collective author kept whole."""
    words = name.split()
    for index, word in enumerate(words):
        lowered = word.casefold().strip(".,")
        if lowered in _COLLECTIVE_WORDS:
            if index == len(words) - 1:
                return name if index >= 1 else ""
            return " ".join(words[:index]) if index >= 2 else ""
        if lowered in _ROLE_WORDS:
            return " ".join(words[:index]) if index >= 2 else ""
    return name


def _site_key(name: str) -> str:
    """A site's name as `compact_key` compares it, without a domain's suffix ("Paperium.net"
    ~ "paperium")."""
    key = compact_key(name)
    for suffix in ("com", "org", "net", "couk", "co"):
        if key.endswith(suffix) and len(key) > len(suffix) + 2 and "." in name:
            return key[: -len(suffix)]
    return key
