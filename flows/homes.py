"""Where each input's rows live (its *home*) and what the sequential commit keeps between the
batches of one run.

Files: `<table>/ingest_date=<day>/part-<batch>.parquet`, `_dedup/batch-<batch>.parquet`,
`_manifest/batch-<batch>.parquet`. Each input's rows live in the files of one batch, its
*home*, which the manifest records. An input processed again (changed, full refresh, new
version) keeps its home: its new rows replace its old ones in a rewrite of the home's files,
so a reader sees the old rows or the new ones, never both and never neither (a rename is
atomic). Inputs new to the output join the run's *open home* until it holds `HOME_INPUTS`
inputs; then the batch's own files start the next one. Joining appends: the home's new file
is the old one's bytes with the batch's rows as one more row group
(`flows.parquet_append`: the old rows are copied as bytes, never decoded), published by a
rename. So the tables get one file per 10,000 inputs, not one per batch, with no separate
compaction: a file only ever grows by a rename that adds rows no other file has, which is
what keeps a plain directory reader from seeing a row twice or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass

from flows.layout import (
    DEDUP_DIR,
    ENTITY_STAGING_DIR,
    MANIFEST_DIR,
    STATE_FOLDERS,
    VOTES_DIR,
    batch_of,
    day_of,
    row_tables,
    state_file,
    table_file,
)
from flows.lock import UNCHECKED, Lease
from flows.manifest import ManifestEntry, load_dedup_index, load_manifest
from flows.packed import PathSet
from flows.reconcile import Reconciled, check_manifest_vs_tables
from flows.storage import filesystem, list_parquet
from transforms.output.dedup import DedupIndex
from transforms.output.rows import RunInfo
from transforms.schema import DEDUP_SCHEMA, ENTITY_VOTES_SCHEMA, MANIFEST_SCHEMA, TABLE_SCHEMAS

HOME_INPUTS = 10_000  # new inputs per home: each table gets a file per 10k inputs, not per batch
ROW_TABLES = row_tables()
# Publishing order: the rows, then the entity votes, then what finds the rows again (dedup
# keys, then the manifest: the last word).
HOME_FOLDERS = (*ROW_TABLES, VOTES_DIR, DEDUP_DIR, MANIFEST_DIR)
HOME_SCHEMAS = {
    **TABLE_SCHEMAS,
    VOTES_DIR: ENTITY_VOTES_SCHEMA,
    DEDUP_DIR: DEDUP_SCHEMA,
    MANIFEST_DIR: MANIFEST_SCHEMA,
}


@dataclass(slots=True)
class CommitState:
    """What the sequential commit keeps between the batches of one run (in the flow's
    process only): the manifest, the files of every home, the dedup index."""

    out: str
    run: RunInfo
    with_entities: bool
    known: MutableMapping[str, ManifestEntry]
    files: dict[str, set[str]]
    index: DedupIndex
    pending: PathSet  # planned inputs not committed yet (their old dedup keys are not used)
    lease: Lease = UNCHECKED  # the output's lock, checked before each commit
    open_home: str = ""  # the home this run's new inputs join while it has room
    open_inputs: int = 0  # the inputs this run put in it

    @classmethod
    def open(
        cls,
        out: str,
        run: RunInfo,
        planned: Iterable[str],
        with_entities: bool,
        lease: Lease = UNCHECKED,
    ) -> CommitState:
        """The state for committing the planned inputs of one run."""
        files = home_files(out)
        pending = PathSet(planned)
        return cls(
            out,
            run,
            with_entities,
            reconciled_manifest(out, files).known,
            files,
            load_dedup_index(out, exclude=pending),
            pending,
            lease,
        )

    def home(self, source_path: str, batch_id: str) -> str:
        """The batch whose files hold (or will hold) an input's rows."""
        known = self.known.get(source_path)
        return known.batch_id if known and known.batch_id in self.files else batch_id

    def home_for_new(self, batch_id: str, inputs: int) -> str:
        """Where a batch's `inputs` new inputs go: the run's open home while it holds fewer
        than `HOME_INPUTS` with them, else the batch's own (which becomes the open one)."""
        if self.open_home in self.files and self.open_inputs + inputs <= HOME_INPUTS:
            return self.open_home
        return batch_id

    def joined(self, home: str, inputs: int) -> None:
        """Count `inputs` new inputs committed into `home`."""
        if home != self.open_home:
            self.open_home, self.open_inputs = home, 0
        self.open_inputs += inputs


def home_files(out: str) -> dict[str, set[str]]:
    """The files of every home (batch id) in the row tables and the state folders."""
    files: dict[str, set[str]] = {}
    for folder in HOME_FOLDERS:
        for path in list_parquet(out, folder):
            if home := batch_of(path):
                files.setdefault(home, set()).add(path)
    return files


def reconciled_manifest(out: str, files: dict[str, set[str]] | None = None) -> Reconciled:
    """The manifest checked against the tables (`flows.reconcile`): what a deleted file
    left undone is marked to be processed again, into its home."""
    return check_manifest_vs_tables(
        out,
        load_manifest(out),
        home_files(out) if files is None else files,
        HOME_FOLDERS[:-1],  # every folder but the manifest's own
        ENTITY_STAGING_DIR,
    )


def home_file(state: CommitState, folder: str, home: str, batch_id: str) -> str:
    """The absolute path of a home's file in a table (or `_dedup/`, `_manifest/`)."""
    _, root = filesystem(state.out)
    if folder in STATE_FOLDERS:
        return f"{root}/{state_file(folder, home)}"
    for path in state.files.get(home, ()):
        if path.startswith(f"{root}/{folder}/"):
            return path
    day = state.run.started_at.strftime("%Y-%m-%d")
    if home != batch_id:  # the home's day, from any of its table files
        days = [d for p in state.files.get(home, ()) if (d := day_of(p))]
        day = min(days, default=day)
    return f"{root}/{table_file(folder, day, home)}"
