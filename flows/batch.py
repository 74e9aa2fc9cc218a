"""One batch of inputs: read ─► decode ─► parse ─► enrich ─► to tables ─► stage.

The I/O is here; every decision is a call into `transforms/`. A batch writes its tables
and dedup keys under `_staging/batches/<batch_id>/` only; the flow's sequential commit step
(`flows.manifest.commit_staged_batch`) assigns `duplicate_of`, checks and publishes them.
"""

from __future__ import annotations

import os
import stat
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

import pyarrow as pa

from flows.nlp import load_ner
from flows.settings import Settings
from flows.storage import FileEntry, filesystem, is_local, read_raw, write_parquet_atomic
from transforms.dedup import duplicate_url_reject, minhash_signature
from transforms.document import parse_input, site_group
from transforms.entities import canonicalize, find_entity_spans, place_display_name
from transforms.ids import sha256_hex
from transforms.places import resolve_place
from transforms.records import Reject
from transforms.tables import Article, RejectedInput, RunInfo, build_tables, content_sha256

STAGING_DIR = "_staging"
BATCH_STAGING_DIR = f"{STAGING_DIR}/batches"
DEDUP_KEYS_SCHEMA = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("source_sha256", pa.string(), nullable=False),
        pa.field("content_sha256", pa.string(), nullable=False),
        pa.field("signature", pa.binary(), nullable=False),
    ]
)


def staged_path(batch_id: str, name: str) -> str:
    """Where a batch stages one of its tables (or `dedup`) before the commit."""
    return f"{BATCH_STAGING_DIR}/{batch_id}/{name}.parquet"


@dataclass(frozen=True, slots=True)
class Batch:
    """A unit of Prefect work: a few hundred inputs and the chrome of their sites."""

    batch_id: str
    entries: tuple[FileEntry, ...]
    chrome: dict[str, frozenset[str]]


@dataclass(slots=True)
class BatchResult:
    """What a batch reports back: counts, timings and the manifest rows to commit."""

    batch_id: str
    counts: dict[str, int] = field(default_factory=dict)
    rejects_by_reason: dict[str, int] = field(default_factory=dict)
    reject_examples: dict[str, str] = field(default_factory=dict)
    seconds_by_stage: dict[str, float] = field(default_factory=dict)
    words: int = 0
    duplicates: int = 0
    manifest_rows: list[dict[str, object]] = field(default_factory=list)
    ingest_date: str = ""
    failure: str | None = None  # why the commit refused the batch, when it did


