"""Shared fixtures: a Prefect test harness for the session, and small raw trees."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="newsetl-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
# A newsetl server a test's run starts stops itself a minute after its last run.
os.environ.setdefault("NEWSETL_SERVER_IDLE_MINUTES", "1")

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
