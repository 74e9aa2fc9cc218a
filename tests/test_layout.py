"""The output folder's layout has one owner, `flows.layout`: names to paths and back, every
folder a run writes is one it names, and no other module of the product spells a name."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from flows import layout
from tests.helpers import run_pipeline
from transforms.schema import TABLE_SCHEMAS

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "raw"
# The private state a run leaves beside the tables.
STATE_NAMES = (
    layout.MANIFEST_DIR,
    layout.DEDUP_DIR,
    layout.VOTES_DIR,
    layout.RUNS_DIR,
    layout.STAGING_DIR,
    layout.LOCK_NAME,
)
NAMES = (*STATE_NAMES, layout.REPORT_NAME, layout.ENTITY_FILE)
# A name where a path spells it: not inside a word (`check_lock` is no lock file).
SPELLED = re.compile("|".join(rf"(?<![\w-]){re.escape(n)}" for n in (*NAMES, "part-", "batch-")))
batch_ids = st.text("0123456789abcdef", min_size=1, max_size=16)
days = st.dates().map(lambda d: d.isoformat())


@given(batch_ids, days, st.sampled_from(layout.row_tables()))
def test_a_table_file_names_its_home_and_day(batch_id: str, day: str, table: str) -> None:
    path = f"/out/{layout.table_file(table, day, batch_id)}"
    assert layout.batch_of(path) == batch_id
    assert layout.day_of(path) == day
    assert layout.folder_of(path, "/out") == table


@given(batch_ids, st.sampled_from(layout.STATE_FOLDERS))
def test_a_state_file_names_its_home(batch_id: str, folder: str) -> None:
    path = f"s3://bucket/out/{layout.state_file(folder, batch_id)}"
    assert layout.batch_of(path) == batch_id
    assert layout.day_of(path) is None
    assert layout.folder_of(path, "s3://bucket/out") == folder


def test_other_files_have_no_home() -> None:
    assert layout.batch_of(layout.entities_file("2024-05-01")) is None
    assert layout.day_of(layout.entities_file("2024-05-01")) == "2024-05-01"
    assert layout.batch_of(layout.staged_entities_file("abc")) is None
    assert layout.batch_of(layout.staged_file("abc", 3)) is None
    assert layout.remote_lock_number(layout.remote_lock(12)) == 12
    assert layout.remote_lock_number(layout.LOCK_NAME) is None


def test_every_folder_a_run_writes_is_named_by_the_layout(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_pipeline(FIXTURES, out)
    written = {p.name for p in out.iterdir()}
    assert set(layout.row_tables()) <= written  # entities only with the model
    assert written <= {*TABLE_SCHEMAS, *STATE_NAMES}
    assert all(layout.batch_of(str(p)) for p in (out / layout.MANIFEST_DIR).glob("*.parquet"))


def _spelled_names(path: Path) -> list[str]:
    """The string literals of a module (docstrings aside) that hold a layout name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and SPELLED.search(node.value)
    ]


def test_no_other_module_spells_a_layout_name() -> None:
    modules = [p for p in sorted((ROOT / "flows").rglob("*.py")) if p.name != "layout.py"]
    found = [hit for path in modules for hit in _spelled_names(path)]
    assert found == []
