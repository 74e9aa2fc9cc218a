"""Settings: defaults, then NEWSETL_* environment variables, then CLI options / parameters."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from flows.cli import main
from flows.settings import SETTING_NAMES, Settings, load_settings, resolve_settings


@pytest.fixture(autouse=True)
def _no_newsetl_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SETTING_NAMES:
        monkeypatch.delenv(f"NEWSETL_{name.upper()}", raising=False)


def test_defaults_when_nothing_is_given() -> None:
    settings, sources = resolve_settings()
    assert settings == Settings()
    assert set(sources.values()) == {"default"}


def test_env_overrides_default_and_cli_overrides_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSETL_WORKERS", "3")
    monkeypatch.setenv("NEWSETL_BATCH_SIZE", "50")
    monkeypatch.setenv("NEWSETL_ENTITIES", "false")
    monkeypatch.setenv("NEWSETL_RAW", "s3://bucket/raw")
    settings, sources = resolve_settings(batch_size=10, out=None)
    assert settings.workers == 3 and sources["workers"] == "env"
    assert settings.batch_size == 10 and sources["batch_size"] == "cli"
    assert settings.entities is False and sources["entities"] == "env"
    assert settings.raw == "s3://bucket/raw"
    assert settings.out == Settings().out and sources["out"] == "default"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"workers": 0}, "--workers must be a whole number from 1 to 256, not 0"),
        ({"max_bytes": -5}, "--max-bytes must be a whole number from 1 to 4,294,967,296, not -5"),
        ({"batch_size": 0}, "--batch-size"),
        ({"runner": "spark"}, "runner"),
        ({"colour": "red"}, "unknown"),
    ],
)
def test_invalid_settings_are_refused(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_settings(**overrides)


def test_bad_integer_in_env_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSETL_WORKERS", "many")
    with pytest.raises(ValueError, match="NEWSETL_WORKERS"):
        load_settings()


def test_flow_parameters_are_the_settings_fields() -> None:
    from flows.pipeline import news_etl

    assert tuple(news_etl.parameters.properties) == SETTING_NAMES


def test_config_command_prints_values_and_sources(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSETL_WORKERS", "4")
    assert main(["config", "--json", "--raw", "/data/in", "--no-entities"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["raw"] == {"value": "/data/in", "source": "cli"}
    assert shown["workers"] == {"value": 4, "source": "env"}
    assert shown["entities"] == {"value": False, "source": "cli"}
    assert shown["out"]["source"] == "default"
    assert main(["config"]) == 0
    assert "workers" in capsys.readouterr().out


def test_config_command_refuses_bad_values(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "--workers", "0"]) == 2


def test_deployment_parameters_are_settings_fields() -> None:
    import yaml

    from flows.pipeline import news_etl

    config = yaml.safe_load((Path(__file__).resolve().parents[1] / "prefect.yaml").read_text())
    (deployment,) = config["deployments"]
    assert deployment["entrypoint"] == "flows/pipeline.py:news_etl"
    assert set(deployment["parameters"]) <= set(SETTING_NAMES)
    for name, value in deployment["parameters"].items():
        assert value == getattr(Settings(), name), name  # the deployment shows the defaults
    assert news_etl.fn.__name__ == "news_etl"


def test_cli_options_are_the_settings_fields() -> None:
    from flows.cli import build_parser

    subparsers = build_parser()._subparsers
    assert subparsers is not None
    commands = subparsers._group_actions[0]
    assert isinstance(commands, argparse._SubParsersAction)
    run = commands.choices["run"]
    destinations = {a.dest for a in run._actions if a.option_strings and a.dest != "help"}
    assert destinations == {*SETTING_NAMES, "quiet"}
