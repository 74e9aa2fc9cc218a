"""The pyarrow schemas of the output tables: the single source of truth for columns.

Writer, readers, tests and the data dictionary all derive from these constants. Each field
carries its meaning in its metadata (`description`) and an example value (`example`).
"""

from __future__ import annotations

from typing import Any, get_args

import pyarrow as pa

from transforms.reader_types import with_reader_types
from transforms.records import LinkKind, RejectStage, SourceFormat

# 0.3.0: site keys, dup groups, entity ids by name or GeoNames id. 0.4.0: words counted per
# Chinese/Japanese character, sentences end at 。！？, index pages told by their text's
# sentences and links (rows of the same inputs change: they are processed again). 0.4.1: a
# link out of the raw root is the reject `outside_raw` (was `outside_root`), checked on open.
# 0.4.2: places only from a place reading. 0.5.0: articles carry the page's description,
# image_url, categories and tags. 0.5.1: a body over 100k characters reaches the entity model
# in pieces (its spans near the cuts can differ).
# 0.6.0: page kind a label (index pages are rows), published_date, modified_at, error_page.
# 0.6.1: index rules re-tuned on every real set (page_kind labels change).
# 0.6.2: language from the text, entities only for a language with a model (entities_status),
# entity types from evidence (the model one source), misread surnames joined.
PIPELINE_VERSION = "0.6.2"
PARTITION_COLUMN = "ingest_date"
UTC_TIMESTAMP = pa.timestamp("us", tz="UTC")


def allowed_values(kind: Any) -> tuple[str, ...]:
    """The values a `Literal` type of `transforms.records` allows, in its order."""
    return tuple(get_args(kind))


def _one_of(kind: Any) -> str:
    return " | ".join(allowed_values(kind))


def _field(
    name: str, type_: pa.DataType, description: str, example: str, *, nullable: bool = True
) -> pa.Field:
    return pa.field(
        name, type_, nullable=nullable, metadata={"description": description, "example": example}
    )


