"""Internal state beside the tables, under names starting with `_` (readers skip them):
the entity votes, the manifest and the dedup keys. Never read by analysts, so they carry no
data-dictionary text."""

from __future__ import annotations

import pyarrow as pa

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
        pa.field("name", pa.string()),  # the entity's name in the article (null: older votes)
    ]
)

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
