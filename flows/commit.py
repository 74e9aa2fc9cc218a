"""The commit of one batch, journaled, so that a run killed at any instant loses nothing.

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

Commit of one batch (sequential, in plan order, in the flow's process):

1. decide duplicates and repeated URLs and run the data checks (`transforms.output.finalize`); a
   batch failing its checks is not committed and its inputs are left for the next run;
2. publish every file it writes through the journal (`flows.journal`): the tables, then the
   staged entity rows, the entity votes, `_dedup/`, and `_manifest/`, the last word. A file
   is never removed (a reader that listed it must be able to open it), at most replaced by
   an empty one.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, MutableMapping
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from flows.batch import BatchOutput
from flows.journal import publish_files
from flows.layout import (
    DEDUP_DIR,
    ENTITY_STAGING_DIR,
    MANIFEST_DIR,
    STATE_FOLDERS,
    VOTES_DIR,
    batch_of,
    day_of,
    row_tables,
    staged_entities_file,
    state_file,
    table_file,
)
from flows.lock import UNCHECKED, Lease
from flows.manifest import (
    RETRIED_REJECTS,
    RETRY,
    ManifestEntry,
    load_dedup_index,
    load_manifest,
)
from flows.packed import PathSet
from flows.reconcile import Reconciled, check_manifest_vs_tables
from flows.storage import Appended, filesystem, list_parquet, read_parquet_files
from transforms.ids import stable_id
from transforms.output.dedup import DedupIndex
from transforms.output.finalize import FinalBatch, finalize_batch
from transforms.output.rows import RejectedInput, RunInfo
from transforms.schema import (
    DEDUP_SCHEMA,
    ENTITY_VOTES_SCHEMA,
    MANIFEST_SCHEMA,
    TABLE_SCHEMAS,
)

HOME_INPUTS = 10_000  # new inputs per home: each table gets a file per 10k inputs, not per batch
ROW_TABLES = row_tables()
# Publishing order: the rows, then the entity votes, then what finds the rows again (dedup
# keys, then the manifest: the last word).
_FOLDERS = (*ROW_TABLES, VOTES_DIR, DEDUP_DIR, MANIFEST_DIR)
_SCHEMAS = {
    **TABLE_SCHEMAS,
    VOTES_DIR: ENTITY_VOTES_SCHEMA,
    DEDUP_DIR: DEDUP_SCHEMA,
    MANIFEST_DIR: MANIFEST_SCHEMA,
}


@dataclass(frozen=True, slots=True)
class CommitResult:
    """What the commit of one batch did, for the run's summary."""

    batch_id: str
    label: str
    inputs: int
    rows: dict[str, int] = field(default_factory=dict)
    rejects: tuple[RejectedInput, ...] = ()
    duplicates: int = 0
    words: int = 0
    failure: str | None = None  # why the batch was not committed, when it was not


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
    for folder in _FOLDERS:
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
        _FOLDERS[:-1],  # every folder but the manifest's own
        ENTITY_STAGING_DIR,
    )


def commit_batch(state: CommitState, output: BatchOutput) -> CommitResult:
    """Decide, check and publish one batch (see the module docstring)."""
    batch = output.batch
    inputs = [e.source_path for e in batch.entries]
    final = finalize_batch(output.articles, output.rejects, state.index, state.run, inputs)
    if final.problems:
        # The index learnt this batch's articles: forget them, or later batches would be
        # marked copies of articles that were never committed.
        state.index = load_dedup_index(state.out, exclude=state.pending)
        return CommitResult(
            batch.batch_id, batch.label, len(inputs), failure="; ".join(final.problems)
        )
    new = [path for path in inputs if state.home(path, "") == ""]
    new_home = state.home_for_new(batch.batch_id, len(new))
    homes = {path: state.home(path, new_home) for path in inputs}
    manifest = pa.Table.from_pylist(_manifest_rows(output, final, homes, state), MANIFEST_SCHEMA)
    contents = _publish_plan(state, batch.batch_id, final, manifest, homes)
    staged_entities = {staged_entities_file(batch.batch_id): final.tables["entities"]}
    publish(state, batch.batch_id, {**contents, **staged_entities})
    state.joined(new_home, len(new))
    state.pending.discard(inputs)
    for row in manifest.to_pylist():
        state.known[row["source_path"]] = ManifestEntry(
            row["size"],
            row["mtime_ns"],
            row["pipeline_version"],
            row["batch_id"],
            row["article_id"],
            row["with_entities"],
            row["archive_inputs"],
            row["outcome"] == RETRY,
        )
    rows = {name: table.num_rows for name, table in final.tables.items() if name != "entities"}
    words = pc.sum(final.tables["articles"].column("word_count")).as_py() or 0
    return CommitResult(
        batch.batch_id, batch.label, len(inputs), rows, final.rejects, final.duplicates, words
    )


def prune_inputs(state: CommitState, paths: Collection[str]) -> int:
    """Remove the rows of inputs deleted from the raw folder; returns how many were known."""
    known = sorted(p for p in paths if p in state.known and state.home(p, "") != "")
    if not known:
        return 0
    homes = {path: state.home(path, "") for path in known}
    nothing = FinalBatch(
        {name: schema.empty_table() for name, schema in TABLE_SCHEMAS.items()},
        DEDUP_SCHEMA.empty_table(),
        ENTITY_VOTES_SCHEMA.empty_table(),
        {},
        (),
        0,
        (),
    )
    contents = _publish_plan(state, "", nothing, MANIFEST_SCHEMA.empty_table(), homes)
    publish(state, stable_id("prune", *known), contents)
    for path in known:
        del state.known[path]
    return len(known)


