"""Text inputs: site text pages (headline, chrome, paragraphs, navigation) and plain articles.

Chrome is learnt, not named: lines that repeat across the pages of one site are chrome
(`find_chrome_lines`). `FALLBACK_CHROME` only helps a site of which we have a single page.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from transforms.records import LinkKind, LinkRef, ParsedDocument

FALLBACK_CHROME: frozenset[str] = frozenset(
    {
        "no time to read?",
        "get a summary",
        "advertisement",
        "share this article",
        "listen to this article",
        "sign up for our newsletter",
        "read more",
    }
)
_NAV_LABEL = re.compile(
    r"^(?P<dir>previous|prev|next)\s+(article|story|post)\s*[:»«>←→<]?$", re.IGNORECASE
)
_MAX_CHROME_CHARS = 80
_MIN_CHROME_SHARE = 0.5


def chrome_key(line: str) -> str:
    """The comparison key of a line for chrome matching: trimmed, spaces folded, casefolded."""
    return " ".join(line.split()).casefold()


def find_chrome_lines(pages: Iterable[str], min_share: float = _MIN_CHROME_SHARE) -> frozenset[str]:
    """Lines (as `chrome_key`s) that appear in at least `min_share` of a site's pages.

    Only short lines count, so that a paragraph repeated by syndicated copies is not taken
    for chrome; the first line (the headline) never counts; identical copies count once.
    With fewer than two distinct pages nothing can be learnt and the fallback list stands
    alone.
    """
    document_frequency: Counter[str] = Counter()
    n_pages = 0
    for page in dict.fromkeys(pages):  # identical copies would make every line repeat
        n_pages += 1
        lines = [chrome_key(line) for line in page.split("\n")]
        non_empty = [line for line in lines if line]
        document_frequency.update(
            {line for line in non_empty[1:] if len(line) <= _MAX_CHROME_CHARS}
        )
    if n_pages < 2:
        return FALLBACK_CHROME
    threshold = max(2, math.ceil(min_share * n_pages))
    learnt = {
        line
        for line, count in document_frequency.items()
        if count >= threshold and not _NAV_LABEL.match(line)
    }
    return FALLBACK_CHROME | frozenset(learnt)


def is_text_page(text: str, chrome: frozenset[str]) -> bool:
    """Whether a `.txt` carries site chrome or a navigation block (else it is a plain article)."""
    for line in text.split("\n"):
        key = chrome_key(line)
        if key and (key in chrome or _NAV_LABEL.match(key)):
            return True
    return False


def parse_text_page(text: str, chrome: frozenset[str] = FALLBACK_CHROME) -> ParsedDocument:
    """Headline from the first line; body paragraphs without chrome; the navigation as links."""
    lines = text.split("\n")
    title_index = _first_non_empty(lines)
    if title_index is None:
        return ParsedDocument("text_page", None, ())
    nav_start = _nav_start(lines, title_index + 1)
    links = _nav_links(lines[nav_start:], chrome)
    body_lines = [
        "" if chrome_key(line) in chrome else line for line in lines[title_index + 1 : nav_start]
    ]
    return ParsedDocument(
        source_format="text_page",
        title=_clean_line(lines[title_index]),
        paragraphs=split_paragraphs(body_lines),
        links=links,
    )


def parse_plain_text(text: str) -> ParsedDocument:
    """First non-empty line is the title; the rest is the body, paragraphs kept."""
    lines = text.split("\n")
    title_index = _first_non_empty(lines)
    if title_index is None:
        return ParsedDocument("plain_text", None, ())
    return ParsedDocument(
        source_format="plain_text",
        title=_clean_line(lines[title_index]),
        paragraphs=split_paragraphs(lines[title_index + 1 :]),
    )


def split_paragraphs(lines: list[str]) -> tuple[str, ...]:
    """Paragraphs from lines: blank-line separated blocks, or one per line when none are.

    Wrapped lines inside a block are joined by a space; white space inside a line is folded.
    """
    cleaned = [_clean_line(line) for line in lines]
    if "" not in _strip_edges(cleaned):
        return tuple(line for line in cleaned if line)
    paragraphs: list[str] = []
    block: list[str] = []
    for line in [*cleaned, ""]:
        if line:
            block.append(line)
        elif block:
            paragraphs.append(" ".join(block))
            block = []
    return tuple(paragraphs)


def _strip_edges(lines: list[str]) -> list[str]:
    start = next((i for i, line in enumerate(lines) if line), len(lines))
    end = next((i for i in range(len(lines), 0, -1) if lines[i - 1]), start)
    return lines[start:end]


def _clean_line(line: str) -> str:
    return " ".join(line.split())


def _first_non_empty(lines: list[str]) -> int | None:
    return next((i for i, line in enumerate(lines) if line.strip()), None)


def _nav_start(lines: list[str], start: int) -> int:
    """Index of the first navigation label after the headline, or the end of the page."""
    for index in range(start, len(lines)):
        if _NAV_LABEL.match(chrome_key(lines[index])):
            return index
    return len(lines)


def _nav_links(lines: list[str], chrome: frozenset[str]) -> tuple[LinkRef, ...]:
    """Each navigation label followed by the headline it points to becomes one link."""
    links: list[LinkRef] = []
    pending: tuple[LinkKind, str] | None = None
    for line in lines:
        key = chrome_key(line)
        label = _NAV_LABEL.match(key)
        if not label and (not key or key in chrome):
            continue
        if label:
            kind: LinkKind = "next_article" if label["dir"] == "next" else "previous_article"
            pending = (kind, _clean_line(line))
        elif pending is not None:
            links.append(
                LinkRef(kind=pending[0], target_title=_clean_line(line), anchor_text=pending[1])
            )
            pending = None
    return tuple(links)
