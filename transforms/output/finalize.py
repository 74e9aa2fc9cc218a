"""The commit's decisions on one batch: what depends on the articles committed before it.

A batch's rows are built in parallel, each article on its own (`transforms.output.rows`); only
the sequential commit knows the articles committed before, so it decides here, in one pass
in source_path order: a second file with an article_id already held is a `duplicate_url`
reject; any other article gets `duplicate_of`, `dup_group` and `dup_similarity` from the
dedup index. Then the data checks.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

import pyarrow as pa

from transforms.output.checks import check_batch
from transforms.output.dedup import DedupIndex, dup_group, duplicate_url_reject
from transforms.output.rows import (
    ArticleRows,
    RejectedInput,
    RunInfo,
    tables_from_rows,
    votes_table,
)
from transforms.schema import DEDUP_SCHEMA


@dataclass(frozen=True, slots=True)
class FinalBatch:
    """A batch as it is committed: its tables, its dedup rows, each input's outcome (article
    id, or None for a reject) and the problems that forbid the commit (none when sound)."""

    tables: dict[str, pa.Table]
    dedup: pa.Table
    votes: pa.Table
    outcomes: dict[str, str | None]
    rejects: tuple[RejectedInput, ...]
    duplicates: int
    problems: tuple[str, ...]


def finalize_batch(
    articles: Sequence[ArticleRows],
    rejects: Sequence[RejectedInput],
    index: DedupIndex,
    run: RunInfo,
    inputs: Collection[str],
) -> FinalBatch:
    """Decide duplicates and repeated URLs against `index` (which learns this batch's
    articles), build the batch's tables and check them against its `inputs`."""
    kept: list[ArticleRows] = []
    rejected = list(rejects)
    dedup_rows: list[dict[str, object]] = []
    for rows in sorted(articles, key=lambda a: a.source_path):
        owner = index.owner(rows.article_id)
        if owner not in (None, rows.source_path):
            rejected.append(
                RejectedInput(
                    rows.source_path, rows.dedup.source_sha256, duplicate_url_reject(owner)
                )
            )
            continue
        match = index.match(rows.dedup)
        decided = {
            "duplicate_of": match.original,
            "dup_group": dup_group(rows.article_id, match.original),
            "dup_similarity": match.similarity,
        }
        kept.append(replace(rows, article={**rows.article, **decided}))
        dedup_rows.append(_dedup_row(rows, match.original, run))
    rejected.sort(key=lambda r: r.source_path)
    tables = tables_from_rows(kept, rejected, run)
    outcomes: dict[str, str | None] = {r.source_path: None for r in rejected}
    outcomes.update({a.source_path: a.article_id for a in kept})
    return FinalBatch(
        tables,
        pa.Table.from_pylist(dedup_rows, schema=DEDUP_SCHEMA),
        votes_table(v for a in kept for v in a.votes),
        outcomes,
        tuple(rejected),
        sum(1 for row in dedup_rows if row["duplicate_of"]),
        tuple(check_batch(tables, inputs)),
    )


def _dedup_row(rows: ArticleRows, duplicate_of: str | None, run: RunInfo) -> dict[str, object]:
    keys = rows.dedup
    return {
        "article_id": keys.article_id,
        "source_path": keys.source_path,
        "source_sha256": keys.source_sha256,
        "content_sha256": keys.content_sha256,
        "signature": keys.signature,
        "duplicate_of": duplicate_of,
        "run_id": run.run_id,
    }