def _manifest_rows(
    output: BatchOutput, final: FinalBatch, homes: dict[str, str], state: CommitState
) -> list[dict[str, object]]:
    shas: dict[str, str | None] = {a.source_path: a.dedup.source_sha256 for a in output.articles}
    shas.update({r.source_path: r.source_sha256 for r in final.rejects})
    outcomes = {
        r.source_path: RETRY for r in final.rejects if r.reject.error_type in RETRIED_REJECTS
    }
    outcomes.update({path: "article" for path, article in final.outcomes.items() if article})
    return [
        {
            "source_path": entry.source_path,
            "size": entry.size,
            "mtime_ns": entry.mtime_ns,
            "source_sha256": shas.get(entry.source_path),
            "pipeline_version": state.run.pipeline_version,
            "outcome": outcomes.get(entry.source_path, "reject"),
            "article_id": final.outcomes.get(entry.source_path),
            "run_id": state.run.run_id,
            "batch_id": homes[entry.source_path],
            "with_entities": state.with_entities,
            "archive_inputs": entry.archive_inputs,
        }
        for entry in output.batch.entries
    ]


def _publish_plan(
    state: CommitState,
    batch_id: str,
    final: FinalBatch,
    manifest: pa.Table,
    homes: dict[str, str],
) -> dict[str, pa.Table | Appended]:
    """Every file the commit writes, by path (absolute, or relative to the output)."""
    new = {**final.tables, VOTES_DIR: final.votes, DEDUP_DIR: final.dedup, MANIFEST_DIR: manifest}
    article_ids = {p: a for p, a in final.outcomes.items() if a}
    contents: dict[str, pa.Table | Appended] = {}
    for home in sorted(set(homes.values())):
        paths = sorted(p for p, h in homes.items() if h == home)
        ids = sorted(article_ids[p] for p in paths if p in article_ids)
        known = [k for p in paths if (k := state.known.get(p))]
        old_ids = sorted({k.article_id for k in known if k.article_id})
        # Inputs new to the output joining the home this run opened: its files hold none of
        # their rows, so the rows are added as a row group, the old ones copied as bytes.
        adding = home == state.open_home and home != batch_id and not known
        for folder in _FOLDERS:
            rows = _rows_of(new[folder], paths, ids)
            target = _home_file(state, folder, home, batch_id)
            # A file is never removed, only replaced (empty if need be): a reader that listed
            # it can still open it. Every home has a file in every folder, even empty, so
            # every table is readable from the first run on and a missing file is noticed
            # (`flows.reconcile`) and made again by the repair.
            if home == batch_id or target not in state.files.get(home, set()):
                contents[target] = rows
            elif adding:
                if rows.num_rows:  # else the file stays as it is
                    contents[target] = Appended(target, rows)
            else:
                kept = _drop_rows(state.out, target, paths, old_ids, _SCHEMAS[folder])
                contents[target] = pa.concat_tables([kept, rows]) if kept is not None else rows
    return contents


def _rows_of(table: pa.Table, paths: list[str], ids: list[str]) -> pa.Table:
    if "source_path" in table.column_names:
        return table.filter(pc.is_in(table.column("source_path"), pa.array(paths, pa.string())))
    return table.filter(pc.is_in(table.column("article_id"), pa.array(ids, pa.string())))


def _drop_rows(
    out: str, path: str, paths: list[str], ids: list[str], schema: pa.Schema
) -> pa.Table | None:
    """A home file's rows, in `schema`, without those of the given inputs (None when the
    file is gone)."""
    try:
        table = read_parquet_files(out, [path], schema)
    except FileNotFoundError:
        return None
    key = "source_path" if "source_path" in schema.names else "article_id"
    drop = pa.array(paths if key == "source_path" else ids, pa.string())
    return table.filter(pc.invert(pc.is_in(table.column(key), drop)))


def _home_file(state: CommitState, folder: str, home: str, batch_id: str) -> str:
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


def publish(state: CommitState, commit_id: str, contents: dict[str, pa.Table | Appended]) -> None:
    """Publish files through the journal, in order (rows first, the manifest last), if the
    run still holds the output's lock (else LockLost)."""
    state.lease.check()
    _, root = filesystem(state.out)
    ordered = [
        (path if path.startswith(f"{root}/") else f"{root}/{path}", table)
        for path, table in sorted(contents.items(), key=_publish_order)
    ]
    for final in publish_files(state.out, commit_id, ordered):
        if home := batch_of(final):
            state.files.setdefault(home, set()).add(final)


def _publish_order(item: tuple[str, object]) -> tuple[int, str]:
    # Tables first, then the staged entity rows, the votes, the dedup keys and the manifest.
    path = item[0]
    for rank, folder in enumerate((*ROW_TABLES, ENTITY_STAGING_DIR, *STATE_FOLDERS)):
        if f"{folder}/" in path:
            return rank, path
    return len(_FOLDERS) + 1, path
