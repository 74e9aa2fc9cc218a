"""The output folder's layout: every folder and file name under `--out`, defined here only.

    <table>/ingest_date=<day>/part-<batch>.parquet   a table's rows of one batch (its home)
    entities/ingest_date=<day>/part-entities.parquet the entities table, one file a day
    _manifest/batch-<batch>.parquet                  what was processed (the last word)
    _dedup/batch-<batch>.parquet                     the dedup keys of committed articles
    _entity_votes/batch-<batch>.parquet              the entity type votes of committed rows
    _staging/entities/<batch>.parquet                a batch's entity rows, for the merge
    _staging/commits/<commit>/<n>.parquet, .json     a commit's staged files and its journal
    _runs/<run_id>.json                              the record of one run
    _lock (local), _lock.<n> (object storage)        who holds the output
    _report.html                                     `newsetl report`'s page

Names starting with `_` are internal state, which directory readers skip. Functions go from
names to paths (relative to the output) and back (`batch_of`, `day_of`, `folder_of`); no other
module builds or parses these paths.
"""

from __future__ import annotations

import functools
import re

# The tables' names and the partition column are the schema's (`transforms.schema`), imported
# when a path is built: the CLI names files (`--help`) without loading pyarrow.
ENTITIES_TABLE = "entities"  # merged from the staged rows, apart from the other tables
MANIFEST_DIR = "_manifest"
DEDUP_DIR = "_dedup"
VOTES_DIR = "_entity_votes"
RUNS_DIR = "_runs"
STAGING_DIR = "_staging"
ENTITY_STAGING_DIR = f"{STAGING_DIR}/entities"
JOURNAL_DIR = f"{STAGING_DIR}/commits"
LOCK_NAME = "_lock"
REPORT_NAME = "_report.html"
ENTITY_FILE = "part-entities.parquet"
TABLE_FILES = "part-*.parquet"  # the glob of a partition's files
# Folders of one file per home, without partitions.
STATE_FOLDERS: tuple[str, ...] = (VOTES_DIR, DEDUP_DIR, MANIFEST_DIR)

_BATCH_FILE = re.compile(r"/(?:part|batch)-([0-9a-f]+)\.parquet$")


def row_tables() -> tuple[str, ...]:
    """The tables each commit writes (every table but `entities`, merged apart)."""
    from transforms.schema import TABLE_SCHEMAS

    return tuple(name for name in TABLE_SCHEMAS if name != ENTITIES_TABLE)


@functools.cache
def _partition_column() -> str:
    from transforms.schema import PARTITION_COLUMN

    return PARTITION_COLUMN


@functools.cache
def _day_pattern() -> re.Pattern[str]:
    return re.compile(rf"/{_partition_column()}=([0-9-]+)/")


def partition_path(table: str, day: str, name: str) -> str:
    """A table file in its Hive partition: `<table>/ingest_date=<day>/<name>`."""
    return f"{table}/{_partition_column()}={day}/{name}"


def table_file(table: str, day: str, batch_id: str) -> str:
    """The file of a table that holds one home's rows of one day."""
    return partition_path(table, day, f"part-{batch_id}.parquet")


def state_file(folder: str, batch_id: str) -> str:
    """The file of a state folder (`STATE_FOLDERS`) that holds one home's rows."""
    return f"{folder}/batch-{batch_id}.parquet"


def entities_file(day: str) -> str:
    """The one file of the entities table for a day."""
    return partition_path(ENTITIES_TABLE, day, ENTITY_FILE)


def staged_entities_file(batch_id: str) -> str:
    """Where a commit stages its batch's entity rows for the merge."""
    return f"{ENTITY_STAGING_DIR}/{batch_id}.parquet"


def journal_file(commit_id: str) -> str:
    """A commit's journal: written last, it is the commit point."""
    return f"{JOURNAL_DIR}/{commit_id}.json"


def journal_folder(commit_id: str) -> str:
    """The folder of a commit's staged files."""
    return f"{JOURNAL_DIR}/{commit_id}"


def staged_file(commit_id: str, number: int) -> str:
    """The staged copy of a commit's `number`th file."""
    return f"{journal_folder(commit_id)}/{number:04d}.parquet"


def run_record(run_id: str) -> str:
    """The record of one run."""
    return f"{RUNS_DIR}/{run_id}.json"


def remote_lock(number: int) -> str:
    """The `number`th lock file on object storage (the highest live one holds the output)."""
    return f"{LOCK_NAME}.{number}"


def remote_lock_number(name: str) -> int | None:
    """The number of a remote lock file's name (None for any other name)."""
    suffix = name.removeprefix(f"{LOCK_NAME}.")
    return int(suffix) if suffix != name and suffix.isdigit() else None


def batch_of(path: str) -> str | None:
    """The home (batch id) whose rows a table or state file holds (None for other files)."""
    match = _BATCH_FILE.search(path)
    return match.group(1) if match else None


def day_of(path: str) -> str | None:
    """The day of a table file's partition (None outside a partition)."""
    match = _day_pattern().search(path)
    return match.group(1) if match else None


def folder_of(path: str, root: str) -> str:
    """The table or state folder (`articles`, `_manifest`...) of a file under `root`."""
    return path.removeprefix(f"{root}/").split("/", 1)[0]
