"""Links of an HTML page: every `<a href>` as a LinkRef, classified, resolved and in order.

Kinds: `related` for links inside related-story blocks (class/id naming related,
more-stories, recommended…, or a list of links inside an `<aside>`); `previous_article` /
`next_article` for `rel=prev/next` anchors and for links following (or containing) a
"Previous Article" / "Next Article" label; `hyperlink` for everything else, in the text or
in the navigation. `javascript:`, `mailto:`, `tel:`, `data:`, empty and fragment-only hrefs
are skipped. Relative hrefs are resolved against `<base href>`, else the document URL;
without either they stay as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from transforms.records import LinkKind, LinkRef
from transforms.text.normalise import collapse_text

_SKIPPED_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "about:", "sms:")
_URL_WHITESPACE = re.compile(r"[\t\n\r]")
_RELATED_NAME = re.compile(
    r"related|more[-_ ]?stor|recommend|read[-_ ]?(?:more|next|also)|also[-_ ]?read"
    r"|more[-_ ]?from|you[-_ ]?may[-_ ]?like|outbrain|taboola",
    re.IGNORECASE,
)
_PAGINATION_NAME = re.compile(r"paginat|pager|page-numbers|paging", re.IGNORECASE)
_NAV_LABEL = re.compile(
    r"^[«\u2039<←\s]*(?P<which>previous|prev\.?|next|older|newer)\s+"
    r"(?:article|post|story|entry|news)(?-i:(?![a-z]))\s*[:»\u203a>→]*\s*",
    re.IGNORECASE,
)
_LONG_TEXT = 150  # a text run this long between a label and a link cancels the label
# Every label names one of these words: text without them skips the label parse (most text).
_LABEL_WORD = re.compile(r"prev|next|older|newer", re.IGNORECASE)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg"})


def resolve_href(href: str, base: str | None) -> str | None:
    """The absolute URL an href points to, or None when it is not a document link."""
    href = _URL_WHITESPACE.sub("", href).strip()
    if not href or href.startswith("#"):
        return None
    if href.lower().startswith(_SKIPPED_SCHEMES):
        return None
    if href.startswith("//") and not base:
        return "https:" + href
    if not base:
        return href
    return _join(base, href)


@lru_cache(maxsize=4096)
def _join(base: str, href: str) -> str:
    """`urljoin`, remembered: a site's pages repeat their menu links (and it is slow)."""
    try:
        return urljoin(base, href)
    except ValueError:  # malformed authority such as "http://[::1"
        return href


def document_base(tree: HtmlElement, url: str | None) -> str | None:
    """The URL relative links resolve against: `<base href>` (itself resolved), else the URL."""
    for base in tree.iter("base"):
        href = (base.get("href") or "").strip()
        if href:
            resolved = resolve_href(href, url)
            if resolved and urlsplit(resolved).scheme in {"http", "https"}:
                return resolved
    return url


def extract_links(tree: HtmlElement, base: str | None) -> tuple[LinkRef, ...]:
    """Every document link of the page, in document order, with its kind."""
    return tuple(_walk_links(tree, base))


def _block_context(element: HtmlElement) -> str | None:
    """ "related" for a related-stories block, "pagination" for a pager, else None."""
    context = _named_context(f"{element.get('class', '')} {element.get('id', '')}")
    if context is not None:
        return context
    if element.tag == "aside" and any(
        len(lst.xpath(".//a[@href]")) >= 2 for lst in element.iter("ul", "ol")
    ):
        return "related"  # a list of links in an aside is a story list, not a widget
    return None


@lru_cache(maxsize=4096)
def _named_context(names: str) -> str | None:
    """The block a class and id string names (remembered: a page repeats its class names)."""
    if _PAGINATION_NAME.search(names):
        return "pagination"
    if _RELATED_NAME.search(names):
        return "related"
    return None


def _rel_kind(anchor: HtmlElement) -> LinkKind | None:
    """previous_article / next_article from an anchor's rel attribute."""
    rel = (anchor.get("rel") or "").lower().split()
    if "prev" in rel or "previous" in rel:
        return "previous_article"
    if "next" in rel:
        return "next_article"
    return None


def _label_kind(text: str) -> tuple[LinkKind | None, str]:
    """The kind a "Previous Article"-style label announces, and the text after the label."""
    match = _NAV_LABEL.match(text)
    if not match:
        return None, text
    which = match.group("which").lower()
    kind: LinkKind = "previous_article" if which.startswith(("prev", "older")) else "next_article"
    return kind, text[match.end() :].strip()


def _walk_links(tree: HtmlElement, base: str | None) -> Iterator[LinkRef]:
    """One pass over the tree: track related/pager blocks and pending prev/next labels."""
    contexts: list[str | None] = [None]  # innermost related/pagination block around us
    anchor_depth = 0
    pending: LinkKind | None = None
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIP_TAGS:
            if event == "end" and anchor_depth == 0:
                pending = _update_pending(element.tail, pending)
            continue
        if event == "start":
            contexts.append(contexts[-1] or _block_context(element))
            if tag == "a":
                anchor_depth += 1
                link, pending = _anchor_link(element, base, contexts[-1], pending)
                if link is not None:
                    yield link
            elif anchor_depth == 0:
                pending = _update_pending(element.text, pending)
        else:
            contexts.pop()
            if tag == "a":
                anchor_depth -= 1
            if anchor_depth == 0:
                pending = _update_pending(element.tail, pending)


def _update_pending(text: str | None, pending: LinkKind | None) -> LinkKind | None:
    """A label sets the pending kind; long unrelated text cancels it."""
    if not text or text.isspace():
        return pending
    if not _LABEL_WORD.search(text):
        return None if len(text.strip()) >= _LONG_TEXT else pending
    kind, rest = _label_kind(collapse_text(text))
    if kind is not None and not rest:  # a bare label; "Previous post-season…" is prose
        return kind
    return None if len(text.strip()) >= _LONG_TEXT else pending


def _anchor_link(
    anchor: HtmlElement, base: str | None, context: str | None, pending: LinkKind | None
) -> tuple[LinkRef | None, LinkKind | None]:
    """The LinkRef for one anchor (None if skipped) and the pending label left afterwards."""
    href = anchor.get("href")
    if href is None:
        return None, pending
    target = resolve_href(href, base)
    if target is None:
        return None, pending
    anchor_text = collapse_text(anchor.text_content())
    label_kind, headline = _label_kind(anchor_text)
    if not headline:
        headline = collapse_text(anchor.get("title") or "")
    if context == "pagination":  # rel=next on a pager is the next page, not a story
        return LinkRef("hyperlink", target, None, anchor_text or None), pending
    kind = _rel_kind(anchor) or label_kind
    if kind is None and pending is not None and anchor_text:
        kind, pending = pending, None
    if kind is not None:
        return LinkRef(kind, target, headline or None, anchor_text or None), pending
    if context == "related":
        return LinkRef("related", target, anchor_text or None, anchor_text or None), pending
    return LinkRef("hyperlink", target, None, anchor_text or None), pending
