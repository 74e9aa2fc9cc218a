"""The HTML report: every figure is built, embedded, and decodes in headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from flows.analysis.report import FIGURES, write_report
from flows.cli import main
from tests.analyst_fixtures import processed  # noqa: F401  (session fixture)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium(page: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM
    profile = tmp_path / f"profile{len(list(tmp_path.glob('profile*')))}"
    command = [CHROMIUM, *_FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_report_embeds_every_figure(processed: Path, tmp_path: Path) -> None:  # noqa: F811
    page = Path(write_report(str(processed), str(tmp_path / "report.html")))
    text = page.read_text()
    images = re.findall(
        r"<img class='figure' id='fig-([\w-]+)'[^>]*src='data:image/png;base64,", text
    )
    assert len(images) == len(FIGURES) == 6
    assert "<script src" not in text and "<link" not in text  # self-contained


def test_report_command_default_path(processed: Path) -> None:  # noqa: F811
    assert main(["report", "--out", str(processed)]) == 0
    assert (processed / "_report.html").exists()


def test_empty_output_still_draws_every_figure(tmp_path: Path) -> None:
    page = Path(write_report(str(tmp_path / "empty"), str(tmp_path / "empty.html")))
    assert page.read_text().count("data:image/png;base64,") == len(FIGURES)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_report_renders_in_headless_chromium(processed: Path, tmp_path: Path) -> None:  # noqa: F811
    page = Path(write_report(str(processed), str(tmp_path / "report.html")))
    dom = _chromium(page, tmp_path, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    body = re.search(r"<body[^>]*>", dom.stdout)
    assert body, dom.stdout[:2000]
    assert f'data-figures="{len(FIGURES)}"' in body.group()
    assert 'data-loaded="true"' in body.group(), body.group()
    screenshot = tmp_path / "report.png"
    shot = _chromium(page, tmp_path, f"--screenshot={screenshot}", "--window-size=1200,3000")
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert screenshot.stat().st_size > 10_000
