"""The manifest checked against the tables it describes: no deleted file goes unnoticed.

The manifest (`_manifest/batch-<home>.parquet`) says which inputs were processed and which
home (batch id) holds their rows; every home has one file in every table and state folder
(`flows.homes`). Two functions, kept apart from where the manifest lives:

- `rebuild_manifest_rows`: the manifest rows of homes whose manifest file is gone, read back
  from the `articles` and `rejects` tables (both carry `source_path`), marked as needing to
  be processed again *into the same home*: their new rows replace the old ones, never sit
  beside them (a deleted manifest file can no longer make two copies of an input's rows);
- `check_manifest_vs_tables`: that, plus the inputs of every home missing a table's file
  (a deleted articles or mentions file) and, when the entities table is gone while mentions
  remain, the inputs with mentions: all processed again, each with the reason, never a
  silent no-op.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, MutableMapping
from dataclasses import dataclass, field

import pyarrow as pa

from flows import layout
from flows.manifest import Manifest, ManifestEntry
from flows.storage import count_rows, filesystem, list_parquet, read_parquet_files
from transforms.schema import ARTICLES_SCHEMA, REJECTS_SCHEMA

_UNKNOWN = -1  # a size and time no file has: the input is processed again
_ARTICLE_KEYS = pa.schema([ARTICLES_SCHEMA.field(n) for n in ("source_path", "article_id")])
_REJECT_KEYS = pa.schema([REJECTS_SCHEMA.field("source_path")])


@dataclass(frozen=True, slots=True)
class Reconciled:
    """The manifest as the tables show it, and why each input it changed is redone."""

    known: MutableMapping[str, ManifestEntry]
    repairs: dict[str, str] = field(default_factory=dict)  # source_path: why processed again


def folder_of(out: str, path: str) -> str:
    """The table or state folder (`articles`, `_manifest`...) of a file under `out`."""
    return layout.folder_of(path, filesystem(out)[1])


def rebuild_manifest_rows(out: str, files: Mapping[str, str]) -> dict[str, ManifestEntry]:
    """Manifest entries for the inputs whose rows are in the given `articles`/`rejects`
    files (path: its home), marked to be processed again into the same home."""
    rebuilt: dict[str, ManifestEntry] = {}
    for path, home in sorted(files.items()):
        folder = folder_of(out, path)
        if folder == "articles":
            for row in read_parquet_files(out, [path], _ARTICLE_KEYS).to_pylist():
                rebuilt[row["source_path"]] = _redo(home, row["article_id"])
        elif folder == "rejects":
            for row in read_parquet_files(out, [path], _REJECT_KEYS).to_pylist():
                rebuilt.setdefault(row["source_path"], _redo(home, None))
    return rebuilt


def check_manifest_vs_tables(
    out: str,
    known: MutableMapping[str, ManifestEntry],
    files: Mapping[str, Collection[str]],
    expected: Collection[str],
    staged_entities: str,
) -> Reconciled:
    """The manifest with every input the tables contradict marked to be processed again
    (`known` is changed in place: it may be a disk-backed `flows.manifest.Manifest` of
    millions of inputs, never copied into memory).

    `files`: each home's files (`flows.homes.home_files`); `expected`: the folders where
    every home has a file besides the manifest; `staged_entities`: where commits stage
    entity rows (while some are there, a missing entities table is the merge's to make).
    """
    entries = known
    repairs: dict[str, str] = {}
    homes = known.homes() if isinstance(known, Manifest) else {e.batch_id for e in known.values()}
    lost = {
        path: home
        for home, paths in files.items()
        if home not in homes
        for path in paths
        if folder_of(out, path) in ("articles", "rejects")
    }
    for path, entry in rebuild_manifest_rows(out, lost).items():
        if path not in entries:
            entries[path] = entry
            repairs[path] = "its manifest file was missing: rebuilt from the tables"
    short = {}
    for home in sorted(homes):
        present = {folder_of(out, p) for p in files.get(home, ())}
        missing = [f for f in expected if f not in present]
        if missing:
            short[home] = missing[0]
    if short:
        for path, entry in list(_entries_of(known, short)):
            entries[path] = entry._replace(size=_UNKNOWN, mtime_ns=_UNKNOWN)
            repairs[path] = (
                f"the {short[entry.batch_id]} file of its batch {entry.batch_id} was missing"
            )
    entities_gone = not list_parquet(out, "entities") and not list_parquet(out, staged_entities)
    if entities_gone and count_rows(out, "mentions"):
        for path, entry in list(known.items()):
            if entry.article_id is not None and path not in repairs:
                entries[path] = entry._replace(size=_UNKNOWN, mtime_ns=_UNKNOWN)
                repairs[path] = "the entities table was missing while mentions remained"
    return Reconciled(entries, repairs)


def _entries_of(
    known: Mapping[str, ManifestEntry], homes: Collection[str]
) -> list[tuple[str, ManifestEntry]]:
    """The inputs whose home is one of `homes` (a list: the caller changes `known`)."""
    return [(path, entry) for path, entry in known.items() if entry.batch_id in homes]


def _redo(home: str, article_id: str | None) -> ManifestEntry:
    return ManifestEntry(_UNKNOWN, _UNKNOWN, "", home, article_id, False)
