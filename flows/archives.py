"""Web archives under the raw root: list their records as inputs, read a record back.

Planning scans an archive (streaming, one record in memory at a time) only when the manifest
does not already hold every input of this version of it: each input's manifest row records
how many inputs its archive holds (`archive_inputs`), so a rerun over an unchanged archive
does not open it, and a killed run rescans it and plans only the records not committed. The
decisions (which record is an input, its key, its charset) are `transforms.parse.warc`'s; every
read goes through `flows.storage.open_raw`, like any raw file's.

An archive cut short (a gzip member or record that ends early, bytes that are not a record)
yields the records before the damage and one reject, `truncated_archive`, for the rest. An
archive with no input at all is one reject, `no_articles`, that counts what it skipped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from types import TracebackType
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from flows.manifest import ManifestEntry, needs_processing
from flows.storage import FileEntry, open_raw
from transforms.parse.document import RawInput
from transforms.parse.warc import (
    http_charset,
    is_archive,
    is_input_suffix,
    record_key,
    record_suffix,
    split_record_key,
    warc_date,
)
from transforms.records import Reject, Sidecar

_BLANK_TAIL = 4  # an uncompressed record's closing CRLF CRLF, outside its stated length


@dataclass(frozen=True, slots=True)
class ArchiveScan:
    """One archive's inputs (its HTML and text responses, then the damaged rest as a
    reject) and the records it skipped, counted by reason."""

    inputs: tuple[FileEntry, ...]
    skipped: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Expanded:
    """The raw listing with each archive replaced by its records: the entries to plan
    from, the archives left unopened (all their inputs committed) with their input counts,
    and the records skipped in the archives scanned."""

    entries: list[FileEntry]
    unchanged: dict[str, int]
    skipped: dict[str, int]

    def is_listed(self, source_path: str) -> bool:
        """Whether a manifest key is still under the raw root as far as this listing knows."""
        named = split_record_key(source_path)
        return named is not None and named[0] in self.unchanged


def scan_archive(raw: str, archive: FileEntry) -> ArchiveScan:
    """Every record of an archive: its inputs and the counts of what it skipped."""
    offsets: list[int] = []
    skipped: Counter[str] = Counter()
    end, damage = 0, ""
    try:
        with open_raw(raw, archive.source_path) as handle:
            records = ArchiveIterator(handle)
            for record in records:
                offset = records.get_record_offset()  # reads the record to its end
                if record.format != "warc":  # warcio reads any line as an ARC header
                    end, damage = offset, "the bytes at this offset are not a WARC record"
                    break
                if getattr(record.raw_stream, "limit", 0):
                    end, damage = offset, "the record at this offset ends early"
                    break
                decision = _decide(record)
                if is_input_suffix(decision):
                    offsets.append(offset)
                else:
                    skipped[decision] += 1
                end = offset + records.get_record_length()
    except Exception as exc:  # warcio's errors on damaged bytes are of many types
        damage = f"{type(exc).__name__}: {exc}"
    if not damage and archive.size - end > _BLANK_TAIL:
        damage = f"{archive.size - end:,} bytes after the last whole record are not a record"
    inputs: list[tuple[int, Reject | None]] = [(offset, None) for offset in offsets]
    if damage:
        inputs.append((end, Reject("read", "truncated_archive", _truncated(end, damage))))
    elif not offsets:
        inputs.append((0, Reject("read", "no_articles", _empty(skipped))))
    return ArchiveScan(
        tuple(
            FileEntry(
                record_key(archive.source_path, offset),
                archive.size,
                archive.mtime_ns,
                problem,
                archive_inputs=len(inputs),
            )
            for offset, problem in inputs
        ),
        dict(sorted(skipped.items())),
    )


def _decide(record: ArcWarcRecord) -> str:
    headers = record.http_headers
    if record.rec_type != "response" or headers is None:
        return record_suffix(record.rec_type, None, None)
    status = headers.get_statuscode()
    code = int(status) if status and status.isdigit() else None
    return record_suffix(record.rec_type, code, headers.get_header("Content-Type"))


def _truncated(end: int, why: str) -> str:
    return f"the archive is damaged from byte {end:,} on; the records before it are read ({why})"


def _empty(skipped: Mapping[str, int]) -> str:
    counts = ", ".join(f"{n:,} {reason}" for reason, n in sorted(skipped.items())) or "none"
    return f"the archive holds no HTML or text response with HTTP 200 (records skipped: {counts})"


def expand_archives(
    raw: str,
    entries: Iterable[FileEntry],
    known: Mapping[str, ManifestEntry],
    version: str,
    entities: bool,
    full_refresh: bool = False,
) -> Expanded:
    """The listing with every archive replaced by its records; an archive all of whose
    inputs the manifest holds (same archive, version and entity setting) is not opened."""
    entries = list(entries)
    committed = _committed_records(
        known, {e.source_path for e in entries if is_archive(e.source_path)}
    )
    listed: list[FileEntry] = []
    unchanged: dict[str, int] = {}
    skipped: Counter[str] = Counter()
    for entry in entries:
        if not is_archive(entry.source_path) or entry.problem:
            listed.append(entry)
            continue
        done = committed.get(entry.source_path, [])
        inputs = done[0].archive_inputs if done else None
        if (
            not full_refresh
            and inputs is not None
            and len(done) == inputs
            and not any(needs_processing(entry, r, version, entities) for r in done)
        ):
            unchanged[entry.source_path] = inputs
            continue
        scan = scan_archive(raw, entry)
        listed += scan.inputs
        skipped.update(scan.skipped)
    listed.sort(key=lambda e: e.source_path)
    return Expanded(listed, unchanged, dict(sorted(skipped.items())))


def _committed_records(
    known: Mapping[str, ManifestEntry], archives: set[str]
) -> dict[str, list[ManifestEntry]]:
    by_archive: dict[str, list[ManifestEntry]] = {}
    if not archives:  # the manifest is not walked when no archive is listed
        return by_archive
    for path, record in known.items():
        named = split_record_key(path)
        if named and named[0] in archives:
            by_archive.setdefault(named[0], []).append(record)
    return by_archive


class RecordReader:
    """Reads web archive records back by offset, keeping each archive open for a batch."""

    def __init__(self, raw: str) -> None:
        self._raw = raw
        self._stack = ExitStack()
        self._handles: dict[str, IO[bytes]] = {}

    def __enter__(self) -> RecordReader:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stack.close()

    def read(self, source_path: str, max_bytes: int) -> RawInput:
        """The body of the record a key names, its URL, fetch time and charset. Raises
        OSError (also when the record is no longer an input there)."""
        named = split_record_key(source_path)
        if named is None:
            raise OSError(f"{source_path} does not name a web archive record")
        archive, offset = named
        if archive not in self._handles:
            self._handles[archive] = self._stack.enter_context(open_raw(self._raw, archive))
        handle = self._handles[archive]
        handle.seek(offset)
        record = next(iter(ArchiveIterator(handle)), None)
        if record is None or not is_input_suffix(_decide(record)):
            raise OSError(f"no HTML or text response at byte {offset:,} of the archive")
        body = record.content_stream().read(max_bytes + 1)
        if len(body) > max_bytes:
            raise OSError(f"the record's body is over the size cap of {max_bytes:,} bytes")
        content_type = record.http_headers.get_header("Content-Type")
        sidecar = Sidecar(
            url=record.rec_headers.get_header("WARC-Target-URI"),
            fetched_at=warc_date(record.rec_headers.get_header("WARC-Date")),
            fetched_source="fetched",
        )
        return RawInput(source_path, body, sidecar, _decide(record), http_charset(content_type))
