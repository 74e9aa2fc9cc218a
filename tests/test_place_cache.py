"""The place index kept on disk (`flows.place_cache`): the index read back is the one built,
and a cache that is damaged or cannot be written never changes what a run finds."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from flows import place_cache
from transforms.entities.gazetteer import build_place_index, lookup, place_index, use_place_index
from transforms.entities.places import resolve_place

_LOAD = (
    "from flows.place_cache import load_place_index; load_place_index();"
    "from transforms.entities.places import resolve_place;"
    "print(resolve_place('Lyon').geonames_id)"
)


def _load_in_a_process(cache: Path) -> str:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", _LOAD], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.fixture(scope="module")
def built() -> object:
    return build_place_index()


def test_the_first_process_writes_the_index_and_the_next_reads_the_same(
    tmp_path: Path, built: object
) -> None:
    first = _load_in_a_process(tmp_path)
    files = list((tmp_path / "newsetl").iterdir())
    assert [f.name for f in files] == [place_cache.cache_path().name]
    assert pickle.loads(files[0].read_bytes()) == built
    written = files[0].stat().st_mtime_ns
    assert _load_in_a_process(tmp_path) == first == "2996944"  # Lyon, France
    assert files[0].stat().st_mtime_ns == written  # read, not written again


def test_a_damaged_cache_is_built_again_and_replaced(
    tmp_path: Path, built: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = place_cache.cache_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(pickle.dumps(built)[:1000])  # cut short
    (path.parent / "place-index-0123456789abcdef.pickle").write_bytes(b"older code's index")
    assert _load_in_a_process(tmp_path) == "2996944"
    assert pickle.loads(path.read_bytes()) == built
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary, no stale


def test_an_unwritable_cache_still_gives_the_index(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("a file where the cache folder would be")
    assert _load_in_a_process(blocked) == "2996944"
    assert blocked.read_text() == "a file where the cache folder would be"


def test_an_index_given_to_the_process_is_the_one_used(built: object) -> None:
    assert place_index() == built
    use_place_index(build_place_index())
    try:
        assert resolve_place("Lyon") is not None
        assert place_index() == built
    finally:
        place_index.cache_clear()
        lookup.cache_clear()
