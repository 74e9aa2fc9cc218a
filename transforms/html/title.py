"""The headline of an HTML page: the visible `<h1>` when the metadata agrees, else the metadata.

Measured on the WCXB dev articles (`bench/real_html.py`): the human-checked headline is the
page's `<h1>` far more often than its `og:title` or `<title>`, which carry SEO wording and
the site's name. So: among the `<h1>`s that are not the site's own name (nor its logo, a
link to its front page; on a page without one, a blog theme's `<h2 class="entry-title">`:
trafilatura-eval 699 -> 702 of 835 titles, WCXB 715 of 793 either way), take the one that
shares the most words with the metadata titles (JSON-LD headline, og:title, twitter:title,
`<title>`), if it shares at least a fifth of them; an `<h1>` loses a date in front, a
"Posted on…" after it and a "| Section" tail. Without such an `<h1>`, the first metadata
title stands, less the parts of it that name the site ("Headline | The Daily Example" → "Headline").
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from transforms.text.normalise import collapse_text, compact_key

_PARTS = re.compile(r"\s+[|\u2013—·•»:~/-]{1,2}\s+")
_PIPE = re.compile(r"\s+\|\s+")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE_PREFIX = re.compile(
    rf"^(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|\d{{4}}-\d\d-\d\d)\s+",
    re.IGNORECASE,
)
_DATELINE_SUFFIX = re.compile(r"\s+(?:posted|published|updated)\s+(?:on\s+)?\w.*$", re.I)
_WORD = re.compile(r"\w+")
_MIN_SHARED_WORDS = 0.2
# The class of a heading that is the page's entry: "entry-title", "post-title", "headline".
_TITLE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:entry-title|post-title|article-title|headline)(?:$|[\s_-])", re.IGNORECASE
)


def extract_title(
    tree: HtmlElement,
    metas: dict[str, str],
    article: dict[str, Any],
    site_names: Iterable[str] = (),
) -> str | None:
    """The headline (see the module docstring); `site_names` are the names the site goes by."""
    titles = _meta_titles(tree, metas, article)
    sites = {compact_key(name) for name in site_names if name}
    headings = [
        _without_label(_clean_heading(h), titles)
        for h in _h1_texts(tree)
        if not _is_site_heading(h, sites, titles)
    ]
    if headings and titles:
        best = max(headings, key=lambda h: max(_shared_words(h, t) for t in titles))
        if max(_shared_words(best, t) for t in titles) >= _MIN_SHARED_WORDS:
            return best
    elif headings:
        return headings[0]
    return strip_site_name(_untruncated(titles), sites) if titles else None


def _meta_titles(tree: HtmlElement, metas: dict[str, str], article: dict[str, Any]) -> list[str]:
    """JSON-LD headline, og:title, twitter:title and `<title>`, unescaped, in that order."""
    values = [article.get("headline"), metas.get("og:title"), metas.get("twitter:title")]
    values += [element.text_content() for element in tree.iter("title")][:1]
    titles = [collapse_text(html.unescape(v)) for v in values if isinstance(v, str)]
    return [t for t in titles if t]


def _h1_texts(tree: HtmlElement) -> list[str]:
    """The non-empty `<h1>` texts, in document order, but the site's logo; without any, the
    first `<h2>` or `<h3>` whose class says it is the entry's title (a blog theme's
    `<h2 class="entry-title">`)."""
    texts = (collapse_text(h1.text_content()) for h1 in tree.iter("h1") if not _is_logo(h1))
    found = [t for t in texts if t]
    if found:
        return found
    titled = (
        collapse_text(h.text_content())
        for h in tree.iter("h2", "h3")
        if _TITLE_CLASS.search(h.get("class") or "")
    )
    return [t for t in titled if t][:1]


def _is_logo(h1: HtmlElement) -> bool:
    """An `<h1>` that is one link to the site's front page (`<h1><a href="/">Site</a></h1>`,
    or inside such a link): the site's name in its logo, not the page's headline."""
    parent = h1.getparent()
    if parent is not None and parent.tag == "a":
        return _is_front_page(parent.get("href") or "")
    links = h1.findall(".//a")
    return (
        len(links) == 1
        and collapse_text(links[0].text_content()) == collapse_text(h1.text_content())
        and _is_front_page(links[0].get("href") or "")
    )


def _is_front_page(href: str) -> bool:
    """Whether a link goes to a site's front page (an archive's copy of one too)."""
    start = max(href.rfind("http://"), href.rfind("https://"))
    target = urlsplit(href[start:] if start >= 0 else href)
    return target.path in ("", "/") and not target.query and (start >= 0 or href.startswith("/"))


def _is_site_heading(heading: str, sites: set[str], titles: list[str]) -> bool:
    """Whether an `<h1>` is the site's name: a known site name, the tail part of a
    "Headline | Site" title, or what `<title>` adds in front of og:title ("Blog: Headline")."""
    key = compact_key(heading)
    if key in sites:
        return True
    for title in titles:
        parts = _PARTS.split(title)
        if len(parts) >= 2 and compact_key(parts[-1]) == key:
            return True
        for other in titles:
            prefix = title[: -len(other)] if other != title and title.endswith(other) else ""
            if len(prefix.split()) <= 4 and compact_key(prefix) == key:
                return True
    return False


def _without_label(heading: str, titles: list[str]) -> str:
    """ "Blog: Headline" → "Headline" when a metadata title is that headline."""
    label, colon, rest = heading.partition(":")
    if (
        colon
        and len(label.split()) <= 2
        and compact_key(rest)
        and any(
            compact_key(rest) in (compact_key(t), compact_key(_PARTS.split(t)[0])) for t in titles
        )
    ):
        return rest.strip()
    return heading


def _clean_heading(heading: str) -> str:
    """An `<h1>` without a date before it, a "Posted on…" after it, or a "| Section" tail."""
    heading = _DATELINE_SUFFIX.sub("", _DATE_PREFIX.sub("", heading)) or heading
    head = _PIPE.split(heading)[0]
    return head if len(head.split()) >= 3 else heading


def strip_site_name(title: str, sites: set[str]) -> str:
    """A title without the parts that name the site; when several parts remain, the longest."""
    parts = _PARTS.split(title)
    if len(parts) < 2:
        first, _, rest = title.partition(" ")
        return rest if rest and compact_key(first) in sites else title  # "example.com Headline"
    kept = [p for p in parts if compact_key(p) not in sites] or parts
    return max(kept, key=len)


def _untruncated(titles: list[str]) -> str:
    """The first title, or a longer one it is the start of (JSON-LD headlines get cut at 110)."""
    first = titles[0]
    return next((t for t in titles[1:] if len(t) > len(first) and t.startswith(first)), first)


def _shared_words(a: str, b: str) -> float:
    """Words in common over words in either (Jaccard), case folded."""
    words_a, words_b = set(_WORD.findall(a.casefold())), set(_WORD.findall(b.casefold()))
    union = words_a | words_b
    return len(words_a & words_b) / len(union) if union else 0.0
