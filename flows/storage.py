"""Storage I/O: read raw inputs' bytes, write and read Parquet atomically (listing the raw
inputs is `flows.discovery`).

Locations are local paths or any fsspec URL (`s3://bucket/raw`).
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import IO, NamedTuple

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
from fsspec.implementations.local import LocalFileSystem

from flows.contained import open_contained
from flows.parquet_append import NotAppendable, write_appended
from transforms.parse.document import SIDECAR_SUFFIX, RawInput
from transforms.records import Reject, Sidecar


class FileEntry(NamedTuple):
    """One discovered raw file: its key under the raw root, size and modification time, and
    why it cannot be read when discovery already knows (a symlink loop, say). A web
    archive's record is an entry too: its key names the record (`transforms.parse.warc`), its size
    and time are the archive's. (A named tuple: a no-op rerun over 300,000 inputs makes one
    per input, and a frozen dataclass costs several times more to make.)"""

    source_path: str
    size: int
    mtime_ns: int
    problem: Reject | None = None
    archive_inputs: int | None = None  # a web archive's record: the inputs of its archive


def filesystem(url: str) -> tuple[fsspec.AbstractFileSystem, str]:
    """The fsspec filesystem for a location and the root path inside it."""
    fs, root = fsspec.core.url_to_fs(url)
    return fs, root.rstrip("/")


def is_local(url: str) -> bool:
    """Whether a location is on the local disk."""
    return isinstance(filesystem(url)[0], LocalFileSystem)


def reason(exc: OSError) -> str:
    """What an OSError says, for a person."""
    return exc.strerror or str(exc)


def open_raw(raw: str, source_path: str) -> IO[bytes]:
    """Open one raw file under `raw` for reading: plain files, sidecars and web archives
    are all read through here. A local one is opened inside the raw root only
    (`flows.contained`: OutsideRaw, NotAFile). Raises OSError."""
    fs, root = filesystem(raw)
    if isinstance(fs, LocalFileSystem):
        return os.fdopen(open_contained(root, source_path), "rb")
    handle: IO[bytes] = fs.open(f"{root}/{source_path}", "rb")
    return handle


def read_raw(raw: str, entry: FileEntry, max_bytes: int) -> tuple[RawInput, str | None]:
    """Read one raw file (at most `max_bytes` + 1 bytes) and its sidecar, with why the
    sidecar was ignored when it was broken. Raises OSError."""
    data = _read_bytes(raw, entry.source_path, max_bytes + 1)
    if len(data) > max_bytes and not data[:2] == b"\x1f\x8b":
        raise OSError(f"file is over the size cap of {max_bytes:,} bytes")
    sidecar, problem = _read_sidecar(raw, entry.source_path)
    return RawInput(entry.source_path, data, sidecar), problem


def _read_bytes(raw: str, relative: str, limit: int) -> bytes:
    """At most `limit` bytes of a raw file (`open_raw`)."""
    with open_raw(raw, relative) as handle:
        return bytes(handle.read(limit))


def _read_sidecar(raw: str, relative: str) -> tuple[Sidecar | None, str | None]:
    stem = relative[:-3] if relative.endswith(".gz") else relative
    for candidate in (stem.rsplit(".", 1)[0] + SIDECAR_SUFFIX, relative + SIDECAR_SUFFIX):
        try:
            text = _read_bytes(raw, candidate, 1_000_001)
        except FileNotFoundError:
            continue
        except OSError as exc:
            return None, f"sidecar {candidate.rsplit('/', 1)[-1]} unreadable: {reason(exc)}"
        try:
            meta = json.loads(text)
        except ValueError as exc:
            return None, f"sidecar {candidate.rsplit('/', 1)[-1]} is not valid JSON: {exc}"
        if not isinstance(meta, dict):
            return None, f"sidecar {candidate.rsplit('/', 1)[-1]} is not a JSON object"
        return (
            Sidecar(
                url=_str_or_none(meta.get("url")),
                fetched_at=_parse_time(meta.get("fetched_at")),
                source=_str_or_none(meta.get("source")),
            ),
            None,
        )
    return None, None


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


@dataclass(frozen=True, slots=True)
class Appended:
    """What a file becomes: the Parquet file at `base` (absolute) with `rows` added."""

    base: str
    rows: pa.Table


def write_parquet_appended(out: str, relative: str, appended: Appended) -> str:
    """Write under `out` at `relative` the file `appended.base` with `appended.rows` added
    as a new row group, its old row groups copied as bytes (`flows.parquet_append`), so that
    readers see all of it or nothing (as `write_parquet_atomic`). A base in another schema
    (an older version's) is read and written again whole, in the rows' schema."""
    fs, root = filesystem(out)
    final = f"{root}/{relative}"
    folder, name = final.rsplit("/", 1)
    fs.makedirs(folder, exist_ok=True)
    local = isinstance(fs, LocalFileSystem)
    target = f"{folder}/.{name}.{uuid.uuid4().hex[:8]}.tmp" if local else final
    try:
        with fs.open(appended.base, "rb") as base, fs.open(target, "wb") as sink:
            write_appended(base, fs.size(appended.base), appended.rows, sink)
    except NotAppendable:
        if local:
            remove_files(out, [target])
        whole = read_parquet_files(out, [appended.base], appended.rows.schema)
        return write_parquet_atomic(out, relative, pa.concat_tables([whole, appended.rows]))
    if local:
        os.replace(target, final)
    return final


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


def count_rows(out: str, folder: str) -> int:
    """The rows of every visible Parquet file below `out/folder`, from their footers."""
    fs, _ = filesystem(out)
    total = 0
    for path in list_parquet(out, folder):
        with fs.open(path, "rb") as handle:
            total += int(pq.ParquetFile(handle).metadata.num_rows)
    return total


def read_parquet_files(out: str, paths: list[str], schema: pa.Schema) -> pa.Table:
    """Read the given files into one table of `schema`: a column a file predates reads as
    null; partition columns are not added. (`pq.ParquetFile`, not `pq.read_table`, which
    would import pandas: 0.7 s of every run's start-up.)"""
    fs, _ = filesystem(out)
    tables = []
    for path in paths:
        with fs.open(path, "rb") as handle:
            parquet = pq.ParquetFile(handle)
            columns = [name for name in schema.names if name in parquet.schema_arrow.names]
            tables.append(conform(parquet.read(columns=columns), schema))
    return pa.concat_tables(tables) if tables else schema.empty_table()


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """A table's rows in `schema` (a column it lacks reads as null)."""
    columns = [
        table.column(f.name).cast(f.type)
        if f.name in table.column_names
        else pa.nulls(table.num_rows, f.type)
        for f in schema
    ]
    return pa.Table.from_arrays(columns, schema=schema)


def remove_files(out: str, paths: list[str]) -> None:
    """Delete files, ignoring those already gone."""
    fs, _ = filesystem(out)
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            fs.rm(path)


def write_json_atomic(out: str, relative: str, payload: Mapping[str, object]) -> None:
    """Write a small JSON document under `out` so that readers see all of it or nothing."""
    fs, root = filesystem(out)
    final = f"{root}/{relative}"
    folder, name = final.rsplit("/", 1)
    fs.makedirs(folder, exist_ok=True)
    data = json.dumps(payload, sort_keys=True, indent=1, default=str).encode("utf-8")
    if not is_local(out):  # a PUT is atomic per object
        with fs.open(final, "wb") as handle:
            handle.write(data)
        return
    temporary = f"{folder}/.{name}.tmp"
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, final)
