"""What a page's URL says of its kind: its path, a section's URL, an item named by its query.

Read by the index test (`transforms.html.kind`): a section's URL (`/news`,
`/category/science`, `/collections/all-sheets`) is index evidence, and so are a short path
and the site's front page, unless the query names one item by its number (`/?p=2895`,
`/dettaglio.php?id=58354`: the page is that item).
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import parse_qsl, urlsplit

# A path segment naming a kind of section, before the section's own short name
# (`/category/science`), or a section page by itself (`/news`).
_SECTION_WORDS = frozenset(
    {"category", "categories", "tag", "tags", "topic", "topics", "section", "sections"}
    | {"collection", "collections", "c", "cat", "browse", "hub", "archive", "archives"}
    | {"shop", "products", "department", "departments", "genre", "subject", "directory"}
)
_SECTION_PAGES = _SECTION_WORDS | {"news", "blog", "latest", "articles", "stories"}
_SECTION_PAGE_MAX_DEPTH = 3  # `/news`, `/en/news`; a fashion line's `/…/nicole-miller/collection`
_ITEM_NUMBER_DIGITS = 3


def path_segments(url: str | None) -> list[str] | None:
    """The URL's path segments (None when the URL is unknown)."""
    return [s for s in urlsplit(url).path.split("/") if s] if url else None


def names_item(url: str | None) -> bool:
    """Whether the URL's query names one item by its number (`/?p=2895`,
    `/dettaglio.php?id=58354`): the page is that item, not its path's front or section."""
    query = urlsplit(url).query if url else ""
    return any(
        value.isdigit() and len(value) >= _ITEM_NUMBER_DIGITS for _, value in parse_qsl(query)
    )


def names_section(segments: Sequence[str]) -> bool:
    """Whether a URL path names a section: `/news`, `/category/science`, `/c/fire-pits`; a
    section word alone only near the root (`…/nicole-miller/collection/` is a thing)."""
    if not segments:
        return False
    last = segments[-1].lower()
    if last in _SECTION_PAGES:
        return len(segments) <= _SECTION_PAGE_MAX_DEPTH
    named = any(segment.lower() in _SECTION_WORDS for segment in segments[:-1])
    return named and last.count("-") <= 1
