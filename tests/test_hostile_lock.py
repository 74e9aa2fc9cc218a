"""Hostile timing around the output's lock (issue 29, item 2): deleting `OUT/_lock` lets no
second run in, and on S3 two runs asking at the same instant never both get the lock."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import lock as lock_module
from flows.layout import LOCK_NAME
from flows.lock import LockLost, LockUnsupported, OutputLocked, output_lock
from tests.test_object_storage import BUCKET, s3, s3_endpoint

__all__ = ["s3", "s3_endpoint"]  # the moto fixtures, shared


def test_deleting_the_lock_file_lets_no_second_run_in(tmp_path: Path) -> None:
    with output_lock(str(tmp_path)) as lease:
        (tmp_path / LOCK_NAME).unlink()
        with (
            pytest.raises(OutputLocked, match="in use by another newsetl run"),
            output_lock(str(tmp_path)),
        ):
            pass
        lease.check()  # still held
    with output_lock(str(tmp_path)):  # released: free again
        pass


def test_a_replaced_output_folder_stops_the_commits(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with output_lock(str(out)) as lease:
        out.rename(tmp_path / "moved")
        out.mkdir()
        with pytest.raises(LockLost, match="removed or replaced"):
            lease.check()


@pytest.mark.slow
def test_two_runs_asking_together_on_s3_never_both_get_the_lock(
    s3: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = f"s3://{BUCKET}/out"
    with output_lock(out) as lease:
        real = lock_module._highest_remote
        seen = {"n": 0}

        def stale_view(fs: object, root: str) -> tuple[int, dict[str, object] | None]:
            seen["n"] += 1
            return (0, None) if seen["n"] == 1 else real(fs, root)

        monkeypatch.setattr(lock_module, "_highest_remote", stale_view)
        with (
            pytest.raises(OutputLocked, match="in use by another newsetl run"),
            output_lock(out),
        ):
            pass
        monkeypatch.setattr(lock_module, "_highest_remote", real)
        assert seen["n"] == 2  # it did try to create the lock, and was refused
        lease.check()
    with output_lock(out):  # released: free again
        pass


@pytest.mark.slow
def test_a_deleted_lock_object_stops_the_commits(s3: object) -> None:
    out = f"s3://{BUCKET}/out"
    with output_lock(out) as lease:
        (key,) = [k for k in s3.ls(f"{BUCKET}/out") if LOCK_NAME in k]  # type: ignore[attr-defined]
        s3.rm(key)  # type: ignore[attr-defined]
        # A second run gets in (nothing can stop it), but the first commits nothing more.
        with output_lock(out), pytest.raises(LockLost):
            lease.check()


def test_a_store_without_a_conditional_create_is_refused() -> None:
    with (
        pytest.raises(LockUnsupported, match="no conditional create"),
        output_lock("memory://newsetl-out"),
    ):
        pass
