"""The plan streams its listing: the raw tree is walked folder by folder in key order, each
input to process goes straight into its packed batch, and the result is the plan a sorted
listing held whole would give (same order, same batches, same chrome)."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from flows.discovery import discover_files, iter_files
from flows.planned import PlannedBatches
from flows.planning import (
    CHROME_SAMPLE,
    _ChromeSamples,
    _cut,
    _Cutter,
    _site_of,
    plan_run,
    site_chrome,
)
from flows.settings import Settings
from flows.storage import FileEntry
from tests.warc_fixtures import cc_news_archive
from transforms.parse.document import site_group
from transforms.parse.text_page import FALLBACK_CHROME

_NAMES = st.sampled_from(["a", "a.txt", "a!", "a-b", "a b", "b", "ab", "a0", "A", "é", "a~"])


def _entries(count: int) -> list[FileEntry]:
    return [FileEntry(f"site/{n:05d}.txt", n, n) for n in range(count)]


@settings(deadline=None)  # a scratch database per example: its time follows the machine's load
@given(st.integers(0, 900), st.integers(1, 120), st.integers(1, 6))
def test_streamed_batches_are_the_batches_of_the_whole_listing(
    count: int, size: int, workers: int
) -> None:
    entries = _entries(count)
    store = PlannedBatches()
    cutter = _Cutter(store, size, workers, "v")
    for entry in entries:
        cutter.add(entry)
    cutter.finish()
    assert cutter.count == store.inputs == count
    assert [tuple(batch.entries) for batch in store] == _cut(entries, size, workers)
    store.close()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(_NAMES, min_size=1, max_size=3), min_size=1, max_size=12))
def test_the_walk_gives_keys_in_string_order(paths: list[list[str]]) -> None:
    # Names where a folder's key and a file's differ in order: `a.txt` < `a/x` < `a!`?
    # No: "!" < "." < "/", so `a!` < `a.txt` < `a/x`; the walk must give exactly that.
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for parts in paths:
            *dirs, name = parts
            parent = root.joinpath(*dirs) if dirs else root
            if any(p.is_file() for p in [*parent.parents, parent] if p != root):
                continue  # a file already holds that name
            parent.mkdir(parents=True, exist_ok=True)
            if not (parent / name).exists():
                (parent / name).write_bytes(b"x")
        keys = [e.source_path for e in iter_files(folder)]
        assert keys == sorted(keys)
        expected = sorted(
            os.path.relpath(os.path.join(d, f), folder) for d, _, fs in os.walk(folder) for f in fs
        )
        assert keys == expected


def _site(root: Path, name: str, pages: int, broken: int = 0) -> None:
    (root / name).mkdir(parents=True)
    for n in range(pages):
        body = f"Story {n}\n\nHome | News | Sport\n\nThe harbour of {name} reopens on day {n}.\n"
        (root / name / f"{n:03d}.txt").write_text(body if n >= broken else "   \n")


def test_a_site_whose_first_samples_do_not_read_learns_from_the_next(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    _site(raw, "blank-first", CHROME_SAMPLE + 20, broken=5)  # five blank pages first
    config = Settings(raw=str(raw), out=str(tmp_path / "out"), entities=False)
    samples = _ChromeSamples()
    for entry in iter_files(str(raw)):
        samples.offer(entry)
    candidates = [e.source_path for e in samples.of("blank-first", str(raw))]
    assert candidates == [e.source_path for e in discover_files(str(raw))]  # kept, then listed
    streamed = site_chrome(samples.of("blank-first", str(raw)), config)
    assert streamed == site_chrome(discover_files(str(raw)), config)
    assert streamed > FALLBACK_CHROME


def test_the_streamed_plan_is_the_plan_of_the_sorted_listing(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    _site(raw, "north", 30)
    _site(raw, "north.old", 7)
    _site(raw, "south", 25, broken=2)
    (raw / "top.txt").write_text("A page at the top of the raw folder, with a sentence.\n")
    config = Settings(raw=str(raw), out=str(tmp_path / "out"), batch_size=8, workers=2)
    plan = plan_run(config)
    listed = discover_files(str(raw))
    assert [e for b in plan.batches for e in b.entries] == listed
    assert [tuple(b.entries) for b in plan.batches] == _cut(listed, 8, 2)
    assert plan.inputs_found == len(listed) == 63
    assert plan.batches[0].label == f"batch 1/{len(plan.batches)} (8 inputs)"


@settings(deadline=None)
@given(st.lists(st.sampled_from(["a", "", ".", "..", "b.txt", ".x", "é"]), max_size=4))
def test_the_quick_site_is_site_group(parts: list[str]) -> None:
    for key in ("/".join(parts), "/" + "/".join(parts), "/".join(parts) + "/"):
        assert _site_of(key) == site_group(key)


def test_an_archives_records_take_their_place_among_the_files_listed(tmp_path: Path) -> None:
    # "a.warc.gz#000…" sorts after "a.warc.gz!x.txt" ("!" < "#") and before "a.warc.gz.txt":
    # the records wait till the listing passes them, so the plan's join sees one order.
    raw = tmp_path / "raw"
    raw.mkdir()
    cc_news_archive(raw / "a.warc.gz", 3)
    for name in ("a.warc.gz!x.txt", "a.warc.gz.txt", "a.txt", "b.txt"):
        (raw / name).write_text("A page beside the archive, with a sentence or two in it.\n")
    plan = plan_run(Settings(raw=str(raw), out=str(tmp_path / "out"), entities=False))
    keys = [e.source_path for b in plan.batches for e in b.entries]
    assert keys == sorted(keys) and len(keys) == 4 + 4  # 3 records, the cut rest, 4 files
    assert keys.index("a.warc.gz!x.txt") < keys.index("a.warc.gz.txt")
    assert [k for k in keys if "#" in k] == keys[2:6]
    plan.close()
