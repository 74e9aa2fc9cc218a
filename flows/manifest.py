"""The manifest of processed inputs: what was done, so a run plans only new or changed files.

One small Parquet file per committed batch under `_manifest/` (a name directory readers skip).
A batch is in the manifest only after its table files are in place.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from flows.storage import FileEntry, list_parquet, read_parquet_files, write_parquet_atomic

MANIFEST_DIR = "_manifest"
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
    ]
)


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """What the manifest knows of one input."""

    size: int
    mtime_ns: int
    pipeline_version: str


def load_manifest(out: str) -> dict[str, ManifestEntry]:
    """The latest manifest record of every input processed so far."""
    table = read_parquet_files(out, list_parquet(out, MANIFEST_DIR), MANIFEST_SCHEMA)
    columns = table.select(["source_path", "size", "mtime_ns", "pipeline_version"]).to_pydict()
    return {
        path: ManifestEntry(size, mtime, version)
        for path, size, mtime, version in zip(
            columns["source_path"],
            columns["size"],
            columns["mtime_ns"],
            columns["pipeline_version"],
            strict=True,
        )
    }


def needs_processing(entry: FileEntry, known: ManifestEntry | None, version: str) -> bool:
    """Whether an input is new, changed since it was processed, or processed by another version."""
    return (
        known is None
        or known.size != entry.size
        or known.mtime_ns != entry.mtime_ns
        or known.pipeline_version != version
    )


def commit_manifest(out: str, batch_id: str, rows: list[dict[str, object]]) -> None:
    """Record a batch's inputs as done (called only after the batch's files are written)."""
    table = pa.Table.from_pylist(rows, schema=MANIFEST_SCHEMA)
    write_parquet_atomic(out, f"{MANIFEST_DIR}/batch-{batch_id}.parquet", table)
