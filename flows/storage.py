"""Storage I/O: list raw inputs, read their bytes, write and read Parquet atomically.

Locations are local paths or any fsspec URL (`s3://bucket/raw`). Local trees are walked
with `os.scandir` (the no-op rerun costs about as much as listing the files).
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
from fsspec.implementations.local import LocalFileSystem

from transforms.document import SIDECAR_SUFFIX, RawInput
from transforms.records import Sidecar
from transforms.schema import PARTITION_COLUMN


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One discovered raw file: its key under the raw root, size and modification time."""

    source_path: str
    size: int
    mtime_ns: int
    outside_root: bool = False


def filesystem(url: str) -> tuple[fsspec.AbstractFileSystem, str]:
    """The fsspec filesystem for a location and the root path inside it."""
    fs, root = fsspec.core.url_to_fs(url)
    return fs, root.rstrip("/")


def is_local(url: str) -> bool:
    """Whether a location is on the local disk."""
    return isinstance(filesystem(url)[0], LocalFileSystem)


def _skip(name: str) -> bool:
    return name.startswith((".", "_")) or name.endswith(SIDECAR_SUFFIX)


def discover_files(raw: str) -> list[FileEntry]:
    """Every raw input under `raw` at any depth, sorted; hidden files and sidecars skipped.

    A symlink is listed but marked `outside_root` when it leads out of the raw root, so
    that it becomes a reject instead of being followed.
    """
    fs, root = filesystem(raw)
    if isinstance(fs, LocalFileSystem):
        return sorted(_walk_local(Path(root)), key=lambda e: e.source_path)
    entries = []
    for path, info in fs.find(root, detail=True).items():
        relative = path[len(root) :].lstrip("/")
        if info.get("type") != "file" or any(_skip(p) for p in relative.split("/")):
            continue
        mtime = info.get("mtime") or info.get("LastModified") or 0
        stamp = (
            int(mtime.timestamp() * 1e9) if isinstance(mtime, datetime) else int(float(mtime) * 1e9)
        )
        entries.append(FileEntry(relative, int(info.get("size") or 0), stamp))
    return sorted(entries, key=lambda e: e.source_path)


def _walk_local(root: Path) -> Iterator[FileEntry]:
    real_root = root.resolve()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            scanner = os.scandir(folder)
        except OSError:
            continue
        with scanner:
            for entry in scanner:
                if _skip(entry.name):
                    continue
                relative = os.path.relpath(entry.path, root).replace(os.sep, "/")
                if entry.is_symlink():
                    target = Path(entry.path).resolve()
                    inside = target.is_relative_to(real_root)
                    if inside and target.is_dir():
                        continue  # reached through its real path anyway
                    yield FileEntry(relative, 0, 0, outside_root=not inside)
                elif entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False):
                    st = entry.stat(follow_symlinks=False)
                    yield FileEntry(relative, st.st_size, st.st_mtime_ns)
                else:
                    # A FIFO, socket or device: listed (never opened) so it becomes a reject.
                    yield FileEntry(relative, 0, 0)


def read_raw(raw: str, entry: FileEntry, max_bytes: int) -> RawInput:
    """Read one raw file (at most `max_bytes` + 1 bytes) and its sidecar. Raises OSError."""
    fs, root = filesystem(raw)
    path = f"{root}/{entry.source_path}"
    with fs.open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes and not data[:2] == b"\x1f\x8b":
        raise OSError(f"file is over the size cap of {max_bytes:,} bytes")
    return RawInput(entry.source_path, data, _read_sidecar(fs, path))


def _read_sidecar(fs: fsspec.AbstractFileSystem, path: str) -> Sidecar | None:
    stem = path[:-3] if path.endswith(".gz") else path
    candidates = [stem.rsplit(".", 1)[0] + SIDECAR_SUFFIX, path + SIDECAR_SUFFIX]
    for candidate in candidates:
        try:
            with fs.open(candidate, "rb") as handle:
                meta = json.loads(handle.read(1_000_000))
        except (OSError, ValueError):
            continue
        if isinstance(meta, dict):
            return Sidecar(
                url=_str_or_none(meta.get("url")),
                fetched_at=_parse_time(meta.get("fetched_at")),
                source=_str_or_none(meta.get("source")),
            )
    return None


def _str_or_none(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def write_parquet_atomic(out: str, relative: str, table: pa.Table) -> str:
    """Write a table under `out` at `relative` so that readers see all of it or nothing.

    On a local disk: a hidden temporary name, then a rename. On object storage (S3, GCS,
    Azure) a PUT is atomic per object and a "rename" is a copy plus a delete, so the file is
    written straight to its final key: a reader never sees half an object.
    """
    fs, root = filesystem(out)
    final = f"{root}/{relative}"
    folder, name = final.rsplit("/", 1)
    fs.makedirs(folder, exist_ok=True)
    if not isinstance(fs, LocalFileSystem):
        with fs.open(final, "wb") as handle:
            pq.write_table(table, handle, compression="zstd")
        return final
    temporary = f"{folder}/.{name}.{uuid.uuid4().hex[:8]}.tmp"
    with fs.open(temporary, "wb") as handle:
        pq.write_table(table, handle, compression="zstd")
    os.replace(temporary, final)
    return final


def partition_path(table: str, ingest_date: str, name: str) -> str:
    """The relative path of a table file in its Hive partition."""
    return f"{table}/{PARTITION_COLUMN}={ingest_date}/{name}"


def list_parquet(out: str, folder: str) -> list[str]:
    """Every visible `.parquet` file below `out/folder` (temporary and hidden files skipped)."""
    fs, root = filesystem(out)
    base = f"{root}/{folder}"
    if not fs.exists(base):
        return []
    return sorted(
        p
        for p in fs.find(base)
        if p.endswith(".parquet")
        and not any(part.startswith(".") for part in p[len(base) :].split("/"))
    )


def read_parquet_files(out: str, paths: list[str], schema: pa.Schema) -> pa.Table:
    """Read the given files into one table of `schema` (partition columns dropped)."""
    fs, _ = filesystem(out)
    tables = [pq.read_table(p, filesystem=fs, schema=schema) for p in paths]
    return pa.concat_tables(tables) if tables else schema.empty_table()


def remove_files(out: str, paths: list[str]) -> None:
    """Delete files, ignoring those already gone."""
    fs, _ = filesystem(out)
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            fs.rm(path)
