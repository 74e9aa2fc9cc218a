"""Scratch databases (`flows.scratch`): a run killed with SIGKILL leaves its scratch folder;
the next scratch database made on the machine removes it, never a live process's."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from flows.scratch import ScratchDatabase, remove_orphans


def _gone_pid() -> int:
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(child.stdout)


def test_the_scratch_folders_of_gone_processes_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = tmp_path / f"newsetl-dedup-{_gone_pid()}-ab12cd"
    live = tmp_path / f"newsetl-dedup-{os.getpid()}-ef34gh"
    older = tmp_path / "newsetl-dedup-ij56kl"  # named before folders carried their pid
    other = tmp_path / f"newsetl-manifest-{_gone_pid()}-mn78op"
    for folder in (gone, live, older, other):
        folder.mkdir()
        (folder / "scratch.sqlite").write_bytes(b"x")
    assert remove_orphans("newsetl-dedup-", str(tmp_path)) == [str(gone)]
    assert not gone.exists() and live.exists() and older.exists() and other.exists()

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    scratch = ScratchDatabase("create table t (x integer);", "newsetl-manifest-")
    assert not other.exists()  # made by a process that is gone
    mine = [p.name for p in tmp_path.iterdir() if p.name.startswith("newsetl-manifest-")]
    assert mine == [Path(scratch.folder).name]
    assert mine[0].startswith(f"newsetl-manifest-{os.getpid()}-")
    scratch.close()
    assert not Path(scratch.folder).exists()
