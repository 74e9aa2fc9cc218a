"""One writer per output: a second run is refused (or waits), a killed holder's lock is
taken over, and two runs started together leave one clean result."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.generate import generate_corpus
from flows.cli import main
from flows.exit_codes import EXIT_LOCKED
from flows.lock import OutputLocked, output_lock
from flows.settings import Settings
from tests.helpers import read_table, run_pipeline, snapshot


def test_a_held_lock_names_its_holder(tmp_path: Path) -> None:
    with (
        output_lock(str(tmp_path)),
        pytest.raises(OutputLocked, match=rf"pid {os.getpid()} on .*, running since"),
        output_lock(str(tmp_path)),
    ):
        pass
    with output_lock(str(tmp_path)):  # released: free again
        pass


def test_the_cli_stops_at_once_when_another_run_holds_the_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "raw").mkdir()
    with output_lock(str(tmp_path / "out")):
        status = main(["run", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "out")])
    assert status == EXIT_LOCKED
    message = capsys.readouterr().err
    assert "is in use by another newsetl run" in message and "--wait" in message


def test_a_lock_left_by_a_killed_run_is_taken_over(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from flows.lock import output_lock\n"
            f"with output_lock({str(tmp_path)!r}):\n"
            "    print('held', flush=True); time.sleep(600)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    with pytest.raises(OutputLocked, match=f"pid {holder.pid}"), output_lock(str(tmp_path)):
        pass
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    with output_lock(str(tmp_path)):  # the kernel dropped the dead holder's lock
        pass


def _run_in_process(raw: str, out: str, batch_size: int, run_id: str) -> None:
    from datetime import UTC, datetime

    from flows.run import run
    from transforms.output.rows import RunInfo

    settings = Settings(
        raw=raw, out=out, batch_size=batch_size, workers=1, entities=False, wait=True
    )
    run(settings, info=RunInfo(run_id, datetime(2024, 5, 1, tzinfo=UTC)))


def test_two_runs_at_once_with_different_batch_sizes_leave_one_clean_result(
    tmp_path: Path,
) -> None:
    raw = tmp_path / "raw"
    generate_corpus(raw, 120, seed=7, bad_share=0.1, dup_share=0.2, workers=1)
    clean, out = tmp_path / "clean", tmp_path / "out"
    run_pipeline(raw, clean, batch_size=50)
    context = multiprocessing.get_context("spawn")
    runs = [
        context.Process(target=_run_in_process, args=(str(raw), str(out), size, f"2024-{size}"))
        for size in (50, 80)
    ]
    for process in runs:
        process.start()
        time.sleep(0.2)
    for process in runs:
        process.join(timeout=600)
        assert process.exitcode == 0
    assert snapshot(out) == snapshot(clean)
    paths = [r["source_path"] for r in read_table(out, "articles") + read_table(out, "rejects")]
    assert len(paths) == len(set(paths)) == 120
