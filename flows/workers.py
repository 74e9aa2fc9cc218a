"""The process pool that runs batches on every core, and the progress it reports.

Prefect's own process-pool runner starts a temporary API server in each worker when no
`PREFECT_API_URL` is set, so the flow keeps its tasks on threads and each task hands its
CPU work to this pool. Each worker loads the model and the place index once, reports each
finished input on a queue (so progress moves per input, not per batch), and exits when the
process that started it is gone (killed with SIGKILL, say) instead of idling on.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, partial
from multiprocessing.queues import Queue
from typing import Any, TypeVar

from flows.batch import Batch, BatchOutput, ProgressHook, process_batch
from flows.settings import Settings
from transforms.output.rows import RunInfo

_queue: Queue[int | None] | None = None  # this worker's progress channel (set in each worker)
IN_FLIGHT_PER_WORKER = 2  # batches submitted ahead of the commit, per worker
T = TypeVar("T")
F = TypeVar("F")


@dataclass(frozen=True, slots=True)
class WorkerPool:
    """Worker processes and the queue on which they report finished inputs."""

    executor: ProcessPoolExecutor
    progress: Queue[int | None]

    def submit(self, batch: Batch, settings: Settings, run: RunInfo) -> Future[BatchOutput]:
        """Process a batch in a worker."""
        return self.executor.submit(_process_in_worker, batch, settings, run)


def _exit_with_parent(parent: int, poll_seconds: float = 1.0) -> None:
    """Exit this worker once its parent is gone (the worker is handed to another process)."""
    while os.getppid() == parent:
        time.sleep(poll_seconds)
    os._exit(1)


def _warm_up(parent: int, load_models: bool, progress: Queue[int | None]) -> None:
    global _queue
    _queue = progress
    # The parent's pid comes from the parent: a worker orphaned while it started sees
    # another parent already, and exits at once.
    threading.Thread(
        target=_exit_with_parent, args=(parent,), name="exit-with-parent", daemon=True
    ).start()
    if load_models:
        from flows.nlp import load_ner
        from flows.place_cache import load_place_index

        load_ner()
        load_place_index()
    # The model and the place index live as long as the worker: a full collection need not
    # walk their hundreds of thousands of objects each time (0.3 s a time, measured).
    gc.freeze()


def _process_in_worker(batch: Batch, settings: Settings, run: RunInfo) -> BatchOutput:
    queue = _queue
    return process_batch(batch, settings, run, queue.put if queue is not None else None)


@cache
def _pool(workers: int, load_models: bool) -> WorkerPool:
    # One BLAS thread per worker: `flows.nlp.load_ner` sets it wherever the model loads.
    context = multiprocessing.get_context("spawn")
    progress: Queue[int | None] = context.Queue()
    executor = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=partial(_warm_up, os.getpid(), load_models, progress),
    )
    return WorkerPool(executor, progress)


def pool_for(settings: Settings) -> WorkerPool | None:
    """The pool that runs this run's batches; None when a batch runs in its task itself
    (one worker, or the Dask runner, whose workers are processes already)."""
    if settings.workers == 1 or settings.runner == "dask":
        return None
    pool = _pool(settings.workers, settings.entities)
    if getattr(pool.executor, "_broken", False):  # a worker died (out of memory, say)
        _pool.cache_clear()
        pool = _pool(settings.workers, settings.entities)
    return pool


@contextmanager
def relaying_progress(pool: WorkerPool | None, on_progress: ProgressHook) -> Iterator[None]:
    """Pass the pool's per-input reports to `on_progress` while the block runs."""
    if pool is None:
        yield
        return

    def relay() -> None:
        while (done := pool.progress.get()) is not None:
            on_progress(done)

    thread = threading.Thread(target=relay, name="newsetl-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        pool.progress.put(None)
        thread.join(timeout=10)


def run_batches(
    batches: Sequence[Batch], settings: Settings, run: RunInfo, on_progress: ProgressHook
) -> Iterator[BatchOutput | BaseException]:
    """Every batch's output (or the exception its processing raised), in plan order."""
    pool = pool_for(settings)
    if pool is None:
        for batch in batches:
            yield _guarded(partial(process_batch, batch, settings, run, on_progress))
        return
    with relaying_progress(pool, on_progress):
        submit = partial(pool.submit, settings=settings, run=run)
        for _, future in submitted_ahead(batches, submit, in_flight(settings)):
            yield _guarded(future.result)


def in_flight(settings: Settings) -> int:
    """How many batches may be submitted and not yet committed: enough to keep every
    worker busy while the flow commits, few enough that finished outputs waiting for their
    commit do not pile up in the flow's memory when the commit is the slower side."""
    return max(2, IN_FLIGHT_PER_WORKER * settings.workers)


def submitted_ahead(
    items: Iterable[T], submit: Callable[[T], F], limit: int
) -> Iterator[tuple[T, F]]:
    """Each item with its future, in order, with at most `limit` submitted and not yet
    handed out: the next item is submitted before the oldest is handed out, so the workers
    stay busy while the caller works on it."""
    waiting: deque[tuple[T, F]] = deque()
    pending = iter(items)
    for item in pending:
        waiting.append((item, submit(item)))
        if len(waiting) >= limit:
            break
    while waiting:
        oldest = waiting.popleft()
        for item in pending:
            waiting.append((item, submit(item)))
            break
        yield oldest


def _guarded(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except Exception as exc:  # a failed batch is reported, and the rest still commit
        return exc
