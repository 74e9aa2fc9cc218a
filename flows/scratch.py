"""Scratch databases: local SQLite files that hold a run's large working state (the
manifest, the dedup index) on disk, so that the flow's memory does not grow with the
corpus. They are caches rebuilt from the durable Parquet state under `--out` (which may be
object storage): never the only copy of anything, removed when closed."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile

CACHE_MB = 32  # SQLite's page cache per scratch database: the bounded working set


class ScratchDatabase:
    """A temporary SQLite database with `schema`, removed by `close` (or when collected)."""

    def __init__(self, schema: str, prefix: str) -> None:
        self._folder = tempfile.mkdtemp(prefix=prefix)
        self.db = sqlite3.connect(os.path.join(self._folder, "scratch.sqlite"))
        self.db.executescript(
            "pragma journal_mode=off; pragma synchronous=off; pragma temp_store=file; "
            f"pragma cache_size=-{CACHE_MB * 1024};" + schema
        )

    def close(self) -> None:
        """Drop the database."""
        with contextlib.suppress(sqlite3.Error):
            self.db.close()
        shutil.rmtree(self._folder, ignore_errors=True)

    def __del__(self) -> None:
        self.close()
