r"""What a page shows of being an index or an article: the signals the index test scores.

`page_signals` measures a parsed page's markup (its link share, prices, pagination, headings,
URL, metadata types, headline); `with_text` adds what its text says once read (prose
paragraphs, a sentence, the headline's share of the words, the share of link texts).
`transforms.html.kind` turns them into points, a score and the label's evidence.
Words are `transforms.text.language.word_count`'s: a Chinese or Japanese character each, so such
a headline is not "short" nor its paragraphs less than prose. A headline in a script written
without spaces (those two, Thai…) gives no evidence of being missing from the text: `\w+`
reads it as one run that the text never repeats. Thai, Lao, Burmese and Khmer text gives
no evidence of having no sentence: its words are not counted one by one, and Thai and Lao
have no full stop.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from lxml import etree
from lxml.html import HtmlElement

from transforms.html.page_url import names_item, names_section, path_segments
from transforms.text.dates import date_in_url
from transforms.text.language import UNCOUNTED_SCRIPT, UNSPACED_SCRIPT, word_count
from transforms.text.sentences import split_sentences

# Plain strings: lxml's default "smart" results carry their parent, which costs time here.
_VISIBLE_TEXT = etree.XPath(
    ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]",
    smart_strings=False,
)
# A link to the second page of a list: `?page=2`, `&paged=2`, `/page/2/` (not `/page/2251/`,
# nor a blog post's rel=next link to the next story).
_PAGE_TWO = re.compile(r"(?:[?&][a-z_]*page[a-z_]*=|/page/)2(?![0-9a-z])", re.IGNORECASE)
_PRICE = re.compile(r"[$€£]\s?\d[\d,]*(?:\.\d\d)?|\d[\d,]*(?:\.\d\d)?\s?(?:€|USD|EUR)\b")
_SHOP_BUTTON = re.compile(r"add to (?:cart|bag|basket|wish)|quick ?view", re.IGNORECASE)
_SORT_WORDS = re.compile(r"\b(?:sort by|filters?)\b|\d+ (?:results|products|items)\b", re.I)
# A sentence's end: a full stop of Latin, Chinese and Japanese, Devanagari, Arabic, Ethiopic,
# Burmese or Khmer script, or a colon or semicolon, then closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?:;。！？।॥۔؟።။។][\"'”’)」』）]*$")
_SENTENCE_MIN_WORDS = 12
_PROSE_MIN_WORDS = 25
_WORD = re.compile(r"\w+")
# Left out of the headline's words: an index page's text has them as much as an article's.
_FUNCTION_WORDS = frozenset(
    {"the", "and", "for", "with", "you", "your", "how", "what", "why", "who", "when", "from"}
    | {"this", "that", "are", "was", "were", "new", "our", "all", "its", "about", "into"}
    | {"out", "not", "but", "has", "have", "will", "can"}
)
_HEADLINE_MIN_TEXT_WORDS = 100  # a shorter text (a caption, a brief) may well not repeat it


@dataclass(frozen=True, slots=True)
class PageSignals:
    """What a page shows of being an index or an article (`transforms.html.kind` scores it)."""

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
    prose_paragraphs: int | None  # None: the text is not read yet (counts as all prose)
    section_url: bool = False
    url_names_item: bool = False  # the query names one item by its number (`?p=2895`)
    title_chars: int = 0  # the headline's length in characters
    headline_words: frozenset[str] = frozenset()  # the headline's content words, lower-cased
    headline_share: float | None = None  # their share of the text's words (None: not read)
    # A sentence of 12 words or more in the text (None: not read, or in Thai, Lao, Burmese
    # or Khmer, whose words `word_count` does not count one by one).
    has_sentence: bool | None = None
    text_link_share: float | None = None  # the text's characters in link texts (None: not read)
    teaser_links: int = 0  # link targets whose anchor text has 8 words or more
    # The page's link texts of two words or more, case-folded, longest first: what
    # `with_text` looks for in the text (one-word ones match any text's words).
    link_texts: tuple[str, ...] = field(default=(), repr=False, compare=False)


def page_signals(
    tree: HtmlElement,
    url: str | None,
    title: str | None,
    page_types: frozenset[str],
    anchor_texts: Iterable[str] = (),
) -> PageSignals:
    """Measure the signals of a parsed page's markup (its text is read later: `with_text`)."""
    body = tree.find("body")
    root = body if body is not None else tree
    text = " ".join(" ".join(_VISIBLE_TEXT(root)).split())
    anchors = [anchor for anchor in anchor_texts if anchor]
    link_chars = sum(len(anchor) + 1 for anchor in anchors)
    headings = root.xpath(".//h2|.//h3")
    segments = path_segments(url)
    return PageSignals(
        link_text_share=max(link_chars - 1, 0) / max(len(text), 1),
        prices=len(_PRICE.findall(text)),
        shop_buttons=len(_SHOP_BUTTON.findall(text)),
        pager_links=sum(1 for a in root.iter("a") if _PAGE_TWO.search(a.get("href") or "")),
        sort_words=len(_SORT_WORDS.findall(text)),
        headings=len(headings),
        linked_headings=sum(1 for h in headings if h.xpath(".//a[@href]") or _in_link(h)),
        title_words=word_count(title or ""),
        title_chars=len(title or ""),
        page_types=page_types,
        url_segments=len(segments) if segments is not None else None,
        slug_hyphens=segments[-1].count("-") if segments else 0,
        url_has_date=date_in_url(url) is not None,
        prose_paragraphs=None,
        section_url=segments is not None and names_section(segments),
        url_names_item=names_item(url),
        headline_words=headline_words(title),
        link_texts=tuple(
            sorted(
                {anchor.casefold() for anchor in anchors if word_count(anchor) >= 2},
                key=len,
                reverse=True,
            )
        ),
    )


