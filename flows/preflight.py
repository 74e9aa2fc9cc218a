"""Checks of a run's arguments that take well under a second, made before Prefect starts:
a wrong path or value stops the run at once with one line naming it."""

from __future__ import annotations

import os

from flows.lock import output_lock
from flows.settings import Settings, SettingsError
from flows.storage import filesystem, is_local


def check_paths(settings: Settings) -> None:
    """Raise SettingsError unless `raw` is a readable folder and `out` a folder outside it
    that can be written (created when missing)."""
    if not is_local(settings.raw) or not is_local(settings.out):
        _check_remote(settings)
        return
    raw = os.path.realpath(filesystem(settings.raw)[1])
    out = os.path.realpath(filesystem(settings.out)[1])
    if not os.path.exists(raw):
        raise SettingsError(f"--raw {settings.raw}: no such folder")
    if not os.path.isdir(raw):
        raise SettingsError(f"--raw {settings.raw}: is a file, not a folder of raw inputs")
    if not os.access(raw, os.R_OK | os.X_OK):
        raise SettingsError(f"--raw {settings.raw}: cannot be read (permission denied)")
    if out == raw or out.startswith(raw + os.sep):
        raise SettingsError(
            f"--out {settings.out} is inside --raw {settings.raw}: "
            "the run would read its own output as input"
        )
    _check_writable(settings.out, out)


def _check_writable(given: str, out: str) -> None:
    existing = out
    while not os.path.exists(existing):
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing):
        raise SettingsError(f"--out {given}: {existing} is a file, so the folder cannot be made")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise SettingsError(f"--out {given}: {existing} cannot be written (permission denied)")


def _check_remote(settings: Settings) -> None:
    fs, root = filesystem(settings.raw)
    try:
        found = fs.isdir(root)
    except Exception as exc:  # any backend error (credentials, endpoint) is the answer
        raise SettingsError(f"--raw {settings.raw}: cannot be listed: {exc}") from None
    if not found:
        raise SettingsError(f"--raw {settings.raw}: no such folder")


def check_lock(settings: Settings) -> None:
    """Raise `flows.lock.OutputLocked` when another run holds the output (unless the run
    will wait)."""
    if settings.wait or not is_local(settings.out):
        return
    if not os.path.isdir(filesystem(settings.out)[1]):
        return
    with output_lock(settings.out):
        pass
