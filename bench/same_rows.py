"""Same rows before and after a change that should not change them (a move, a rename, a split).

    .venv/bin/python -m bench.same_rows --base main [--head HEAD] [--entities] RAW...

Both commits are exported (`git archive`) and each runs the pipeline over every RAW folder
with a fixed run id and date, in a process of its own with its tree first on the path.
Every table and state folder (`_manifest`, `_dedup`, `_entity_votes`) is then compared row
by row, sorted, without the columns a run stamps (run ids, times, ingest dates) and without
file names. Exit status 0 when every folder holds the same rows.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow.parquet as pq

from flows.layout import LOCK_NAME, RUNS_DIR, STAGING_DIR

VOLATILE = {"run_id", "ingested_at", "rejected_at", "first_seen_at", "ingest_date"}
SKIPPED = {RUNS_DIR, LOCK_NAME, STAGING_DIR}  # a run's record, its lock, its scratch
_RUN = """
import sys
from datetime import UTC, datetime
sys.path.insert(0, sys.argv[1])
from flows.run import run
from flows.settings import Settings
try:
    from transforms.output.rows import RunInfo
except ImportError:  # a commit from before transforms/ was in packages
    from transforms.tables import RunInfo
from transforms.schema import PIPELINE_VERSION
settings = Settings(raw=sys.argv[2], out=sys.argv[3], workers=1, entities=sys.argv[4] == "1")
info = RunInfo("20240501T000000-same", datetime(2024, 5, 1, tzinfo=UTC), PIPELINE_VERSION)
run(settings, info=info)
"""


def export(rev: str, into: Path) -> Path:
    """The tree of commit `rev`, written under `into`."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def run_tree(tree: Path, raw: Path, out: Path, entities: bool) -> None:
    """Run the pipeline of `tree` over `raw` into `out`."""
    command = [sys.executable, "-c", _RUN, str(tree), str(raw), str(out), "1" if entities else "0"]
    subprocess.run(command, cwd=tree, check=True, capture_output=True)


def folder_rows(folder: Path) -> list[str]:
    """Every row of the Parquet files below `folder`, without volatile columns, sorted."""
    rows = []
    for path in sorted(folder.rglob("*.parquet")):
        for row in pq.read_table(path).to_pylist():
            kept = {k: v for k, v in row.items() if k not in VOLATILE}
            rows.append(json.dumps(kept, sort_keys=True, default=str))
    return sorted(rows)


def compare(a: Path, b: Path) -> list[str]:
    """One line per folder of the two outputs: `same` or `DIFF` with the row counts."""
    names = sorted({p.name for p in (*a.iterdir(), *b.iterdir()) if p.is_dir()} - SKIPPED)
    lines = []
    for name in names:
        left, right = folder_rows(a / name), folder_rows(b / name)
        verdict = "same" if left == right else "DIFF"
        lines.append(f"{verdict}  {name}: {len(left)} rows vs {len(right)}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.same_rows", description=__doc__)
    parser.add_argument("raw", nargs="+", type=Path, help="raw input folders")
    parser.add_argument("--base", default="main", help="the commit before (default main)")
    parser.add_argument("--head", default="HEAD", help="the commit after (default HEAD)")
    parser.add_argument("--entities", action="store_true", help="run the entity model too")
    args = parser.parse_args(argv)
    different = 0
    with tempfile.TemporaryDirectory(prefix="same-rows-") as scratch:
        base = export(args.base, Path(scratch) / "base")
        head = export(args.head, Path(scratch) / "head")
        for number, raw in enumerate(args.raw):
            outs = [Path(scratch) / f"out-{side}-{number}" for side in ("base", "head")]
            for tree, out in zip((base, head), outs, strict=True):
                run_tree(tree, raw.resolve(), out, args.entities)
            lines = compare(*outs)
            different += sum(line.startswith("DIFF") for line in lines)
            print(f"== {raw}", *lines, sep="\n")
    print("RESULT:", "identical" if not different else f"{different} folders differ")
    return 1 if different else 0


if __name__ == "__main__":
    raise SystemExit(main())
