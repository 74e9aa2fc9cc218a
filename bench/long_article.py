"""The cost of one long article in the entity stage (issue 29, item 3): seconds and peak RSS
of one worker processing one input of N characters, entities on (wall and CPU seconds:
on a shared machine the wall time also counts the waits for a core).

The article is the bodies of a generated corpus (`bench.generate`) joined until it reaches
`--chars`; one process loads the model and gazetteer (a one-line article), then reads,
parses and runs the entity stage on it (`flows.batch.process_batch`, one worker), and
reports the time of that input and the process's own peak RSS.

`python bench/long_article.py --chars 1500000 [--chars 500000 ...]`
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def write_long_article(folder: Path, chars: int) -> Path:
    """A plain-text article of about `chars` characters, from generated news bodies."""
    from bench.generate import generate_corpus

    corpus = folder / "corpus"
    generate_corpus(corpus, 400, seed=5, bad_share=0.0, dup_share=0.0, workers=1)
    paragraphs: list[str] = []
    for path in sorted(corpus.rglob("*.txt")):
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        paragraphs += [line for line in lines[1:] if len(line.split()) > 8]
    text, used = ["A very long report on everything that happened"], 0
    while used < chars:
        for paragraph in paragraphs:
            text.append(paragraph)
            used += len(paragraph) + 2
            if used >= chars:
                break
    raw = folder / "raw"
    raw.mkdir()
    article = raw / "long.txt"
    article.write_text("\n\n".join(text), encoding="utf-8")
    return raw


def measure(raw: Path) -> dict[str, float]:
    """Process the one input with entities in this process: seconds, peak RSS in MB."""
    from flows.batch import Batch, process_batch
    from flows.discovery import discover_files
    from flows.nlp import load_ner
    from flows.settings import Settings
    from transforms.output.rows import RunInfo

    load_ner()
    warm = raw.parent / "warm"  # a worker loads the model and gazetteer once, not per input
    warm.mkdir()
    (warm / "a.txt").write_text("Rain in Paris\n\nIt rained in Paris, France, on Monday.\n")
    process_batch(
        Batch("warm", tuple(discover_files(str(warm))), {}),
        Settings(raw=str(warm), out=str(raw.parent / "out"), workers=1),
        RunInfo("bench", datetime.now(UTC)),
    )
    base_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    entries = tuple(discover_files(str(raw)))
    settings = Settings(raw=str(raw), out=str(raw.parent / "out"), workers=1)
    start, cpu_start = time.perf_counter(), time.process_time()
    output = process_batch(
        Batch("long", entries, {}), settings, RunInfo("bench", datetime.now(UTC))
    )
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    (rows,) = output.articles
    return {
        "chars": len(str(rows.article["body"])),
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu_seconds, 1),  # the machine is shared: wall time waits too
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "warm_rss_mb": round(base_mb),  # after the model and gazetteer are loaded
        "mentions": len(rows.mentions),
    }


def main() -> None:
    """Measure each size in its own process (a peak RSS is per process)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, action="append", default=[])
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # the child's raw folder
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    for chars in args.chars or [1_500_000]:
        with tempfile.TemporaryDirectory() as folder:
            raw = write_long_article(Path(folder), chars)
            found = subprocess.run(
                [sys.executable, __file__, "--one", str(raw)],
                check=True,
                capture_output=True,
                text=True,
            )
            print(found.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
