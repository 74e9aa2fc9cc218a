"""The manifest of processed inputs and the commit protocol that makes a run exactly-once.

State lives beside the tables under names readers skip:

- `_manifest/batch-<id>.parquet`: one row per processed input (path, size, mtime, hash,
  pipeline version, outcome, article id, run id, batch id). Exactly one row per input: when
  an input is processed again, its row is removed from the older batch's file.
- `_dedup/batch-<id>.parquet`: the dedup keys (hashes, MinHash signature) of committed
  articles, so duplicates are caught across runs.
- `_staging/batches/<id>/`: what a batch task wrote, not yet visible to readers.
- `_staging/commits/<id>.json`: the commit journal of a batch.

Commit of one batch (sequential, in source_path order, in the flow's process):

1. read the staged tables, assign `duplicate_of` from the dedup index, run the data checks;
   a failing batch is dropped here and its reason reported;
2. stage the final files and write the journal (atomically). The journal is the commit
   point: from here on the batch is committed and recovery rolls it forward;
3. rewrite older batches' files without the rows of inputs this batch supersedes (a
   changed file, a full refresh, a new version): readers never see an input twice;
4. rename the final files into the tables, then `_dedup/`, then `_manifest/`;
5. delete the journal and the staging folder.

A run killed anywhere leaves the tables readable: files appear only by atomic rename,
temporary files are hidden (`.…tmp`). The next run first rolls forward every journal, then
deletes uncommitted staging folders and temporary files, and plans what is not in the
manifest. File names derive from the batch's content, so redoing a step rewrites the same
files with the same rows.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Collection
from dataclasses import dataclass, field, replace

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from flows.batch import BATCH_STAGING_DIR, DEDUP_KEYS_SCHEMA, STAGING_DIR, BatchResult, staged_path
from flows.storage import (
    FileEntry,
    filesystem,
    is_local,
    list_parquet,
    partition_path,
    read_parquet_files,
    remove_files,
    write_parquet_atomic,
)
from transforms.checks import check_batch
from transforms.dedup import DedupIndex, DedupKeys, duplicate_url_reject
from transforms.schema import TABLE_SCHEMAS

MANIFEST_DIR = "_manifest"
DEDUP_DIR = "_dedup"
JOURNAL_DIR = f"{STAGING_DIR}/commits"
ENTITY_STAGING_DIR = f"{STAGING_DIR}/entities"
ROW_TABLES = ("articles", "mentions", "links", "rejects")
MANIFEST_SCHEMA = pa.schema(
    [
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("size", pa.int64(), nullable=False),
        pa.field("mtime_ns", pa.int64(), nullable=False),
        pa.field("source_sha256", pa.string()),
        pa.field("pipeline_version", pa.string(), nullable=False),
        pa.field("outcome", pa.string(), nullable=False),
        pa.field("article_id", pa.string()),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("batch_id", pa.string(), nullable=False),
    ]
)
DEDUP_SCHEMA = pa.schema(
    [
        *DEDUP_KEYS_SCHEMA,
        pa.field("duplicate_of", pa.string()),
        pa.field("run_id", pa.string(), nullable=False),
    ]
)


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """What the manifest knows of one input."""

    size: int
    mtime_ns: int
    pipeline_version: str
    batch_id: str = ""
    article_id: str | None = None


def load_manifest(out: str) -> dict[str, ManifestEntry]:
    """The manifest record of every input processed so far."""
    fs, _ = filesystem(out)
    names = ["source_path", "size", "mtime_ns", "pipeline_version", "batch_id", "article_id"]
    paths = list_parquet(out, MANIFEST_DIR)
    if not paths:
        return {}
    dataset = ds.dataset(paths, schema=MANIFEST_SCHEMA, format="parquet", filesystem=fs)
    columns = dataset.to_table(columns=names).to_pydict()
    return {
        path: ManifestEntry(size, mtime, version, batch_id, article_id)
        for path, size, mtime, version, batch_id, article_id in zip(
            columns["source_path"],
            columns["size"],
            columns["mtime_ns"],
            columns["pipeline_version"],
            columns["batch_id"],
            columns["article_id"],
            strict=True,
        )
    }


def needs_processing(entry: FileEntry, known: ManifestEntry | None, version: str) -> bool:
    """Whether an input is new, changed since it was processed, or processed by another version."""
    return (
        known is None
        or known.size != entry.size
        or known.mtime_ns != entry.mtime_ns
        or known.pipeline_version != version
    )


# --------------------------------------------------------------------------------------
# Recovery
# --------------------------------------------------------------------------------------


def recover(out: str) -> int:
    """Finish or undo what a killed run left; returns how many journals were rolled forward.

    Journals are rolled forward (their batch was committed); staging folders without a
    journal are deleted (their inputs are not in the manifest, so they are planned again);
    hidden temporary files of interrupted writes are deleted.
    """
    fs, root = filesystem(out)
    if not fs.exists(root):
        return 0
    journals = sorted(p for p in _find(out, JOURNAL_DIR) if p.endswith(".json"))
    for journal in journals:
        with fs.open(journal, "rb") as handle:
            _apply_journal(out, json.loads(handle.read()))
        _remove_tree(out, f"{BATCH_STAGING_DIR}/{_stem(journal)}")
        remove_files(out, [journal])
    for folder in _subfolders(out, BATCH_STAGING_DIR):
        _remove_tree(out, f"{BATCH_STAGING_DIR}/{folder}")
    remove_files(out, [p for p in _find(out, "") if _is_temporary(p)])
    return len(journals)


def _is_temporary(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name.startswith(".") and name.endswith(".tmp")


def _find(out: str, folder: str) -> list[str]:
    fs, root = filesystem(out)
    base = f"{root}/{folder}".rstrip("/")
    if not fs.exists(base):
        return []
    return sorted(fs.find(base))


def _subfolders(out: str, folder: str) -> list[str]:
    fs, root = filesystem(out)
    base = f"{root}/{folder}"
    if not fs.exists(base):
        return []
    return sorted(p.rstrip("/").rsplit("/", 1)[-1] for p in fs.ls(base, detail=False))


def _remove_tree(out: str, folder: str) -> None:
    fs, root = filesystem(out)
    with contextlib.suppress(FileNotFoundError):
        fs.rm(f"{root}/{folder}", recursive=True)


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


# --------------------------------------------------------------------------------------
# Commit
# --------------------------------------------------------------------------------------


@dataclass(slots=True)
class CommitState:
    """What the sequential commit step keeps between batches of one run."""

    out: str
    planned: frozenset[str]
    run_id: str
    known: dict[str, ManifestEntry] = field(default_factory=dict)
    _index: DedupIndex | None = None
    _files: dict[str, list[str]] | None = None

    @classmethod
    def open(cls, out: str, planned: Collection[str], run_id: str) -> CommitState:
        """The state for committing the planned inputs of one run."""
        return cls(out, frozenset(planned), run_id, load_manifest(out))

    @property
    def index(self) -> DedupIndex:
        """The dedup index of every committed article not planned again in this run."""
        if self._index is None:
            self._index = load_dedup_index(self.out, exclude=self.planned)
        return self._index

    @property
    def files(self) -> dict[str, list[str]]:
        """The visible files of every committed batch, by batch id."""
        if self._files is None:
            self._files = _files_by_batch(self.out)
        return self._files


def load_dedup_index(out: str, exclude: Collection[str] = ()) -> DedupIndex:
    """The dedup index rebuilt from `_dedup/`, in commit order (run, then source_path)."""
    table = read_parquet_files(out, list_parquet(out, DEDUP_DIR), DEDUP_SCHEMA)
    index = DedupIndex()
    rows = sorted(table.to_pylist(), key=lambda r: (r["run_id"], r["source_path"]))
    for row in rows:
        if row["source_path"] in exclude:
            continue
        keys = DedupKeys(
            row["article_id"],
            row["source_path"],
            row["source_sha256"],
            row["content_sha256"],
            row["signature"],
        )
        index.remember(keys, row["duplicate_of"])
    return index


def _batch_of(path: str) -> str | None:
    name = path.rsplit("/", 1)[-1]
    for prefix in ("part-", "batch-"):
        if name.startswith(prefix) and name.endswith(".parquet"):
            return name[len(prefix) : -len(".parquet")]
    return None


def _files_by_batch(out: str) -> dict[str, list[str]]:
    files: dict[str, list[str]] = {}
    for folder in (*ROW_TABLES, MANIFEST_DIR, DEDUP_DIR):
        for path in list_parquet(out, folder):
            batch_id = _batch_of(path)
            if batch_id:
                files.setdefault(batch_id, []).append(path)
    return files


def commit_staged_batch(state: CommitState, result: BatchResult) -> BatchResult:
    """Check a staged batch and publish it into the tables (see the module docstring)."""
    out, batch_id = state.out, result.batch_id
    fs, root = filesystem(out)
    tables = {
        name: pq.read_table(f"{root}/{staged_path(batch_id, name)}", filesystem=fs)
        for name in TABLE_SCHEMAS
    }
    keys = pq.read_table(f"{root}/{staged_path(batch_id, 'dedup')}", filesystem=fs)
    inputs = [str(r["source_path"]) for r in result.manifest_rows]
    owners = {
        path: owner
        for path, article_id in zip(
            keys.column("source_path").to_pylist(),
            keys.column("article_id").to_pylist(),
            strict=True,
        )
        if (owner := state.index.owner(article_id)) not in (None, path)
    }
    if owners:
        tables, keys, result = _reject_repeated_ids(tables, keys, result, owners)
    duplicate_of = _assign_duplicates(state, keys, tables["articles"])
    articles = tables["articles"]
    column = articles.schema.get_field_index("duplicate_of")
    tables["articles"] = articles.set_column(
        column, articles.schema.field(column), pa.array(duplicate_of, pa.string())
    )
    problems = check_batch(tables, inputs)
    if problems:
        _remove_tree(out, f"{BATCH_STAGING_DIR}/{batch_id}")
        return replace(
            result,
            failure="; ".join(problems),
            counts={},
            rejects_by_reason={},
            reject_examples={},
            words=0,
        )
    dedup = _dedup_rows(keys, duplicate_of, state.run_id)
    manifest = pa.Table.from_pylist(result.manifest_rows, schema=MANIFEST_SCHEMA)
    journal = _stage_final_files(out, result, tables, dedup, manifest)
    moves: dict[str, str] = journal["moves"]  # type: ignore[assignment]
    journal["rewrites"] = _rewrites(state, inputs, set(moves.values()))
    _write_json_atomic(out, f"{JOURNAL_DIR}/{batch_id}.json", journal)  # the commit point
    written = _apply_journal(out, journal)
    _remove_tree(out, f"{BATCH_STAGING_DIR}/{batch_id}")
    remove_files(out, [f"{root}/{JOURNAL_DIR}/{batch_id}.json"])
    _update_state(state, result, written, journal)
    return replace(result, duplicates=sum(1 for d in duplicate_of if d))


def _reject_repeated_ids(
    tables: dict[str, pa.Table], keys: pa.Table, result: BatchResult, owners: dict[str, str]
) -> tuple[dict[str, pa.Table], pa.Table, BatchResult]:
    """Turn articles whose id an earlier batch already holds (same canonical URL) into rejects."""
    articles = tables["articles"]
    paths = pa.array(sorted(owners), pa.string())
    repeated = articles.filter(pc.is_in(articles.column("source_path"), paths))
    ids = pa.array(sorted(set(repeated.column("article_id").to_pylist())), pa.string())
    tables = dict(tables)
    tables["articles"] = articles.filter(pc.invert(pc.is_in(articles.column("source_path"), paths)))
    for name in ("mentions", "links"):
        table = tables[name]
        tables[name] = table.filter(pc.invert(pc.is_in(table.column("article_id"), ids)))
    new_rejects = []
    for row in repeated.select(
        ["source_path", "source_sha256", "run_id", "ingested_at"]
    ).to_pylist():
        reject = duplicate_url_reject(owners[row["source_path"]])
        new_rejects.append(
            {
                "source_path": row["source_path"],
                "source_sha256": row["source_sha256"],
                "stage": reject.stage,
                "error_type": reject.error_type,
                "message": reject.message,
                "run_id": row["run_id"],
                "rejected_at": row["ingested_at"],
            }
        )
    rejects = pa.concat_tables(
        [tables["rejects"], pa.Table.from_pylist(new_rejects, schema=tables["rejects"].schema)]
    )
    tables["rejects"] = rejects.sort_by("source_path")
    keys = keys.filter(pc.invert(pc.is_in(keys.column("source_path"), paths)))
    manifest_rows = [
        dict(r, outcome="reject", article_id=None) if r["source_path"] in owners else r
        for r in result.manifest_rows
    ]
    reasons = dict(result.rejects_by_reason)
    reasons["duplicate_url"] = reasons.get("duplicate_url", 0) + len(new_rejects)
    examples = dict(result.reject_examples)
    first = new_rejects[0]
    examples.setdefault("duplicate_url", f"{first['source_path']}: {first['message']}")
    counts = {name: table.num_rows for name, table in tables.items()}
    result = replace(
        result,
        manifest_rows=manifest_rows,
        rejects_by_reason=reasons,
        reject_examples=examples,
        counts=counts,
    )
    return tables, keys, result


def _assign_duplicates(state: CommitState, keys: pa.Table, articles: pa.Table) -> list[str | None]:
    found: dict[str, str | None] = {}
    for row in sorted(keys.to_pylist(), key=lambda r: r["source_path"]):
        dedup_keys = DedupKeys(
            row["article_id"],
            row["source_path"],
            row["source_sha256"],
            row["content_sha256"],
            row["signature"],
        )
        found[row["source_path"]] = state.index.assign(dedup_keys)
    return [found.get(path) for path in articles.column("source_path").to_pylist()]


def _dedup_rows(keys: pa.Table, duplicate_of: list[str | None], run_id: str) -> pa.Table:
    # The dedup keys are in article order, as `duplicate_of` is.
    return keys.append_column(
        DEDUP_SCHEMA.field("duplicate_of"), pa.array(duplicate_of, pa.string())
    ).append_column(DEDUP_SCHEMA.field("run_id"), pa.array([run_id] * keys.num_rows, pa.string()))


def _stage_final_files(
    out: str,
    result: BatchResult,
    tables: dict[str, pa.Table],
    dedup: pa.Table,
    manifest: pa.Table,
) -> dict[str, object]:
    """Write the final files into staging; the journal maps each to where it goes."""
    _, root = filesystem(out)
    batch_id = result.batch_id
    moves: dict[str, str] = {}
    for name in ROW_TABLES:
        staged = staged_path(batch_id, f"final-{name}")
        write_parquet_atomic(out, staged, tables[name])
        final = partition_path(name, result.ingest_date, f"part-{batch_id}.parquet")
        moves[f"{root}/{staged}"] = f"{root}/{final}"
    # Order matters: entities, then dedup keys, then the manifest row (the last word).
    entities = staged_path(batch_id, "entities")
    moves[f"{root}/{entities}"] = f"{root}/{ENTITY_STAGING_DIR}/{batch_id}.parquet"
    for folder, table in ((DEDUP_DIR, dedup), (MANIFEST_DIR, manifest)):
        staged = staged_path(batch_id, f"final{folder}")
        write_parquet_atomic(out, staged, table)
        moves[f"{root}/{staged}"] = f"{root}/{folder}/batch-{batch_id}.parquet"
    return {"batch_id": batch_id, "moves": moves}


def _rewrites(
    state: CommitState, inputs: list[str], destinations: Collection[str]
) -> list[dict[str, object]]:
    """Older files holding rows of inputs this batch replaces, and which rows to drop."""
    paths: dict[str, set[str]] = {}
    ids: dict[str, set[str]] = {}
    for source_path in inputs:
        known = state.known.get(source_path)
        if known is None:
            continue
        for file in state.files.get(known.batch_id, []):
            if file in destinations:
                continue  # replaced whole by this batch's own file of the same name
            paths.setdefault(file, set()).add(source_path)
            ids.setdefault(file, set())
            if known.article_id:
                ids[file].add(known.article_id)
    return [
        {"file": file, "paths": sorted(paths[file]), "ids": sorted(ids[file])}
        for file in sorted(paths)
    ]


def _apply_journal(out: str, journal: dict[str, object]) -> list[str]:
    """Roll a committed batch forward; every step may be redone. Returns the files written."""
    fs, _ = filesystem(out)
    for rewrite in journal.get("rewrites", []):  # type: ignore[attr-defined]
        _drop_rows(out, rewrite["file"], set(rewrite["paths"]), set(rewrite["ids"]))
    written = []
    for staged, final in journal["moves"].items():  # type: ignore[attr-defined]
        if fs.exists(staged):
            folder = final.rsplit("/", 1)[0]
            fs.makedirs(folder, exist_ok=True)
            if is_local(out):
                os.replace(staged, final)
            else:
                fs.mv(staged, final)
        written.append(final)
    return written


def _drop_rows(out: str, file: str, paths: set[str], ids: set[str]) -> None:
    """Rewrite one table file without the given inputs' rows (removed when none are left)."""
    fs, root = filesystem(out)
    if not fs.exists(file):
        return
    table = pq.read_table(file, filesystem=fs)
    if "source_path" in table.column_names:
        drop = pc.is_in(table.column("source_path"), pa.array(sorted(paths), pa.string()))
    else:
        drop = pc.is_in(table.column("article_id"), pa.array(sorted(ids), pa.string()))
    if not pc.any(drop).as_py():
        return
    kept = table.filter(pc.invert(drop))
    if kept.num_rows == 0:
        remove_files(out, [file])
        return
    write_parquet_atomic(out, file[len(root) + 1 :], _without_partition(kept))


