"""What a page says about itself beyond title, authors and date: its main image, categories
and tags (the description is read with the rest of `html.meta`). trafilatura and
newspaper4k give the same fields; `bench/page_metadata.py` measures the agreement.

Sources in order of trust: the JSON-LD article (`articleSection`, `keywords`), the page's
`<meta>` tags (`article:section`, `article:tag`, `keywords`), then links the page marks as
its own categories and tags (`rel="category"`/`rel="tag"`, or a `/category/` or `/tag/`
link inside a post's meta block, trafilatura's rule). The image is the one the page shares
(og:image, twitter:image), else the JSON-LD `image`, as trafilatura and newspaper4k take
it. Pure: reads an already parsed tree.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from lxml.html import HtmlElement

from transforms.html.links import resolve_href
from transforms.text.normalise import collapse_text

MAX_LABELS = 30
MAX_LABEL_CHARS = 100

_IMAGE_META = (
    "og:image",
    "og:image:url",
    "og:image:secure_url",
    "twitter:image",
    "twitter:image:src",
    "image",
    "thumbnailurl",
)
_TAG_META = ("article:tag", "keywords", "news_keywords", "parsely-tags", "tags")
_CATEGORY_META = ("article:section", "parsely-section", "section")
# Blocks where a blog lists the post's own categories and tags (trafilatura's xpaths, as data).
_META_BLOCKS = (
    "//*[re:test(@class, '^(?:post-?info|post-?meta|meta|entry-meta|entry-info|entry-utility|"
    "entry-footer|entry-categories|entry-tags|postmeta|tags|cat-links|tags-links|post-category|"
    "post-tags|article-tags|article__tags|tag-list|topics)', 'i')]"
)
_BLOCK_LINKS = {
    "category": (
        f".//a[contains(concat(' ', normalize-space(@rel), ' '), ' category ')]"
        f"|{_META_BLOCKS}//a[re:test(@href, '/categor(?:y|ies)/', 'i')]"
    ),
    "tag": (
        ".//a[contains(concat(' ', normalize-space(@rel), ' '), ' tag ')"
        " and not(contains(concat(' ', normalize-space(@rel), ' '), ' category '))]"
        f"|{_META_BLOCKS}//a[re:test(@href, '/tags?/', 'i')]"
    ),
}
_REGEX_NS = {"re": "http://exslt.org/regular-expressions"}
_SPLIT = re.compile(r"\s*[,;|]\s*")


@dataclass(frozen=True, slots=True)
class PageExtras:
    """A page's main image (absolute URL), its categories and its tags."""

    image_url: str | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


def extract_extras(
    tree: HtmlElement, metas: Mapping[str, str], article: Mapping[str, Any], url: str | None
) -> PageExtras:
    """The main image, categories and tags a page states (`metas`: `collect_meta_tags`,
    `article`: the JSON-LD article, `url`: the page's, to resolve a relative image)."""
    repeated = repeated_meta(tree)
    return PageExtras(
        image_url=main_image(metas, article, url),
        categories=page_categories(tree, article, repeated),
        tags=page_tags(tree, article, repeated),
    )


def main_image(metas: Mapping[str, str], article: Mapping[str, Any], url: str | None) -> str | None:
    """The page's main image as an absolute http(s) URL: the first of og:image,
    twitter:image and the like (the image the page gives to share it), else JSON-LD `image`
    (its URL; an `@id` reference such as `#primaryimage` names no file)."""
    candidates: list[Any] = [metas.get(key) for key in _IMAGE_META]
    candidates.append(_json_image(article.get("image")))
    for value in candidates:
        if isinstance(value, str) and value.strip():
            absolute = resolve_href(value.strip(), url)
            if absolute and absolute.startswith(("http://", "https://")):
                return absolute
    return None


def page_categories(
    tree: HtmlElement, article: Mapping[str, Any], repeated: Mapping[str, list[str]]
) -> tuple[str, ...]:
    """The sections the page files itself under: JSON-LD `articleSection`, else every
    `article:section` meta, else its category links."""
    found = _labels(_json_strings(article.get("articleSection")), split=False)
    metas = [v for key in _CATEGORY_META for v in repeated.get(key, [])]
    found = found or _labels(metas, split=False)
    return found or _labels(_link_texts(tree, "category"), split=False)


def page_tags(
    tree: HtmlElement, article: Mapping[str, Any], repeated: Mapping[str, list[str]]
) -> tuple[str, ...]:
    """The page's tags: JSON-LD `keywords`, else every `article:tag` and keywords meta
    (comma-separated), else its tag links."""
    found = _labels(_json_strings(article.get("keywords")), split=True)
    metas = [v for key in _TAG_META for v in repeated.get(key, [])]
    found = found or _labels(metas, split=True)
    return found or _labels(_link_texts(tree, "tag"), split=False)


def repeated_meta(tree: HtmlElement) -> dict[str, list[str]]:
    """Every content of the tag and section `<meta>` tags, by lower-cased name (a page
    writes one `article:tag` per tag: `collect_meta_tags` keeps only the first)."""
    wanted = set(_TAG_META + _CATEGORY_META)
    values: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip()
        content = meta.get("content")
        if key.lower() in wanted and content and content.strip():
            values.setdefault(key.lower(), []).append(content.strip())
    return values


def _json_image(value: Any) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    return value if isinstance(value, str) else None


def _json_strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _link_texts(tree: HtmlElement, kind: str) -> list[str]:
    links = tree.xpath(_BLOCK_LINKS[kind], namespaces=_REGEX_NS)
    return [link.text_content() for link in links if isinstance(link, HtmlElement)]


def _labels(values: Iterable[str | None], *, split: bool) -> tuple[str, ...]:
    """Clean labels, first spelling kept, each once (case-insensitively), at most MAX_LABELS."""
    seen: dict[str, str] = {}
    for value in values:
        if not value:
            continue
        for part in _SPLIT.split(html.unescape(value)) if split else [html.unescape(value)]:
            text = unicodedata.normalize("NFC", collapse_text(part)).strip(" #")
            if text and len(text) <= MAX_LABEL_CHARS:
                seen.setdefault(text.casefold(), text)
    return tuple(seen.values())[:MAX_LABELS]
