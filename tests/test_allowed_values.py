"""The values a column allows, as DATA.md states them, are those the code writes: each list
is a `Literal` of `transforms.records`, the schema's description is built from it, and the
code writes every value of it and no other (read from the source: every literal stage given to
`Reject` or to a function whose parameter is a `RejectStage`)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from flows.analysis.data_dictionary import data_dictionary_markdown
from transforms.records import DateSource, LinkKind, RejectStage, SourceFormat
from transforms.schema import TABLE_SCHEMAS, allowed_values

ROOT = Path(__file__).resolve().parents[1]
COLUMNS: list[tuple[str, str, Any]] = [
    ("articles", "source_format", SourceFormat),
    ("articles", "published_at_source", DateSource),
    ("links", "kind", LinkKind),
    ("rejects", "stage", RejectStage),
]


def description(table: str, column: str) -> str:
    field = TABLE_SCHEMAS[table].field(column)
    assert field.metadata is not None
    return str(field.metadata[b"description"].decode())


@pytest.mark.parametrize(("table", "column", "kind"), COLUMNS)
def test_the_dictionary_names_every_allowed_value(table: str, column: str, kind: Any) -> None:
    text = description(table, column)
    for value in allowed_values(kind):
        assert value in text, f"{table}.{column}: {value!r} is not in {text!r}"
    row = next(
        line
        for line in data_dictionary_markdown().split(f"## {table}\n", 1)[1].splitlines()
        if line.startswith(f"| `{column}` |")
    )
    assert all(value in row for value in allowed_values(kind))


def _stage_parameters(trees: list[ast.Module]) -> dict[str, int]:
    """Functions taking a stage: `Reject` (its first field) and every function with a
    parameter annotated `RejectStage`, with that parameter's position."""
    found = {"Reject": 0}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                for number, arg in enumerate(node.args.args):
                    if arg.annotation is not None and ast.unparse(arg.annotation) == "RejectStage":
                        found[node.name] = number
    return found


def reject_stages_written() -> dict[str, list[str]]:
    """Every literal stage the product passes to a function taking one, with where."""
    paths = sorted([*(ROOT / "flows").rglob("*.py"), *(ROOT / "transforms").rglob("*.py")])
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in paths]
    takers = _stage_parameters(trees)
    found: dict[str, list[str]] = {}
    for path, tree in zip(paths, trees, strict=True):
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in takers or len(node.args) <= takers[name]:
                continue
            stage = node.args[takers[name]]
            if isinstance(stage, ast.Constant) and isinstance(stage.value, str):
                found.setdefault(stage.value, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_the_code_writes_every_reject_stage_and_no_other() -> None:
    written = reject_stages_written()
    assert sorted(written) == sorted(allowed_values(RejectStage)), written
    stated = description("rejects", "stage")
    assert stated == f"Stage that refused the input: {' | '.join(allowed_values(RejectStage))}."
