"""Command line: `python -m bench.generate --n 10000 --out /tmp/corpus [--seed 0]
[--bad-share 0.02] [--dup-share 0.05] [--workers 2] [--manifest truth.jsonl] [--real-size]`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.generate.corpus import generate_corpus
from bench.generate.records import write_manifest

_DESCRIPTION = (
    "Seeded generator of a realistic raw news corpus for the newsetl benchmark (issue 7)."
)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point: generate, print the counts as JSON and the time taken."""
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=_DESCRIPTION)
    parser.add_argument("--n", type=int, required=True, help="number of files to write")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bad-share", type=float, default=0.02)
    parser.add_argument("--dup-share", type=float, default=0.05)
    parser.add_argument(
        "--workers", type=int, default=None, help="processes (default: CPU count for n >= 2000)"
    )
    parser.add_argument(
        "--manifest",
        type=Path,
        default=None,
        help="write the per-file ground truth as JSON lines here",
    )
    parser.add_argument(
        "--real-size",
        action="store_true",
        help="bodies sized and peopled like real news: 300-500 words, many names",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    stats = generate_corpus(
        args.out,
        args.n,
        args.seed,
        args.bad_share,
        args.dup_share,
        workers=args.workers,
        real_size=args.real_size,
    )
    elapsed = time.perf_counter() - started
    if args.manifest is not None:
        write_manifest(stats, args.manifest)
    print(json.dumps(stats.to_dict(), indent=2))
    print(f"wrote {args.n} files to {args.out} in {elapsed:.1f} s", file=sys.stderr)
    return 0
