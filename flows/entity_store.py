"""The `entities` table: merged from the batches' staged rows into one row per entity.

Batches stage their entity rows under `_staging/entities/`; `merge_entities` folds them
into the table (aliases united, the earliest `first_seen_at` and its name kept), sets
`same_as` by `transforms.entities.link_surnames` over the whole merged table (so it never
depends on batches or their order), writes the merged files, then removes what they replace.
A kill in between leaves staged rows that the next run merges again: merging is idempotent.
Files written before `same_as` existed read with it null, and get it at the next merge.
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
from transforms.entities import link_surnames
from transforms.ids import stable_id
from transforms.schema import ENTITIES_SCHEMA

_STAGED = f"{STAGING_DIR}/entities"


def merge_entities(out: str) -> int:
    """Fold staged entity rows into the `entities` table; returns the table's row count."""
    staged = list_parquet(out, _STAGED)
    current = list_parquet(out, "entities")
    if not staged and len(current) <= 1:
        return read_parquet_files(out, current, ENTITIES_SCHEMA).num_rows if current else 0
    merged = fold_entities(read_parquet_files(out, current + staged, ENTITIES_SCHEMA))
    dates = pc.strftime(merged.column("first_seen_at"), format="%Y-%m-%d").to_pylist()
    written = []
    for date in sorted(set(dates)):
        part = merged.filter(pa.array([d == date for d in dates]))
        name = f"part-{stable_id(*part.column('entity_id').to_pylist())}.parquet"
        written.append(write_parquet_atomic(out, partition_path("entities", date, name), part))
    remove_files(out, [p for p in current if p not in written] + staged)
    return merged.num_rows


def _fold_order(row: dict[str, object]) -> tuple[object, ...]:
    # Rows of one run tie on first_seen_at: a total order keeps the merge independent of
    # batch order (mixed-case name before ALL CAPS, then by name and place).
    name = str(row["name"])
    geonames_id = row["geonames_id"]
    return (
        row["first_seen_at"],
        row["entity_id"],
        name.isupper(),
        name,
        geonames_id is None,
        geonames_id or 0,
    )


def fold_entities(table: pa.Table) -> pa.Table:
    """One row per entity_id: earliest first_seen_at wins the name; aliases united; `same_as`
    recomputed by `link_surnames` over all the rows (whatever the input held)."""
    rows: dict[str, dict[str, object]] = {}
    for row in sorted(table.to_pylist(), key=_fold_order):
        kept = rows.get(row["entity_id"])
        if kept is None:
            rows[row["entity_id"]] = dict(row, aliases=set(row["aliases"] or ()))
            continue
        kept["aliases"].update(row["aliases"] or ())  # type: ignore[union-attr]
        for key in ("country_code", "geonames_id", "latitude", "longitude"):
            if kept[key] is None:
                kept[key] = row[key]
    same_as = link_surnames(
        (str(r["entity_id"]), str(r["type"]), str(r["name"])) for r in rows.values()
    )
    ordered = [
        dict(r, aliases=sorted(r["aliases"]), same_as=same_as.get(key))  # type: ignore[call-overload]
        for key, r in sorted(rows.items())
    ]
    return pa.Table.from_pylist(ordered, schema=ENTITIES_SCHEMA)