ARTICLES_SCHEMA = pa.schema(
    [
        _field(
            "article_id",
            pa.string(),
            "Hash of the source key: canonical URL when known, "
            "else the path relative to the raw root.",
            "3f1c9a0b52d7e8aa",
            nullable=False,
        ),
        _field(
            "source_path",
            pa.string(),
            "Path of the raw file relative to the raw root.",
            "site-a/2024/putin-visit.txt",
            nullable=False,
        ),
        _field(
            "source_format",
            pa.string(),
            f"{_one_of(SourceFormat)}.",
            "text_page",
            nullable=False,
        ),
        _field(
            "source_sha256",
            pa.string(),
            "SHA-256 of the raw file's bytes.",
            "9b74c9897bac770f…",
            nullable=False,
        ),
        _field(
            "url",
            pa.string(),
            "Canonical URL of the article, when known.",
            "https://example.org/news/putin-visit",
        ),
        _field(
            "site_domain",
            pa.string(),
            "Registered domain of the article's site: from its URL, else from a raw folder "
            "named like a domain. Null when neither says.",
            "example.org",
        ),
        _field(
            "site_name",
            pa.string(),
            "Display name of the site: as the crawler's sidecar or the page states it, else "
            "the site's folder, else site_domain. Container folders (mirror, corpora, dump, "
            "archive, sample…) are never a site.",
            "The Example Herald",
        ),
        _field("title", pa.string(), "Headline.", "Leaders meet in the Far East"),
        _field("authors", pa.list_(pa.string()), "Authors named by the page.", "['Ana Ruiz']"),
        _field(
            "published_at",
            UTC_TIMESTAMP,
            "Publication time (UTC) when the page gives it.",
            "2024-09-13 08:30:00+00:00",
        ),
        _field(
            "published_at_source",
            pa.string(),
            "Where published_at comes from: meta (the page's metadata) | htmldate (the page's"
            " text and markup) | url | path (a date written there; a month folder gives the"
            " 1st) | sidecar (the crawler's fetched_at) | fetched (a web archive record's"
            " WARC-Date: when it was fetched, not published); null when no source gives a"
            " date.",
            "meta",
        ),
        _field(
            "published_date",
            pa.date32(),
            "Calendar day of publication in the page's own time zone: the offset the page "
            "states, else the date as written (published_at is the UTC instant, which can "
            "fall on the next or previous day).",
            "2024-09-13",
        ),
        _field(
            "modified_at",
            UTC_TIMESTAMP,
            "Last modification time (UTC) when the page's metadata gives one.",
            "2024-09-14 10:02:00+00:00",
        ),
        _field(
            "language",
            pa.string(),
            "ISO 639-1 language of the body, detected from the text; the page's <html lang>"
            " only when the text is too short or unsure to tell.",
            "en",
        ),
        _field(
            "entities_status",
            pa.string(),
            "Whether the article's entities were looked for: extracted (a model of its"
            " language ran; English, or a language not told) | no_model_for_language (no"
            " mentions: the project has no model for it) | disabled (the run did not look"
            " for entities). Only `extracted` articles say anything by having no mentions.",
            "extracted",
        ),
        _field(
            "page_kind",
            pa.string(),
            "article | index (a listing, section front or collection of other pages). A "
            "label, not a filter: an index page keeps its body and links. Text formats are "
            "always article. The query layer's `articles` view keeps page_kind = 'article' "
            "only; `index_pages` shows the others.",
            "article",
            nullable=False,
        ),
        _field(
            "page_kind_score",
            pa.int32(),
            "The index test's score (index evidence minus article evidence, in points; 4 or "
            "more is an index). Null when no test ran (text formats).",
            "-2",
        ),
        _field(
            "page_kind_evidence",
            pa.string(),
            "The rules of the index test that hold on the page, with their points.",
            "long URL slug -3, 3 prose paragraphs -1 (score -4; 4 or more is an index)",
        ),
        _field(
            "body",
            pa.string(),
            "Main text, paragraphs joined by a blank line (NFC).",
            "First paragraph.\\n\\nSecond paragraph.",
            nullable=False,
        ),
        _field(
            "summary",
            pa.string(),
            "A few sentences extracted from the body.",
            "Leaders met on Friday.",
        ),
        _field(
            "description",
            pa.string(),
            "The page's own summary of itself (HTML): JSON-LD or OpenGraph description, else "
            "meta description or twitter:description; null for text files and pages without one.",
            "Leaders of the two countries met on Friday to discuss gas exports.",
        ),
        _field(
            "image_url",
            pa.string(),
            "Absolute URL of the page's main image (HTML): og:image, else twitter:image, else "
            "the JSON-LD image; null when the page names none. Never fetched.",
            "https://example.org/img/summit.jpg",
        ),
        _field(
            "categories",
            pa.list_(pa.string()),
            "Sections the page files itself under (HTML): JSON-LD articleSection, else "
            "article:section metas, else its rel=category links or /category/ links in the "
            "post's meta block; empty when none.",
            "['World', 'Asia']",
        ),
        _field(
            "tags",
            pa.list_(pa.string()),
            "The page's tags or keywords (HTML): JSON-LD keywords, else article:tag and "
            "keywords metas (split at commas), else its rel=tag links or /tag/ links in the "
            "post's meta block; each once, at most 30; empty when none.",
            "['energy', 'gas', 'China']",
        ),
        _field(
            "word_count",
            pa.int32(),
            "Number of words in the body (white-space separated); each Chinese or Japanese "
            "character counts as a word.",
            "512",
            nullable=False,
        ),
        _field(
            "content_sha256",
            pa.string(),
            "SHA-256 of the normalised body.",
            "e3b0c44298fc1c14…",
            nullable=False,
        ),
        _field(
            "duplicate_of",
            pa.string(),
            "article_id of the article this one repeats exactly or nearly, committed before it "
            "(by an earlier run, else earlier in source_path order), else null.",
            "null",
        ),
        _field(
            "dup_group",
            pa.string(),
            "Id of the article's duplicate group (derived from the group's original): the "
            "original and every copy of it share it; an article with no copy has its own.",
            "5be0c1d2e3f40516",
            nullable=False,
        ),
        _field(
            "dup_similarity",
            pa.float64(),
            "Estimated Jaccard similarity (word 5-grams, MinHash) with duplicate_of: 1.0 for "
            "an exact copy; null for an original.",
            "0.83",
        ),
        _field(
            "pipeline_version",
            pa.string(),
            "Version of newsetl that wrote the row.",
            PIPELINE_VERSION,
            nullable=False,
        ),
        _field(
            "run_id",
            pa.string(),
            "Id of the run that wrote the row.",
            "20241113T083000-1a2b3c",
            nullable=False,
        ),
        _field(
            "ingested_at",
            UTC_TIMESTAMP,
            "When the row was written (UTC).",
            "2024-11-13 08:30:12+00:00",
            nullable=False,
        ),
    ]
)

