"""The driver: plan a corpus, then render its files in one process or several."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.generate.plan import Plan, make_plan
from bench.generate.records import CorpusStats, FileRecord, summarise_records
from bench.generate.renderer import Renderer

# one renderer per worker process, so its identity cache serves every chunk it gets
_WORKER: Renderer | None = None


def _init_worker(plan: Plan, out: Path) -> None:
    """Set up the worker process's renderer."""
    global _WORKER
    _WORKER = Renderer(plan, out)


def _write_chunk(bounds: tuple[int, int]) -> list[FileRecord]:
    """Write the files of one index range in a worker process."""
    assert _WORKER is not None
    return [_WORKER.write(i) for i in range(*bounds)]


def generate_corpus(
    out: Path,
    n: int,
    seed: int = 0,
    bad_share: float = 0.02,
    dup_share: float = 0.05,
    workers: int | None = None,
    real_size: bool = False,
) -> CorpusStats:
    """Write `n` raw news files under `out`, byte-identical for a given seed; count them.

    `workers` processes share the work (default: the CPU count for large corpora, one
    process below 2,000 files); the output does not depend on it. `real_size` writes
    bodies sized and peopled like real news (300-500 words, many names) instead.
    """
    if n < 0 or not 0 <= bad_share <= 1 or not 0 <= dup_share <= 1:
        raise ValueError("n must be >= 0 and the shares between 0 and 1")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    plan = make_plan(n, seed, bad_share, dup_share, real_size)
    if workers is None:
        workers = 1 if n < 2_000 else (os.cpu_count() or 1)
    records: list[FileRecord] = []
    if workers <= 1:
        renderer = Renderer(plan, out)
        records = [renderer.write(i) for i in range(n)]
    else:
        step = max(200, min(2_000, n // (workers * 8) + 1))
        chunks = [(lo, min(n, lo + step)) for lo in range(0, n, step)]
        with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(plan, out)) as pool:
            for part in pool.map(_write_chunk, chunks):
                records.extend(part)
    return summarise_records(n, records)
