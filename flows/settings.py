"""One settings object for the CLI, environment variables (NEWSETL_*) and deployment parameters."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from transforms.decoding import DEFAULT_MAX_BYTES

ENV_PREFIX = "NEWSETL_"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a run can be told; every field is also `NEWSETL_<FIELD>` in the environment."""

    raw: str = "data/raw"
    out: str = "data/processed"
    batch_size: int = 200
    workers: int = 2
    full_refresh: bool = False
    entities: bool = True
    max_bytes: int = DEFAULT_MAX_BYTES
    runner: str = "local"
    address: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The settings as plain values (for a deployment's parameters or printing)."""
        return asdict(self)


SETTING_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Settings))


def _parse(name: str, value: str, kind: Any) -> Any:
    if kind in (bool, "bool"):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if kind in (int, "int"):
        try:
            return int(value)
        except ValueError:
            raise ValueError(
                f"{ENV_PREFIX}{name.upper()} must be an integer, not {value!r}"
            ) from None
    if kind == "str | None" and not value:
        return None
    return value


def resolve_settings(**overrides: Any) -> tuple[Settings, dict[str, str]]:
    """The effective settings and where each value came from: "default", "env" or "cli".

    Defaults, then `NEWSETL_*` environment variables, then explicit overrides (CLI options or
    deployment parameters; None means "not given").
    """
    unknown = set(overrides) - set(SETTING_NAMES)
    if unknown:
        raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
    sources = dict.fromkeys(SETTING_NAMES, "default")
    values: dict[str, Any] = {}
    for field in fields(Settings):
        value = os.environ.get(ENV_PREFIX + field.name.upper())
        if value is not None:
            values[field.name] = _parse(field.name, value, field.type)
            sources[field.name] = "env"
    for name, value in overrides.items():
        if value is not None:
            values[name] = value
            sources[name] = "cli"
    settings = replace(Settings(), **values)
    if settings.batch_size < 1 or settings.workers < 1:
        raise ValueError("batch_size and workers must be at least 1")
    if settings.runner not in {"local", "dask"}:
        raise ValueError(f"runner must be 'local' or 'dask', not {settings.runner!r}")
    return settings, sources


def load_settings(**overrides: Any) -> Settings:
    """Defaults, then `NEWSETL_*` environment variables, then explicit overrides (not None)."""
    return resolve_settings(**overrides)[0]
