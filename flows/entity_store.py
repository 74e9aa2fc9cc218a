"""The `entities` table: merged from the batches' staged rows into one row per entity.

Each commit stages its batch's entity rows under `_staging/entities/<batch>.parquet` and
publishes the type votes of its articles' mentions under `_entity_votes/` (with the other
rows an input owns, so a reprocessed input's votes replace its old ones: `flows.commit`).
`merge_entities` folds the table's rows and the staged ones with the votes of every
committed article (`transforms.entities.corpus.fold_entity_rows`: one type per entity decided
by the votes of all its mentions, name and place by a fixed order of the rows, aliases
united, `same_as` by `link_names` over the whole table), leaving out the entities no
mention refers to any more (their inputs were processed again, pruned, or read by another
version, which gives other ids), writes each day's partition as one
file replaced by one rename (an entity stays in the partition it first went to, so a reader
sees each entity once at every instant), then removes the staged files.

A kill anywhere leaves staged rows that the next run merges again: merging is idempotent.
Files written before `same_as` existed read with it null, and get it at the next merge.
"""

from __future__ import annotations

from collections import Counter

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flows.layout import ENTITY_FILE, ENTITY_STAGING_DIR, VOTES_DIR, day_of, entities_file
from flows.storage import (
    count_rows,
    filesystem,
    list_parquet,
    read_parquet_files,
    remove_files,
    write_parquet_atomic,
)
from transforms.entities.corpus import fold_entity_rows
from transforms.schema import (
    ENTITIES_SCHEMA,
    ENTITY_VOTES_SCHEMA,
    MENTIONS_SCHEMA,
)

_MENTIONED = pa.schema([MENTIONS_SCHEMA.field("entity_id")])


def ensure_entities_table(out: str, day: str) -> None:
    """An empty entities file when the table has none, so that the table is readable from
    the first commit on (its rows come at the merge, at the run's end)."""
    if not list_parquet(out, "entities"):
        write_parquet_atomic(out, entities_file(day), ENTITIES_SCHEMA.empty_table())


def merge_entities(out: str, rows_removed: bool = False) -> int:
    """Fold staged entity rows into the `entities` table; returns the table's row count.
    `rows_removed`: the run removed mentions (pruned inputs), so entities may be gone too.

    Each day's partition is one file, `part-entities.parquet`, replaced by one rename, and an
    entity stays in the partition it first went to: a reader sees each entity exactly once
    at every instant. (Files from before this layout are removed after the new ones are in
    place: a moment of doubles, once.)
    """
    current = list_parquet(out, "entities")
    legacy = [p for p in current if not p.endswith(f"/{ENTITY_FILE}")]
    staged = list_parquet(out, ENTITY_STAGING_DIR)
    if not staged and not legacy and not rows_removed:
        return count_rows(out, "entities")
    rows = read_parquet_files(out, current + staged, ENTITIES_SCHEMA)
    mentions = list_parquet(out, "mentions")
    if mentions:  # an entity no mention refers to any more is gone (before same_as is set)
        referenced = read_parquet_files(out, mentions, _MENTIONED).column("entity_id")
        rows = rows.filter(pc.is_in(rows.column("entity_id"), referenced))
    votes = read_parquet_files(out, list_parquet(out, VOTES_DIR), ENTITY_VOTES_SCHEMA)
    merged = fold_entities(rows, votes)
    days = _home_days(out, [p for p in current if p not in legacy], merged)
    for day in sorted(set(days)):
        part = merged.filter(pa.array([d == day for d in days]))
        write_parquet_atomic(out, entities_file(day), part)
    remove_files(out, legacy + staged)
    return int(merged.num_rows)


def _home_days(out: str, files: list[str], merged: pa.Table) -> list[str]:
    """The partition day of each merged entity: the one it is in, else its first_seen day."""
    fs, _ = filesystem(out)
    home: dict[str, str] = {}
    for path in files:
        day = day_of(path)
        assert day is not None  # every file of the table is in a partition
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


def fold_entities(table: pa.Table, votes: pa.Table) -> pa.Table:
    """One row per entity_id, typed by its articles' votes (`ENTITY_VOTES_SCHEMA` rows:
    `transforms.entities.corpus.fold_entity_rows`)."""
    by_entity: dict[str, list[tuple[str, str, float]]] = {}
    named: dict[str, set[tuple[str, str]]] = {}  # entity: (article, the article's name of it)
    for article, entity, kind, evidence, weight, name in zip(
        votes.column("article_id").to_pylist(),
        votes.column("entity_id").to_pylist(),
        votes.column("type").to_pylist(),
        votes.column("evidence").to_pylist(),
        votes.column("weight").to_pylist(),
        votes.column("name").to_pylist(),
        strict=True,
    ):
        by_entity.setdefault(entity, []).append((kind, evidence, weight))
        if name is not None:  # votes stored before names were
            named.setdefault(entity, set()).add((article, name))
    names = {entity: Counter(name for _, name in pairs) for entity, pairs in named.items()}
    folded = fold_entity_rows(table.to_pylist(), by_entity, names)
    return pa.Table.from_pylist(folded, schema=ENTITIES_SCHEMA)
