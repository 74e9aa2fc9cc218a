"""The dedup index's memory on disk: a `transforms.output.dedup.DedupStore` in a local SQLite file.

The durable dedup state is `_dedup/*.parquet` (beside the tables, on any filesystem); each
run that commits rebuilds its index from those files into a scratch SQLite database, so the
flow process holds a bounded page cache (`flows.scratch.CACHE_MB`) however many articles the
output has, instead of every signature and LSH band in dictionaries (~12 KB an article,
measured at 30k). The rows are loaded in commit order (run, then source_path) by SQLite's own
sort, on disk.
"""

from __future__ import annotations

from collections.abc import Container, Iterable

import pyarrow as pa

from flows.scratch import ScratchDatabase
from transforms.output.dedup import DedupIndex, DedupKeys

_INSERT_CHUNK = 5000
_SCHEMA = """
create table owner (article_id text primary key, source_path text not null) without rowid;
create table root (key text primary key, article_id text not null) without rowid;
create table original (article_id text primary key, seq integer not null,
                       signature blob not null) without rowid;
create table band (key blob not null, article_id text not null);
create index band_key on band (key);
create table loading (run_id text, source_path text, article_id text, source_sha256 text,
                      content_sha256 text, signature blob, duplicate_of text);
"""


class SqliteDedupStore:
    """A `DedupStore` in a scratch SQLite database (`flows.scratch`), removed by `close`."""

    def __init__(self) -> None:
        self._scratch = ScratchDatabase(_SCHEMA, "newsetl-dedup-")
        self._db = self._scratch.db
        self._originals = 0

    def close(self) -> None:
        """Drop the database."""
        self._scratch.close()

    def owner(self, article_id: str) -> str | None:
        """See `DedupStore`."""
        return self._one("select source_path from owner where article_id = ?", article_id)

    def add_owner(self, article_id: str, source_path: str) -> None:
        """See `DedupStore`."""
        self._db.execute("insert or ignore into owner values (?, ?)", (article_id, source_path))

    def root(self, key: str) -> str | None:
        """See `DedupStore`."""
        return self._one("select article_id from root where key = ?", key)

    def add_root(self, key: str, article_id: str) -> None:
        """See `DedupStore`."""
        self._db.execute("insert or ignore into root values (?, ?)", (key, article_id))

    def signature(self, article_id: str) -> bytes | None:
        """See `DedupStore`."""
        row = self._db.execute(
            "select signature from original where article_id = ?", (article_id,)
        ).fetchone()
        return bytes(row[0]) if row else None

    def has_originals(self) -> bool:
        """See `DedupStore`."""
        return self._originals > 0

    def candidates(self, bands: list[bytes]) -> list[tuple[int, str, bytes]]:
        """See `DedupStore`."""
        marks = ",".join("?" * len(bands))
        rows = self._db.execute(
            "select o.seq, o.article_id, o.signature from original o where o.article_id in "
            f"(select article_id from band where key in ({marks}))",
            bands,
        ).fetchall()
        return [(int(seq), str(article), bytes(signature)) for seq, article, signature in rows]

    def add_original(self, article_id: str, signature: bytes, bands: list[bytes]) -> None:
        """See `DedupStore`."""
        added = self._db.execute(
            "insert or ignore into original values (?, ?, ?)",
            (article_id, self._originals, signature),
        ).rowcount
        if added:
            self._originals += 1
            self._db.executemany(
                "insert into band values (?, ?)", [(band, article_id) for band in bands]
            )

    def load(self, tables: Iterable[pa.Table], index: DedupIndex, exclude: Container[str]) -> None:
        """Feed `index` (over this store) the rows of `_dedup/` files in commit order (run,
        then source_path), leaving out the inputs in `exclude`."""
        names = [
            "run_id",
            "source_path",
            "article_id",
            "source_sha256",
            "content_sha256",
            "signature",
            "duplicate_of",
        ]
        for table in tables:
            rows = zip(*(table.column(n).to_pylist() for n in names), strict=True)
            self._db.executemany(f"insert into loading values ({','.join('?' * 7)})", rows)
        cursor = self._db.cursor()
        cursor.execute(
            "select source_path, article_id, source_sha256, content_sha256, signature, "
            "duplicate_of from loading order by run_id, source_path"
        )
        while chunk := cursor.fetchmany(_INSERT_CHUNK):
            for path, article, source_sha, content_sha, signature, duplicate_of in chunk:
                if path not in exclude:
                    keys = DedupKeys(article, path, source_sha, content_sha, bytes(signature))
                    index.remember(keys, duplicate_of)
        self._db.execute("delete from loading")

    def _one(self, sql: str, value: str) -> str | None:
        row = self._db.execute(sql, (value,)).fetchone()
        return str(row[0]) if row else None
