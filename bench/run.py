"""Benchmark `newsetl run` end to end: its fixed cost, and both cores against the model alone.

In one go, on this machine, with a fresh PREFECT_HOME and no PREFECT_API_URL (the way a new
user runs it):

1. the first run, on an empty folder: it starts the newsetl server (the first-run cost);
2. a run on an empty folder, the server kept: **the fixed cost**;
3. a real-size corpus (`bench.generate --real-size`: 300–500 words, many names), processed
   with entities (wall, peak RSS of the process tree, seconds per stage from the run record);
4. the no-op rerun over that unchanged corpus;
5. the **floor**: one process running `nlp.pipe` of the raw model (spaCy's defaults, its
   `ner` component alone, the pipeline's minibatch) over the same bodies, read back from the
   articles table; then the same with the model as the pipeline loads it
   (`flows.nlp.load_ner`: numpy's BLAS instead of BLIS).

Ratios: wall / floor (2 cores: 0.5 is the limit), and, per process, the words/s of each
stage (summed over the workers) against the floor's; wall against the pipeline's own model.

`python bench/run.py [--size 2200] [--workers 2] [--out bench/results] [--readme
bench/README.md] [--floor-max N]` prints the table, writes `<out>/results.json` and the table
into the README between the `<!-- bench:table -->` markers.
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
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.processes import REPO, Measured, measure
from flows.layout import RUNS_DIR

MARK_START = "<!-- bench:table -->"
MARK_END = "<!-- /bench:table -->"

_FLOOR_SCRIPT = """
import glob, json, sys, time
import pyarrow.parquet as pq
from flows.nlp import MODEL_PACKAGE, NOT_NEEDED_FOR_NER, load_ner
from transforms.entities.spans import NER_BATCH_SIZE
from transforms.text.language import word_count
paths = sorted(glob.glob(sys.argv[1] + "/articles/**/*.parquet", recursive=True))
bodies = [b for p in paths for b in pq.read_table(p, columns=["body"]).column("body").to_pylist()]
limit = int(sys.argv[2])
bodies = bodies[:limit] if limit > 0 else bodies
if sys.argv[3] == "raw":
    import importlib
    nlp = importlib.import_module(MODEL_PACKAGE).load(exclude=NOT_NEEDED_FOR_NER)
else:
    nlp = load_ner()
