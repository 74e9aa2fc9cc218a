"""The manifest of processed inputs and the dedup keys of committed articles: reading them.

State lives beside the tables under names readers skip:

- `_manifest/batch-<id>.parquet`: one row per processed input (`MANIFEST_SCHEMA`). Its
  `batch_id` names the batch whose files hold the input's rows (its home, see
  `flows.homes`).
- `_dedup/batch-<id>.parquet`: the dedup keys of committed articles (`DEDUP_SCHEMA`), so
  duplicates are caught across runs.
"""

from __future__ import annotations

from collections.abc import (
    Container,
    ItemsView,
    Iterable,
    Iterator,
    MutableMapping,
    ValuesView,
)
from typing import NamedTuple

import pyarrow as pa

from flows.dedup_store import SqliteDedupStore
from flows.layout import DEDUP_DIR, MANIFEST_DIR
from flows.scratch import ScratchDatabase
from flows.storage import FileEntry, list_parquet, read_parquet_files
from transforms.output.dedup import DedupIndex
from transforms.schema import DEDUP_SCHEMA, MANIFEST_SCHEMA

# Rejects whose cause can go away without the file changing (permissions fixed, a disk back):
# the manifest's outcome `retry` has the next run read them again.
RETRIED_REJECTS = frozenset({"unreadable"})
RETRY = "retry"


class ManifestEntry(NamedTuple):
    """What the manifest knows of one input: how it looked, how it was processed, and
    where its rows are. (A named tuple: a no-op rerun reads one per input.)"""

    size: int
    mtime_ns: int
    pipeline_version: str
    batch_id: str = ""
    article_id: str | None = None
    with_entities: bool = True
    archive_inputs: int | None = None  # a web archive's record: the inputs of its archive
    retry: bool = False  # a reject that may read next time (unreadable): always tried again


_COLUMNS = (
    "source_path",
    "size",
    "mtime_ns",
    "pipeline_version",
    "batch_id",
    "article_id",
    "with_entities",
    "archive_inputs",
    "retry",
)
_MANIFEST_SQL = """
create table manifest (source_path text primary key, size integer, mtime_ns integer,
    pipeline_version text, batch_id text, article_id text, with_entities integer,
    archive_inputs integer, retry integer) without rowid;
"""
_CHUNK = 5000
# The manifest is read in key order (the plan's join) and by the keys of one batch at a time
# (the commit: neighbours), so a small page cache serves it; a full one (`CACHE_MB`) made
# the flow grow by ~25 MB between 30,000 and 300,000 inputs.
_CACHE_MB = 8