@contextmanager
def _timed(result: BatchResult, stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - start
        result.seconds_by_stage[stage] = result.seconds_by_stage.get(stage, 0.0) + elapsed


def run_batch(batch: Batch, settings: Settings, run: RunInfo) -> BatchResult:
    """Turn a batch of raw files into table files; bad inputs become rejects, never errors."""
    result = BatchResult(batch.batch_id)
    articles: list[Article] = []
    rejects: list[RejectedInput] = []
    with _timed(result, "read+parse"):
        for entry in batch.entries:
            outcome = _read_and_parse(entry, batch, settings, run.started_at)
            if isinstance(outcome, Article):
                articles.append(outcome)
            else:
                rejects.append(outcome)
    articles, repeated = _split_repeated_ids(articles)
    rejects = sorted(rejects + repeated, key=lambda r: r.source_path)
    with _timed(result, "entities"):
        articles = _with_entities(articles) if settings.entities else articles
    with _timed(result, "tables"):
        tables = build_tables(articles, rejects, run, resolve_place)
        tables["dedup"] = _dedup_keys(articles)
    with _timed(result, "write"):
        result.ingest_date = run.started_at.strftime("%Y-%m-%d")
        for name, table in tables.items():
            # Empty tables are staged too, so every table is readable from the first run.
            write_parquet_atomic(settings.out, staged_path(batch.batch_id, name), table)
            if name != "dedup":
                result.counts[name] = table.num_rows
    result.words = sum(tables["articles"].column("word_count").to_pylist())
    reasons = Counter(r.reject.error_type for r in rejects)
    result.rejects_by_reason = dict(reasons)
    for r in rejects:
        result.reject_examples.setdefault(
            r.reject.error_type, f"{r.source_path}: {r.reject.message}"
        )
    result.manifest_rows = _manifest_rows(batch, articles, rejects, run)
    return result


def _read_and_parse(
    entry: FileEntry, batch: Batch, settings: Settings, now: datetime
) -> Article | RejectedInput:
    try:
        return _read_and_parse_unguarded(entry, batch, settings, now)
    except Exception as exc:  # one input must never stop the batch: it becomes a reject
        return RejectedInput(
            entry.source_path,
            None,
            Reject("read", "internal_error", f"unexpected {type(exc).__name__}: {exc}"),
        )


def _special_file(raw: str, entry: FileEntry) -> str | None:
    """What a local input is when it is not a regular file (FIFO, socket, device), else None."""
    if not is_local(raw):
        return None
    _, root = filesystem(raw)
    try:
        mode = os.stat(os.path.join(root, entry.source_path)).st_mode
    except OSError:
        return None  # reading it reports the error
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "a device or other special file"


def _read_and_parse_unguarded(
    entry: FileEntry, batch: Batch, settings: Settings, now: datetime
) -> Article | RejectedInput:
    if entry.outside_root:
        return RejectedInput(
            entry.source_path,
            None,
            Reject("read", "outside_root", "symlink leads outside the raw root: not followed"),
        )
    special = _special_file(settings.raw, entry)
    if special:
        return RejectedInput(
            entry.source_path,
            None,
            Reject("read", "not_a_file", f"the path is {special}, not a regular file: not read"),
        )
    if entry.size > settings.max_bytes and not entry.source_path.lower().endswith(".gz"):
        return RejectedInput(
            entry.source_path,
            None,
            Reject(
                "read",
                "too_large",
                f"{entry.size:,} bytes is over the size cap of {settings.max_bytes:,}",
            ),
        )
    try:
        raw = read_raw(settings.raw, entry, settings.max_bytes)
    except OSError as exc:
        return RejectedInput(
            entry.source_path,
            None,
            Reject("read", "unreadable", f"cannot read the file: {exc.strerror or exc}"),
        )
    sha = sha256_hex(raw.data)
    parsed = parse_input(
        raw, batch.chrome.get(site_group(entry.source_path), frozenset()), settings.max_bytes, now
    )
    if isinstance(parsed, Reject):
        return RejectedInput(entry.source_path, sha, parsed)
    return Article(entry.source_path, sha, parsed)


def _with_entities(articles: list[Article]) -> list[Article]:
    bodies = [a.document.body for a in articles]
    spans = find_entity_spans(load_ner(), bodies)
    return [
        Article(
            a.source_path,
            a.source_sha256,
            a.document,
            tuple(canonicalize(a.document.body, s, place_display_name)),
            a.duplicate_of,
        )
        for a, s in zip(articles, spans, strict=True)
    ]


def _split_repeated_ids(
    articles: list[Article],
) -> tuple[list[Article], list[RejectedInput]]:
    """Keep the first file (by source_path) of each article_id; later ones become rejects."""
    owners: dict[str, str] = {}
    kept, rejected = [], []
    for a in sorted(articles, key=lambda a: a.source_path):
        owner = owners.setdefault(a.article_id, a.source_path)
        if owner == a.source_path:
            kept.append(a)
        else:
            rejected.append(
                RejectedInput(a.source_path, a.source_sha256, duplicate_url_reject(owner))
            )
    return kept, rejected


def _dedup_keys(articles: list[Article]) -> pa.Table:
    rows = [
        {
            "article_id": a.article_id,
            "source_path": a.source_path,
            "source_sha256": a.source_sha256,
            "content_sha256": content_sha256(a.document.body),
            "signature": minhash_signature(a.document.body),
        }
        for a in articles
    ]
    return pa.Table.from_pylist(rows, schema=DEDUP_KEYS_SCHEMA)


def _manifest_rows(
    batch: Batch, articles: list[Article], rejects: list[RejectedInput], run: RunInfo
) -> list[dict[str, object]]:
    by_path: dict[str, tuple[str | None, str, str | None]] = {
        a.source_path: (a.source_sha256, "article", a.article_id) for a in articles
    }
    by_path.update({r.source_path: (r.source_sha256, "reject", None) for r in rejects})
    rows = []
    for entry in batch.entries:
        sha, outcome, article_id = by_path[entry.source_path]
        rows.append(
            {
                "source_path": entry.source_path,
                "size": entry.size,
                "mtime_ns": entry.mtime_ns,
                "source_sha256": sha,
                "pipeline_version": run.pipeline_version,
                "outcome": outcome,
                "article_id": article_id,
                "run_id": run.run_id,
                "batch_id": batch.batch_id,
            }
        )
    return rows
