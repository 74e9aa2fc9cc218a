"""Enriched documents to Arrow tables in the declared schemas (one batch at a time)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pyarrow as pa

from transforms.entities.corpus import name_rank
from transforms.entities.names import PLACE_TYPES
from transforms.entities.types import Vote, corpus_type, vote_rows
from transforms.ids import sha256_hex, stable_id
from transforms.output.dedup import DedupKeys, minhash_signature
from transforms.parse.sites import site_domain, site_name
from transforms.records import LinkRef, Mention, ParsedDocument, Place, Reject
from transforms.schema import BATCH_SCHEMAS, ENTITY_VOTES_SCHEMA, PIPELINE_VERSION
from transforms.text.language import word_count
from transforms.text.sentences import summarize
from transforms.text.urls import find_text_urls, is_internal, link_domain, title_key, url_key

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
    entities_status: str = "disabled"

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


def article_row(article: Article, run: RunInfo, content_hash: str) -> dict[str, object]:
    """The `articles` row of one article; `duplicate_of` is decided at commit
    (`transforms.output.finalize`)."""
    doc = article.document
    body = doc.body
    return {
        "article_id": article.article_id,
        "source_path": article.source_path,
        "source_format": doc.source_format,
        "source_sha256": article.source_sha256,
        "url": doc.url,
        "site_domain": site_domain(doc.url, article.source_path),
        "site_name": site_name(doc.site, doc.url, article.source_path),
        "title": doc.title,
        "authors": list(doc.authors),
        "published_at": _utc(doc.published_at),
        "published_at_source": doc.published_at_source,
        "published_date": doc.published_date,
        "modified_at": _utc(doc.modified_at),
        "language": doc.language,
        "entities_status": article.entities_status,
        "page_kind": doc.page_kind,
        "page_kind_score": doc.page_kind_score,
        "page_kind_evidence": doc.page_kind_evidence,
        "body": body,
        "summary": summarize(body),
        "description": doc.description,
        "image_url": doc.image_url,
        "categories": list(doc.categories),
        "tags": list(doc.tags),
        "word_count": word_count(body),
        "content_sha256": content_hash,
        "duplicate_of": None,
        "dup_group": stable_id("dup", article.article_id),
        "dup_similarity": None,
        "pipeline_version": run.pipeline_version,
        "run_id": run.run_id,
        "ingested_at": run.started_at,
    }


def _utc(value: datetime | None) -> datetime | None:
    """The instant in UTC (a page's timestamp keeps its own offset until written)."""
    return value.astimezone(UTC) if value is not None else None


def article_links(doc: ParsedDocument) -> tuple[LinkRef, ...]:
    """The parser's links, plus URLs written in the text of text formats."""
    if doc.source_format == "html":
        return doc.links
    return doc.links + find_text_urls(doc.body)


def link_rows(article: Article) -> list[dict[str, object]]:
    """The `links` rows of one article, in document order."""
    doc = article.document
    own_domain = site_domain(doc.url, article.source_path)
    rows: list[dict[str, object]] = []
    for position, link in enumerate(article_links(doc)):
        target_domain = link_domain(link.target_url, own_domain)
        rows.append(
            {
                "article_id": article.article_id,
                "kind": link.kind,
                "target_url": link.target_url,
                "target_domain": target_domain,
                "target_title": link.target_title,
                "anchor_text": link.anchor_text,
                "position": position,
                "is_internal": is_internal(link, target_domain, own_domain),
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
    """One staged `entities` row per distinct entity in the batch, with every surface form
    seen, typed by the votes of the batch's articles (`transforms.entities.types.corpus_type`;
    the merge decides again over every article's votes).

    A place's columns come from where its mentions resolved (in their article's context);
    `resolve_place` is asked only for a place mention that carries no place.
    """
    rows: dict[str, dict[str, object]] = {}
    aliases: dict[str, set[str]] = {}
    votes: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    for article in articles:
        for vote in article_votes(article):
            votes[vote.entity_id].append((vote.type, vote.evidence, vote.weight))
        for m in article.mentions:
            aliases.setdefault(m.entity_id, set()).add(m.surface)
            row = rows.get(m.entity_id)
            if row is not None and name_rank(m.canonical_name) < name_rank(str(row["name"])):
                row["name"] = m.canonical_name  # the name the merge would pick, whatever the order
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
                m.entity_type in PLACE_TYPES
                and row["country_code"] is None
                and row["latitude"] is None
            ):
                place = m.place
                if place is None and resolve_place is not None:
                    place = resolve_place(m.canonical_name, ())
                if place is not None:
                    row.update(
                        country_code=place.country_code,
                        geonames_id=place.geonames_id,
                        latitude=place.latitude,
                        longitude=place.longitude,
                    )
    for entity_id, row in rows.items():
        row["aliases"] = sorted(aliases[entity_id])
        row["type"] = corpus_type(votes.get(entity_id, ()), fallback=str(row["type"]))
    return [rows[key] for key in sorted(rows)]


def article_votes(article: Article) -> list[Vote]:
    """The type votes of an article's mentions, as `_entity_votes/` stores them."""
    return vote_rows(
        article.article_id,
        ((m.entity_id, m.vote_type, m.vote_weight, m.canonical_name) for m in article.mentions),
    )


def votes_table(votes: Iterable[Vote]) -> pa.Table:
    """Votes as `_entity_votes/` stores them."""
    return pa.Table.from_pylist([v._asdict() for v in votes], schema=ENTITY_VOTES_SCHEMA)


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


@dataclass(frozen=True, slots=True)
class ArticleRows:
    """One article's rows in every table and its dedup keys, built where the article was
    parsed; the commit decides only what depends on other articles
    (`transforms.output.finalize`)."""

    article: dict[str, object]
    mentions: list[dict[str, object]]
    links: list[dict[str, object]]
    entities: list[dict[str, object]]
    votes: list[Vote]
    dedup: DedupKeys

    @property
    def article_id(self) -> str:
        """The article's id."""
        return self.dedup.article_id

    @property
    def source_path(self) -> str:
        """The raw file it came from."""
        return self.dedup.source_path


def article_rows(
    article: Article, run: RunInfo, resolve_place: PlaceResolver | None = None
) -> ArticleRows:
    """Every row one article contributes, and the keys that find its duplicates."""
    body = article.document.body
    content_hash = content_sha256(body)
    keys = DedupKeys(
        article.article_id,
        article.source_path,
        article.source_sha256,
        content_hash,
        minhash_signature(body),
    )
    return ArticleRows(
        article_row(article, run, content_hash),
        mention_rows(article),
        link_rows(article),
        entity_rows([article], run, resolve_place),
        article_votes(article),
        keys,
    )


def tables_from_rows(
    articles: Sequence[ArticleRows], rejects: Sequence[RejectedInput], run: RunInfo
) -> dict[str, pa.Table]:
    """The five tables of a batch, each in its declared schema; entities as staged, a row
    per article naming one (the entity merge folds them, votes summed)."""
    rows: dict[str, list[dict[str, object]]] = {
        "articles": [a.article for a in articles],
        "entities": [row for a in articles for row in a.entities],
        "mentions": [row for a in articles for row in a.mentions],
        "links": [row for a in articles for row in a.links],
        "rejects": [reject_row(r, run) for r in rejects],
    }
    return {
        name: pa.Table.from_pylist(rows[name], schema=schema)
        for name, schema in BATCH_SCHEMAS.items()
    }