ENTITIES_SCHEMA = pa.schema(
    [
        _field(
            "entity_id",
            pa.string(),
            "Stable id of one real-world thing, across runs and articles: a hash of the "
            "GeoNames id for a place that resolves, else of the normalised name.",
            "a41f0e2c9b7d3e11",
            nullable=False,
        ),
        _field("name", pa.string(), "Canonical display form.", "Vladimir Putin", nullable=False),
        _field(
            "type",
            pa.string(),
            "PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, PRODUCT, WORK_OF_ART or LAW: one per "
            "entity, decided over the whole table from the evidence of all its mentions: cues"
            " in and around the name count each, the model's labels together as one source.",
            "PERSON",
            nullable=False,
        ),
        _field(
            "aliases",
            pa.list_(pa.string()),
            "Every surface form seen for the entity.",
            "['Putin', 'President Putin']",
        ),
        _field(
            "same_as",
            pa.string(),
            "For a PERSON name that says less than one other in the whole table: entity_id "
            "of that fuller name. A name without middle initials links to the one name that "
            "only adds them ('George Bush' → 'George W. Bush'); a one-word name to the one "
            "full name whose last word it is ('Putin' → 'Vladimir Putin'). Null when two or "
            "more names fit, when none does, and for every other entity. Recomputed over the "
            "whole table at each merge.",
            "a41f0e2c9b7d3e11",
        ),
        _field(
            "country_code", pa.string(), "ISO 3166-1 alpha-2 code for places that resolve.", "KP"
        ),
        _field("geonames_id", pa.int64(), "GeoNames id for places that resolve.", "1871859"),
        _field("latitude", pa.float64(), "Latitude (WGS84) for places that resolve.", "39.03"),
        _field("longitude", pa.float64(), "Longitude (WGS84) for places that resolve.", "125.75"),
        _field(
            "first_seen_at",
            UTC_TIMESTAMP,
            "When the entity was first written (UTC).",
            "2024-11-13 08:30:12+00:00",
            nullable=False,
        ),
    ]
)

MENTIONS_SCHEMA = pa.schema(
    [
        _field(
            "article_id",
            pa.string(),
            "The article (articles.article_id).",
            "3f1c9a0b52d7e8aa",
            nullable=False,
        ),
        _field(
            "entity_id",
            pa.string(),
            "The entity (entities.entity_id).",
            "a41f0e2c9b7d3e11",
            nullable=False,
        ),
        _field(
            "surface",
            pa.string(),
            "The text as written: body[start_char:end_char].",
            "President Putin",
            nullable=False,
        ),
        _field("start_char", pa.int32(), "Start offset into articles.body.", "231", nullable=False),
        _field(
            "end_char",
            pa.int32(),
            "End offset (exclusive) into articles.body.",
            "246",
            nullable=False,
        ),
        _field(
            "sentence_index",
            pa.int32(),
            "Index of the sentence in the body (from 0).",
            "1",
            nullable=False,
        ),
        _field("label", pa.string(), "The model's raw label.", "PERSON", nullable=False),
    ]
)

LINKS_SCHEMA = pa.schema(
    [
        _field(
            "article_id",
            pa.string(),
            "The linking article (articles.article_id).",
            "3f1c9a0b52d7e8aa",
            nullable=False,
        ),
        _field(
            "kind",
            pa.string(),
            f"{_one_of(LinkKind)}.",
            "next_article",
            nullable=False,
        ),
        _field(
            "target_url",
            pa.string(),
            "Absolute URL of the target, when known.",
            "https://example.org/news/grain",
        ),
        _field(
            "target_domain",
            pa.string(),
            "Registered domain of the target (the article's own for a relative link).",
            "example.org",
        ),
        _field(
            "target_title", pa.string(), "Title of the target, when known.", "Grain talks resume"
        ),
        _field("anchor_text", pa.string(), "Text of the link as shown.", "Next Article"),
        _field(
            "position",
            pa.int32(),
            "Order of the link within the article (from 0).",
            "0",
            nullable=False,
        ),
        _field(
            "is_internal",
            pa.bool_(),
            "Whether the target is on the article's own registered domain; null only when "
            "either domain is unknown.",
            "true",
        ),
        _field(
            "target_url_key",
            pa.string(),
            "Normalised URL (no scheme, www, fragment, "
            "tracking parameters) to resolve the link to articles.url.",
            "example.org/news/grain",
        ),
        _field(
            "target_title_key",
            pa.string(),
            "Normalised title (casefolded, punctuation "
            "removed) to resolve the link to articles.title.",
            "grain talks resume",
        ),
    ]
)

