"""Enriched documents to Arrow tables in the declared schemas (one batch at a time)."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa

from transforms.entities import PLACE_TYPES
from transforms.ids import sha256_hex, stable_id
from transforms.language import detect_language
from transforms.links import find_text_urls, is_internal, title_key, url_key
from transforms.records import LinkRef, Mention, ParsedDocument, Place, Reject
from transforms.schema import PIPELINE_VERSION, TABLE_SCHEMAS
from transforms.sentences import summarize

PlaceResolver = Callable[[str, Collection[str]], Place | None]


@dataclass(frozen=True, slots=True)
class RunInfo:
    """Who writes the rows: the run's id, its start time (UTC) and the pipeline version."""

    run_id: str
    started_at: datetime
    pipeline_version: str = PIPELINE_VERSION


@dataclass(frozen=True, slots=True)
class Article:
    """One parsed document with what enrichment found in it."""

    source_path: str
    source_sha256: str
    document: ParsedDocument
    mentions: tuple[Mention, ...] = ()
    duplicate_of: str | None = None

    @property
    def article_id(self) -> str:
        """Hash of the source key: canonical URL when known, else the raw-root-relative path."""
        key = url_key(self.document.url)
        return stable_id("url", key) if key else stable_id("path", self.source_path)


@dataclass(frozen=True, slots=True)
class RejectedInput:
    """One input that could not become an article."""

    source_path: str
    source_sha256: str | None
    reject: Reject


def content_sha256(body: str) -> str:
    """Hash of the normalised body: case and white space folded, so trivial edits still match."""
    return sha256_hex(" ".join(body.casefold().split()))


# A white-space separated token holding a letter or digit ([^\W_] is exactly str.isalnum).
_WORD_TOKEN = re.compile(r"(?<!\S)(?=\S*?[^\W_])\S+")


def word_count(body: str) -> int:
    """Words in the body (white-space separated tokens holding a letter or digit)."""
    return len(_WORD_TOKEN.findall(body))


def article_row(article: Article, run: RunInfo) -> dict[str, object]:
    """The `articles` row of one article."""
    doc = article.document
    body = doc.body
    return {
        "article_id": article.article_id,
        "source_path": article.source_path,
        "source_format": doc.source_format,
        "source_sha256": article.source_sha256,
        "url": doc.url,
        "site": doc.site,
        "title": doc.title,
        "authors": list(doc.authors),
        "published_at": doc.published_at,
        "published_at_source": doc.published_at_source,
        "language": doc.language or detect_language(body),
        "body": body,
        "summary": summarize(body),
        "word_count": word_count(body),
        "content_sha256": content_sha256(body),
        "duplicate_of": article.duplicate_of,
        "pipeline_version": run.pipeline_version,
        "run_id": run.run_id,
        "ingested_at": run.started_at,
    }


def article_links(doc: ParsedDocument) -> tuple[LinkRef, ...]:
    """The parser's links, plus URLs written in the text of text formats."""
    if doc.source_format == "html":
        return doc.links
    return doc.links + find_text_urls(doc.body)


def link_rows(article: Article) -> list[dict[str, object]]:
    """The `links` rows of one article, in document order."""
    doc = article.document
    rows: list[dict[str, object]] = []
    for position, link in enumerate(article_links(doc)):
        internal = (
            True
            if link.target_url is None and link.kind in ("previous_article", "next_article")
            else is_internal(link.target_url, doc.url)
        )
        rows.append(
            {
                "article_id": article.article_id,
                "kind": link.kind,
                "target_url": link.target_url,
                "target_title": link.target_title,
                "anchor_text": link.anchor_text,
                "position": position,
                "is_internal": internal,
                "target_url_key": url_key(link.target_url),
                "target_title_key": title_key(link.target_title),
            }
        )
    return rows


def mention_rows(article: Article) -> list[dict[str, object]]:
    """The `mentions` rows of one article."""
    return [
        {
            "article_id": article.article_id,
            "entity_id": m.entity_id,
            "surface": m.surface,
            "start_char": m.start_char,
            "end_char": m.end_char,
            "sentence_index": m.sentence_index,
            "label": m.label,
        }
        for m in article.mentions
    ]


def entity_rows(
    articles: Sequence[Article], run: RunInfo, resolve_place: PlaceResolver | None = None
) -> list[dict[str, object]]:
    """One `entities` row per distinct entity in the batch, with every surface form seen.

    Places are resolved with the countries the same article names as context; the first
    article (in batch order) that resolves a place decides its coordinates.
    """
    rows: dict[str, dict[str, object]] = {}
    aliases: dict[str, set[str]] = {}
    for article in articles:
        context = _article_countries(article, resolve_place)
        for m in article.mentions:
            aliases.setdefault(m.entity_id, set()).add(m.surface)
            row = rows.get(m.entity_id)
            if row is None:
                row = rows[m.entity_id] = {
                    "entity_id": m.entity_id,
                    "name": m.canonical_name,
                    "type": m.entity_type,
                    "country_code": None,
                    "geonames_id": None,
                    "latitude": None,
                    "longitude": None,
                    "first_seen_at": run.started_at,
                }
            if (
                resolve_place
                and m.entity_type in PLACE_TYPES
                and row["country_code"] is None
                and row["latitude"] is None
            ):
                place = resolve_place(m.canonical_name, context)
                if place is not None:
                    row.update(
                        country_code=place.country_code,
                        geonames_id=place.geonames_id,
                        latitude=place.latitude,
                        longitude=place.longitude,
                    )
    for entity_id, row in rows.items():
        row["aliases"] = sorted(aliases[entity_id])
    return [rows[key] for key in sorted(rows)]


def _article_countries(article: Article, resolve_place: PlaceResolver | None) -> frozenset[str]:
    if resolve_place is None:
        return frozenset()
    codes = set()
    for m in article.mentions:
        if m.entity_type == "GPE":
            place = resolve_place(m.canonical_name, ())
            if place is not None and place.country_code:
                codes.add(place.country_code)
    return frozenset(codes)


def reject_row(rejected: RejectedInput, run: RunInfo) -> dict[str, object]:
    """The `rejects` row of one input."""
    return {
        "source_path": rejected.source_path,
        "source_sha256": rejected.source_sha256,
        "stage": rejected.reject.stage,
        "error_type": rejected.reject.error_type,
        "message": rejected.reject.message,
        "run_id": run.run_id,
        "rejected_at": run.started_at,
    }


def build_tables(
    articles: Sequence[Article],
    rejects: Sequence[RejectedInput],
    run: RunInfo,
    resolve_place: PlaceResolver | None = None,
) -> dict[str, pa.Table]:
    """All five tables of one batch, each in its declared schema."""
    rows: dict[str, list[dict[str, object]]] = {
        "articles": [article_row(a, run) for a in articles],
        "entities": entity_rows(articles, run, resolve_place),
        "mentions": [row for a in articles for row in mention_rows(a)],
        "links": [row for a in articles for row in link_rows(a)],
        "rejects": [reject_row(r, run) for r in rejects],
    }
    return {
        name: pa.Table.from_pylist(rows[name], schema=schema)
        for name, schema in TABLE_SCHEMAS.items()
    }
