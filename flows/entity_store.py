"""The `entities` table: merged from the batches' staged rows into one row per entity.

Batches stage their entity rows, with the type votes of their mentions, under
`_staging/entities/<batch>.parquet`. `merge_entities`:

1. copies each staged batch's votes to `_entity_votes/batch-<batch>.parquet`, where they stay:
   an entity's type is decided by the votes of every batch that ever mentioned it, and a
   file per batch makes a second copy of the same votes replace the first, never add to it;
2. folds the table's rows and the staged ones with the summed votes
   (`transforms.entity_corpus.fold_entity_rows`: one type per entity, name and place by a
   fixed order of the rows, aliases united, `same_as` by `link_names` over the whole table);
3. writes the merged files, then removes what they replace and the staged files.

A kill anywhere leaves staged rows that the next run merges again, and the votes files they
already wrote are rewritten with the same rows: merging is idempotent. Files written before
`same_as` existed read with it null, and get it at the next merge; rows without votes keep
their type.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from flows.batch import STAGING_DIR
from flows.storage import (
    list_parquet,
    partition_path,
    read_parquet_files,
    remove_files,
    write_parquet_atomic,
)
from transforms.entity_corpus import fold_entity_rows
from transforms.ids import stable_id
from transforms.schema import ENTITIES_SCHEMA, ENTITY_VOTES_SCHEMA, STAGED_ENTITIES_SCHEMA

_STAGED = f"{STAGING_DIR}/entities"
VOTES_DIR = "_entity_votes"


def merge_entities(out: str) -> int:
    """Fold staged entity rows into the `entities` table; returns the table's row count."""
    staged = list_parquet(out, _STAGED)
    current = list_parquet(out, "entities")
    if not staged and len(current) <= 1:
        return int(read_parquet_files(out, current, ENTITIES_SCHEMA).num_rows) if current else 0
    for path in staged:
        batch = path.rsplit("/", 1)[-1].removesuffix(".parquet")
        votes = staged_votes(read_parquet_files(out, [path], STAGED_ENTITIES_SCHEMA))
        write_parquet_atomic(out, f"{VOTES_DIR}/batch-{batch}.parquet", votes)
    rows = pa.concat_tables(
        [
            read_parquet_files(out, current, ENTITIES_SCHEMA),
            read_parquet_files(out, staged, ENTITIES_SCHEMA),
        ]
    )
    votes = read_parquet_files(out, list_parquet(out, VOTES_DIR), ENTITY_VOTES_SCHEMA)
    merged = fold_entities(rows, votes)
    dates = pc.strftime(merged.column("first_seen_at"), format="%Y-%m-%d").to_pylist()
    written = []
    for date in sorted(set(dates)):
        part = merged.filter(pa.array([d == date for d in dates]))
        name = f"part-{stable_id(*part.column('entity_id').to_pylist())}.parquet"
        written.append(write_parquet_atomic(out, partition_path("entities", date, name), part))
    remove_files(out, [p for p in current if p not in written] + staged)
    return int(merged.num_rows)


def staged_votes(staged: pa.Table) -> pa.Table:
    """The (entity_id, type, weight) votes of staged entity rows."""
    rows = [
        {"entity_id": row["entity_id"], "type": vote["type"], "weight": vote["weight"]}
        for row in staged.select(["entity_id", "type_votes"]).to_pylist()
        for vote in row["type_votes"] or ()
    ]
    return pa.Table.from_pylist(rows, schema=ENTITY_VOTES_SCHEMA)


def fold_entities(table: pa.Table, votes: pa.Table | None = None) -> pa.Table:
    """One row per entity_id, typed by the summed votes (`transforms.entity_corpus`).

    `votes` are (entity_id, type, weight) rows; without them, the votes are the table's own
    `type_votes` (a table of staged rows, folded in one go as a benchmark or test does).
    """
    if votes is None:
        own = table if "type_votes" in table.column_names else None
        votes = staged_votes(own) if own is not None else ENTITY_VOTES_SCHEMA.empty_table()
    # Weights are whole numbers (1 and 4): their sums are exact in any order, so Arrow's
    # grouped sum gives the same totals however it splits the work.
    summed = votes.group_by(["entity_id", "type"]).aggregate([("weight", "sum")])
    totals: dict[str, dict[str, float]] = {}
    for entity, kind, weight in zip(
        summed.column("entity_id").to_pylist(),
        summed.column("type").to_pylist(),
        summed.column("weight_sum").to_pylist(),
        strict=True,
    ):
        totals.setdefault(entity, {})[kind] = weight
    folded = fold_entity_rows(table.to_pylist(), totals)
    return pa.Table.from_pylist(folded, schema=ENTITIES_SCHEMA)
