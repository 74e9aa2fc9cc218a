"""The no-op rerun over many unchanged files, beside Prefect's start-up and the bare listing
(issues 5 and 7).

Writes `--files` small text articles (cheap to process once, so 100,000 fit in minutes),
runs `newsetl run --no-entities` on them once, then, back to back: a run on an empty folder
(Prefect's own start-up), the no-op rerun, and the planning work alone in this process
(listing the raw root, reading the manifest, comparing the two: `flows.planning.plan_run`).

`python bench/noop.py --files 100000 [--out bench/results] [--readme bench/README.md]`
prints the table and writes it into the README between the `<!-- bench:noop -->` markers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.run import bench_env, log, newsetl, stop_server, write_block  # noqa: E402

MARK_START = "<!-- bench:noop -->"
MARK_END = "<!-- /bench:noop -->"
_SITES = ("harbour-post", "northgate-herald", "continentalwire.net", "plainwire")


def write_small_corpus(root: Path, files: int) -> Path:
    """`files` distinct plain-text articles (title line, then a two-sentence body), kept
    while their marker exists."""
    corpus = root / f"noop-corpus-{files}"
    marker = corpus / ".complete"
    if marker.exists():
        return corpus
    shutil.rmtree(corpus, ignore_errors=True)
    for n in range(files):
        folder = corpus / _SITES[n % len(_SITES)] / f"{n // 1000:03d}"
        if n % 1000 < len(_SITES):
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"story-{n:06d}.txt").write_text(
            f"Council report number {n} is out\n\n"
            f"The council published report {n} on road repairs in district {n % 97}. "
            f"Officials said work on {n % 13} streets starts in week {n % 52}.\n",
            encoding="utf-8",
        )
    marker.write_text("ok\n")
    return corpus


def plan_seconds(raw: Path, out: Path) -> tuple[float, int, int]:
    """The planning work alone, in this process: seconds, inputs found, inputs planned."""
    from flows.planning import plan_run
    from flows.settings import Settings

    started = time.perf_counter()
    plan = plan_run(Settings(raw=str(raw), out=str(out), entities=False))
    return time.perf_counter() - started, plan.inputs_found, plan.inputs_planned


def main(argv: list[str] | None = None) -> int:
    """Measure and record the no-op rerun table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    parser.add_argument("--readme", type=Path, default=REPO / "bench" / "README.md")
    args = parser.parse_args(argv)
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    home = tempfile.mkdtemp(prefix="newsetl-noop-prefect-")
    env = bench_env(home)
    try:
        return _measure(args, env)
    finally:
        stop_server(env)
        shutil.rmtree(home, ignore_errors=True)


def _measure(args: argparse.Namespace, env: dict[str, str]) -> int:
    log(f"writing {args.files:,} small articles")
    raw = write_small_corpus(args.out, args.files)
    out = args.out / f"noop-run-{args.files}"
    shutil.rmtree(out, ignore_errors=True)
    log("first run (--no-entities)")
    first = newsetl(raw, out, env, "--no-entities")
    empty_raw, empty_out = args.out / "empty-raw", args.out / "noop-empty"
    empty_raw.mkdir(exist_ok=True)
    shutil.rmtree(empty_out, ignore_errors=True)
    log("fixed cost: a run on an empty folder (the newsetl server kept)")
    startup = newsetl(empty_raw, empty_out, env).wall
    log("no-op rerun")
    noop = newsetl(raw, out, env, "--no-entities")
    log("planning alone")
    planning, found, planned = plan_seconds(raw, out)
    assert planned == 0 and found == args.files, (found, planned)
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    table = "\n".join(
        [
            f"Command: `python bench/noop.py --files {args.files}`  ",
            f"Load average after the run (1/5/15 min, 2 cores shared): {load}",
            "",
            f"| {args.files:,} unchanged small files | seconds |",
            "|---|---:|",
            f"| first run, `--no-entities`, server start included (wall) | {first.wall:.1f} |",
            f"| fixed cost: run on an empty folder (wall) | {startup:.1f} |",
            f"| **no-op rerun (wall)** | {noop.wall:.1f} |",
            f"| no-op rerun − start-up (target ≤ 1) | {noop.wall - startup:+.1f} |",
            f"| planning alone in one process: list + read manifest + compare | {planning:.1f} |",
        ]
    )
    print(table, flush=True)
    if str(args.readme) != "-":
        write_block(args.readme, MARK_START, MARK_END, table, heading="## No-op rerun")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
