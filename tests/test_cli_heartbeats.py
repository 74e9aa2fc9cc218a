"""`newsetl run` sends no flow-run heartbeats unless they are configured: they drive only a
zombie-detection automation, and joining their thread cost up to a second at each run's end."""

from __future__ import annotations

import pytest
from prefect.settings import get_current_settings

from flows.cli import _without_heartbeats


def test_a_cli_run_has_no_heartbeats_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", raising=False)
    monkeypatch.delenv("PREFECT_RUNNER_HEARTBEAT_FREQUENCY", raising=False)
    before = get_current_settings().flows.heartbeat_frequency
    with _without_heartbeats():
        assert get_current_settings().flows.heartbeat_frequency is None
    assert get_current_settings().flows.heartbeat_frequency == before == 180


@pytest.mark.parametrize(
    "variable", ["PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY"]
)
def test_configured_heartbeats_are_kept(monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.setenv(variable, "60")  # read by Prefect when a process starts: not here
    with _without_heartbeats():
        assert get_current_settings().flows.heartbeat_frequency == 180  # left as configured
