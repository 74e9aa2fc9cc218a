"""Hostile inputs and hostile timing (issue 29): each case made to happen deterministically,
by doing the hostile thing between two steps of a run (a `Steps` subclass), never by timing."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.contained import OutsideRaw, open_contained
from flows.planning import Plan
from flows.run import Steps, run
from flows.settings import Settings
from tests.helpers import read_table, run_pipeline, snapshot
from transforms.output.rows import RunInfo

STORY = b"Harbour reopens after storm\n\nThe harbour reopened on Monday after repairs.\n"
SECRET = b"root:x:0:0:root:/root:/bin/bash\n\nsecret line that must never be ingested\n"
RUN = RunInfo("20240501T000000-hostile", datetime(2024, 5, 1, tzinfo=UTC))


class _AfterPlan(Steps):
    """Steps that do something hostile once the plan is made, before any batch reads."""

    def __init__(self, hostile: object) -> None:
        self.hostile = hostile

    def plan(self, settings: Settings, version: str) -> Plan:
        made = super().plan(settings, version)
        self.hostile()  # type: ignore[operator]
        return made


def _settings(raw: Path, out: Path, **more: object) -> Settings:
    return Settings(raw=str(raw), out=str(out), workers=1, entities=False, **more)  # type: ignore[arg-type]


def test_a_link_swapped_out_of_raw_after_the_plan_is_a_reject_not_a_row(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    (raw / "site").mkdir(parents=True)
    (raw / "site" / "inside.txt").write_bytes(STORY)
    secret = tmp_path / "passwd"
    secret.write_bytes(SECRET)
    link = raw / "site" / "link.txt"
    link.symlink_to(raw / "site" / "inside.txt")  # inside: the listing lets it through

    def swap() -> None:
        link.unlink()
        link.symlink_to(secret)

    summary = run(_settings(raw, out), steps=_AfterPlan(swap), info=RUN)
    assert summary.inputs_planned == 2
    titles = [a["title"] for a in read_table(out, "articles")]
    assert titles == ["Harbour reopens after storm"]
    (reject,) = read_table(out, "rejects")
    assert reject["source_path"] == "site/link.txt"
    assert reject["error_type"] == "outside_raw"
    assert "outside the raw root" in str(reject["message"])


def test_a_folder_swapped_for_a_link_out_of_raw_after_the_plan_is_refused(
    tmp_path: Path,
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    (raw / "site").mkdir(parents=True)
    (raw / "site" / "a.txt").write_bytes(STORY)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.txt").write_bytes(SECRET)

    def swap() -> None:
        (raw / "site" / "a.txt").unlink()
        (raw / "site").rmdir()
        (raw / "site").symlink_to(elsewhere)  # a component of the path, not the file

    run(_settings(raw, out), steps=_AfterPlan(swap), info=RUN)
    assert read_table(out, "articles") == []
    assert [r["error_type"] for r in read_table(out, "rejects")] == ["outside_raw"]


def test_a_sidecar_linked_out_of_raw_is_ignored_with_a_note(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "a.txt").write_bytes(STORY)
    secret = tmp_path / "meta.json"
    secret.write_text('{"url": "https://secret.example/leak"}')
    (raw / "a.meta.json").symlink_to(secret)
    summary = run_pipeline(raw, out)
    (article,) = read_table(out, "articles")
    assert article["url"] is None
    assert "outside the raw root" in summary.notes["a.txt"]


def test_open_contained_checks_the_opened_file_itself(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (tmp_path / "out.txt").write_bytes(SECRET)
    (raw / "hop").symlink_to(tmp_path)
    with pytest.raises(OutsideRaw):
        open_contained(str(raw), "hop/out.txt")
    (raw / "in.txt").write_bytes(STORY)
    fd = open_contained(str(raw), "in.txt")
    try:
        assert os.read(fd, 100) == STORY
    finally:
        os.close(fd)


def test_a_linked_input_is_read_again_when_its_target_changes(tmp_path: Path) -> None:
    raw, out, elsewhere = tmp_path / "raw", tmp_path / "out", tmp_path / "raw" / "store"
    elsewhere.mkdir(parents=True)
    target = elsewhere / "_kept.txt"  # `_`: not an input itself, only through the link
    target.write_bytes(STORY)
    (raw / "story.txt").symlink_to(target)
    run_pipeline(raw, out)
    target.write_bytes(b"Harbour stays shut\n\nThe harbour stays shut for another week of work.\n")
    os.utime(target, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    summary = run_pipeline(raw, out, run_id="20240502T000000-test")
    assert summary.inputs_planned == 1
    assert [a["title"] for a in read_table(out, "articles")] == ["Harbour stays shut"]


def _private_files(out: Path) -> list[str]:
    """Every file under a `_` name of the output (the lock, the manifest, dedup keys...)."""
    return sorted(
        str(p.relative_to(out))
        for p in out.rglob("*")
        if p.is_file() and any(part.startswith("_") for part in p.relative_to(out).parts)
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small generated corpus (duplicates and bad inputs included) and its clean output."""
    from bench.generate import generate_corpus

    base = tmp_path_factory.mktemp("corpus")
    raw, clean = base / "raw", base / "clean"
    generate_corpus(raw, 60, seed=11, bad_share=0.1, dup_share=0.2, workers=1)
    run_pipeline(raw, clean, batch_size=20)
    return raw, clean


def test_deleting_any_private_file_never_duplicates_a_row(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    raw, clean = corpus
    expected = snapshot(clean)
    for number, private in enumerate(_private_files(clean)):
        out = tmp_path / f"out{number}"
        shutil.copytree(clean, out)
        (out / private).unlink()
        run_pipeline(raw, out, batch_size=7, run_id=f"20240502T000000-{number}")
        paths = [r["source_path"] for r in read_table(out, "articles") + read_table(out, "rejects")]
        assert len(paths) == len(set(paths)) == 60, private
        got = snapshot(out)
        assert got["articles"] == expected["articles"], private
        assert got["rejects"] == expected["rejects"], private
        run_pipeline(raw, out, batch_size=13, full_refresh=True, run_id="20240503T000000-x")
        paths = [r["source_path"] for r in read_table(out, "articles") + read_table(out, "rejects")]
        assert len(paths) == len(set(paths)) == 60, private


def test_deleting_a_table_file_is_repaired_not_a_silent_no_op(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    raw, clean = corpus
    expected = snapshot(clean)
    for table in ("articles", "rejects", "links"):
        out = tmp_path / table
        shutil.copytree(clean, out)
        victim = sorted((out / table).rglob("*.parquet"))[0]
        victim.unlink()
        summary = run_pipeline(raw, out, batch_size=7, run_id="20240502T000000-t")
        assert summary.repaired_inputs > 0, table
        assert snapshot(out) == expected, table
