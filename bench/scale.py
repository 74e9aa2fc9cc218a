"""The pipeline at archive scale (issue 26): wall, throughput, memory per process, no-op
rerun and files per table over generated real-size corpora of growing size.

For each `--sizes` N: generate (once, kept) `python -m bench.generate --n N --real-size`,
run `newsetl run --no-entities` on it into a new output, then the no-op rerun, and count
the Parquet files of each table. With `--entities-sample N`, the entity stage also runs on
the first N inputs of the smallest corpus. Peak RSS is each process's own high-water mark
(`VmHWM`), sampled while it lives: the flow process (the `newsetl run` process) and each
batch worker apart (the newsetl server, a separate process, is left out).

`python bench/scale.py --sizes 30000 100000 300000 [--entities-sample 10000]
[--out bench/results] [--readme bench/README.md]`; `python bench/scale.py --replay-dedup OUT`
feeds the dedup keys an earlier version committed under OUT (in commit order) to today's
index and counts the articles that get the same `duplicate_of`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.processes import run_sampled  # noqa: E402
from bench.run import (  # noqa: E402
    bench_env,
    ensure_corpus,
    format_loads,
    log,
    stop_server,
    write_block,
)
from flows.layout import RUNS_DIR  # noqa: E402

MARK_START = "<!-- bench:scale -->"
MARK_END = "<!-- /bench:scale -->"
_TABLES = ("articles", "mentions", "links", "rejects", "entities")


@dataclass
class ProcessPeaks:
    """One measured command: wall seconds and the peak RSS (MB) of the root process and of
    each descendant that is not the newsetl server."""

    wall: float = 0.0
    flow_mb: float = 0.0
    worker_mb: list[float] = field(default_factory=list)
    output: str = ""
    returncode: int = 0


@dataclass
class SizeResult:
    """Everything measured on one corpus size."""

    size: int
    inputs: int = 0
    wall: float = 0.0
    flow_mb: float = 0.0
    worker_mb: list[float] = field(default_factory=list)
    noop_wall: float = 0.0
    files: dict[str, int] = field(default_factory=dict)
    mb_per_file: dict[str, float] = field(default_factory=dict)
    ingest_days: int = 0
    entities: bool = False

    @property
    def inputs_per_s(self) -> float:
        """Inputs processed per second of wall time."""
        return self.inputs / self.wall if self.wall else 0.0


def _hwm(proc: psutil.Process) -> int:
    """A process's resident high-water mark in bytes (its RSS where VmHWM is missing)."""
    try:
        with open(f"/proc/{proc.pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        return int(proc.memory_info().rss)
    except (OSError, psutil.Error):
        return 0


def _is_server(proc: psutil.Process) -> bool:
    try:
        return "server" in " ".join(proc.cmdline()[1:3]) or "uvicorn" in " ".join(proc.cmdline())
    except psutil.Error:
        return True


def measure_tree(cmd: list[str], env: dict[str, str], interval: float = 0.2) -> ProcessPeaks:
    """Run a command; its wall time, its own peak RSS and each worker's."""
    peaks: dict[int, int] = {}

    def sample(root: psutil.Process) -> None:
        peaks[root.pid] = max(peaks.get(root.pid, 0), _hwm(root))
        try:
            children = root.children(recursive=True)
        except psutil.Error:
            children = []
        for child in children:
            if not _is_server(child):
                peaks[child.pid] = max(peaks.get(child.pid, 0), _hwm(child))

    wall, output, returncode = run_sampled(cmd, env, sample, interval)
    root_pid = next(iter(peaks), 0)  # sampled first
    workers = [peak / 2**20 for pid, peak in sorted(peaks.items()) if pid != root_pid]
    return ProcessPeaks(
        wall,
        peaks.get(root_pid, 0) / 2**20,
        [round(mb) for mb in workers if mb > 50],  # leave out short helper processes
        output,
        returncode,
    )


def _newsetl(raw: Path, out: Path, env: dict[str, str], *extra: str) -> ProcessPeaks:
    cmd = [str(Path(sys.executable).parent / "newsetl"), "run", "--raw", str(raw)]
    result = measure_tree([*cmd, "--out", str(out), "--quiet", *extra], env)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{result.output[-3000:]}")
    return result


def count_files(out: Path) -> tuple[dict[str, int], dict[str, float], int]:
    """Visible Parquet files per table, their mean size (MB), and the ingest days."""
    files, sizes, days = {}, {}, set()
    for table in _TABLES:
        paths = [p for p in (out / table).rglob("*.parquet") if not p.name.startswith(".")]
        files[table] = len(paths)
        total = sum(p.stat().st_size for p in paths)
        sizes[table] = round(total / len(paths) / 2**20, 2) if paths else 0.0
        days |= {p.parent.name for p in paths}
    return files, sizes, len(days)


def _sample(corpus: Path, n: int) -> Path:
    """The first `n` files of a corpus (sorted), linked into a folder of their own."""
    sample = corpus.parent / f"{corpus.name}-sample-{n}"
    marker = sample / ".complete"
    if marker.exists():
        return sample
    shutil.rmtree(sample, ignore_errors=True)
    paths = sorted(p for p in corpus.rglob("*") if p.is_file() and not p.name.startswith("."))
    for path in paths[:n]:
        target = sample / path.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, target)
    marker.write_text("ok\n")
    return sample


