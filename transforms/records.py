"""Typed records passed between the pure transforms: what a parser returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

SourceFormat = Literal["text_page", "plain_text", "html"]
DateSource = Literal["text", "meta", "htmldate", "url", "path", "sidecar", "fetched"]
PageKind = Literal["article", "index"]
LinkKind = Literal["hyperlink", "previous_article", "next_article", "related", "cited_source"]
# The stage that refused an input (`rejects.stage`), in pipeline order.
RejectStage = Literal["discover", "read", "decode", "parse", "enrich", "dedup"]


@dataclass(frozen=True, slots=True)
class LinkRef:
    """One reference from a document to another document, as the parser found it."""

    kind: LinkKind
    target_url: str | None = None
    target_title: str | None = None
    anchor_text: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """The structure a parser recovers from one source document, before enrichment.

    `paragraphs` are the body's paragraphs in reading order; the body is them joined by a
    blank line. Fields a format cannot know are left at their empty default.
    `published_at` and `modified_at` keep the offset the page states (a date the page gives
    without one is midnight UTC), so `published_date` is the day as the page gives it.
    `page_kind` is a label, never a gate: an index page keeps its text and links, with the
    index test's score and evidence (`transforms.html.kind.explain`) beside it.
    `declared_language` is what the page says of itself (`<html lang>`, else a guess from its
    first paragraphs); `language` is the article's, decided once from its text when the parse
    is done (`transforms.parse.document.with_language`), the declared one breaking ties.
    """

    source_format: SourceFormat
    title: str | None
    paragraphs: tuple[str, ...]
    links: tuple[LinkRef, ...] = ()
    url: str | None = None
    site: str | None = None
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    published_at_source: DateSource | None = None
    language: str | None = None
    declared_language: str | None = None
    description: str | None = None
    image_url: str | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    modified_at: datetime | None = None
    page_kind: PageKind = "article"
    page_kind_score: int | None = None  # None: no index test ran (text formats)
    page_kind_evidence: str | None = None

    @property
    def body(self) -> str:
        """The main text: paragraphs joined by a blank line."""
        return "\n\n".join(self.paragraphs)

    @property
    def published_date(self) -> date | None:
        """The calendar day of publication in the page's own time zone."""
        return self.published_at.date() if self.published_at else None


@dataclass(frozen=True, slots=True)
class Sidecar:
    """What a crawler recorded beside a raw file (`NAME.meta.json`) or in a web archive's
    record headers; it overrides the page. `fetched_source` labels `fetched_at` when it
    becomes the date of last resort (`sidecar`, or `fetched` for a WARC-Date)."""

    url: str | None = None
    fetched_at: datetime | None = None
    source: str | None = None
    fetched_source: DateSource = "sidecar"


@dataclass(frozen=True, slots=True)
class Place:
    """Where a place name resolves: ISO country and GeoNames coordinates when known."""

    country_code: str | None
    geonames_id: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    canonical_name: str | None = None


@dataclass(frozen=True, slots=True)
class EntitySpan:
    """One named-entity occurrence in a body: offsets index the body exactly."""

    start_char: int
    end_char: int
    label: str
    sentence_index: int = 0


@dataclass(frozen=True, slots=True)
class Mention:
    """One canonicalised mention: the span, its surface form and the entity it refers to.

    `entity_type` is the type the article gives the entity; `vote_type` and `vote_weight`
    are this mention's evidence for the entity's one type over the whole table; `place` is
    where a place mention resolved, in its article's context.
    """

    entity_id: str
    canonical_name: str
    entity_type: str
    surface: str
    start_char: int
    end_char: int
    sentence_index: int
    label: str
    vote_type: str = ""
    vote_weight: float = 0.0
    place: Place | None = None


@dataclass(frozen=True, slots=True)
class Reject:
    """Why one input could not become an article."""

    stage: RejectStage
    error_type: str
    message: str
