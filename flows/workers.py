"""The process pool that runs batches on every core.

Prefect's own process-pool runner starts a temporary API server in each worker when no
`PREFECT_API_URL` is set, so the flow keeps its tasks on threads and each task hands its
CPU work to this pool. Each worker loads the model and the place index once, and exits
when the process that started it is gone (killed with SIGKILL, say) instead of idling on.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from functools import cache

from flows.settings import Settings


def _exit_with_parent(parent: int, poll_seconds: float = 1.0) -> None:
    """Exit this worker once its parent is gone (the worker is handed to another process)."""
    while os.getppid() == parent:
        time.sleep(poll_seconds)
    os._exit(1)


def _warm_up(parent: int, load_models: bool) -> None:
    # The parent's pid comes from the parent: a worker orphaned while it started sees
    # another parent already, and exits at once.
    threading.Thread(
        target=_exit_with_parent, args=(parent,), name="exit-with-parent", daemon=True
    ).start()
    if load_models:
        from flows.nlp import load_ner
        from transforms.places import place_index_size

        load_ner()
        place_index_size()


@cache
def process_pool(workers: int, load_models: bool) -> ProcessPoolExecutor:
    """A pool of `workers` fresh (spawned) processes, kept for the life of this process."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_warm_up,
        initargs=(os.getpid(), load_models),
    )


def pool_for(settings: Settings) -> ProcessPoolExecutor | None:
    """The pool that runs this run's batches; None when a batch runs in its task itself
    (one worker, or the Dask runner, whose workers are processes already)."""
    if settings.workers == 1 or settings.runner == "dask":
        return None
    return process_pool(settings.workers, settings.entities)