def _without_partition(table: pa.Table) -> pa.Table:
    names = [n for n in table.column_names if n != "ingest_date"]
    return table.select(names)


def _write_json_atomic(out: str, relative: str, payload: dict[str, object]) -> None:
    fs, root = filesystem(out)
    final = f"{root}/{relative}"
    folder, name = final.rsplit("/", 1)
    fs.makedirs(folder, exist_ok=True)
    temporary = f"{folder}/.{name}.tmp"
    with fs.open(temporary, "wb") as handle:
        handle.write(json.dumps(payload, sort_keys=True).encode("utf-8"))
        if is_local(out):
            handle.flush()
            os.fsync(handle.fileno())
    if is_local(out):
        os.replace(temporary, final)
    else:
        fs.mv(temporary, final)


def _update_state(
    state: CommitState, result: BatchResult, written: list[str], journal: dict[str, object]
) -> None:
    fs, _ = filesystem(state.out)
    for rewrite in journal["rewrites"]:  # type: ignore[attr-defined]
        file = rewrite["file"]
        if not fs.exists(file):
            for files in state.files.values():
                if file in files:
                    files.remove(file)
    state.files[result.batch_id] = [w for w in written if _batch_of(w) == result.batch_id]
    for row in result.manifest_rows:
        state.known[str(row["source_path"])] = ManifestEntry(
            int(row["size"]),  # type: ignore[call-overload]
            int(row["mtime_ns"]),  # type: ignore[call-overload]
            str(row["pipeline_version"]),
            result.batch_id,
            row["article_id"],  # type: ignore[arg-type]
        )


def commit_manifest(out: str, batch_id: str, rows: list[dict[str, object]]) -> None:
    """Record a batch's inputs as done (kept for callers that commit without staging)."""
    table = pa.Table.from_pylist(rows, schema=MANIFEST_SCHEMA)
    write_parquet_atomic(out, f"{MANIFEST_DIR}/batch-{batch_id}.parquet", table)
