"""Every entry under --raw is accounted for: what cannot be listed, followed, named or read
becomes one reject row with its reason, and the run goes on."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows import discovery
from flows.batch import Batch, process_batch
from flows.discovery import discover_files
from flows.settings import Settings
from flows.storage import FileEntry
from tests.helpers import read_table, run_pipeline
from transforms.output.rows import RunInfo

GOOD = b"Ferry returns\n\nThe night ferry sails again from Friday after the winter storms.\n"


def _tree(root: Path) -> None:
    (root / "site" / "deep").mkdir(parents=True)
    (root / "site" / "ok.txt").write_bytes(GOOD)
    (root / "site" / "deep" / "ok2.txt").write_bytes(GOOD.replace(b"Friday", b"Monday"))
    (root / "site" / "loop-a.txt").symlink_to(root / "site" / "loop-b.txt")
    (root / "site" / "loop-b.txt").symlink_to(root / "site" / "loop-a.txt")
    (root / "site" / "self").symlink_to(root / "site" / "self")
    with open(os.path.join(os.fsencode(root / "site"), b"caf\xe9.txt"), "wb") as handle:
        handle.write(GOOD)
    (root / "locked").mkdir()
    (root / "locked" / "hidden.txt").write_bytes(GOOD)


def test_loops_odd_names_and_unlistable_folders_become_rejects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _tree(raw)
    real_scandir = discovery._scandir

    def scandir(folder: str) -> list[os.DirEntry[str]]:
        # Tests run as root, where chmod cannot hide a folder: refuse it at the listing seam.
        if folder.endswith("locked"):
            raise PermissionError(13, "Permission denied", folder)
        return real_scandir(folder)

    monkeypatch.setattr(discovery, "_scandir", scandir)
    summary = run_pipeline(raw, out, batch_size=3)
    assert not summary.failed
    articles = sorted(str(a["source_path"]) for a in read_table(out, "articles"))
    assert articles == ["site/deep/ok2.txt", "site/ok.txt"]
    rejects = {str(r["source_path"]): r for r in read_table(out, "rejects")}
    assert {path: r["error_type"] for path, r in rejects.items()} == {
        "locked/": "unlistable",
        "site/caf\\xe9.txt": "undecodable_name",
        "site/loop-a.txt": "symlink_loop",
        "site/loop-b.txt": "symlink_loop",
        "site/self": "symlink_loop",
    }
    assert "Permission denied" in str(rejects["locked/"]["message"])
    # The next run finds everything accounted for: nothing to do.
    assert run_pipeline(raw, out, batch_size=3, run_id="20240502T0-again").inputs_planned == 0


def test_a_file_gone_between_listing_and_reading_is_a_reject(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "here.txt").write_bytes(GOOD)
    (raw / "gone.txt").write_bytes(GOOD)
    entries = tuple(discover_files(str(raw)))
    (raw / "gone.txt").unlink()
    output = process_batch(
        Batch("b", entries, {}),
        Settings(raw=str(raw), out=str(tmp_path / "out"), entities=False),
        RunInfo("r", datetime(2024, 5, 1, tzinfo=UTC)),
    )
    assert [a.source_path for a in output.articles] == ["here.txt"]
    (gone,) = output.rejects
    assert (gone.source_path, gone.reject.error_type) == ("gone.txt", "vanished")


def test_the_raw_root_itself_must_be_listable(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        discover_files(str(tmp_path / "missing"))
    assert discover_files(str(tmp_path)) == []
    assert FileEntry("a", 0, 0).problem is None
