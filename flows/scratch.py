"""Scratch databases: local SQLite files that hold a run's large working state (the
manifest, the dedup index) on disk, so that the flow's memory does not grow with the
corpus. They are caches rebuilt from the durable Parquet state under `--out` (which may be
object storage): never the only copy of anything, removed when closed. A run killed with
SIGKILL cannot remove its own: each folder is named after its process, and the next
scratch database made on the machine removes those of processes that are gone."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile

from flows.processes import process_alive

CACHE_MB = 32  # SQLite's page cache per scratch database: the bounded working set


class ScratchDatabase:
    """A temporary SQLite database with `schema` and a page cache of `cache_mb`, removed by
    `close` (or when collected)."""

    def __init__(self, schema: str, prefix: str, cache_mb: int = CACHE_MB) -> None:
        remove_orphans(prefix)
        self.folder = tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-")
        self.db = sqlite3.connect(os.path.join(self.folder, "scratch.sqlite"))
        self.db.executescript(
            "pragma journal_mode=off; pragma synchronous=off; pragma temp_store=file; "
            f"pragma cache_size=-{cache_mb * 1024};" + schema
        )

    def close(self) -> None:
        """Drop the database."""
        with contextlib.suppress(sqlite3.Error):
            self.db.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __del__(self) -> None:
        self.close()


def remove_orphans(prefix: str, folder: str | None = None) -> list[str]:
    """Remove the scratch folders named `<prefix><pid>-…` (in the temporary folder, or
    `folder`) whose process is gone; returns their paths."""
    base = folder or tempfile.gettempdir()
    removed = []
    with contextlib.suppress(OSError):
        for name in os.listdir(base):
            pid = name.removeprefix(prefix).split("-", 1)[0]
            if name.startswith(prefix) and pid.isdigit() and not process_alive(int(pid)):
                shutil.rmtree(os.path.join(base, name), ignore_errors=True)
                removed.append(os.path.join(base, name))
    return removed
