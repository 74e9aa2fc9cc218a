"""The pyarrow schemas of the output tables: the single source of truth for columns.

Writer, readers, tests and the data dictionary all derive from these constants. Each field
carries its meaning in its metadata (`description`) and an example value (`example`); each
public table's files carry the pandas metadata that gives every reader a column's natural
type (`reader_types`). The tables are declared in `articles` and `tables`, internal state in
`state`, the helpers in `fields`, the version in `version`; this module holds the registries.
"""

from __future__ import annotations

import pyarrow as pa

from transforms.schema.articles import ARTICLES_SCHEMA
from transforms.schema.fields import PARTITION_COLUMN, UTC_TIMESTAMP, allowed_values
from transforms.schema.state import DEDUP_SCHEMA, ENTITY_VOTES_SCHEMA, MANIFEST_SCHEMA
from transforms.schema.tables import (
    ENTITIES_SCHEMA,
    LINKS_SCHEMA,
    MENTIONS_SCHEMA,
    REJECTS_SCHEMA,
)
from transforms.schema.version import PIPELINE_VERSION

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

__all__ = [
    "ARTICLES_SCHEMA",
    "BATCH_SCHEMAS",
    "DEDUP_SCHEMA",
    "ENTITIES_SCHEMA",
    "ENTITY_VOTES_SCHEMA",
    "LINKS_SCHEMA",
    "MANIFEST_SCHEMA",
    "MENTIONS_SCHEMA",
    "PARTITION_COLUMN",
    "PIPELINE_VERSION",
    "REJECTS_SCHEMA",
    "TABLE_SCHEMAS",
    "UTC_TIMESTAMP",
    "allowed_values",
]
