"""Benchmark the real `newsetl run` against the floor of the entity model alone (issue 7).

For each corpus size: generate a seeded corpus (bench/generate.py), run `newsetl run` in a
subprocess on a fresh output folder while sampling the peak RSS of its whole process tree,
read the run record (`<out>/_runs/*.parquet`) for the seconds per stage, rerun it (the
no-op rerun), run it again with `--no-entities`, and time the **floor**: one process running
`nlp.pipe` of the same model over the same bodies (read back from the articles table).
Prefect's own cost is measured once, as a run on an empty folder.

Command line:
`python bench/run.py --sizes 1000,10000,100000 [--workers 2] [--out bench/results]
[--readme bench/README.md] [--floor-max N]`.
Prints the table, writes `<out>/results.json`, `<out>/throughput_memory.png` and the
table into the README between the `<!-- bench:table -->` markers.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
MARK_START = "<!-- bench:table -->"
MARK_END = "<!-- /bench:table -->"

_FLOOR_SCRIPT = """
import glob, json, sys, time
import pyarrow.parquet as pq
from flows.nlp import load_ner
from transforms.entities import NER_BATCH_SIZE
paths = sorted(glob.glob(sys.argv[1] + "/articles/**/*.parquet", recursive=True))
bodies = [b for p in paths for b in pq.read_table(p, columns=["body"]).column("body").to_pylist()]
limit = int(sys.argv[2])
bodies = bodies[:limit] if limit > 0 else bodies
started = time.perf_counter()
nlp = load_ner()
nlp("warm up")
loaded = time.perf_counter()
entities = sum(len(doc.ents) for doc in nlp.pipe(bodies, batch_size=NER_BATCH_SIZE))
done = time.perf_counter()
words = sum(len(b.split()) for b in bodies)
print(json.dumps({"articles": len(bodies), "words": words, "entities": entities,
                  "load_seconds": loaded - started, "seconds": done - loaded}))
"""


@dataclass
class Measured:
    """One subprocess: wall seconds, peak RSS of its process tree (MB), its stdout."""

    wall: float
    peak_rss_mb: float
    stdout: str
    returncode: int


@dataclass
class SizeResult:
    """Everything measured for one corpus size."""

    size: int
    inputs: int = 0
    articles: int = 0
    words: int = 0
    wall: float = 0.0
    flow_seconds: float = 0.0
    peak_rss_mb: float = 0.0
    seconds_by_stage: dict[str, float] = field(default_factory=dict)
    no_entities_wall: float = 0.0
    no_entities_peak_rss_mb: float = 0.0
    noop_wall: float = 0.0
    floor_seconds: float = 0.0
    floor_load_seconds: float = 0.0
    floor_articles: int = 0
    floor_peak_rss_mb: float = 0.0
    floor_extrapolated: bool = False

    @property
    def articles_per_s(self) -> float:
        """Inputs processed per second of wall time (start-up included)."""
        return self.inputs / self.wall if self.wall else 0.0

    @property
    def floor_full_seconds(self) -> float:
        """The floor's seconds for every article (scaled up when it ran on a sample)."""
        if not self.floor_articles:
            return 0.0
        return self.floor_seconds * self.articles / self.floor_articles


