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


def _parse(value: str, kind: Any) -> Any:
    if kind in (bool, "bool"):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if kind in (int, "int"):
        return int(value)
    return value


def load_settings(**overrides: Any) -> Settings:
    """Defaults, then `NEWSETL_*` environment variables, then explicit overrides (not None)."""
    settings = Settings()
    from_env = {}
    for field in fields(Settings):
        value = os.environ.get(ENV_PREFIX + field.name.upper())
        if value is not None:
            from_env[field.name] = _parse(value, field.type)
    settings = replace(settings, **from_env)
    given = {k: v for k, v in overrides.items() if v is not None}
    settings = replace(settings, **given)
    if settings.batch_size < 1 or settings.workers < 1:
        raise ValueError("batch_size and workers must be at least 1")
    if settings.runner not in {"local", "dask"}:
        raise ValueError(f"runner must be 'local' or 'dask', not {settings.runner!r}")
    return settings
