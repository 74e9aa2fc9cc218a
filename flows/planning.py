"""Planning a run: list the raw inputs, keep the new or changed ones, cut them into batches.

`plan_run` first finishes what a killed run left (`flows.manifest.recover`), then compares
the listing with the manifest: a no-op run costs one directory walk and one manifest read.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.batch import Batch
from flows.manifest import load_manifest, needs_processing, recover
from flows.settings import Settings
from flows.storage import FileEntry, discover_files, read_raw
from transforms.decoding import DecodeError
from transforms.document import TEXT_SUFFIXES, content_suffix, decode_input, site_group
from transforms.ids import stable_id
from transforms.schema import PIPELINE_VERSION
from transforms.text_page import find_chrome_lines

CHROME_SAMPLE = 50


@dataclass(frozen=True, slots=True)
class Plan:
    """How many inputs the raw root holds, and the batches of those to process (in
    source_path order: commits follow it)."""

    inputs_found: int
    batches: list[Batch]

    @property
    def inputs_planned(self) -> int:
        """Inputs in the batches."""
        return sum(len(b.entries) for b in self.batches)


def plan_run(settings: Settings, version: str = PIPELINE_VERSION) -> Plan:
    """Finish what a killed run left, list the inputs, keep new or changed ones (all of them
    on `full_refresh`), learn each site's chrome and cut them into batches."""
    recover(settings.out)
    entries = discover_files(settings.raw)
    known = {} if settings.full_refresh else load_manifest(settings.out)
    todo = [e for e in entries if needs_processing(e, known.get(e.source_path), version)]
    if not todo:
        return Plan(len(entries), [])
    chrome = learn_chrome(entries, {site_group(e.source_path) for e in todo}, settings)
    batches = []
    for start in range(0, len(todo), settings.batch_size):
        chunk = tuple(todo[start : start + settings.batch_size])
        batch_id = stable_id(version, *(f"{e.source_path}:{e.size}:{e.mtime_ns}" for e in chunk))
        sites = {site_group(e.source_path) for e in chunk}
        batches.append(Batch(batch_id, chunk, {s: chrome[s] for s in sites}))
    return Plan(len(entries), batches)


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
            or entry.outside_root
            or entry.size == 0  # empty, or a link/FIFO listed without a size: never opened here
            or content_suffix(entry.source_path) not in TEXT_SUFFIXES
        ):
            continue
        try:
            pages.append(
                decode_input(read_raw(settings.raw, entry, settings.max_bytes), settings.max_bytes)
            )
        except (OSError, DecodeError):
            continue
    return {site: find_chrome_lines(pages) for site, pages in samples.items()}
