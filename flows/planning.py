"""Planning a run: list the raw inputs, keep the new or changed ones, cut them into batches.

`plan_run` first finishes what a killed run left (`flows.journal.recover`), then compares
the listing with the manifest: a no-op run costs one directory walk and one manifest read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from flows.archives import expand_archives
from flows.batch import Batch
from flows.discovery import iter_files
from flows.homes import reconciled_manifest
from flows.journal import recover
from flows.manifest import Manifest, ManifestEntry, needs_processing
from flows.packed import PackedEntries
from flows.planned import PlannedBatches
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
    batches: Sequence[Batch]
    deleted: tuple[str, ...] = ()
    recovered: int = 0
    skipped_records: dict[str, int] = field(default_factory=dict)  # web archives' non-inputs
    repairs: dict[str, str] = field(default_factory=dict)  # source_path: why it is redone
    skipped: tuple[str, ...] = ()  # hidden and `_` names under the raw root, not inputs

    def close(self) -> None:
        """Drop the batches' store on disk (`flows.planned`); the run is done with them."""
        if isinstance(self.batches, PlannedBatches):
            self.batches.close()

    @property
    def inputs_planned(self) -> int:
        """Inputs in the batches."""
        if isinstance(self.batches, PlannedBatches):
            return self.batches.inputs  # without reading the batches back
        return sum(len(b.entries) for b in self.batches)


def plan_run(settings: Settings, version: str = PIPELINE_VERSION) -> Plan:
    """Finish what a killed run left, list the inputs, keep new or changed ones (all of them
    on `full_refresh`), learn each site's chrome and cut them into batches.

    One pass, streaming: the listing (in key order) is joined with the manifest (in key
    order) and each input to process goes straight into its packed batch, so the plan never
    holds the whole listing, only the packed batches and a few chrome samples per site."""
    recovered = recover(settings.out)
    reconciled = reconciled_manifest(settings.out)
    known = reconciled.known
    skipped: list[str] = []
    expanded = expand_archives(
        settings.raw,
        iter_files(settings.raw, on_skip=skipped.append),
        known,
        version,
        settings.entities,
        settings.full_refresh,
    )
    batches = PlannedBatches()  # on disk: the flow holds a batch's inputs only while at it
    cutter = _Cutter(batches, settings.batch_size, settings.workers, version)
    samples = _ChromeSamples()
    gone: list[str] = []
    listed: list[str] = []  # inputs repaired that are still listed
    found = 0
    for entry, seen in _joined(expanded.entries, known, gone):
        found += 1
        samples.offer(entry)
        if entry.source_path in reconciled.repairs:
            listed.append(entry.source_path)
        if settings.full_refresh or needs_processing(entry, seen, version, settings.entities):
            cutter.add(entry)
    cutter.finish()
    deleted = tuple(path for path in gone if not expanded.is_listed(path))
    found += sum(expanded.unchanged.values())
    repairs = {path: reconciled.repairs[path] for path in sorted(listed)}
    skipped_records = dict(sorted(expanded.skipped.items()))
    if not batches:
        batches.close()
        return Plan(found, [], deleted, recovered, skipped_records, repairs, tuple(skipped))
    batches.chrome = {
        site: site_chrome(samples.of(site, settings.raw), settings) for site in batches.sites
    }
    return Plan(found, batches, deleted, recovered, skipped_records, repairs, tuple(skipped))


