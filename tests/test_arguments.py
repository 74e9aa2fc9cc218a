"""Wrong arguments stop `newsetl` before Prefect starts: exit 2, one line naming the path or
value; a mistyped option or command gets its own usage and a suggestion."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli import main
from flows.exit_codes import EXIT_USAGE

_PROBE = (
    "import sys\n"
    "from flows.cli import main\n"
    "status = main(sys.argv[1:])\n"
    "print('prefect imported' if 'prefect' in sys.modules else 'prefect not imported')\n"
    "sys.exit(status)\n"
)


def _newsetl(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "a.txt").write_text("Title\n\nBody text of a short article.\n")
    return folder


def test_wrong_paths_stop_before_prefect_starts(raw: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    cases = {
        ("--raw", str(tmp_path / "missing")): f"--raw {tmp_path / 'missing'}: no such folder",
        ("--raw", str(raw / "a.txt")): "is a file, not a folder",
        ("--raw", str(raw), "--out", str(raw)): "is inside --raw",
        ("--raw", str(raw), "--out", str(raw / "processed")): "is inside --raw",
        ("--raw", str(raw), "--out", str(blocker / "out")): f"{blocker} is a file",
        ("--raw", str(raw), "--max-bytes", "-5"): "--max-bytes must be a whole number from 1 to",
        ("--raw", str(raw), "--workers", "0"): "--workers must be a whole number from 1 to 256",
    }
    for argv, message in cases.items():
        out = () if "--out" in argv else ("--out", str(tmp_path / "out"))
        done = _newsetl("run", *argv, *out)
        assert done.returncode == EXIT_USAGE, (argv, done.stderr)
        assert message in done.stderr.replace("\n", " "), (argv, done.stderr)
        assert done.stdout.strip() == "prefect not imported"
        assert not (tmp_path / "out").exists()


def test_a_mistyped_option_gets_the_subcommand_usage_and_a_suggestion() -> None:
    done = _newsetl("run", "--worker", "3")
    assert done.returncode == EXIT_USAGE
    assert "usage: newsetl run" in done.stderr
    assert "unrecognized arguments: --worker 3; did you mean --workers?" in done.stderr


def test_no_abbreviations(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["config", "--work", "3"])
    assert stopped.value.code == EXIT_USAGE
    assert "did you mean --workers?" in capsys.readouterr().err


def test_a_mistyped_command_gets_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["rnu"])
    assert "invalid choice: 'rnu'" in (err := capsys.readouterr().err)
    assert "did you mean run?" in err
