"""No file of the repository names a path of one machine: the workplace, a home folder, the
root user's. Data beside the checkout is found relative to it (`tests/conftest.py`'s
`../shared`), example paths in docs are neutral (`/srv/...`, `/data/in`)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# A path into this workplace (`work`), a user's home (`home/x`, `Users/x`) or root's.
MACHINE_PATH = re.compile(r"(?<![\w.~/-])/(?:work|root|home/[^/\s]+|Users/[^/\s]+)/")


_NOT_OURS = {".git", ".venv", ".tools", "__pycache__", ".mypy_cache", ".ruff_cache"}


def tracked_text_files() -> list[Path]:
    """Every file git tracks (or will: untracked but not ignored) that is text; outside a
    git checkout (an exported tree), every file but tools' folders."""
    done = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if done.returncode == 0:
        listed = done.stdout.splitlines()
    else:
        listed = [
            str(p.relative_to(REPO))
            for p in REPO.rglob("*")
            if not _NOT_OURS.intersection(p.relative_to(REPO).parts)
        ]
    files = []
    for name in listed:
        path = REPO / name
        if not path.is_file() or name == "uv.lock":  # the lock file's URLs are not paths
            continue
        if b"\0" not in path.read_bytes()[:8192]:
            files.append(path)
    return files


def machine_paths(text: str) -> list[str]:
    """The machine paths a text names."""
    return [m.group(0) for m in MACHINE_PATH.finditer(text)]


def test_no_file_names_a_machine_path() -> None:
    files = tracked_text_files()
    assert len(files) > 100  # git listed the repository
    found = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()[:120]}"
        for path in files
        for number, line in enumerate(path.read_text("utf-8", "replace").splitlines(), 1)
        if machine_paths(line)
    ]
    assert found == []


def test_the_rule_knows_a_machine_path_from_an_example() -> None:
    s = "/"  # the examples are built, so that this file names no machine path itself
    assert machine_paths(f'SEEDS = Path("{s}work/shared/seeds")') == [f"{s}work/"]
    assert machine_paths(f"see {s}home/me/newsetl and {s}Users/ann/x") == [
        f"{s}home/me/",
        f"{s}Users/ann/",
    ]
    assert machine_paths(f"{s}root/.cache/x") == [f"{s}root/"]
    assert machine_paths("--out /srv/news --raw /data/in s3://work/x a/work/b") == []
