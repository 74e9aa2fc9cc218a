"""A plan's batches kept on disk while the run goes through them: the flow holds a few
hundred bytes per batch (its id, label, chrome and size), not its inputs, and a batch's
packed inputs (`flows.packed.PackedEntries`) are read back from a scratch SQLite database
(`flows.scratch`) each time the run takes the batch (to submit it, then to commit it). So
the flow's memory does not grow with the inputs planned: 300,000 inputs planned cost the
flow what 30,000 do, plus ~1,500 batch heads.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass

from flows.batch import Batch
from flows.packed import LazySequence
from flows.scratch import ScratchDatabase
from flows.storage import FileEntry
from transforms.parse.document import site_group

_SQL = "create table batches (number integer primary key, entries blob not null);"
_CACHE_MB = 1  # each batch is written once and read back twice, in order: no cache needed


@dataclass(frozen=True, slots=True)
class _Head:
    batch_id: str
    sites: frozenset[str]
    inputs: int


class PlannedBatches(LazySequence[Batch]):
    """The batches of a plan, in plan order, their inputs on disk until asked for. Each
    batch gets its site's chrome from `chrome` (set once the plan has learnt it) and its
    label from its place in the plan ("batch 3/12 (200 inputs)")."""

    def __init__(self) -> None:
        self._scratch = ScratchDatabase(_SQL, "newsetl-plan-", cache_mb=_CACHE_MB)
        self._heads: list[_Head] = []
        self.chrome: dict[str, frozenset[str]] = {}

    def append(self, batch_id: str, entries: Sequence[FileEntry]) -> None:
        """Add the next batch (its inputs are written out, not kept)."""
        blob = pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)
        self._scratch.db.execute("insert into batches values (?, ?)", (len(self._heads), blob))
        sites = frozenset(site_group(e.source_path) for e in entries)
        self._heads.append(_Head(batch_id, sites, len(entries)))

    def pop(self) -> Sequence[FileEntry]:
        """Take the last batch out; its inputs."""
        entries = self._entries(len(self._heads) - 1)
        self._scratch.db.execute("delete from batches where number = ?", (len(self._heads) - 1,))
        self._heads.pop()
        return entries

    @property
    def inputs(self) -> int:
        """The inputs of every batch."""
        return sum(head.inputs for head in self._heads)

    @property
    def sites(self) -> set[str]:
        """The sites (`site_group`) of every batch's inputs."""
        return {site for head in self._heads for site in head.sites}

    def close(self) -> None:
        """Drop the database (the batches can no longer be read)."""
        self._scratch.close()

    def __len__(self) -> int:
        return len(self._heads)

    def _entries(self, number: int) -> Sequence[FileEntry]:
        (blob,) = self._scratch.db.execute(
            "select entries from batches where number = ?", (number,)
        ).fetchone()
        entries: Sequence[FileEntry] = pickle.loads(blob)
        return entries

    def _item(self, number: int) -> Batch:
        head = self._heads[number]
        inputs = "1 input" if head.inputs == 1 else f"{head.inputs} inputs"
        label = f"batch {number + 1}/{len(self)} ({inputs})"
        chrome = {site: self.chrome[site] for site in sorted(head.sites) if site in self.chrome}
        return Batch(head.batch_id, self._entries(number), chrome, label)

    def __repr__(self) -> str:
        return f"PlannedBatches({len(self)} batches, {self.inputs} inputs)"
