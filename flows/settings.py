"""One settings object for the CLI, environment variables (NEWSETL_*) and deployment
parameters: each field declares its help text once, and the CLI options, the flow's
parameters and `prefect.yaml` derive from the fields (a test checks the last)."""

from __future__ import annotations

import os
import re
from dataclasses import MISSING, Field, asdict, dataclass, field, fields, replace
from typing import Any, Literal, get_args

from transforms.text.decoding import DEFAULT_MAX_BYTES

ENV_PREFIX = "NEWSETL_"
Runner = Literal["local", "dask"]


def _setting(
    default: Any,
    help: str,
    metavar: str | None = None,
    choices: tuple[str, ...] | None = None,
    parameter_help: str | None = None,
) -> Any:
    """A field whose help is the CLI option's; `parameter_help` is the flow parameter's when
    the two differ (a flag named for turning the setting off)."""
    metadata = {"help": help, "metavar": metavar, "choices": choices}
    return field(default=default, metadata=metadata | {"parameter_help": parameter_help or help})


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a run can be told; every field is also `NEWSETL_<FIELD>` in the environment."""

    raw: str = _setting("data/raw", "raw input folder (any depth) or fsspec URL", "PATH")
    out: str = _setting("data/processed", "output folder or fsspec URL", "PATH")
    batch_size: int = _setting(
        200, "most inputs per Prefect task (the last batches are smaller)", "N"
    )
    workers: int = _setting(2, "processes working on batches", "N")
    full_refresh: bool = _setting(False, "reprocess every input, not only new or changed ones")
    entities: bool = _setting(
        True,
        "skip named-entity recognition (entities and mentions stay empty)",  # --no-entities
        parameter_help="find named entities (false: entities and mentions stay empty)",
    )
    max_bytes: int = _setting(
        DEFAULT_MAX_BYTES,
        "size cap per input, after gunzip: bytes, or with a unit (50MB, 50 MiB, 1.5GiB)",
        "SIZE",
        parameter_help="size cap per input in bytes, after gunzip",
    )
    prune: bool = _setting(False, "remove the rows of inputs deleted from the raw folder")
    wait: bool = _setting(False, "wait for another run on the same output instead of failing")
    runner: Runner = _setting(  # noqa: RUF009 (a dataclasses.field, as every one here)
        "local", "where batches run: local processes, or a Dask cluster", choices=get_args(Runner)
    )
    address: str | None = _setting(None, "Dask scheduler address (default: a LocalCluster)", "URL")

    def as_dict(self) -> dict[str, Any]:
        """The settings as plain values (for a deployment's parameters or printing)."""
        return asdict(self)

    def as_parameters(self) -> dict[str, Any]:
        """The settings as the flow's parameters (no Dask address: an empty string)."""
        return asdict(self) | {"address": self.address or ""}


SETTING_FIELDS: tuple[Field[Any], ...] = fields(Settings)
SETTING_NAMES: tuple[str, ...] = tuple(f.name for f in SETTING_FIELDS)
RUNNERS: tuple[str, ...] = get_args(Runner)
DEFAULTS = Settings()


def parameters_docstring(summary: str) -> str:
    """A flow's docstring: `summary`, then an "Args:" section (Google style, which Prefect
    reads into the run form) with each setting's parameter help."""
    lines = [summary.strip(), "", "Args:"]
    lines += [f"    {f.name}: {f.metadata['parameter_help']}" for f in SETTING_FIELDS]
    return "\n".join(lines) + "\n"


class SettingsError(ValueError):
    """A setting's value is wrong: the message names it."""


SIZE_UNITS = {
    "b": 1,
    "kb": 10**3,
    "mb": 10**6,
    "gb": 10**9,
    "tb": 10**12,
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
    "tib": 2**40,
}
_SIZE = re.compile(r"\s*(-?(?:\d+(?:\.\d+)?|\.\d+))\s*([a-z]*)\s*", re.IGNORECASE)


def format_size(size: int) -> str:
    """A size as people write it: "50 MiB" when a binary unit divides it, else bytes."""
    for unit in ("TiB", "GiB", "MiB", "KiB"):
        scale = SIZE_UNITS[unit.lower()]
        if size >= scale and size % scale == 0:
            return f"{size // scale:,} {unit}"
    return f"{size:,} bytes"


def parse_size(text: str) -> int:
    """Bytes from "52428800", "50MB" (10^6 bytes a MB), "50 MiB" (2^20) or "1.5GiB"; raises
    ValueError naming the units it knows (a negative size is read: the range check says
    what is wrong with it)."""
    match = _SIZE.fullmatch(text)
    unit = match.group(2).lower() if match else ""
    if not match or (unit and unit not in SIZE_UNITS):
        raise ValueError(
            f"not a size: {text!r} (a number of bytes, or with a unit: "
            f"{', '.join(u.upper().replace('I', 'i') for u in SIZE_UNITS)})"
        )
    number, scale = match.group(1), SIZE_UNITS[unit or "b"]
    whole = number.lstrip("-").isdigit()
    return int(number) * scale if whole else int(float(number) * scale)


def _parse(name: str, value: str, kind: Any) -> Any:
    if name == "max_bytes":
        try:
            return parse_size(value)
        except ValueError as exc:
            raise SettingsError(f"{ENV_PREFIX}{name.upper()}: {exc}") from None
    if kind in (bool, "bool"):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if kind in (int, "int"):
        try:
            return int(value)
        except ValueError:
            raise SettingsError(
                f"{ENV_PREFIX}{name.upper()} must be an integer, not {value!r}"
            ) from None
    if kind == "str | None" and not value:
        return None
    return value


def default_of(setting: Field[Any]) -> Any:
    """A setting's default value."""
    return None if setting.default is MISSING else setting.default


def resolve_settings(**overrides: Any) -> tuple[Settings, dict[str, str]]:
    """The effective settings and where each value came from: "default", "env" or "cli".

    Defaults, then `NEWSETL_*` environment variables, then explicit overrides (CLI options or
    deployment parameters; None means "not given"). Raises SettingsError on a bad value.
    """
    unknown = set(overrides) - set(SETTING_NAMES)
    if unknown:
        raise SettingsError(f"unknown settings: {', '.join(sorted(unknown))}")
    sources = dict.fromkeys(SETTING_NAMES, "default")
    values: dict[str, Any] = {}
    for setting in SETTING_FIELDS:
        value = os.environ.get(ENV_PREFIX + setting.name.upper())
        if value is not None:
            values[setting.name] = _parse(setting.name, value, setting.type)
            sources[setting.name] = "env"
    for name, value in overrides.items():
        if value is not None:
            values[name] = value
            sources[name] = "cli"
    settings = replace(Settings(), **values)
    check_values(settings)
    return settings, sources


# The range of each numeric setting. Above these, a value is a typo, not a wish: no input
# above 4 GiB can be held in memory to be parsed, and Prefect does not take 100k-input tasks.
NUMERIC_RANGES: dict[str, tuple[int, int]] = {
    "batch_size": (1, 100_000),
    "workers": (1, 256),
    "max_bytes": (1, 4 * 1024**3),
}


def check_values(settings: Settings) -> None:
    """Raise SettingsError when a value is out of range or a path is empty."""
    for name, (low, high) in NUMERIC_RANGES.items():
        value = getattr(settings, name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise SettingsError(
                f"--{name.replace('_', '-')} must be a whole number from {low:,} to {high:,}, "
                f"not {value!r}"
            )
    for name in ("raw", "out"):
        value = getattr(settings, name)
        if not isinstance(value, str) or not value.strip():
            raise SettingsError(f"--{name} is empty: give a folder or URL ({value!r} was given)")
    if settings.runner not in RUNNERS:
        raise SettingsError(
            f"--runner must be one of {', '.join(RUNNERS)}, not {settings.runner!r}"
        )


def load_settings(**overrides: Any) -> Settings:
    """Defaults, then `NEWSETL_*` environment variables, then explicit overrides (not None)."""
    return resolve_settings(**overrides)[0]
