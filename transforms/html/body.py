"""The main text of a saved web page: trafilatura's readings, then our clean-up rules.

trafilatura reads the text with comments off. Its `favor_recall` reading, which keeps the
lists and blocks the default one leaves out, replaces the default reading when it is at
least 5 % longer (+0.008 F1 on the WCXB dev articles). It costs a second extraction, so it
is only run when the first reading looks incomplete (`needs_recall`): short (under 400
words), or missing 5 % or more of its length in the page's prose list items, the blocks
the default reading drops. That is a third of the pages and keeps the whole F1 gain
(`bench/real_html.py --ablations`, both halves of the set). A page neither reading finds
text on is not called empty before the fuller readings (`fuller_readings`): the recall
reading whatever its length, then the largest block of `<p>` paragraphs.

Clean-up: the headline repeated as a paragraph, the headlines of previous/next/related
stories, short site-chrome lines ("Share this article", cookie and newsletter prompts),
messages the site's server printed into the page (a PHP "Warning: … on line 928") and
repeated paragraphs go (+0.0025 together). One paragraph per block.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import trafilatura
from lxml.html import HtmlElement

from transforms.records import LinkRef
from transforms.text.language import word_count
from transforms.text.normalise import collapse_text

_CHROME = re.compile(
    r"^(?:no time to read\??|get a summary|previous article|next article|advertisement"
    r"|share (?:this|on)\b.*|read more\b.*|related(?: articles| stories)?:?|sign up\b.*"
    r"|subscribe\b.*|follow us\b.*|we use cookies\b.*|accept(?: all)?(?: cookies)?"
    r"|skip to (?:main )?content|most (?:read|popular)|(?:à )?lire aussi|see also|read also"
    r"|lesen sie auch|mehr zum thema|lee también|leer más)\s*:?$",
    re.IGNORECASE,
)
_CHROME_MAX_CHARS = 160
# A message the site's server printed into the page ("Warning: Use of undefined constant…
# in /var/www/…/plugin.php on line 928"): no text of the page's.
_SERVER_MESSAGE = re.compile(
    r"^(?:PHP )?(?:warning|notice|deprecated|strict standards|(?:fatal|parse) error)\s*:"
    r".*\bon line \d+\W*$",
    re.IGNORECASE,
)
_REPEAT_MIN_WORDS = 9  # a repeated paragraph this long is a pull quote or a widget, not text
_RECALL_MIN_GAIN = 1.05
_RECALL_SHORT_WORDS = 400
_RECALL_MISSED_SHARE = 0.05
# A list item or cell of this many words, mostly not link text, is prose, not navigation.
_LIST_PROSE_WORDS = 6
_LIST_KEY_CHARS = 40
_BLOCK_TAGS = ("body", "main", "article", "section", "div", "td", "blockquote")


@dataclass(frozen=True, slots=True)
class BodyOptions:
    """How trafilatura extracts the main text (kept as data so the bench can compare)."""

    favor_precision: bool = False
    favor_recall: bool = False
    fast: bool = False  # no readability/justext fallbacks
    include_tables: bool = True
    recall_fallback: bool = True  # the favor_recall reading when it is longer
    recall_always: bool = False  # run it on every page, not only when `needs_recall`
    drop_headlines: bool = True  # each clean-up rule can be switched off to measure it
    drop_other_stories: bool = True
    drop_chrome: bool = True
    drop_repeats: bool = True


DEFAULT_BODY_OPTIONS = BodyOptions()


def read_text(
    tree: HtmlElement,
    url: str | None,
    options: BodyOptions = DEFAULT_BODY_OPTIONS,
    *,
    recall: bool = False,
) -> str:
    """One trafilatura reading of the main text, lines apart (its recall one when `recall`)."""
    return (
        trafilatura.extract(
            tree,
            url=url,
            include_comments=False,
            include_tables=options.include_tables,
            favor_precision=options.favor_precision,
            favor_recall=recall or options.favor_recall,
            fast=options.fast,
            deduplicate=False,  # its cache is shared across documents: order would matter
            output_format="txt",
        )
        or ""
    )


def recall_text(
    tree: HtmlElement, url: str | None, text: str, options: BodyOptions = DEFAULT_BODY_OPTIONS
) -> str | None:
    """trafilatura's recall reading, when the first one looks incomplete and it is longer."""
    if not options.recall_fallback or options.favor_recall:
        return None
    if not (options.recall_always or needs_recall(tree, text)):
        return None
    recall = read_text(tree, url, options, recall=True)
    return recall if word_count(recall) > _RECALL_MIN_GAIN * word_count(text) else None


def fuller_readings(
    tree: HtmlElement, url: str | None, options: BodyOptions = DEFAULT_BODY_OPTIONS
) -> Iterator[str]:
    """The readings to try before a page is called empty: trafilatura's recall reading
    (its fallbacks included), then the page's largest block of paragraphs."""
    yield read_text(tree, url, options, recall=True)
    yield largest_block(tree)


def largest_block(tree: HtmlElement) -> str:
    """The text of the element whose own `<p>` children hold the most words, lines apart."""
    best: list[str] = []
    best_words = 0
    for element in tree.iter(*_BLOCK_TAGS):
        texts = [collapse_text(child.text_content()) for child in element if child.tag == "p"]
        words = sum(word_count(text) for text in texts)
        if words > best_words:
            best, best_words = texts, words
    return "\n".join(best)


def needs_recall(tree: HtmlElement, text: str) -> bool:
    """Whether the default reading looks incomplete: short, or missing the page's prose lists."""
    words = word_count(text)
    if words < _RECALL_SHORT_WORDS:
        return True
    return missed_list_words(tree, text) >= _RECALL_MISSED_SHARE * words


def missed_list_words(tree: HtmlElement, text: str) -> int:
    """Words of the page's prose list items and cells whose start the text does not hold."""
    flat = " ".join(text.split())
    missed = 0
    for item in tree.iter("li", "dd", "td"):
        content = " ".join(item.text_content().split())
        words = word_count(content)
        if words < _LIST_PROSE_WORDS:
            continue
        link_words = sum(word_count(a.text_content()) for a in item.iter("a"))
        if link_words * 2 <= words and content[:_LIST_KEY_CHARS] not in flat:
            missed += words
    return missed


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
        paragraph = collapse_text(line)  # NFC too
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
    """A short line of site chrome ("Share this article", "Subscribe…") or a message of the
    site's server ("Warning: … on line 928")."""
    if _SERVER_MESSAGE.match(paragraph):
        return True
    return len(paragraph) <= _CHROME_MAX_CHARS and bool(_CHROME.match(paragraph))


def _is_repeat(paragraph: str, kept: list[str], seen: set[str]) -> bool:
    """The paragraph just kept again, or a long paragraph seen before (a pull quote)."""
    if kept and kept[-1] == paragraph:
        return True
    return paragraph.casefold() in seen and word_count(paragraph) >= _REPEAT_MIN_WORDS
