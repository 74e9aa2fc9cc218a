"""Every input ends as exactly one article or one reject, whatever its bytes or kind."""

from __future__ import annotations

import gzip
import os
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows import batch as batch_module
from flows.batch import Batch, process_batch
from flows.discovery import discover_files
from flows.run import RunSummary
from flows.settings import Settings
from flows.storage import FileEntry
from tests.helpers import read_table, run_pipeline
from transforms.output.rows import RunInfo
from transforms.parse.document import RawInput, parse_input
from transforms.records import ParsedDocument, Reject

GOOD = b"Harbour reopens after storm\n\nThe harbour reopened on Monday after a week of repairs.\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
CAP = 4_000


def _bomb() -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    return compressor.compress(b"\0" * 50_000_000) + compressor.flush()


BAD_INPUTS: dict[str, tuple[bytes, str]] = {
    # name: (bytes, expected error_type)
    "empty.txt": (b"", "empty_file"),
    "blank.txt": (b"  \n\t\n", "empty_file"),
    "image.txt": (PNG, "binary_content"),
    "nul.txt": (b"Title\n\nSome text\x00\x00\x00 with NUL bytes " * 20, "binary_content"),
    "truncated.txt.gz": (gzip.compress(GOOD * 50)[:60], "truncated_gzip"),
    "bomb.txt.gz": (_bomb(), "too_large"),
    "big.txt": (b"Big\n\n" + b"word " * CAP, "too_large"),
    "title-only.txt": (b"Only a headline here\n", "empty_body"),
    "empty-page.html": (b"<html><head><title>x</title></head><body></body></html>", "empty_body"),
    "notes.pdf": (b"%PDF-1.4 not an article", "unsupported_format"),
    "fake.txt.gz": (b"not gzip at all", "corrupt_gzip"),
}


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    root = tmp_path / "raw"
    (root / "site").mkdir(parents=True)
    (root / "site" / "good.txt").write_bytes(GOOD)
    for name, (data, _) in BAD_INPUTS.items():
        (root / "site" / name).write_bytes(data)
    outside = tmp_path / "secret.txt"
    outside.write_bytes(GOOD)
    (root / "site" / "escape.txt").symlink_to(outside)
    (root / "site" / "dangling.txt").symlink_to(root / "site" / "gone.txt")
    os.mkfifo(root / "site" / "pipe.txt")
    return root


def test_each_bad_input_becomes_one_reject_with_a_reason(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = _run(raw, out)
    assert not summary.failed
    articles = read_table(out, "articles")
    assert [a["source_path"] for a in articles] == ["site/good.txt"]
    rejects = {r["source_path"]: r for r in read_table(out, "rejects")}
    expected = {f"site/{name}": error for name, (_, error) in BAD_INPUTS.items()}
    expected |= {
        "site/escape.txt": "outside_raw",
        "site/dangling.txt": "unreadable",
        "site/pipe.txt": "not_a_file",
    }
    assert {p: r["error_type"] for p, r in rejects.items()} == expected
    for reject in rejects.values():
        assert reject["stage"] in {"discover", "read", "decode", "parse", "dedup"}
        assert len(str(reject["message"])) > 10


def test_unreadable_file_is_a_reject(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, where chmod 000 does not stop a read: make the read fail instead.
    def refuse(raw: str, entry: FileEntry, max_bytes: int) -> tuple[RawInput, None]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(batch_module, "read_raw", refuse)
    entry = FileEntry("site/good.txt", len(GOOD), 0)
    output = process_batch(
        Batch("b1", (entry,), {}),
        Settings(raw=str(raw), out=str(tmp_path / "out"), entities=False),
        RunInfo("r", datetime(2024, 5, 1, tzinfo=UTC)),
    )
    (reject,) = output.rejects
    assert reject.reject.error_type == "unreadable"
    assert "Permission denied" in reject.reject.message


def _run(raw: Path, out: Path) -> RunSummary:
    return run_pipeline(raw, out, batch_size=5, max_bytes=CAP)


SUFFIXES = st.sampled_from(["a.txt", "a.html", "a.htm", "a.txt.gz", "a.html.gz", "a.bin", "a"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000), name=SUFFIXES)
def test_arbitrary_bytes_never_raise(data: bytes, name: str) -> None:
    parsed = parse_input(RawInput(name, data), max_bytes=CAP)
    assert isinstance(parsed, ParsedDocument | Reject)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=2000), name=SUFFIXES, encoding=st.sampled_from(["utf-8", "utf-16"]))
def test_arbitrary_text_never_raises(text: str, name: str, encoding: str) -> None:
    parsed = parse_input(RawInput(name, text.encode(encoding, "surrogatepass")), max_bytes=CAP)
    assert isinstance(parsed, ParsedDocument | Reject)
    if isinstance(parsed, ParsedDocument):
        assert parsed.paragraphs


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    files=st.lists(
        st.tuples(SUFFIXES, st.binary(max_size=400) | st.text(max_size=300).map(str.encode)),
        min_size=1,
        max_size=6,
    )
)
def test_a_batch_of_arbitrary_files_is_articles_plus_rejects(
    files: list[tuple[str, bytes]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("raw")
    for i, (name, data) in enumerate(files):
        (root / f"{i:02d}-{name}").write_bytes(data)
    entries = tuple(discover_files(str(root)))
    out = tmp_path_factory.mktemp("out")
    output = process_batch(
        Batch("b1", entries, {}),
        Settings(raw=str(root), out=str(out), entities=False, max_bytes=CAP),
        RunInfo("r", datetime(2024, 5, 1, tzinfo=UTC)),
    )
    paths = [a.source_path for a in output.articles] + [r.source_path for r in output.rejects]
    assert sorted(paths) == sorted(e.source_path for e in entries)
    assert all(r.reject.error_type != "internal_error" for r in output.rejects)
