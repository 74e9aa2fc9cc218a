"""The analyses in examples/ run on a small processed folder and find what is in it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.analyst_fixtures import processed  # noqa: F401  (session fixture)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples"))

import cooccurrence_this_week  # noqa: E402
import sites_linking  # noqa: E402
import syndicated_stories  # noqa: E402


def test_who_is_mentioned_with_whom(processed: Path) -> None:  # noqa: F811
    pairs = cooccurrence_this_week.mentioned_together(str(processed), days=7)
    names = {(a, b) for a, b, _, _ in pairs} | {(b, a) for a, b, _, _ in pairs}
    assert any("Putin" in a and b == "Xi Jinping" for a, b in names)


def test_sites_linking_to_each_other(processed: Path) -> None:  # noqa: F811
    links = {(a, b) for a, b, _ in sites_linking.site_links(str(processed))}
    assert ("South Post", "North Ledger") in links
    assert ("North Ledger", "South Post") in links


def test_syndicated_stories(processed: Path) -> None:  # noqa: F811
    stories = syndicated_stories.syndicated(str(processed))
    assert [(title, copies) for _, title, copies, _ in stories] == [
        ("Putin and Xi meet in Beijing for energy talks", 1)
    ]


@pytest.mark.parametrize(
    "script", ["cooccurrence_this_week.py", "sites_linking.py", "syndicated_stories.py"]
)
def test_example_runs_as_a_script(processed: Path, script: str) -> None:  # noqa: F811
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / script), str(processed)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