REJECTS_SCHEMA = pa.schema(
    [
        _field(
            "source_path",
            pa.string(),
            "Path of the raw file relative to the raw root.",
            "site-a/broken.txt.gz",
            nullable=False,
        ),
        _field(
            "source_sha256",
            pa.string(),
            "SHA-256 of the raw bytes (null when unreadable).",
            "9b74c9897bac770f…",
        ),
        _field(
            "stage",
            pa.string(),
            f"Stage that refused the input: {_one_of(RejectStage)}.",
            "decode",
            nullable=False,
        ),
        _field(
            "error_type",
            pa.string(),
            "Short machine-readable reason.",
            "binary_content",
            nullable=False,
        ),
        _field(
            "message",
            pa.string(),
            "What went wrong, for a person.",
            "file holds NUL bytes: looks binary, not text",
            nullable=False,
        ),
        _field(
            "run_id",
            pa.string(),
            "Id of the run that rejected it.",
            "20241113T083000-1a2b3c",
            nullable=False,
        ),
        _field(
            "rejected_at",
            UTC_TIMESTAMP,
            "When it was rejected (UTC).",
            "2024-11-13 08:30:12+00:00",
            nullable=False,
        ),
    ]
)

# Every reader gets each column's natural type: pandas too (nullable integers and booleans,
# dates, the partition column), from the files' pandas metadata (see reader_types).
ARTICLES_SCHEMA, ENTITIES_SCHEMA, MENTIONS_SCHEMA, LINKS_SCHEMA, REJECTS_SCHEMA = (
    with_reader_types(schema, PARTITION_COLUMN)
    for schema in (ARTICLES_SCHEMA, ENTITIES_SCHEMA, MENTIONS_SCHEMA, LINKS_SCHEMA, REJECTS_SCHEMA)
)

# Internal schemas: never read by analysts, so they carry no data-dictionary text.
# `_entity_votes/batch-<id>.parquet`: the type evidence of each committed article's mentions
# (published by the commit with the article's other rows, read by every entity merge), the
# one form votes take (`transforms.entities.types.vote_rows`): evidence is model | cue.
ENTITY_VOTES_SCHEMA = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("entity_id", pa.string(), nullable=False),
        pa.field("type", pa.string(), nullable=False),
        pa.field("evidence", pa.string(), nullable=False),
        pa.field("weight", pa.float64(), nullable=False),
    ]
)

TABLE_SCHEMAS: dict[str, pa.Schema] = {
    "articles": ARTICLES_SCHEMA,
    "entities": ENTITIES_SCHEMA,
    "mentions": MENTIONS_SCHEMA,
    "links": LINKS_SCHEMA,
    "rejects": REJECTS_SCHEMA,
}

# What a batch stages for its commit: the tables (its entity rows are folded at the merge,
# with the votes of `ENTITY_VOTES_SCHEMA`).
BATCH_SCHEMAS: dict[str, pa.Schema] = dict(TABLE_SCHEMAS)

# Internal state beside the tables, under names starting with `_` (readers skip them).

MANIFEST_SCHEMA = pa.schema(
    [
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("size", pa.int64(), nullable=False),
        pa.field("mtime_ns", pa.int64(), nullable=False),
        pa.field("source_sha256", pa.string()),
        pa.field("pipeline_version", pa.string(), nullable=False),
        pa.field("outcome", pa.string(), nullable=False),
        pa.field("article_id", pa.string()),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("batch_id", pa.string(), nullable=False),
        pa.field("with_entities", pa.bool_()),
        pa.field("archive_inputs", pa.int64()),
    ]
)
"""`_manifest/`: one row per processed input; `batch_id` names the files holding its rows;
`archive_inputs`, for a web archive's record, how many inputs its archive holds."""

DEDUP_SCHEMA = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("source_sha256", pa.string(), nullable=False),
        pa.field("content_sha256", pa.string(), nullable=False),
        pa.field("signature", pa.binary(), nullable=False),
        pa.field("duplicate_of", pa.string()),
        pa.field("run_id", pa.string(), nullable=False),
    ]
)
"""`_dedup/`: the dedup keys of every committed article, to find duplicates across runs."""
