"""The plan's inputs packed (`flows.packed`): the same entries back, the same membership."""

from __future__ import annotations

import pickle

from hypothesis import given
from hypothesis import strategies as st

from flows.packed import PackedEntries, PathSet
from flows.storage import FileEntry
from transforms.records import Reject

_KEYS = st.text(
    st.characters(exclude_categories=()), min_size=1, max_size=40
)  # lone surrogates too
_ENTRIES = st.lists(
    st.builds(
        FileEntry,
        _KEYS,
        st.integers(0, 2**62),
        st.integers(0, 2**62),
        st.none() | st.just(Reject("discover", "unreadable", "no permission")),
        st.none() | st.integers(1, 10_000),
    ),
    max_size=30,
)


@given(_ENTRIES)
def test_packed_entries_give_back_the_same_entries_in_order(entries: list[FileEntry]) -> None:
    packed = PackedEntries(entries)
    assert list(packed) == entries
    assert len(packed) == len(entries)
    assert packed == tuple(entries)
    assert [packed[n] for n in range(-len(entries), 0)] == entries
    assert packed[1:3] == tuple(entries[1:3])
    assert pickle.loads(pickle.dumps(packed)) == packed  # handed to worker processes


@given(st.sets(_KEYS, max_size=40), st.sets(_KEYS, max_size=10), st.data())
def test_a_path_set_holds_what_a_set_holds(
    keys: set[str], others: set[str], data: st.DataObject
) -> None:
    paths = PathSet(keys)
    gone = data.draw(st.sets(st.sampled_from(sorted(keys)))) if keys else set()
    paths.discard(gone | others)
    for key in keys | others:
        assert (key in paths) == (key in keys - gone - others)
    assert len(paths) == len(keys - gone - others)
    assert 3 not in paths  # type: ignore[comparison-overlap]