nlp("warm up")
started = time.perf_counter()
entities = sum(len(doc.ents) for doc in nlp.pipe(bodies, batch_size=NER_BATCH_SIZE))
seconds = time.perf_counter() - started
words = sum(word_count(b) for b in bodies)
print(json.dumps({"articles": len(bodies), "words": words, "seconds": seconds}))
"""


@dataclass
class Result:
    """Everything one benchmark run measured."""

    size: int
    first_run_wall: float = 0.0
    empty_wall: float = 0.0
    wall: float = 0.0
    peak_rss_mb: float = 0.0
    noop_wall: float = 0.0
    inputs: int = 0
    articles: int = 0
    words: int = 0
    seconds_by_stage: dict[str, float] = field(default_factory=dict)
    floor_seconds: float = 0.0
    floor_words: int = 0
    model_seconds: float = 0.0  # the pipeline's own model (load_ner) on the floor's bodies

    @property
    def floor_words_per_s(self) -> float:
        """The model alone, one process."""
        return self.floor_words / self.floor_seconds if self.floor_seconds else 0.0

    @property
    def floor_for_all(self) -> float:
        """The floor's seconds for all the corpus's words (scaled when it ran on a part)."""
        return self.words / self.floor_words_per_s if self.floor_words_per_s else 0.0

    @property
    def model_for_all(self) -> float:
        """The pipeline's model alone, one process, for all the corpus's words."""
        return self.floor_for_all * self.model_seconds / self.floor_seconds


def newsetl(raw: Path, out: Path, env: dict[str, str], *extra: str) -> Measured:
    """`newsetl run` (the console script) on raw → out; raises if it fails."""
    cmd = [str(Path(sys.executable).parent / "newsetl"), "run", "--raw", str(raw)]
    result = measure([*cmd, "--out", str(out), "--quiet", *extra], env)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{result.output[-3000:]}")
    return result


def run_record(out: Path) -> dict[str, object]:
    """The newest run record under `<out>/_runs/`."""
    paths = sorted(glob.glob(str(out / RUNS_DIR / "*.json")), key=os.path.getmtime)
    record: dict[str, object] = json.loads(Path(paths[-1]).read_text())
    return record


def ensure_corpus(root: Path, size: int, seed: int) -> Path:
    """The seeded real-size corpus of `size` files (generated once, kept with a marker)."""
    corpus = root / f"corpus-{size}-seed{seed}-real"
    marker = corpus / ".complete"
    if not marker.exists():
        shutil.rmtree(corpus, ignore_errors=True)
        from bench.generate import generate_corpus

        generate_corpus(corpus, size, seed, real_size=True)
        marker.write_text("ok\n")
    return corpus


def floor(out: Path, env: dict[str, str], limit: int, model: str) -> dict[str, float]:
    """The model alone (`raw`: spaCy's defaults; `pipeline`: `load_ner`): one process,
    `nlp.pipe` over the bodies of the articles table."""
    result = measure([sys.executable, "-c", _FLOOR_SCRIPT, str(out), str(limit), model], env)
    if result.returncode != 0:
        raise RuntimeError(f"floor failed:\n{result.output[-3000:]}")
    figures: dict[str, float] = json.loads(result.output.strip().splitlines()[-1])
    return figures


def bench(args: argparse.Namespace, env: dict[str, str]) -> Result:
    """Steps 1–5 of the module docstring."""
    result = Result(args.size)
    empty, workers = args.out / "empty-raw", ["--workers", str(args.workers)]
    empty.mkdir(exist_ok=True)
    log("first run on an empty folder (starts the newsetl server)")
    result.first_run_wall = newsetl(empty, args.out / "run-empty", env).wall
    log("run on an empty folder, server kept")
    result.empty_wall = newsetl(empty, args.out / "run-empty", env).wall
    corpus = ensure_corpus(args.out, args.size, args.seed)
    out = args.out / f"run-{args.size}"
    shutil.rmtree(out, ignore_errors=True)
    log(f"newsetl run on {args.size:,} real-size files")
    run = newsetl(corpus, out, env, *workers)
    result.wall, result.peak_rss_mb = run.wall, run.peak_rss_mb
    record = run_record(out)
    result.inputs = int(record["inputs_planned"])  # type: ignore[call-overload]
    result.articles = int(record["rows_added"].get("articles", 0))  # type: ignore[attr-defined]
    result.words = int(record["words"])  # type: ignore[call-overload]
    result.seconds_by_stage = dict(record["seconds_by_stage"])  # type: ignore[call-overload]
    log("no-op rerun")
    result.noop_wall = newsetl(corpus, out, env, *workers).wall
    log("floor: the raw model alone in one process")
    figures = floor(out, env, args.floor_max, "raw")
    result.floor_seconds, result.floor_words = figures["seconds"], int(figures["words"])
    log("the pipeline's model alone in one process")
    result.model_seconds = floor(out, env, args.floor_max, "pipeline")["seconds"]
    return result


def format_loads(loads: list[tuple[float, float, float]]) -> str:
    """Load averages (1/5/15 min) taken before and after a benchmark, as its table prints them."""
    return " · ".join("/".join(f"{x:.1f}" for x in sample) for sample in loads)


def markdown(result: Result, command: str, load: str) -> str:
    """The table of one run."""
    r = result
    rows = [
        ("first run on an empty folder, server start included (s)", f"{r.first_run_wall:.1f}"),
        ("**run on an empty folder (s)** (target ≤ 5)", f"**{r.empty_wall:.1f}**"),
        (f"**no-op rerun over {r.inputs:,} unchanged files (s)** (≤ 5)", f"**{r.noop_wall:.1f}**"),
        ("inputs / articles / words", f"{r.inputs:,} / {r.articles:,} / {r.words:,}"),
        ("**wall, `newsetl run` with entities (s)**", f"**{r.wall:.1f}**"),
        ("peak RSS, process tree (MB)", f"{r.peak_rss_mb:,.0f}"),
        ("floor: the raw model alone, one process (s, all words)", f"{r.floor_for_all:.1f}"),
        ("floor words/s", f"{r.floor_words_per_s:,.0f}"),
        (
            "**wall / floor** (≤ 0.6; 2 cores: 0.5 is the limit)",
            f"**{r.wall / r.floor_for_all:.2f}**",
        ),
        ("the pipeline's model alone (numpy BLAS), one process (s)", f"{r.model_for_all:.1f}"),
        ("wall / the pipeline's model alone", f"{r.wall / r.model_for_all:.2f}"),
    ]
    per_process = sum(r.seconds_by_stage.values())
    for stage, seconds in sorted(r.seconds_by_stage.items()):
        rows.append((f"stage `{stage}`: words/s per process", f"{r.words / seconds:,.0f}"))
    if "entities" in r.seconds_by_stage:
        ratio = r.words / r.seconds_by_stage["entities"] / r.floor_words_per_s
        rows.append(("entity stage (model + canonical names) / floor, per process", f"{ratio:.2f}"))
        own = ratio * r.model_seconds / r.floor_seconds
        rows.append(("entity stage / the pipeline's model alone, per process", f"{own:.2f}"))
    rows.append(
        (
            "**all stages / floor, per process** (≥ 0.9)",
            f"**{r.words / per_process / r.floor_words_per_s:.2f}**",
        )
    )
    lines = [
        f"Command: `{command}`  ",
        f"Load average (1/5/15 min, before · after): {load}  ",
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores.",
        "",
        "| measure | value |",
        "|---|---:|",
        *(f"| {name} | {value} |" for name, value in rows),
    ]
    return "\n".join(lines)


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
    """The environment of the measured runs: a new user's (no PREFECT_API_URL), with
    Prefect's home in `prefect_home`, no telemetry, this checkout importable."""
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)
    env.update(
        PREFECT_HOME=prefect_home,
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        PYTHONPATH=os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    )
    return env


def stop_server(env: dict[str, str]) -> None:
    """Stop the newsetl server the benchmark's runs started."""
    newsetl_bin = str(Path(sys.executable).parent / "newsetl")
    subprocess.run([newsetl_bin, "server", "stop"], env=env, capture_output=True, check=False)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print and record the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", type=int, default=2200, help="corpus size (files)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    parser.add_argument("--readme", type=Path, default=REPO / "bench" / "README.md")
    parser.add_argument(
        "--floor-max", type=int, default=0, help="time the floor on N bodies only (0: all)"
    )
    args = parser.parse_args(argv)
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    prefect_home = tempfile.mkdtemp(prefix="newsetl-bench-prefect-")
    env = bench_env(prefect_home)
    loads = [os.getloadavg()]
    try:
        result = bench(args, env)
    finally:
        stop_server(env)
        shutil.rmtree(prefect_home, ignore_errors=True)
    loads.append(os.getloadavg())
    load = format_loads(loads)
    command = "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    table = markdown(result, command.strip(), load)
    print(table, flush=True)
    (args.out / "results.json").write_text(json.dumps(asdict(result), indent=2))
    if str(args.readme) != "-":
        write_block(args.readme, MARK_START, MARK_END, table)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main())
