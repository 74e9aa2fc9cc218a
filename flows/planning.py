"""Planning a run: list the raw inputs, keep the new or changed ones, cut them into batches.

`plan_run` first finishes what a killed run left (`flows.journal.recover`), then compares
the listing with the manifest: a no-op run costs one directory walk and one manifest read.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from flows.archives import expand_archives
from flows.batch import Batch
from flows.commit import reconciled_manifest
from flows.discovery import discover_files
from flows.journal import recover
from flows.manifest import Manifest, ManifestEntry, needs_processing
from flows.packed import PackedEntries
from flows.settings import Settings
from flows.storage import FileEntry, read_raw
from transforms.ids import stable_id
from transforms.parse.document import TEXT_SUFFIXES, content_suffix, decode_input, site_group
from transforms.parse.text_page import find_chrome_lines
from transforms.schema import PIPELINE_VERSION
from transforms.text.decoding import DecodeError

CHROME_SAMPLE = 50
MIN_TAIL_BATCH = 10


@dataclass(frozen=True, slots=True)
class Plan:
    """How many inputs the raw root holds, the batches of those to process (in source_path
    order: commits follow it), and the inputs the manifest knows that are gone."""

    inputs_found: int
    batches: list[Batch]
    deleted: tuple[str, ...] = ()
    recovered: int = 0
    skipped_records: dict[str, int] = field(default_factory=dict)  # web archives' non-inputs
    repairs: dict[str, str] = field(default_factory=dict)  # source_path: why it is redone
    skipped: tuple[str, ...] = ()  # hidden and `_` names under the raw root, not inputs

    @property
    def inputs_planned(self) -> int:
        """Inputs in the batches."""
        return sum(len(b.entries) for b in self.batches)


def plan_run(settings: Settings, version: str = PIPELINE_VERSION) -> Plan:
    """Finish what a killed run left, list the inputs, keep new or changed ones (all of them
    on `full_refresh`), learn each site's chrome and cut them into batches."""
    recovered = recover(settings.out)
    reconciled = reconciled_manifest(settings.out)
    known = reconciled.known
    skipped: list[str] = []
    expanded = expand_archives(
        settings.raw,
        discover_files(settings.raw, on_skip=skipped.append),
        known,
        version,
        settings.entities,
        settings.full_refresh,
    )
    entries = expanded.entries
    todo: list[FileEntry] = []
    gone: list[str] = []
    for entry, seen in _joined(entries, known, gone):
        if settings.full_refresh or needs_processing(entry, seen, version, settings.entities):
            todo.append(entry)
    deleted = tuple(path for path in gone if not expanded.is_listed(path))
    found = len(entries) + sum(expanded.unchanged.values())
    listed = [path for path in reconciled.repairs if _holds(entries, path)]
    repairs = {path: reconciled.repairs[path] for path in sorted(listed)}
    if not todo:
        return Plan(found, [], deleted, recovered, expanded.skipped, repairs, tuple(skipped))
    chrome = learn_chrome(entries, {site_group(e.source_path) for e in todo}, settings)
    chunks = _cut(todo, settings.batch_size, settings.workers)
    batches = []
    for number, chunk in enumerate(chunks, start=1):
        batch_id = stable_id(version, *(f"{e.source_path}:{e.size}:{e.mtime_ns}" for e in chunk))
        sites = {site_group(e.source_path) for e in chunk}
        inputs = "1 input" if len(chunk) == 1 else f"{len(chunk)} inputs"
        label = f"batch {number}/{len(chunks)} ({inputs})"
        packed = PackedEntries(chunk)  # the flow holds every batch till the run ends
        batches.append(Batch(batch_id, packed, {s: chrome[s] for s in sites}, label))
    return Plan(found, batches, deleted, recovered, expanded.skipped, repairs, tuple(skipped))


def _joined(
    entries: list[FileEntry], known: Mapping[str, ManifestEntry], gone: list[str]
) -> Iterator[tuple[FileEntry, ManifestEntry | None]]:
    """Each listed entry (sorted by source_path) with what the manifest knows of it, in one
    pass over both in key order (no lookup per input: a no-op rerun over 300,000 inputs is
    this loop); the manifest's keys not listed are added to `gone`."""
    rows = known.rows() if isinstance(known, Manifest) else iter(sorted(known.items()))
    row = next(rows, None)
    for entry in entries:
        while row is not None and row[0] < entry.source_path:
            gone.append(row[0])
            row = next(rows, None)
        if row is not None and row[0] == entry.source_path:
            yield entry, row[1]
            row = next(rows, None)
        else:
            yield entry, None
    while row is not None:
        gone.append(row[0])
        row = next(rows, None)


def _holds(entries: list[FileEntry], path: str) -> bool:
    """Whether the sorted listing holds `path`."""
    at = bisect_left(entries, path, key=lambda e: e.source_path)
    return at < len(entries) and entries[at].source_path == path


def _cut(todo: list[FileEntry], size: int, workers: int) -> list[tuple[FileEntry, ...]]:
    """Batches of `size` inputs, then smaller ones for the last `workers × size` inputs, so
    that no worker idles at the end while another still has a whole batch to go. No batch
    is ever larger than `size`."""
    if not todo:
        return []
    tail = min(len(todo), workers * size) if workers > 1 else 0
    head = len(todo) - tail
    cuts = list(range(0, head, size))
    small = min(size, max(MIN_TAIL_BATCH, -(-size // 4)))
    cuts += range(head, len(todo), small)
    return [tuple(todo[start:end]) for start, end in zip(cuts, [*cuts[1:], len(todo)], strict=True)]


def learn_chrome(
    entries: list[FileEntry], sites: set[str], settings: Settings
) -> dict[str, frozenset[str]]:
    """Each site's chrome, learnt from the first `CHROME_SAMPLE` text files of its folder."""
    samples: dict[str, list[str]] = {site: [] for site in sites}
    for entry in entries:
        pages = samples.get(site_group(entry.source_path))
        if (
            pages is None
            or len(pages) >= CHROME_SAMPLE
            or entry.problem
            or entry.size == 0  # empty, or a link/FIFO listed without a size: never opened here
            or content_suffix(entry.source_path) not in TEXT_SUFFIXES
        ):
            continue
        try:
            raw, _ = read_raw(settings.raw, entry, settings.max_bytes)
            pages.append(decode_input(raw, settings.max_bytes))
        except (OSError, DecodeError):
            continue  # the batch reading it makes it a reject, with its reason
    return {site: find_chrome_lines(pages) for site, pages in samples.items()}