class Manifest(MutableMapping[str, ManifestEntry]):
    """The manifest record of every input processed so far, by source_path: a mapping kept
    in a scratch SQLite database (`flows.scratch`), so that its size on disk, not in the
    flow's memory, grows with the corpus."""

    def __init__(self) -> None:
        self._scratch = ScratchDatabase(_MANIFEST_SQL, "newsetl-manifest-", cache_mb=_CACHE_MB)
        self._db = self._scratch.db

    def close(self) -> None:
        """Drop the database."""
        self._scratch.close()

    def add_rows(self, rows: Iterable[tuple[object, ...]]) -> None:
        """Rows in `_COLUMNS` order; a later row of a source_path replaces an earlier one."""
        marks = ",".join("?" * len(_COLUMNS))
        self._db.executemany(f"insert or replace into manifest values ({marks})", rows)

    def __getitem__(self, source_path: str) -> ManifestEntry:
        row = self._db.execute(
            f"select {','.join(_COLUMNS[1:])} from manifest where source_path = ?",
            (source_path,),
        ).fetchone()
        if row is None:
            raise KeyError(source_path)
        size, mtime, version, batch_id, article_id, entities, inputs, retry = row
        return ManifestEntry(
            size, mtime, version, batch_id, article_id, entities != 0, inputs, retry != 0
        )

    def __setitem__(self, source_path: str, entry: ManifestEntry) -> None:
        row = (
            source_path,
            entry.size,
            entry.mtime_ns,
            entry.pipeline_version,
            entry.batch_id,
            entry.article_id,
            entry.with_entities,
            entry.archive_inputs,
            entry.retry,
        )
        self.add_rows([row])

    def __delitem__(self, source_path: str) -> None:
        deleted = self._db.execute("delete from manifest where source_path = ?", (source_path,))
        if not deleted.rowcount:
            raise KeyError(source_path)

    def __contains__(self, source_path: object) -> bool:
        found = self._db.execute("select 1 from manifest where source_path = ?", (source_path,))
        return found.fetchone() is not None

    def __iter__(self) -> Iterator[str]:
        cursor = self._db.cursor()
        cursor.execute("select source_path from manifest order by source_path")
        while chunk := cursor.fetchmany(_CHUNK):
            yield from (path for (path,) in chunk)

    def __len__(self) -> int:
        return int(self._db.execute("select count(*) from manifest").fetchone()[0])

    def items(self) -> ItemsView[str, ManifestEntry]:
        """(source_path, entry) pairs, read in one pass over the table."""
        return _Items(self)

    def values(self) -> ValuesView[ManifestEntry]:
        """The entries, read in one pass over the table."""
        return _Values(self)

    def homes(self) -> set[str]:
        """The homes (batch ids) that hold some input's rows."""
        return {str(home) for (home,) in self._db.execute("select distinct batch_id from manifest")}

    def rows(self, prefix: str = "") -> Iterator[tuple[str, ManifestEntry]]:
        """Every (source_path, entry) whose key starts with `prefix`, by source_path, read
        in chunks (SQLite orders text as Python does: by UTF-8 bytes, i.e. code points)."""
        cursor = self._db.cursor()
        where, bounds = "", tuple[str, ...]()
        if prefix:
            where = "where source_path >= ? and source_path < ?"
            bounds = (prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1))
        cursor.execute(
            f"select {','.join(_COLUMNS)} from manifest {where} order by source_path", bounds
        )
        while chunk := cursor.fetchmany(_CHUNK):
            for path, size, mtime, version, batch_id, article_id, entities, inputs, retry in chunk:
                entry = ManifestEntry(
                    size, mtime, version, batch_id, article_id, entities != 0, inputs, retry != 0
                )
                yield path, entry


class _Items(ItemsView[str, ManifestEntry]):
    def __init__(self, manifest: Manifest) -> None:
        super().__init__(manifest)
        self._manifest = manifest

    def __iter__(self) -> Iterator[tuple[str, ManifestEntry]]:
        yield from self._manifest.rows()


class _Values(ValuesView[ManifestEntry]):
    def __init__(self, manifest: Manifest) -> None:
        super().__init__(manifest)
        self._manifest = manifest

    def __iter__(self) -> Iterator[ManifestEntry]:
        yield from (entry for _, entry in self._manifest.rows())


def load_manifest(out: str) -> Manifest:
    """The manifest record of every input processed so far, read one `_manifest/` file at
    a time into a `Manifest`."""
    stored = [*_COLUMNS[:-1], "outcome"]
    schema = pa.schema([MANIFEST_SCHEMA.field(n) for n in stored])
    manifest = Manifest()
    for path in list_parquet(out, MANIFEST_DIR):
        table = read_parquet_files(out, [path], schema)
        columns = [table.column(name).to_pylist() for name in stored]
        columns[6] = [value is not False for value in columns[6]]  # null: an older manifest
        columns[8] = [outcome == RETRY for outcome in columns[8]]
        manifest.add_rows(zip(*columns, strict=True))
    return manifest


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


def load_dedup_index(out: str, exclude: Container[str] = ()) -> DedupIndex:
    """The dedup index rebuilt from `_dedup/`, in commit order (run, then source_path),
    leaving out the inputs in `exclude` (processed again by this run). Its memory is a
    scratch SQLite database (`flows.dedup_store`), read one `_dedup/` file at a time."""
    store = SqliteDedupStore()
    index = DedupIndex(store)
    files = (read_parquet_files(out, [p], DEDUP_SCHEMA) for p in list_parquet(out, DEDUP_DIR))
    store.load(files, index, exclude)
    return index
