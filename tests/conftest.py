"""Shared fixtures: a Prefect test harness for the session, and small raw trees."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# A Prefect home of the session's own unless one is given; removed when the session ends.
_OWN_PREFECT_HOME = (
    None if "PREFECT_HOME" in os.environ else tempfile.mkdtemp(prefix="newsetl-prefect-")
)
if _OWN_PREFECT_HOME:
    os.environ["PREFECT_HOME"] = _OWN_PREFECT_HOME
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
# A newsetl server a test's run starts stops itself a minute after its last run.
os.environ.setdefault("NEWSETL_SERVER_IDLE_MINUTES", "1")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Stop the newsetl server a test's run started in the session's Prefect home, and remove
    the home: a test session leaves nothing behind in the temporary folder."""
    if _OWN_PREFECT_HOME:
        from flows.server import stop_server

        stop_server()
        shutil.rmtree(_OWN_PREFECT_HOME, ignore_errors=True)


SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect API for every flow test of the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def seed_pages() -> list[Path]:
    """The shared sample pages, when the shared folder is beside the checkout."""
    pages = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not pages:
        pytest.skip("../shared/seeds is not beside this checkout")
    return pages
