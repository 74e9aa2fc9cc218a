"""The commit of one batch, journaled, so that a run killed at any instant loses nothing.

Each input's rows live in the files of one batch, its *home* (`flows.homes`: which home an
input joins, and the state the commit keeps between batches).

Commit of one batch (sequential, in plan order, in the flow's process):

1. decide duplicates and repeated URLs and run the data checks (`transforms.output.finalize`); a
   batch failing its checks is not committed and its inputs are left for the next run;
2. publish every file it writes through the journal (`flows.journal`): the tables, then the
   staged entity rows, the entity votes, `_dedup/`, and `_manifest/`, the last word. A file
   is never removed (a reader that listed it must be able to open it), at most replaced by
   an empty one.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from flows import layout
from flows.batch import BatchOutput
from flows.homes import HOME_FOLDERS, HOME_SCHEMAS, ROW_TABLES, CommitState, home_file
from flows.journal import publish_files
from flows.manifest import (
    RETRIED_REJECTS,
    RETRY,
    ManifestEntry,
    load_dedup_index,
)
from flows.storage import Appended, filesystem, read_parquet_files
from transforms.ids import stable_id
from transforms.output.finalize import FinalBatch, finalize_batch
from transforms.output.rows import RejectedInput
from transforms.schema import (
    DEDUP_SCHEMA,
    ENTITY_VOTES_SCHEMA,
    MANIFEST_SCHEMA,
    TABLE_SCHEMAS,
)


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
    staged_entities = {layout.staged_entities_file(batch.batch_id): final.tables["entities"]}
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
    new = {
        **final.tables,
        layout.VOTES_DIR: final.votes,
        layout.DEDUP_DIR: final.dedup,
        layout.MANIFEST_DIR: manifest,
    }
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
        for folder in HOME_FOLDERS:
            rows = _rows_of(new[folder], paths, ids)
            target = home_file(state, folder, home, batch_id)
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
                kept = _drop_rows(state.out, target, paths, old_ids, HOME_SCHEMAS[folder])
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
        if home := layout.batch_of(final):
            state.files.setdefault(home, set()).add(final)


def _publish_order(item: tuple[str, object]) -> tuple[int, str]:
    # Tables first, then the staged entity rows, the votes, the dedup keys and the manifest.
    path = item[0]
    for rank, folder in enumerate((*ROW_TABLES, layout.ENTITY_STAGING_DIR, *layout.STATE_FOLDERS)):
        if f"{folder}/" in path:
            return rank, path
    return len(HOME_FOLDERS) + 1, path
