"""Index pages (section fronts, listings, shop categories) told apart from articles.

A page scores points for what index pages have and loses points for what articles have;
at `INDEX_MIN_SCORE` or more it is an index page (`not_an_article`). The features and
points were measured on the WCXB dev pages (793 articles, 216 listing and collection
pages; `bench/real_html.py`) and checked on both halves (odd and even ids). The threshold
keeps short news items and pages with many linked headlines in sidebars: one dev article
scores 4 or more (a portfolio page), 15 score 2 or 3, and 56 % of the index pages score 4
or more. A threshold of 3 would take 63 % of them but four articles; 2, 75 % and sixteen.

Index evidence:
  +3 anchor text is 60 % or more of the page's visible text;
  +3 shop buttons ("add to cart", "quick view"); +2 twenty prices or more, +1 fifty or more;
  +3 pagination (two links to a next page); +1 sort / filter / "N results" words (5 or more);
  +1 most `<h2>`/`<h3>` are links (5 or more headings); +1 a headline of 3 words or fewer;
  +1 JSON-LD CollectionPage / ItemList / SearchResultsPage / Product / OfferCatalog;
  +1 og:type website or product, +2 product.group; +1 a short URL path (one segment, at
  most one hyphen), +2 the site's front page (no path).
Article evidence:
  -3 a URL slug of six words or more; -1 og:type article; -1 a JSON-LD article type;
  -1 a date in the URL; -1 three prose paragraphs or more, -1 more at ten.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from transforms.dates import date_in_url
from transforms.html_meta import ARTICLE_TYPES

INDEX_MIN_SCORE = 4
_INDEX_TYPES = frozenset(
    {"collectionpage", "itemlist", "searchresultspage", "product", "offercatalog"}
)
_SITE_TYPES = frozenset({"og:website", "og:product", "og:product.group"})
_VISIBLE_TEXT = ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
_LINK_TEXT = ".//a//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
_PAGER = ".//a[@rel='next' or contains(@href, 'page=2') or contains(@href, '/page/2')]"
_PRICE = re.compile(r"[$€£]\s?\d[\d,]*(?:\.\d\d)?|\d[\d,]*(?:\.\d\d)?\s?(?:€|USD|EUR)\b")
_SHOP_BUTTON = re.compile(r"add to (?:cart|bag|basket|wish)|quick ?view", re.IGNORECASE)
_SORT_WORDS = re.compile(r"\bsort by\b|\bfilters?\b|\d+ (?:results|products|items)\b", re.I)
_PROSE_END = re.compile(r"[.!?:;\"”’)]$")
_PROSE_MIN_WORDS = 25


@dataclass(frozen=True, slots=True)
class PageSignals:
    """What a page shows of being an index or an article (see the module docstring)."""

    link_text_share: float
    prices: int
    shop_buttons: int
    pager_links: int
    sort_words: int
    headings: int
    linked_headings: int
    title_words: int
    page_types: frozenset[str]
    url_segments: int | None  # None when the URL is unknown
    slug_hyphens: int
    url_has_date: bool
    prose_paragraphs: int


def page_signals(
    tree: HtmlElement,
    url: str | None,
    title: str | None,
    page_types: frozenset[str],
    paragraphs: Sequence[str],
) -> PageSignals:
    """Measure the signals of one parsed page (its extracted paragraphs included)."""
    body = tree.find("body")
    root = body if body is not None else tree
    text = " ".join(" ".join(root.xpath(_VISIBLE_TEXT)).split())
    link_text = " ".join(" ".join(root.xpath(_LINK_TEXT)).split())
    headings = root.xpath(".//h2|.//h3")
    segments = [s for s in urlsplit(url).path.split("/") if s] if url else None
    return PageSignals(
        link_text_share=len(link_text) / max(len(text), 1),
        prices=len(_PRICE.findall(text)),
        shop_buttons=len(_SHOP_BUTTON.findall(text)),
        pager_links=len(root.xpath(_PAGER)),
        sort_words=len(_SORT_WORDS.findall(text)),
        headings=len(headings),
        linked_headings=sum(1 for h in headings if h.xpath(".//a[@href]") or _in_link(h)),
        title_words=len((title or "").split()),
        page_types=page_types,
        url_segments=len(segments) if segments is not None else None,
        slug_hyphens=segments[-1].count("-") if segments else 0,
        url_has_date=date_in_url(url) is not None,
        prose_paragraphs=sum(1 for p in paragraphs if _is_prose(p)),
    )


def _in_link(element: HtmlElement) -> bool:
    parent = element.getparent()
    return parent is not None and parent.tag == "a"


def _is_prose(paragraph: str) -> bool:
    """A paragraph of 25 words or more that ends like a sentence."""
    return len(paragraph.split()) >= _PROSE_MIN_WORDS and bool(_PROSE_END.search(paragraph))


def index_score(s: PageSignals) -> int:
    """Index evidence minus article evidence, in points (see the module docstring)."""
    index = (
        3 * (s.link_text_share >= 0.6)
        + 3 * (s.shop_buttons > 0)
        + 2 * (s.prices >= 20)
        + (s.prices >= 50)
        + 3 * (s.pager_links >= 2)
        + (s.sort_words >= 5)
        + (s.headings >= 5 and s.linked_headings * 2 >= s.headings)
        + (0 < s.title_words <= 3)
        + bool(s.page_types & _INDEX_TYPES)
        + bool(s.page_types & _SITE_TYPES)
        + (s.url_segments is not None and s.url_segments <= 1 and s.slug_hyphens <= 1)
        + (s.url_segments == 0)
        + ("og:product.group" in s.page_types)
    )
    article = (
        3 * (s.slug_hyphens >= 5)
        + ("og:article" in s.page_types)
        + bool(s.page_types & ARTICLE_TYPES)
        + s.url_has_date
        + (s.prose_paragraphs >= 3)
        + (s.prose_paragraphs >= 10)
    )
    return int(index) - int(article)


def is_index_page(signals: PageSignals) -> bool:
    """Whether the page is an index of other pages rather than one article."""
    return index_score(signals) >= INDEX_MIN_SCORE
