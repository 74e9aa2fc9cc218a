"""What `newsetl run` tells people: sizes with units, `--version`, plain lines that are never
wrapped or cut, the model loading shown, and after a run where the tables are and what next."""

from __future__ import annotations

import io
import json
import os
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.cli import main
from flows.console import ConsoleProgress, make_console, next_steps, print_summary
from flows.settings import SIZE_UNITS, format_size, parse_size
from flows.version import version_text
from transforms.schema import PIPELINE_VERSION


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("52428800", 52_428_800),
        ("50MB", 50_000_000),
        ("50 MB", 50_000_000),
        ("50 mb", 50_000_000),
        ("50MiB", 52_428_800),
        ("1.5GiB", 1_610_612_736),
        ("10 kB", 10_000),
        ("2KiB", 2048),
        ("7 B", 7),
        ("-5", -5),  # read, so that the range check names it
    ],
)
def test_sizes_accept_units(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "MB", "50 XB", "fifty", "5 0MB", "--5MB", "1e6"])
def test_a_size_that_is_not_one_names_the_units(text: str) -> None:
    with pytest.raises(ValueError, match=r"not a size: .* MiB"):
        parse_size(text)


@given(st.integers(0, 2**62), st.sampled_from(sorted(SIZE_UNITS)), st.booleans())
def test_a_whole_number_of_any_unit_is_exact(number: int, unit: str, space: bool) -> None:
    text = f"{number}{' ' if space else ''}{unit.upper()}"
    assert parse_size(text) == number * SIZE_UNITS[unit]


@given(st.integers(1, 2**50))
def test_a_formatted_size_reads_back(size: int) -> None:
    assert parse_size(format_size(size).replace(",", "").removesuffix("ytes")) == size


def test_max_bytes_takes_a_unit_on_the_command_line_and_in_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config", "--json", "--max-bytes", "50MB"]) == 0
    assert json.loads(capsys.readouterr().out)["max_bytes"]["value"] == 50_000_000
    monkeypatch.setenv("NEWSETL_MAX_BYTES", "1.5 GiB")
    assert main(["config", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["max_bytes"] == {
        "value": 1_610_612_736,
        "source": "env",
    }
    with pytest.raises(SystemExit) as stopped:
        main(["run", "--max-bytes", "50 XB"])
    assert stopped.value.code == 2
    assert "argument --max-bytes: not a size: '50 XB'" in capsys.readouterr().err


def test_run_help_shows_the_size_default_in_a_unit(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    assert "(default 50 MiB)" in " ".join(capsys.readouterr().out.split())


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    shown = capsys.readouterr().out.strip()
    assert shown == version_text()
    assert shown.startswith("newsetl 0.")
    assert f"(pipeline {PIPELINE_VERSION}, entity model en_" in shown
    assert "Prefect 3." in shown


def test_plain_output_is_never_wrapped_or_cut() -> None:
    sink = io.StringIO()
    console = make_console(file=sink)
    url = "http://127.0.0.1:4210/flow-runs/flow-run/" + "6320622c-c65a-4c35-98a7-e8bb6005e92a" * 3
    console.print(f"  5.4s flow run {url}", highlight=False)
    example = "site/" + "a-very-long-folder-name/" * 12 + "page.html: file holds NUL bytes"
    print_summary(_summary(rejects={"binary_content": example}), 1.0, console, "data/processed")
    lines = sink.getvalue().splitlines()
    assert lines[0] == f"  5.4s flow run {url}"
    assert any(line.endswith(f"│ {example} │") for line in lines), lines
    assert not any("…" in line for line in lines)


def _summary(planned: int = 3, rejects: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "run_id": "20240501T000000-test",
        "inputs_found": 3,
        "inputs_planned": planned,
        "rows_added": {"articles": planned},
        "table_rows": {"articles": 3},
        "rejects_by_reason": dict.fromkeys(rejects or {}, 1),
        "reject_examples": rejects or {},
        "failed_batches": {},
        "notes": {},
        "deleted_inputs": 0,
        "pruned_inputs": 0,
        "duplicates": 0,
        "seconds": 1.0,
    }


def test_after_a_run_the_summary_names_the_tables_and_what_next() -> None:
    lines = next_steps(_summary(), "data/processed")
    assert lines[0] == (
        f"Tables: {os.path.abspath('data/processed')} (articles, entities, mentions, links, "
        "rejects)"
    )
    assert lines[1].startswith("Next: newsetl report   (")
    assert lines[2].startswith("      newsetl sql      (")
    elsewhere = next_steps(_summary(), "/srv/news out")
    assert elsewhere[1].startswith("Next: newsetl report --out '/srv/news out'   (")
    assert next_steps(_summary(), "s3://bucket/processed")[0].startswith(
        "Tables: s3://bucket/processed ("
    )


def test_a_run_with_nothing_to_do_says_how_to_reprocess() -> None:
    (nothing, *_) = next_steps(_summary(planned=0), "/srv/out")
    assert nothing == (
        "Nothing new to process: the 3 inputs are unchanged since they were processed. "
        "To process them again: newsetl run --full-refresh --out /srv/out"
    )
    assert not next_steps(_summary(planned=3), "/srv/out")[0].startswith("Nothing")


def test_plain_progress_says_when_the_model_has_loaded(capsys: pytest.CaptureFixture[str]) -> None:
    progress = ConsoleProgress(started=0.0)
    assert not progress.live  # stderr is captured: plain lines
    progress.start(20, "loading the entity model in 2 workers")
    progress.advance(2)
    progress.advance(18)
    lines = [line.split("s ", 1)[1] for line in capsys.readouterr().err.splitlines()]
    assert lines == [
        "processing 20 inputs; loading the entity model in 2 workers…",
        "loading the entity model in 2 workers: done, first inputs processed",
        "2/20 inputs (10%)",
        "20/20 inputs (100%)",
    ]