def measure_size(
    corpus: Path, out: Path, env: dict[str, str], workers: int, entities: bool
) -> SizeResult:
    """One corpus: the first run, the no-op rerun, the files."""
    shutil.rmtree(out, ignore_errors=True)
    flags = ["--workers", str(workers), *([] if entities else ["--no-entities"])]
    log(f"newsetl run on {corpus.name} ({'with' if entities else 'no'} entities)")
    first = _newsetl(corpus, out, env, *flags)
    record = json.loads(sorted((out / RUNS_DIR).glob("*.json"))[-1].read_text())
    log("no-op rerun")
    noop = _newsetl(corpus, out, env, *flags)
    files, sizes, days = count_files(out)
    return SizeResult(
        size=int(record["inputs_found"]),
        inputs=int(record["inputs_planned"]),
        wall=first.wall,
        flow_mb=max(first.flow_mb, noop.flow_mb),
        worker_mb=first.worker_mb,
        noop_wall=noop.wall,
        files=files,
        mb_per_file=sizes,
        ingest_days=days,
        entities=entities,
    )


def markdown(results: list[SizeResult], command: str, load: str) -> str:
    """The table: one row per measured corpus."""
    lines = [
        f"Command: `{command}`  ",
        f"Load average (1/5/15 min, before · after): {load}  ",
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores.",
        "",
        "| inputs | entities | wall (s) | inputs/s | ms/input | flow peak RSS (MB) | "
        "worker peak RSS (MB) | no-op rerun (s) | files per table (articles/mentions/links/"
        "rejects/entities) | MB per articles file |",
        "|---:|---|---:|---:|---:|---:|---|---:|---|---:|",
    ]
    for r in results:
        files = "/".join(str(r.files.get(t, 0)) for t in _TABLES)
        workers = ", ".join(str(mb) for mb in r.worker_mb) or "-"
        lines.append(
            f"| {r.inputs:,} | {'yes' if r.entities else 'no'} | {r.wall:.1f} | "
            f"{r.inputs_per_s:.0f} | {1000 * r.wall / max(r.inputs, 1):.2f} | {r.flow_mb:,.0f} | "
            f"{workers} | {r.noop_wall:.1f} | {files} | {r.mb_per_file.get('articles', 0):.2f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure every size; print and record the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[30_000, 100_000, 300_000])
    parser.add_argument("--entities-sample", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    parser.add_argument("--readme", type=Path, default=REPO / "bench" / "README.md")
    parser.add_argument(
        "--replay-dedup", type=Path, help="only replay this output's _dedup/ keys (see below)"
    )
    args = parser.parse_args(argv)
    if args.replay_dedup:
        same, total = replay_dedup(args.replay_dedup)
        print(f"same duplicate_of as {args.replay_dedup} holds: {same:,} of {total:,} articles")
        return 0 if same == total else 1
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    prefect_home = tempfile.mkdtemp(prefix="newsetl-scale-prefect-")
    env = bench_env(prefect_home)
    loads = [os.getloadavg()]
    results: list[SizeResult] = []
    try:
        for size in args.sizes:
            log(f"corpus of {size:,} real-size files")
            corpus = ensure_corpus(args.out, size, args.seed)
            results.append(
                measure_size(corpus, args.out / f"scale-{size}", env, args.workers, False)
            )
            print(markdown(results[-1:], "", ""), flush=True)
        if args.entities_sample:
            corpus = _sample(
                ensure_corpus(args.out, min(args.sizes), args.seed), args.entities_sample
            )
            out = args.out / f"scale-sample-{args.entities_sample}"
            results.append(measure_size(corpus, out, env, args.workers, True))
    finally:
        stop_server(env)
        shutil.rmtree(prefect_home, ignore_errors=True)
    loads.append(os.getloadavg())
    load = format_loads(loads)
    command = "python bench/scale.py " + " ".join(argv if argv is not None else sys.argv[1:])
    table = markdown(results, command.strip(), load)
    print(table, flush=True)
    (args.out / "scale.json").write_text(json.dumps([asdict(r) for r in results], indent=2))
    if str(args.readme) != "-":
        write_block(args.readme, MARK_START, MARK_END, table, "## Scale (issue 26)")
    return 0


if __name__ == "__main__":
    sys.exit(main())


def replay_dedup(out: Path) -> tuple[int, int]:
    """Feed an output's `_dedup/` keys, in commit order, to today's index (on disk) and
    count the articles given the `duplicate_of` that output holds: (same, all)."""
    import pyarrow.parquet as pq

    from flows.dedup_store import SqliteDedupStore
    from transforms.output.dedup import DedupIndex, DedupKeys

    rows = [
        row
        for path in sorted((out / "_dedup").glob("*.parquet"))
        for row in pq.read_table(path).to_pylist()
    ]
    rows.sort(key=lambda r: (r["run_id"], r["source_path"]))
    store = SqliteDedupStore()
    index = DedupIndex(store)
    same = 0
    for row in rows:
        keys = DedupKeys(
            row["article_id"],
            row["source_path"],
            row["source_sha256"],
            row["content_sha256"],
            row["signature"],
        )
        same += index.match(keys).original == row["duplicate_of"]
    store.close()
    return same, len(rows)