def tree_rss(proc: psutil.Process) -> int:
    """Resident bytes of a process and all its descendants."""
    total = 0
    try:
        members = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def measure(cmd: list[str], env: dict[str, str], interval: float = 0.1) -> Measured:
    """Run a command, sampling the RSS of its process tree; wall time and peak RSS."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    watched = psutil.Process(proc.pid)
    peak = 0
    chunks: list[str] = []
    reader = threading.Thread(
        target=lambda: chunks.append(proc.stdout.read() if proc.stdout else "")
    )
    reader.start()
    while proc.poll() is None:
        peak = max(peak, tree_rss(watched))
        time.sleep(interval)
    reader.join()
    wall = time.perf_counter() - started
    return Measured(wall, peak / 2**20, "".join(chunks), proc.returncode)


def newsetl(raw: Path, out: Path, env: dict[str, str], *extra: str) -> Measured:
    """`newsetl run` (the console script's module) on raw → out; raises if it fails."""
    cmd = [
        sys.executable,
        "-m",
        "flows.cli",
        "run",
        "--raw",
        str(raw),
        "--out",
        str(out),
        "--quiet",
        *extra,
    ]
    result = measure(cmd, env)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{result.stdout[-3000:]}")
    return result


def run_record(out: Path) -> dict[str, object]:
    """The newest run record under `<out>/_runs/`."""
    import pyarrow.parquet as pq

    paths = sorted(glob.glob(str(out / "_runs" / "*.parquet")), key=os.path.getmtime)
    record: dict[str, object] = json.loads(pq.read_table(paths[-1]).column("record")[0].as_py())
    return record


def ensure_corpus(root: Path, size: int, seed: int) -> Path:
    """The seeded corpus of `size` files (generated once, reused while its marker exists)."""
    corpus = root / f"corpus-{size}-seed{seed}"
    marker = corpus / ".complete"
    if not marker.exists():
        shutil.rmtree(corpus, ignore_errors=True)
        sys.path.insert(0, str(REPO))
        from bench.generate import generate_corpus

        generate_corpus(corpus, size, seed)
        marker.write_text("ok\n")
    return corpus


def floor(out: Path, env: dict[str, str], limit: int) -> tuple[dict[str, float], float]:
    """The model alone: one process, `nlp.pipe` over the bodies of the articles table."""
    result = measure([sys.executable, "-c", _FLOOR_SCRIPT, str(out), str(limit)], env)
    if result.returncode != 0:
        raise RuntimeError(f"floor failed:\n{result.stdout[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1]), result.peak_rss_mb


def bench_size(size: int, args: argparse.Namespace, env: dict[str, str]) -> SizeResult:
    """Pipeline, no-op rerun, --no-entities run and floor on one corpus size."""
    corpus = ensure_corpus(args.out, size, args.seed)
    res = SizeResult(size)
    workers = ["--workers", str(args.workers)]
    out = args.out / f"run-{size}"
    shutil.rmtree(out, ignore_errors=True)
    log(f"[{size}] newsetl run")
    run = newsetl(corpus, out, env, *workers)
    record = run_record(out)
    res.wall, res.peak_rss_mb = run.wall, run.peak_rss_mb
    res.inputs = int(record["inputs_planned"])  # type: ignore[call-overload]
    res.articles = int(record["rows"].get("articles", 0))  # type: ignore[attr-defined]
    res.words = int(record["words"])  # type: ignore[call-overload]
    res.flow_seconds = float(record["seconds"])  # type: ignore[arg-type]
    res.seconds_by_stage = dict(record["seconds_by_stage"])  # type: ignore[call-overload]
    log(f"[{size}] no-op rerun")
    res.noop_wall = newsetl(corpus, out, env, *workers).wall
    log(f"[{size}] floor")
    figures, res.floor_peak_rss_mb = floor(out, env, args.floor_max)
    res.floor_seconds, res.floor_load_seconds = figures["seconds"], figures["load_seconds"]
    res.floor_articles = int(figures["articles"])
    res.floor_extrapolated = res.floor_articles < res.articles
    log(f"[{size}] newsetl run --no-entities")
    out_ne = args.out / f"run-{size}-no-entities"
    shutil.rmtree(out_ne, ignore_errors=True)
    ne = newsetl(corpus, out_ne, env, *workers, "--no-entities")
    res.no_entities_wall, res.no_entities_peak_rss_mb = ne.wall, ne.peak_rss_mb
    shutil.rmtree(out_ne, ignore_errors=True)
    return res


def markdown(results: list[SizeResult], startup: float, command: str, load: str) -> str:
    """The side-by-side table (one column per corpus size)."""
    stages = sorted({s for r in results for s in r.seconds_by_stage})
    rows: list[tuple[str, list[str]]] = [
        ("inputs processed", [f"{r.inputs:,}" for r in results]),
        ("articles / words", [f"{r.articles:,} / {r.words:,}" for r in results]),
        ("**wall, `newsetl run` (s)**", [f"{r.wall:.1f}" for r in results]),
        ("articles/s", [f"{r.articles_per_s:.1f}" for r in results]),
        ("words/s", [f"{r.words / r.wall:,.0f}" if r.wall else "" for r in results]),
        ("peak RSS, process tree (MB)", [f"{r.peak_rss_mb:,.0f}" for r in results]),
        ("flow body (s, from run record)", [f"{r.flow_seconds:.1f}" for r in results]),
        *(
            (
                f"  stage `{s}` (s, summed over workers)",
                [f"{r.seconds_by_stage.get(s, 0.0):.1f}" for r in results],
            )
            for s in stages
        ),
        ("Prefect start-up: run on an empty folder (s)", [f"{startup:.1f}" for _ in results]),
        ("Prefect start-up share of wall", [f"{startup / r.wall:.0%}" for r in results]),
        (
            "**floor: 1-process `nlp.pipe` (s)**",
            [
                f"{r.floor_full_seconds:.1f}" + (" (extrapolated)" if r.floor_extrapolated else "")
                for r in results
            ],
        ),
        ("floor model load (s, not in floor)", [f"{r.floor_load_seconds:.1f}" for r in results]),
        (
            "floor words/s",
            [
                f"{r.words / r.floor_full_seconds:,.0f}" if r.floor_full_seconds else ""
                for r in results
            ],
        ),
        ("floor peak RSS (MB)", [f"{r.floor_peak_rss_mb:,.0f}" for r in results]),
        (
            "**wall / floor** (target ≤ 0.80)",
            [
                f"{r.wall / r.floor_full_seconds:.2f}" if r.floor_full_seconds else ""
                for r in results
            ],
        ),
        (
            "(wall − start-up) / floor",
            [
                f"{(r.wall - startup) / r.floor_full_seconds:.2f}" if r.floor_full_seconds else ""
                for r in results
            ],
        ),
        ("`--no-entities` wall (s)", [f"{r.no_entities_wall:.1f}" for r in results]),
        (
            "`--no-entities` articles/s (per core)",
            [
                f"{r.inputs / r.no_entities_wall:.0f} ({r.inputs / r.no_entities_wall / 2:.0f})"
                for r in results
            ],
        ),
        (
            "`--no-entities` articles/s after start-up (per core)",
            [_rate(r.inputs, r.no_entities_wall - startup) for r in results],
        ),
        ("`--no-entities` peak RSS (MB)", [f"{r.no_entities_peak_rss_mb:,.0f}" for r in results]),
        ("no-op rerun wall (s)", [f"{r.noop_wall:.1f}" for r in results]),
        (
            "no-op rerun − start-up (s) (target ≤ 1)",
            [f"{r.noop_wall - startup:+.1f}" for r in results],
        ),
    ]
    head = "| | " + " | ".join(f"{r.size:,} files" for r in results) + " |"
    lines = [
        f"Command: `{command}`  ",
        f"Load average during the run (1/5/15 min, 2 cores shared): {load}  ",
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GB.",
        "",
        head,
        "|---|" + "---:|" * len(results),
        *(f"| {name} | " + " | ".join(cells) + " |" for name, cells in rows),
    ]
    return "\n".join(lines) + "\n"


def _rate(inputs: int, seconds: float) -> str:
    if seconds <= 0:
        return "n/a"
    return f"{inputs / seconds:.0f} ({inputs / seconds / 2:.0f})"


def plot(results: list[SizeResult], path: Path) -> None:
    """Throughput (articles/s) and peak RSS against corpus size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r.size for r in results]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(sizes, [r.articles_per_s for r in results], "o-", label="newsetl run")
    left.plot(
        sizes,
        [r.articles / r.floor_full_seconds if r.floor_full_seconds else 0 for r in results],
        "s--",
        label="floor (nlp.pipe, 1 process)",
    )
    left.plot(
        sizes,
        [r.inputs / r.no_entities_wall for r in results],
        "^-",
        label="newsetl run --no-entities",
    )
    left.set(
        xscale="log",
        yscale="log",
        xlabel="corpus size (files)",
        ylabel="articles/s",
        title="throughput",
    )
    left.legend()
    right.plot(sizes, [r.peak_rss_mb for r in results], "o-", label="newsetl run")
    right.plot(sizes, [r.no_entities_peak_rss_mb for r in results], "^-", label="--no-entities")
    right.plot(sizes, [r.floor_peak_rss_mb for r in results], "s--", label="floor")
    right.set(
        xscale="log",
        xlabel="corpus size (files)",
        ylabel="peak RSS (MB)",
        title="memory (process tree)",
        ylim=(0, None),
    )
    right.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_readme(readme: Path, table: str, plot_name: str) -> None:
    """Put the table and its plot between the markers of the README."""
    write_block(readme, MARK_START, MARK_END, f"{table}\n![throughput and memory]({plot_name})")


def write_block(readme: Path, start: str, end: str, content: str, heading: str = "") -> None:
    """Put `content` between the `start` and `end` markers of the README (appended, under
    `heading`, when they are missing)."""
    block = f"{start}\n{content}\n{end}"
    text = readme.read_text() if readme.exists() else "# Benchmark\n\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + (f"{heading}\n\n" if heading else "") + block + "\n"
    readme.write_text(text)


def log(message: str) -> None:
    """A timestamped progress line on stderr."""
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def bench_env(prefect_home: str) -> dict[str, str]:
    """The environment of the measured runs: this checkout importable, no telemetry, and
    Prefect's database under `prefect_home` unless PREFECT_HOME is set already."""
    env = dict(os.environ)
    env.update(
        PREFECT_HOME=env.get("PREFECT_HOME", prefect_home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="120",
        PYTHONPATH=os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    )
    return env


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print and record the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="comma-separated corpus sizes (files)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    parser.add_argument(
        "--readme",
        type=Path,
        default=REPO / "bench" / "README.md",
        help="README to write the table into ('-' for none)",
    )
    parser.add_argument(
        "--floor-max",
        type=int,
        default=0,
        help="time the floor on at most N bodies and scale up (0: all)",
    )
    args = parser.parse_args(argv)
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    prefect_home = tempfile.mkdtemp(prefix="newsetl-bench-prefect-")
    env = bench_env(prefect_home)
    loads = [os.getloadavg()]
    empty = args.out / "empty-raw"
    empty.mkdir(exist_ok=True)
    log("Prefect start-up (run on an empty folder, database created by a first run)")
    shutil.rmtree(args.out / "run-empty", ignore_errors=True)
    newsetl(empty, args.out / "run-empty", env)  # creates Prefect's database
    startup = newsetl(empty, args.out / "run-empty", env).wall
    command = "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    results = []
    for size in sizes:
        results.append(bench_size(size, args, env))
        loads.append(os.getloadavg())
        # Recorded after every size, so a long run that is stopped still leaves its table.
        _record(results, startup, command.strip(), loads, args)
    shutil.rmtree(prefect_home, ignore_errors=True)
    return 0


def _record(
    results: list[SizeResult],
    startup: float,
    command: str,
    loads: list[tuple[float, float, float]],
    args: argparse.Namespace,
) -> None:
    load = " · ".join("/".join(f"{x:.1f}" for x in sample) for sample in loads)
    table = markdown(results, startup, command, load)
    print(table, flush=True)
    (args.out / "results.json").write_text(
        json.dumps(
            {
                "startup_seconds": startup,
                "load": load,
                "command": command,
                "results": [asdict(r) for r in results],
            },
            indent=2,
        )
    )
    plot_path = args.out / "throughput_memory.png"
    plot(results, plot_path)
    if str(args.readme) != "-":
        shutil.copy(plot_path, args.readme.parent / plot_path.name)
        write_readme(args.readme, table, plot_path.name)


if __name__ == "__main__":
    raise SystemExit(main())
