"""The manifest of processed inputs and the dedup keys of committed articles: reading them.

State lives beside the tables under names readers skip:

- `_manifest/batch-<id>.parquet`: one row per processed input (`MANIFEST_SCHEMA`). Its
  `batch_id` names the batch whose files hold the input's rows (its home, see
  `flows.commit`).
- `_dedup/batch-<id>.parquet`: the dedup keys of committed articles (`DEDUP_SCHEMA`), so
  duplicates are caught across runs.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import pyarrow as pa

from flows.storage import FileEntry, list_parquet, read_parquet_files
from transforms.output.dedup import DedupIndex, DedupKeys
from transforms.schema import DEDUP_SCHEMA, MANIFEST_SCHEMA

MANIFEST_DIR = "_manifest"
DEDUP_DIR = "_dedup"
# Rejects whose cause can go away without the file changing (permissions fixed, a disk back):
# the manifest's outcome `retry` has the next run read them again.
RETRIED_REJECTS = frozenset({"unreadable"})
RETRY = "retry"


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """What the manifest knows of one input: how it looked, how it was processed, and
    where its rows are."""

    size: int
    mtime_ns: int
    pipeline_version: str
    batch_id: str = ""
    article_id: str | None = None
    with_entities: bool = True
    archive_inputs: int | None = None  # a web archive's record: the inputs of its archive
    retry: bool = False  # a reject that may read next time (unreadable): always tried again


def load_manifest(out: str) -> dict[str, ManifestEntry]:
    """The manifest record of every input processed so far."""
    names = ["source_path", "size", "mtime_ns", "pipeline_version", "batch_id", "article_id"]
    last = ("with_entities", "archive_inputs", "outcome")
    schema = pa.schema([MANIFEST_SCHEMA.field(n) for n in (*names, *last)])
    columns = read_parquet_files(out, list_parquet(out, MANIFEST_DIR), schema).to_pydict()
    return {
        path: ManifestEntry(
            size,
            mtime,
            version,
            batch_id,
            article_id,
            entities is not False,
            inputs,
            outcome == RETRY,
        )
        for path, size, mtime, version, batch_id, article_id, entities, inputs, outcome in zip(
            *(columns[name] for name in (*names, *last)), strict=True
        )
    }


def needs_processing(
    entry: FileEntry, known: ManifestEntry | None, version: str, entities: bool
) -> bool:
    """Whether an input is new, changed since it was processed, processed by another
    version, processed without the entities this run finds, or could not be read."""
    return (
        known is None
        or known.size != entry.size
        or known.mtime_ns != entry.mtime_ns
        or known.pipeline_version != version
        or (entities and not known.with_entities)
        or known.retry
    )


def load_dedup_index(out: str, exclude: Collection[str] = ()) -> DedupIndex:
    """The dedup index rebuilt from `_dedup/`, in commit order (run, then source_path),
    leaving out the inputs in `exclude` (processed again by this run)."""
    table = read_parquet_files(out, list_parquet(out, DEDUP_DIR), DEDUP_SCHEMA)
    index = DedupIndex()
    rows = sorted(table.to_pylist(), key=lambda r: (r["run_id"], r["source_path"]))
    for row in rows:
        if row["source_path"] in exclude:
            continue
        keys = DedupKeys(
            row["article_id"],
            row["source_path"],
            row["source_sha256"],
            row["content_sha256"],
            row["signature"],
        )
        index.remember(keys, row["duplicate_of"])
    return index
