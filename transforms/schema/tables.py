"""The entities, mentions, links and rejects tables: their columns declared once."""

from __future__ import annotations

import pyarrow as pa

from transforms.records import LinkKind, RejectStage
from transforms.schema.fields import PARTITION_COLUMN, UTC_TIMESTAMP, column, one_of
from transforms.schema.reader_types import with_reader_types

ENTITIES_SCHEMA = with_reader_types(
    pa.schema(
        [
            column(
                "entity_id",
                pa.string(),
                "Stable id of one real-world thing, across runs and articles: a hash of the "
                "GeoNames id for a place that resolves, else of the normalised name.",
                "a41f0e2c9b7d3e11",
                nullable=False,
            ),
            column(
                "name",
                pa.string(),
                "Display form: the name most of the entity's articles give it (a place's, the "
                "gazetteer's), a tie going to mixed case, then the alphabet.",
                "Vladimir Putin",
                nullable=False,
            ),
            column(
                "type",
                pa.string(),
                "PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, PRODUCT, WORK_OF_ART, LAW or MISC: one"
                " per entity, decided over the whole table from the evidence of all its mentions:"
                " cues in and around the name count each, the model's labels together as one "
                "source. English articles' labels are the English model's (OntoNotes); French "
                "articles' are the French model's PER, ORG, LOC, MISC read as PERSON, ORG, LOC "
                "(GPE where the gazetteer is sure of a country or city) and MISC (events, works,"
                " products and nationalities alike: that model does not tell them apart).",
                "PERSON",
                nullable=False,
            ),
            column(
                "aliases",
                pa.list_(pa.string()),
                "Every surface form seen for the entity.",
                "['Putin', 'President Putin']",
            ),
            column(
                "same_as",
                pa.string(),
                "For a PERSON name that says less than one other in the whole table: entity_id "
                "of that fuller name. A name without middle initials links to the one name that "
                "only adds them ('George Bush' → 'George W. Bush'); a one-word name to the one "
                "full name whose last word it is ('Putin' → 'Vladimir Putin'). Also, for any "
                "name, the entity_id of the one spelling of it with a capital inside a word that "
                "more articles use ('Hubspot' → 'HubSpot'; 'React' stays apart from the rarer "
                "'ReAct'). Null when two or more names fit, when none does, and for every other "
                "entity. Recomputed over the whole table at each merge.",
                "a41f0e2c9b7d3e11",
            ),
            column(
                "country_code",
                pa.string(),
                "ISO 3166-1 alpha-2 code for places that resolve.",
                "KP",
            ),
            column("geonames_id", pa.int64(), "GeoNames id for places that resolve.", "1871859"),
            column("latitude", pa.float64(), "Latitude (WGS84) for places that resolve.", "39.03"),
            column(
                "longitude", pa.float64(), "Longitude (WGS84) for places that resolve.", "125.75"
            ),
            column(
                "first_seen_at",
                UTC_TIMESTAMP,
                "When the entity was first written (UTC).",
                "2024-11-13 08:30:12+00:00",
                nullable=False,
            ),
        ]
    ),
    PARTITION_COLUMN,
)

MENTIONS_SCHEMA = with_reader_types(
    pa.schema(
        [
            column(
                "article_id",
                pa.string(),
                "The article (articles.article_id).",
                "3f1c9a0b52d7e8aa",
                nullable=False,
            ),
            column(
                "entity_id",
                pa.string(),
                "The entity (entities.entity_id).",
                "a41f0e2c9b7d3e11",
                nullable=False,
            ),
            column(
                "surface",
                pa.string(),
                "The text as written: body[start_char:end_char].",
                "President Putin",
                nullable=False,
            ),
            column(
                "start_char", pa.int32(), "Start offset into articles.body.", "231", nullable=False
            ),
            column(
                "end_char",
                pa.int32(),
                "End offset (exclusive) into articles.body.",
                "246",
                nullable=False,
            ),
            column(
                "sentence_index",
                pa.int32(),
                "Index of the sentence in the body (from 0).",
                "1",
                nullable=False,
            ),
            column(
                "label",
                pa.string(),
                "The model's label, in the project's types (the French model's PER, ORG, LOC, "
                "MISC as PERSON, ORG, LOC, MISC; see entities.type).",
                "PERSON",
                nullable=False,
            ),
        ]
    ),
    PARTITION_COLUMN,
)

LINKS_SCHEMA = with_reader_types(
    pa.schema(
        [
            column(
                "article_id",
                pa.string(),
                "The linking article (articles.article_id).",
                "3f1c9a0b52d7e8aa",
                nullable=False,
            ),
            column(
                "kind",
                pa.string(),
                f"{one_of(LinkKind)}.",
                "next_article",
                nullable=False,
            ),
            column(
                "target_url",
                pa.string(),
                "Absolute URL of the target, when known.",
                "https://example.org/news/grain",
            ),
            column(
                "target_domain",
                pa.string(),
                "Registered domain of the target (the article's own for a relative link).",
                "example.org",
            ),
            column(
                "target_title",
                pa.string(),
                "Title of the target, when known.",
                "Grain talks resume",
            ),
            column("anchor_text", pa.string(), "Text of the link as shown.", "Next Article"),
            column(
                "position",
                pa.int32(),
                "Order of the link within the article (from 0).",
                "0",
                nullable=False,
            ),
            column(
                "is_internal",
                pa.bool_(),
                "Whether the target is on the article's own registered domain; null only when "
                "either domain is unknown.",
                "true",
            ),
            column(
                "target_url_key",
                pa.string(),
                "Normalised URL (no scheme, www, fragment, "
                "tracking parameters) to resolve the link to articles.url.",
                "example.org/news/grain",
            ),
            column(
                "target_title_key",
                pa.string(),
                "Normalised title (casefolded, punctuation "
                "removed) to resolve the link to articles.title.",
                "grain talks resume",
            ),
        ]
    ),
    PARTITION_COLUMN,
)

REJECTS_SCHEMA = with_reader_types(
    pa.schema(
        [
            column(
                "source_path",
                pa.string(),
                "Path of the raw file relative to the raw root.",
                "site-a/broken.txt.gz",
                nullable=False,
            ),
            column(
                "source_sha256",
                pa.string(),
                "SHA-256 of the raw bytes (null when unreadable).",
                "9b74c9897bac770f…",
            ),
            column(
                "stage",
                pa.string(),
                f"Stage that refused the input: {one_of(RejectStage)}.",
                "decode",
                nullable=False,
            ),
            column(
                "error_type",
                pa.string(),
                "Short machine-readable reason.",
                "binary_content",
                nullable=False,
            ),
            column(
                "message",
                pa.string(),
                "What went wrong, for a person.",
                "file holds NUL bytes: looks binary, not text",
                nullable=False,
            ),
            column(
                "run_id",
                pa.string(),
                "Id of the run that rejected it.",
                "20241113T083000-1a2b3c",
                nullable=False,
            ),
            column(
                "rejected_at",
                UTC_TIMESTAMP,
                "When it was rejected (UTC).",
                "2024-11-13 08:30:12+00:00",
                nullable=False,
            ),
        ]
    ),
    PARTITION_COLUMN,
)
