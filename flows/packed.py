"""A run's planned inputs, packed: the flow holds every batch of the plan from the start of a
run to its end, so each input there costs ~100 bytes (its key's characters and two
integers) instead of a `FileEntry` object with its own string and integers (~270 bytes);
the set of those not committed yet costs 9 bytes an input instead of a string in a set.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Container, Iterable, Iterator, Sequence
from hashlib import blake2b
from typing import TypeVar, overload

from flows.storage import FileEntry
from transforms.records import Reject

_ENCODING, _ERRORS = "utf-8", "surrogatepass"  # any str, a name that is not UTF-8 too
T = TypeVar("T")


class LazySequence(Sequence[T]):
    """A sequence whose items are made when looked at, by `_item(number)`."""

    __slots__ = ()

    def _item(self, number: int) -> T:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...

    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        if isinstance(index, slice):
            return tuple(self._item(n) for n in range(len(self))[index])
        return self._item(range(len(self))[index])

    def __iter__(self) -> Iterator[T]:
        return (self._item(number) for number in range(len(self)))


class PackedEntries(LazySequence[FileEntry]):
    """Raw inputs as one string of keys and arrays of sizes and times; a `FileEntry` is
    made again when an input is looked at."""

    __slots__ = ("_archive_inputs", "_ends", "_keys", "_mtimes", "_problems", "_sizes")

    def __init__(self, entries: Iterable[FileEntry]) -> None:
        keys = bytearray()
        self._ends, self._sizes, self._mtimes = array("q"), array("q"), array("q")
        self._problems: dict[int, Reject] = {}
        self._archive_inputs: dict[int, int] = {}
        for number, entry in enumerate(entries):
            keys += entry.source_path.encode(_ENCODING, _ERRORS)
            self._ends.append(len(keys))
            self._sizes.append(entry.size)
            self._mtimes.append(entry.mtime_ns)
            if entry.problem is not None:
                self._problems[number] = entry.problem
            if entry.archive_inputs is not None:
                self._archive_inputs[number] = entry.archive_inputs
        self._keys = bytes(keys)

    def __len__(self) -> int:
        return len(self._sizes)

    def _item(self, number: int) -> FileEntry:
        start = self._ends[number - 1] if number else 0
        return FileEntry(
            self._keys[start : self._ends[number]].decode(_ENCODING, _ERRORS),
            self._sizes[number],
            self._mtimes[number],
            self._problems.get(number),
            self._archive_inputs.get(number),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"PackedEntries({len(self)} inputs)"


class PathSet(Container[str]):
    """A set of keys as sorted 64-bit hashes (8 bytes a key, plus one for its removal),
    for the run's inputs not committed yet: asked only whether it holds a key."""

    __slots__ = ("_gone", "_hashes")

    def __init__(self, paths: Iterable[str]) -> None:
        self._hashes = array("q", sorted({_hash(path) for path in paths}))
        self._gone = bytearray(len(self._hashes))

    def _find(self, path: str) -> int | None:
        key = _hash(path)
        at = bisect_left(self._hashes, key)
        return at if at < len(self._hashes) and self._hashes[at] == key else None

    def __contains__(self, path: object) -> bool:
        at = self._find(path) if isinstance(path, str) else None
        return at is not None and not self._gone[at]

    def discard(self, paths: Iterable[str]) -> None:
        """Take keys out (those it does not hold are ignored)."""
        for path in paths:
            if (at := self._find(path)) is not None:
                self._gone[at] = 1

    def __len__(self) -> int:
        return len(self._gone) - sum(self._gone)


def _hash(path: str) -> int:
    digest = blake2b(path.encode(_ENCODING, _ERRORS), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)