def _joined(
    entries: Iterable[FileEntry], known: Mapping[str, ManifestEntry], gone: list[str]
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


class _Cutter:
    """The inputs to process, packed and stored a batch at a time as they are listed, cut
    as `_cut` cuts them: only the last `workers + 1` batches' inputs are ever read back
    (the small tail batches depend on the count, known at the end)."""

    def __init__(self, store: PlannedBatches, size: int, workers: int, version: str) -> None:
        self._store, self._size, self._workers, self._version = store, size, workers, version
        self._current: list[FileEntry] = []
        self.count = 0

    def add(self, entry: FileEntry) -> None:
        """One more input to process (in source_path order)."""
        self._current.append(entry)
        self.count += 1
        if len(self._current) == self._size:
            self._store_batch(self._current)
            self._current = []

    def finish(self) -> None:
        """Cut the tail: the full batches from where `_cut` starts cutting differently are
        taken back and cut again with the inputs left over."""
        head, small = _head_and_small(self.count, self._size, self._workers)
        kept = head // self._size  # the full batches wholly in the head stay as they are
        taken = [self._store.pop() for _ in range(len(self._store) - kept)]
        rest = [entry for chunk in reversed(taken) for entry in chunk] + self._current
        start = kept * self._size
        cuts = [*range(start, head, self._size), *range(head, self.count, small), self.count]
        for a, b in pairwise(cuts):
            self._store_batch(rest[a - start : b - start])
        self._current = []

    def _store_batch(self, chunk: Sequence[FileEntry]) -> None:
        keys = (f"{e.source_path}:{e.size}:{e.mtime_ns}" for e in chunk)
        self._store.append(stable_id(self._version, *keys), PackedEntries(chunk))


def _head_and_small(count: int, size: int, workers: int) -> tuple[int, int]:
    """Where the tail of smaller batches starts, and their size: the last `workers × size`
    inputs go in batches of a quarter size, so that no worker idles at the end while
    another still has a whole batch to go (none with one worker)."""
    tail = min(count, workers * size) if workers > 1 else 0
    return count - tail, min(size, max(MIN_TAIL_BATCH, -(-size // 4)))


def _cut(todo: Sequence[FileEntry], size: int, workers: int) -> list[tuple[FileEntry, ...]]:
    """Batches of `size` inputs, then smaller ones for the last `workers × size` inputs.
    No batch is ever larger than `size`. (`_Cutter` cuts the same way as inputs stream.)"""
    if not todo:
        return []
    head, small = _head_and_small(len(todo), size, workers)
    cuts = [*range(0, head, size), *range(head, len(todo), small)]
    return [tuple(todo[start:end]) for start, end in zip(cuts, [*cuts[1:], len(todo)], strict=True)]


class _ChromeSamples:
    """Per site, the first `CHROME_SAMPLE` inputs its chrome could be learnt from, kept as
    the listing streams (which sites have inputs to process is known only at its end)."""

    def __init__(self) -> None:
        self._kept: dict[str, list[FileEntry]] = {}
        self._more: set[str] = set()  # sites with more candidates than were kept

    def offer(self, entry: FileEntry) -> None:
        """Keep `entry` if it is one of its site's first candidates (cheap once the site
        has all it needs: this runs for every input listed, a no-op rerun's too)."""
        site = _site_of(entry.source_path)
        if site in self._more or not _is_sample(entry):
            return
        kept = self._kept.setdefault(site, [])
        if len(kept) < CHROME_SAMPLE:
            kept.append(entry)
        else:
            self._more.add(site)

    def of(self, site: str, raw: str) -> Iterator[FileEntry]:
        """A site's candidates, in key order: the kept ones, then, only if those did not
        all read (an empty or undecodable file) and the site has more, the next ones from
        its folder listed again."""
        kept = self._kept.get(site, [])
        yield from kept
        if site in self._more:
            yield from _after(raw, site, kept[-1].source_path)


def _after(raw: str, site: str, last: str) -> Iterator[FileEntry]:
    # Listed again only when `learn_chrome` asks for more than the kept candidates.
    if site:
        entries: Iterable[FileEntry] = (
            e._replace(source_path=f"{site}/{e.source_path}")
            for e in iter_files(f"{raw.rstrip('/')}/{site}")
        )
    else:
        entries = (e for e in iter_files(raw) if not site_group(e.source_path))
    yield from (e for e in entries if e.source_path > last and _is_sample(e))


def _site_of(source_path: str) -> str:
    """`site_group`, without a PurePosixPath for the usual key (`site/…/name`)."""
    head, sep, rest = source_path.partition("/")
    if sep and head not in ("", ".") and rest.strip("/."):
        return head  # a second part that is neither empty nor "."
    return site_group(source_path)


def _is_sample(entry: FileEntry) -> bool:
    """Whether chrome could be learnt from an input: a text file, with bytes, no problem."""
    lowered = entry.source_path.lower()
    return (
        not entry.problem
        and entry.size != 0  # empty, or a link/FIFO listed without a size: never opened here
        and any(suffix in lowered for suffix in TEXT_SUFFIXES)  # before the slower test
        and content_suffix(entry.source_path) in TEXT_SUFFIXES
    )


def learn_chrome(
    entries: Iterable[FileEntry], sites: set[str], settings: Settings
) -> dict[str, frozenset[str]]:
    """Each site's chrome, learnt from the first `CHROME_SAMPLE` text files of its folder
    (`entries`: the listing, in key order)."""
    listed = list(entries)
    return {
        site: site_chrome((e for e in listed if site_group(e.source_path) == site), settings)
        for site in sites
    }


def site_chrome(candidates: Iterable[FileEntry], settings: Settings) -> frozenset[str]:
    """A site's chrome, learnt from its first `CHROME_SAMPLE` text files that read
    (`candidates` in key order, read only as far as that)."""
    pages: list[str] = []
    for entry in candidates:
        if not _is_sample(entry):
            continue
        try:
            raw, _ = read_raw(settings.raw, entry, settings.max_bytes)
            pages.append(decode_input(raw, settings.max_bytes))
        except (OSError, DecodeError):
            continue  # the batch reading it makes it a reject, with its reason
        if len(pages) == CHROME_SAMPLE:
            break
    return find_chrome_lines(pages)
