"""The data dictionary: the table schemas rendered as markdown (`docs/DATA.md`).

Pure: schemas in, markdown out. Every column's meaning and example come from the field
metadata in `transforms.schema`, so the dictionary cannot say something the writer does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

import pyarrow as pa

from flows.layout import TABLE_FILES, partition_path
from transforms.records import DateSource
from transforms.schema import PARTITION_COLUMN, TABLE_SCHEMAS
from transforms.schema.reader_types import DATE_DTYPE

REGENERATE_COMMAND = ".venv/bin/newsetl docs"

TABLE_ROWS: dict[str, str] = {  # "one row per …"
    "articles": "page read from a source document: an article or an index page (`page_kind`)",
    "entities": "distinct real-world thing (person, organisation, place, …)",
    "mentions": "occurrence of an entity in an article's body",
    "links": "reference from an article to another document",
    "rejects": "input that could not be read or has no text (no row in articles), and why",
}


@dataclass(frozen=True, slots=True)
class JoinKey:
    """How two tables join: `left.column` matches `right.column` (`note` says how)."""

    left: str
    right: str
    note: str


JOIN_KEYS: tuple[JoinKey, ...] = (
    JoinKey("mentions.article_id", "articles.article_id", "many mentions per article"),
    JoinKey("mentions.entity_id", "entities.entity_id", "many mentions per entity"),
    JoinKey(
        "entities.same_as",
        "entities.entity_id",
        "a surname-only person to the full name it stands for; "
        "`coalesce(same_as, entity_id)` counts them as one (the entity views do this)",
    ),
    JoinKey("links.article_id", "articles.article_id", "the linking article"),
    JoinKey(
        "links.target_url_key",
        "url_key(articles.url)",
        "the linked article, by normalised URL (`transforms.text.urls.url_key`, restated as the "
        "SQL macro `url_key`); the view `resolved_links` does this join",
    ),
    JoinKey(
        "links.target_title_key",
        "title_key(articles.title)",
        "the linked article, by normalised headline (`transforms.text.urls.title_key`, the SQL "
        "macro `title_key`), when the URL does not resolve",
    ),
    JoinKey(
        "articles.duplicate_of",
        "articles.article_id",
        "the earlier article this one repeats (syndication, reposts)",
    ),
)


@dataclass(frozen=True, slots=True)
class DerivedView:
    """A view the query layer (`flows.analysis.query.connect`) defines on top of the tables."""

    name: str
    description: str
    columns: str


DERIVED_VIEWS: tuple[DerivedView, ...] = (
    DerivedView(
        "pages",
        "Every row of the articles table: every page read, articles and index pages. The "
        "view `articles` keeps `page_kind = 'article'` only (rows written before page_kind "
        "are articles), and every view below, the report and the examples count it; the "
        "entity views count mentions in articles only; `resolved_links` keeps links from "
        "every page.",
        "every `articles` column",
    ),
    DerivedView(
        "index_pages",
        "The pages labelled `page_kind = 'index'` (section fronts, listings, collections), "
        "with their text, the index test's score and evidence; their links (in `links`) are "
        "the sites' structure.",
        "every `articles` column",
    ),
    DerivedView(
        "article_dates",
        "One row per article: the day it counts on and where that day came from. `day` is "
        "`published_date` (the day in the page's own time zone), else the UTC date of "
        "`published_at`, else the article's `ingest_date`; `date_source` is "
        f"`articles.published_at_source` ({', '.join(get_args(DateSource))}), "
        "'published' when the files predate that column, or 'ingested' for the fallback. "
        "`published_at` is null when the only date is a web archive's fetch time (`fetched`).",
        "`article_id`, `title`, `site_domain`, `site` (site_name, else site_domain), "
        "`published_at`, `day`, `date_source`",
    ),
    DerivedView(
        "resolved_links",
        "Links that resolve to an ingested article (any run), by normalised URL, else by "
        "normalised title; one row per link, self-links left out.",
        "every `links` column, `target_article_id`, `matched_by` (url | title), "
        "`source_site`, `target_site`, `target_article_title`",
    ),
    DerivedView(
        "article_entity_counts",
        "One row per article: how many distinct entities and mentions it has, or null when "
        "its entities were not looked for (`entities_status` no_model_for_language: no "
        "entity model for its language; disabled: the run did without entities; rows "
        "written before the column count as extracted). Count entity-free news with "
        "`entities = 0`, never with a missing mention.",
        "`article_id`, `title`, `language`, `entities_status`, `entities`, `mentions`",
    ),
    DerivedView(
        "entity_cooccurrence",
        "Pairs of entities mentioned in the same article, with counts. Each pair appears in "
        "both orders (filter `entity_id < other_id` to see each pair once). A surname-only "
        "person counts as the full name it links to (`entities.same_as`).",
        "`entity_id`, `entity_name`, `entity_type`, `other_id`, `other_name`, `other_type`, "
        "`articles` (articles naming both), `stories` (the same, syndicated copies counted "
        "once), `article_ids` (list)",
    ),
    DerivedView(
        "entity_timeline",
        "Mentions per entity, day and date source: the article's day and `date_source` from "
        "`article_dates` (so undated articles show as 'ingested'; sum over `date_source` for "
        "one row per day). A surname-only person counts as the full name it links to "
        "(`entities.same_as`).",
        "`entity_id`, `name`, `type`, `day`, `date_source`, `mentions`, `articles`",
    ),
    DerivedView(
        "mentioned_with(who)",
        "Table macro: every entity mentioned in the same article as the entities whose name "
        "or an alias holds the words `who` (case-insensitive: 'Putin' finds 'Vladimir "
        "Putin'), with the article. A surname-only person counts as the full name it links "
        "to (`entities.same_as`): 'Vladimir Putin' also finds articles that say only "
        "'Putin'.",
        "`name`, `type`, `entity_id`, `article_id`, `title`, `site`, `published_at`, `url`",
    ),
    DerivedView(
        "url_key(url), title_key(title)",
        "Scalar macros: a URL or headline reduced to the key `links.target_url_key` / "
        "`target_title_key` hold (the same answers as `transforms.text.urls`, in plain SQL).",
        "a VARCHAR",
    ),
)


def type_name(type_: pa.DataType) -> str:
    """A column type as an analyst reads it: `string`, `list<string>`, `timestamp[us, UTC]`."""
    if pa.types.is_list(type_):
        return f"list<{type_name(type_.value_type)}>"
    if pa.types.is_timestamp(type_):
        return f"timestamp[{type_.unit}, {type_.tz}]" if type_.tz else f"timestamp[{type_.unit}]"
    return str(type_)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _meta(field: pa.Field, key: str) -> str:
    metadata: dict[bytes, bytes] = field.metadata or {}
    return metadata.get(key.encode(), b"").decode()


def table_markdown(name: str, schema: pa.Schema) -> str:
    """One table's section: what a row is, and every column with type, nullability, meaning."""
    lines = [
        f"## {name}",
        "",
        f"One row per {TABLE_ROWS.get(name, 'row')}.",
        "",
        f"Path: `data/processed/{partition_path(name, 'YYYY-MM-DD', TABLE_FILES)}`",
        "",
        "| column | type | nullable | meaning | example |",
        "|---|---|---|---|---|",
    ]
    for field in schema:
        example = _meta(field, "example")
        lines.append(
            f"| `{field.name}` | {type_name(field.type)} | {'yes' if field.nullable else 'no'} "
            f"| {_cell(_meta(field, 'description'))} | `{_cell(example)}` |"
        )
    partition_meaning = (
        "date of `first_seen_at`" if name == "entities" else "UTC date of the run that wrote it"
    )
    lines.append(
        f"| `{PARTITION_COLUMN}` | date (partition) | no | Hive partition of the file: the "
        f"{partition_meaning}"
        " (a folder name, not stored in the file; readers add it as a column). | `2024-11-13` |"
    )
    return "\n".join(lines)


