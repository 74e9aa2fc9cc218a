"""A flow run (a deployment's, the UI's) is a CLI run: the same checks before any task, typed
parameters with descriptions and defaults in the run form, the summary kept as the flow's
result, tasks named as the batches are, and --batch-size a maximum."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.pipeline import news_etl
from flows.planning import _cut
from flows.settings import DEFAULTS, NUMERIC_RANGES, SETTING_FIELDS, SettingsError
from flows.storage import FileEntry


def _entries(count: int) -> list[FileEntry]:
    return [FileEntry(f"site/{n:04d}.txt", 10, 0) for n in range(count)]


def test_batch_size_8_gives_batches_of_8() -> None:
    sizes = [len(chunk) for chunk in _cut(_entries(24), 8, 2)]
    assert sizes == [8, 8, 8]  # was 8, 10, 6: the small tail batches were 10


@given(st.integers(0, 400), st.integers(1, 300), st.integers(1, 16))
def test_batch_size_is_a_maximum(count: int, size: int, workers: int) -> None:
    entries = _entries(count)
    chunks = _cut(entries, size, workers)
    assert all(1 <= len(chunk) <= size for chunk in chunks)
    assert [e for chunk in chunks for e in chunk] == entries  # every input once, in order


def test_run_form_has_types_defaults_and_descriptions() -> None:
    schema = news_etl.parameters.model_dump_for_openapi()
    assert "required" not in schema  # every parameter has its default
    properties = schema["properties"]
    assert list(properties) == [f.name for f in SETTING_FIELDS]
    for setting in SETTING_FIELDS:
        shown = properties[setting.name]
        assert shown["default"] == DEFAULTS.as_parameters()[setting.name], setting.name
        assert shown["description"] == setting.metadata["parameter_help"], setting.name
    assert properties["raw"]["type"] == properties["out"]["type"] == "string"
    assert properties["raw"]["default"] == "data/raw"
    assert properties["batch_size"]["type"] == "integer"
    assert properties["full_refresh"]["type"] == "boolean"
    assert properties["runner"] == {
        "default": "local",
        "description": "where batches run: local processes, or a Dask cluster",
        "enum": ["local", "dask"],
        "position": 9,
        "title": "runner",
        "type": "string",
    }
    assert properties["entities"]["description"].startswith("find named entities")
    for name, (low, high) in NUMERIC_RANGES.items():
        assert (properties[name]["minimum"], properties[name]["maximum"]) == (low, high)


def test_a_value_out_of_range_fails_the_run_before_any_task(
    prefect_harness: None, tmp_path: Path
) -> None:
    state = news_etl(raw=str(tmp_path), out=str(tmp_path / "out"), workers=0, return_state=True)
    assert state.is_failed()
    assert str(state.message).endswith("- workers: Input should be greater than or equal to 1")
    assert _task_runs(state.state_details.flow_run_id) == []


def _task_runs(flow_run_id: Any) -> list[str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
    return sorted(r.name for r in runs)


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"raw": "{raw}/nope"}, "--raw {raw}/nope: no such folder"),
        ({"raw": "{raw}/site/a.txt"}, "--raw {raw}/site/a.txt: is a file, not a folder"),
        ({"out": "{raw}/out"}, "--out {raw}/out is inside --raw {raw}"),
    ],
)
def test_a_wrong_parameter_fails_the_run_before_any_task(
    prefect_harness: None, tmp_path: Path, parameters: dict[str, Any], message: str
) -> None:
    raw = tmp_path / "raw"
    (raw / "site").mkdir(parents=True)
    (raw / "site" / "a.txt").write_text("A title\n\nSome text here.\n")
    given = {"raw": str(raw), "out": str(tmp_path / "out"), "workers": 1}
    given |= {k: v.format(raw=raw) if isinstance(v, str) else v for k, v in parameters.items()}
    state = news_etl(**given, return_state=True)
    assert state.is_failed()
    assert str(state.message).startswith(message.format(raw=raw))
    with pytest.raises(SettingsError, match=r"^--"):
        state.result()
    assert _task_runs(state.state_details.flow_run_id) == []  # no plan, no retry
    assert not (tmp_path / "out").exists()


def test_the_summary_is_the_persisted_result_and_tasks_are_named(
    prefect_harness: None, tmp_path: Path
) -> None:
    from prefect.client.orchestration import get_client

    raw = tmp_path / "raw"
    (raw / "site").mkdir(parents=True)
    for n in range(3):
        (raw / "site" / f"{n}.txt").write_text(f"Title {n}\n\nThe body of page {n} is short.\n")
    state = news_etl(
        raw=str(raw), out=str(tmp_path / "out"), workers=1, batch_size=2, entities=False,
        return_state=True,
    )  # fmt: skip
    assert state.is_completed()
    flow_run_id = state.state_details.flow_run_id
    assert flow_run_id is not None
    with get_client(sync_client=True) as client:
        stored = client.read_flow_run(flow_run_id).state
    assert stored is not None and stored.data is not None  # the result is persisted
    summary = stored.result()
    assert summary["inputs_planned"] == 3
    assert summary["table_rows"]["articles"] == 3
    assert _task_runs(flow_run_id) == [
        "batch 1/2 (2 inputs)",
        "batch 2/2 (1 input)",
        "commit batch 1/2 (2 inputs)",
        "commit batch 2/2 (1 input)",
        "merge entities",
        "plan",
    ]
