"""Raw and processed locations on S3: a moto server on a loopback port stands in for S3; the
flow reads `s3://…/raw` and writes `s3://…/out`, and the tables are read back from S3."""

from __future__ import annotations

import gzip
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds
import pytest

from flows.discovery import discover_files
from flows.storage import list_parquet, write_parquet_atomic
from tests.helpers import read_table, run_pipeline
from tests.warc_fixtures import cc_news_archive

pytestmark = pytest.mark.slow

BUCKET = "newsetl-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """An empty bucket; credentials and endpoint through the standard AWS variables."""
    import s3fs

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", s3_endpoint)
    s3fs.S3FileSystem.clear_instance_cache()
    fs = s3fs.S3FileSystem()
    if fs.exists(BUCKET):
        fs.rm(BUCKET, recursive=True)
    fs.mkdir(BUCKET)
    fs.invalidate_cache()
    yield fs
    s3fs.S3FileSystem.clear_instance_cache()


def _upload_raw(fs: object, prefix: str) -> None:
    files = {
        "wire/dam.txt": b"Dam inspection finds no cracks\n\nInspectors in Graz said the dam "
        b"on the Mur passed its ten-year check.\n",
        "wire/tram.txt.gz": gzip.compress(
            b"Tram fares frozen for a year\n\nThe transport office in Ghent froze tram "
            b"fares until next spring.\n"
        ),
        "wire/blank.txt": b"",
    }
    for name, data in files.items():
        fs.pipe(f"{prefix}/{name}", data)  # type: ignore[attr-defined]


def test_discover_lists_s3_objects_with_their_modification_time(s3: object) -> None:
    _upload_raw(s3, f"{BUCKET}/raw")
    entries = discover_files(f"s3://{BUCKET}/raw")
    assert [e.source_path for e in entries] == [
        "wire/blank.txt",
        "wire/dam.txt",
        "wire/tram.txt.gz",
    ]
    now = datetime.now(UTC).timestamp() * 1e9
    assert all(abs(e.mtime_ns - now) < 3600 * 1e9 for e in entries)
    assert entries[0].size == 0 and entries[1].size > 0


def test_parquet_is_written_straight_to_its_key(s3: object) -> None:
    import pyarrow as pa

    out = f"s3://{BUCKET}/out"
    write_parquet_atomic(out, "t/part-1.parquet", pa.table({"x": [1, 2]}))
    assert s3.find(f"{BUCKET}/out") == [f"{BUCKET}/out/t/part-1.parquet"]  # type: ignore[attr-defined]
    assert list_parquet(out, "t") == [f"{BUCKET}/out/t/part-1.parquet"]


def test_flow_reads_and_writes_s3(prefect_harness: None, s3: object) -> None:
    from flows.pipeline import news_etl

    _upload_raw(s3, f"{BUCKET}/raw")
    raw, out = f"s3://{BUCKET}/raw", f"s3://{BUCKET}/out"
    news_etl(raw=raw, out=out, workers=1, entities=False)

    options = {"key": "testing", "secret": "testing"}
    articles = pd.read_parquet(f"{out}/articles", storage_options=options)
    assert sorted(articles.source_path) == ["wire/dam.txt", "wire/tram.txt.gz"]
    assert set(articles.title) == {"Dam inspection finds no cracks", "Tram fares frozen for a year"}
    rejects = pd.read_parquet(f"{out}/rejects", storage_options=options)
    assert list(rejects.source_path) == ["wire/blank.txt"]
    for table in ("links", "mentions"):
        dataset = ds.dataset(
            f"{BUCKET}/out/{table}", filesystem=s3, format="parquet", partitioning="hive"
        )
        dataset.to_table()  # readable as a directory, even when empty
    leftovers = [p for p in s3.find(f"{BUCKET}/out") if p.rsplit("/", 1)[-1].startswith(".")]  # type: ignore[attr-defined]
    assert leftovers == []

    # A second run on unchanged objects plans nothing.
    result = news_etl(raw=raw, out=out, workers=1, entities=False)
    assert result["inputs_planned"] == 0


def test_a_web_archive_on_s3_is_read_record_by_record(s3: object, tmp_path: Path) -> None:
    written = cc_news_archive(tmp_path / "cc.warc.gz", 3)
    s3.put(str(written.path), f"{BUCKET}/raw/cc/cc.warc.gz")  # type: ignore[attr-defined]
    summary = run_pipeline(f"s3://{BUCKET}/raw", tmp_path / "out")  # type: ignore[arg-type]
    assert sorted(str(a["url"]) for a in read_table(tmp_path / "out", "articles")) == sorted(
        written.urls
    )
    assert [r["error_type"] for r in read_table(tmp_path / "out", "rejects")] == [
        "truncated_archive"
    ]
    assert summary.skipped_records == dict(written.skipped)