def headline_words(title: str | None) -> frozenset[str]:
    """The headline's content words, lower-cased; none in a script written without spaces."""
    if not title or UNSPACED_SCRIPT.search(title):
        return frozenset()
    return frozenset(
        word
        for word in _WORD.findall(title.lower())
        if len(word) >= 3 and word not in _FUNCTION_WORDS and not word.isdigit()
    )


def with_text(signals: PageSignals, paragraphs: Sequence[str]) -> PageSignals:
    """The signals once the page's text is read: its prose and sentences, its headline."""
    text = " ".join(paragraphs)
    words = _WORD.findall(text.lower())
    share = (
        sum(1 for word in words if word in signals.headline_words) / len(words)
        if len(words) >= _HEADLINE_MIN_TEXT_WORDS and signals.headline_words
        else None
    )
    return replace(
        signals,
        prose_paragraphs=sum(1 for p in paragraphs if _is_prose(p)),
        headline_share=share,
        has_sentence=None if UNCOUNTED_SCRIPT.search(text) else _has_sentence(paragraphs),
        text_link_share=_link_share(paragraphs, signals.link_texts),
    )


def _link_share(paragraphs: Sequence[str], link_texts: Sequence[str]) -> float | None:
    """The share of the paragraphs' characters that are one of the link texts (longest first)."""
    total = unlinked = 0
    for paragraph in paragraphs:
        rest = paragraph.casefold()
        total += len(rest)
        for link_text in link_texts:
            if link_text in rest:
                rest = rest.replace(link_text, "")
        unlinked += len(rest)
    return (total - unlinked) / total if total else None


def _has_sentence(paragraphs: Sequence[str]) -> bool:
    """Whether a sentence of 12 words or more, ended like one, is in the paragraphs."""
    return any(
        word_count(sentence) >= _SENTENCE_MIN_WORDS and _SENTENCE_END.search(sentence)
        for paragraph in paragraphs
        for sentence in split_sentences(paragraph)
    )


def _in_link(element: HtmlElement) -> bool:
    parent = element.getparent()
    return parent is not None and parent.tag == "a"


def _is_prose(paragraph: str) -> bool:
    """A paragraph of 25 words or more that ends like a sentence."""
    return word_count(paragraph) >= _PROSE_MIN_WORDS and bool(_SENTENCE_END.search(paragraph))
