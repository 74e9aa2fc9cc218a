"""Nothing stale, nothing silent (issue 29, item 5): hostile arguments stop before Prefect
(exit 2), hostile names never drive the terminal, hidden names are counted, and a file that
could not be read is read again by the next run."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from flows import batch as batch_module
from flows.console import print_summary
from flows.exit_codes import EXIT_USAGE
from flows.printable import printable
from flows.run import RunSummary
from flows.storage import read_raw
from tests.helpers import read_table, run_pipeline
from tests.test_arguments import _PROBE, _newsetl

STORY = b"Harbour reopens after storm\n\nThe harbour reopened on Monday after repairs.\n"


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "a.txt").write_bytes(STORY)
    return folder


def test_hostile_values_stop_before_prefect_starts(raw: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "out")
    cases = {
        ("--raw", "", "--out", out): "--raw is empty",
        ("--raw", "   ", "--out", out): "--raw is empty",
        ("--raw", str(raw), "--out", ""): "--out is empty",
        ("--raw", str(raw), "--out", " \t"): "--out is empty",
        ("--raw", str(raw), "--out", out, "--max-bytes", "99999999999999999999"): (
            "--max-bytes must be a whole number from 1 to 4,294,967,296, not 99999999999999999999"
        ),
        ("--raw", str(raw), "--out", out, "--batch-size", "10000000"): "--batch-size must be",
        ("--raw", str(raw), "--out", out, "--workers", "100000"): "--workers must be",
    }
    for argv, message in cases.items():
        done = _newsetl("run", *argv)
        assert done.returncode == EXIT_USAGE, (argv, done.stderr)
        assert message in done.stderr.replace("\n", " "), (argv, done.stderr)
        assert done.stdout.strip() == "prefect not imported"
        assert not (tmp_path / "out").exists()
    env_done = _newsetl_env({"NEWSETL_MAX_BYTES": "99999999999999999999"}, "run", "--raw", str(raw))
    assert env_done.returncode == EXIT_USAGE and "--max-bytes must be" in env_done.stderr


def _newsetl_env(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _PROBE, *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )


@given(st.text())
def test_printable_text_has_no_control_character(text: str) -> None:
    shown = printable(text)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in shown)
    assert not any(c in shown for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    if all(c.isprintable() and c != "\\" for c in text):
        assert shown == text


def test_a_file_name_with_an_escape_sequence_reaches_the_terminal_escaped(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    name = "evil\x1b]0;owned\x07\x1b[2J[bold]x[dim].txt"
    (raw / name).write_bytes(b"")  # empty: a reject whose example names the file
    summary = run_pipeline(raw, out)
    buffer = io.StringIO()
    print_summary(
        asdict(summary), 1.0, Console(file=buffer, force_terminal=True, width=400), str(out)
    )
    text = buffer.getvalue()
    assert "evil\\x1b]0;owned\\x07\\x1b[2J[bold]x[dim].txt" in text
    assert "\x07" not in text and "\x1b]0;" not in text and "\x1b[2J" not in text


def test_hidden_and_underscore_names_are_counted_as_skipped(raw: Path, tmp_path: Path) -> None:
    (raw / ".DS_Store").write_bytes(b"\0\0")
    (raw / "_draft.txt").write_bytes(STORY)
    (raw / ".git").mkdir()
    (raw / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    summary = run_pipeline(raw, tmp_path / "out")
    assert summary.inputs_found == 1
    assert summary.skipped_names == 3  # a hidden folder counts once, and is not walked
    assert isinstance(summary, RunSummary)


def test_an_unreadable_reject_is_read_again_by_the_next_run(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"

    # Tests run as root, where chmod 000 does not stop a read: make the read fail instead.
    def refuse(*args: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(batch_module, "read_raw", refuse)
    run_pipeline(raw, out)
    assert [r["error_type"] for r in read_table(out, "rejects")] == ["unreadable"]
    monkeypatch.setattr(batch_module, "read_raw", read_raw)  # permissions fixed
    summary = run_pipeline(raw, out, run_id="20240502T000000-test")
    assert summary.inputs_planned == 1
    assert read_table(out, "rejects") == []
    assert [a["title"] for a in read_table(out, "articles")] == ["Harbour reopens after storm"]
    assert run_pipeline(raw, out, run_id="20240503T000000-test").inputs_planned == 0


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "line"])
def test_query_output_escapes_control_characters(fmt: str) -> None:
    import pyarrow as pa

    from flows.analysis.results import write_result

    result = pa.table({"title": ["evil\x1b]0;owned\x07\x1b[2J title"], "n": [1]})
    buffer = io.StringIO()
    write_result(result, fmt, None, buffer)
    shown = buffer.getvalue()
    assert "\x1b" not in shown and "\x07" not in shown
    assert "owned" in shown
