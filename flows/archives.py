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

import heapq
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from types import TracebackType
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from flows.manifest import Manifest, ManifestEntry, needs_processing
from flows.storage import FileEntry, open_raw
from transforms.parse.document import RawInput
from transforms.parse.warc import (
    RECORD_SEPARATOR,
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
    """The raw listing with each archive replaced by its records, streamed in key order:
    the entries to plan from, and, filled as they are read, the archives left unopened (all
    their inputs committed) with their input counts and the records skipped in the archives
    scanned."""

    entries: Iterator[FileEntry]
    unchanged: dict[str, int]
    skipped: Counter[str]

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
    """The listing (sorted by source_path) with every archive replaced by its records, in
    one pass; an archive all of whose inputs the manifest holds (same archive, version and
    entity setting) is not opened."""
    unchanged: dict[str, int] = {}
    skipped: Counter[str] = Counter()
    expanding = _Expanding(raw, known, version, entities, full_refresh, unchanged, skipped)
    return Expanded(expanding.entries(entries), unchanged, skipped)


@dataclass(frozen=True, slots=True)
class _Expanding:
    raw: str
    known: Mapping[str, ManifestEntry]
    version: str
    entities: bool
    full_refresh: bool
    unchanged: dict[str, int]
    skipped: Counter[str]

    def entries(self, listing: Iterable[FileEntry]) -> Iterator[FileEntry]:
        # An archive's records (`<archive>#<offset>`) sort after it but may sort before the
        # entries listed after it: they wait in a heap till the listing passes them.
        waiting: list[tuple[str, int, FileEntry]] = []
        for entry in listing:
            while waiting and waiting[0][0] < entry.source_path:
                yield heapq.heappop(waiting)[2]
            if not is_archive(entry.source_path) or entry.problem:
                yield entry
                continue
            for record in self._records(entry):
                heapq.heappush(waiting, (record.source_path, len(waiting), record))
        while waiting:
            yield heapq.heappop(waiting)[2]

    def _records(self, archive: FileEntry) -> tuple[FileEntry, ...]:
        """An archive's inputs; none when it is left unopened."""
        done = _committed_records(self.known, archive.source_path)
        inputs = done[0].archive_inputs if done else None
        if (
            not self.full_refresh
            and inputs is not None
            and len(done) == inputs
            and not any(needs_processing(archive, r, self.version, self.entities) for r in done)
        ):
            self.unchanged[archive.source_path] = inputs
            return ()
        scan = scan_archive(self.raw, archive)
        self.skipped.update(scan.skipped)
        return scan.inputs


def _committed_records(known: Mapping[str, ManifestEntry], archive: str) -> list[ManifestEntry]:
    """The manifest's records of one archive (a range of keys of the disk-backed manifest)."""
    start = f"{archive}{RECORD_SEPARATOR}"
    rows = known.rows(start) if isinstance(known, Manifest) else iter(sorted(known.items()))
    found = []
    for path, record in rows:
        if path < start:
            continue
        if not path.startswith(start):
            break
        named = split_record_key(path)
        if named and named[0] == archive:
            found.append(record)
    return found


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
