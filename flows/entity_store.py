"""The `entities` table: merged from the batches' staged rows into one row per entity.

Batches stage their entity rows under `_staging/entities/`; `merge_entities` folds them
into the table (aliases united, the earliest `first_seen_at` kept, name and place chosen by
a fixed order of the rows, never by when or in which run they came: a run killed and
rerun gives the entities of one clean run), sets
`same_as` by `transforms.entities.link_surnames` over the whole merged table (so it never
depends on batches or their order), writes the merged files, then removes what they replace.
A kill in between leaves staged rows that the next run merges again: merging is idempotent.
Files written before `same_as` existed read with it null, and get it at the next merge.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flows.commit import ENTITY_STAGING_DIR
from flows.storage import (
    filesystem,
    list_parquet,
    partition_path,
    read_parquet_files,
    remove_files,
    write_parquet_atomic,
)
from transforms.entities import link_surnames
from transforms.schema import ENTITIES_SCHEMA, PARTITION_COLUMN

_STAGED = ENTITY_STAGING_DIR
ENTITY_FILE = "part-entities.parquet"
_PLACE_COLUMNS = ("country_code", "geonames_id", "latitude", "longitude")


def merge_entities(out: str) -> int:
    """Fold staged entity rows into the `entities` table; returns the table's row count.

    Each day's partition is one file, `part-entities.parquet`, replaced by one rename, and an
    entity stays in the partition it first went to: a reader sees each entity exactly once
    at every instant. (Files from before this layout are removed after the new ones are in
    place: a moment of doubles, once.)
    """
    staged = list_parquet(out, _STAGED)
    current = list_parquet(out, "entities")
    legacy = [p for p in current if not p.endswith(f"/{ENTITY_FILE}")]
    if not staged and not legacy:
        return sum(_row_count(out, p) for p in current)
    merged = fold_entities(read_parquet_files(out, current + staged, ENTITIES_SCHEMA))
    days = _home_days(out, [p for p in current if p not in legacy], merged)
    for day in sorted(set(days)):
        part = merged.filter(pa.array([d == day for d in days]))
        write_parquet_atomic(out, partition_path("entities", day, ENTITY_FILE), part)
    remove_files(out, legacy + staged)
    return int(merged.num_rows)


def _home_days(out: str, files: list[str], merged: pa.Table) -> list[str]:
    """The partition day of each merged entity: the one it is in, else its first_seen day."""
    fs, _ = filesystem(out)
    home: dict[str, str] = {}
    for path in files:
        day = path.rsplit(f"{PARTITION_COLUMN}=", 1)[1].split("/", 1)[0]
        with fs.open(path, "rb") as handle:
            ids = pq.ParquetFile(handle).read(columns=["entity_id"]).column(0).to_pylist()
        home.update(dict.fromkeys(ids, day))
    first_days = pc.strftime(merged.column("first_seen_at"), format="%Y-%m-%d").to_pylist()
    return [
        home.get(entity_id, first_day)
        for entity_id, first_day in zip(
            merged.column("entity_id").to_pylist(), first_days, strict=True
        )
    ]


def _row_count(out: str, path: str) -> int:
    fs, _ = filesystem(out)
    with fs.open(path, "rb") as handle:
        return int(pq.ParquetFile(handle).metadata.num_rows)


def _fold_order(row: dict[str, object]) -> tuple[object, ...]:
    # A total order that ignores time and batches: the first row of an entity gives its name
    # and place (mixed-case name before ALL CAPS, then by name, then resolved places by
    # GeoNames id), so folding is associative and a merge depends on the set of rows only.
    name = str(row["name"])
    geonames_id = row["geonames_id"]
    return (
        row["entity_id"],
        name.isupper(),
        name,
        geonames_id is None,
        geonames_id or 0,
    )


def _unplaced(row: dict[str, Any]) -> bool:
    return all(row[column] is None for column in _PLACE_COLUMNS)


def fold_entities(table: pa.Table) -> pa.Table:
    """One row per entity_id: name and place from the first row in `_fold_order`, the
    earliest first_seen_at, aliases united; `same_as` recomputed by `link_surnames` over all
    the rows (whatever the input held)."""
    rows: dict[str, dict[str, Any]] = {}
    aliases: dict[str, set[str]] = {}
    for row in sorted(table.to_pylist(), key=_fold_order):
        key = row["entity_id"]
        kept = rows.setdefault(key, row)
        aliases.setdefault(key, set()).update(row["aliases"] or ())
        kept["first_seen_at"] = min(kept["first_seen_at"], row["first_seen_at"])
        if _unplaced(kept) and not _unplaced(row):  # the place columns travel together
            kept.update({column: row[column] for column in _PLACE_COLUMNS})
    same_as = link_surnames((key, r["type"], r["name"]) for key, r in rows.items())
    ordered = [
        dict(r, aliases=sorted(aliases[key]), same_as=same_as.get(key))
        for key, r in sorted(rows.items())
    ]
    return pa.Table.from_pylist(ordered, schema=ENTITIES_SCHEMA)