def data_dictionary_markdown(schemas: dict[str, pa.Schema] | None = None) -> str:
    """The whole data dictionary as markdown, from the table schemas."""
    schemas = TABLE_SCHEMAS if schemas is None else schemas
    parts = [
        "# newsetl data dictionary",
        "",
        f"<!-- Generated from transforms/schema/ by `{REGENERATE_COMMAND}`: do not edit. -->",
        "",
        "The output folder (`data/processed/` by default) holds one folder per table, "
        "Hive-partitioned by "
        f"`{PARTITION_COLUMN}` and written as zstd Parquet. Names starting with `_` hold "
        "internal state (manifest, run records, staging) and are skipped by readers. Ids are "
        "lowercase hex of a stable hash; timestamps are UTC; text is NFC-normalised Unicode.",
        "",
        'Query everything with SQL: `newsetl query "select * from articles limit 5"`, '
        "`newsetl sql`, `from flows.analysis.query import connect`, or any DuckDB client "
        "after `newsetl views > views.sql`.",
        "",
        "Every reader gives each column its natural type: dates as dates, integers as "
        "integers (nulls kept), booleans as booleans, the partition column as a date. "
        f'`pd.read_parquet("data/processed/articles")` (`Int64`, `boolean`, '
        f"`{DATE_DTYPE}`: the files' pandas metadata says so), "
        "`pl.read_parquet(\"data/processed/articles\")`, DuckDB's `read_parquet('…/**/*.parquet', "
        'hive_partitioning=true)`, and `pyarrow.dataset.dataset("data/processed/articles", '
        'format="parquet", partitioning=ds.partitioning(pa.schema([("ingest_date", '
        'pa.date32())]), flavor="hive"))` (without that partitioning pyarrow reads '
        "`ingest_date` as a string).",
        "",
        "| table | one row per |",
        "|---|---|",
        *(f"| [{n}](#{n}) | {TABLE_ROWS.get(n, '')} |" for n in schemas),
        "",
        "## Join keys",
        "",
        "| column | joins | note |",
        "|---|---|---|",
        *(f"| `{k.left}` | `{k.right}` | {_cell(k.note)} |" for k in JOIN_KEYS),
        "",
    ]
    for name, schema in schemas.items():
        parts += [table_markdown(name, schema), ""]
    parts += [
        "## Derived views",
        "",
        "Defined by the query layer (`newsetl query`, `newsetl sql`, "
        "`flows.analysis.query.connect`) on top of the tables; `newsetl views --out DIR > "
        "views.sql` writes them as plain SQL for `duckdb -init views.sql` or any DuckDB client.",
        "",
        "| view | what it holds | columns |",
        "|---|---|---|",
        *(f"| `{v.name}` | {_cell(v.description)} | {_cell(v.columns)} |" for v in DERIVED_VIEWS),
        "",
    ]
    return "\n".join(parts)
