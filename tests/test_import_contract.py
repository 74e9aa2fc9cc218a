"""The import contract: which part of the code may import which (every `import` statement,
those inside functions too, read from the source).

- `transforms` never imports `flows` (nor Prefect): it is pure;
- the stages of `transforms` import downwards only: `text` imports no other stage, `html`,
  `entities` and `parse` import the stages listed below, `output` may import every stage;
  what is at the top (`records`, `ids`, the `schema` package) imports no stage;
- nothing in the product (`flows`, `transforms`, `newsetl`) imports `bench` or `tests`, and
  `bench` never imports `tests`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("text", "html", "entities", "parse", "output")
# The stages each stage may import (itself and the top-level modules always).
STAGE_IMPORTS: dict[str, frozenset[str]] = {
    "text": frozenset(),
    "html": frozenset({"text"}),
    "entities": frozenset({"text"}),
    "parse": frozenset({"text", "html"}),
    "output": frozenset(STAGES),
}
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "transforms": ("flows", "prefect", "bench", "tests", "newsetl"),
    "flows": ("bench", "tests"),
    "newsetl": ("bench", "tests"),
    "bench": ("tests",),
}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every absolute module a Python file imports, with its line."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def stage_of(module: str) -> str | None:
    """The stage of a `transforms` module (None for the top-level modules and the rest)."""
    parts = module.split(".")
    if parts[0] == "transforms" and len(parts) > 1 and parts[1] in STAGES:
        return parts[1]
    return None


def violations(root: Path = ROOT) -> list[str]:
    """Every import that breaks the contract, as `file:line imports module (rule)`."""
    found: list[str] = []
    for folder, forbidden in FORBIDDEN.items():
        for path in sorted((root / folder).rglob("*.py")):
            relative = path.relative_to(root)
            own = stage_of(".".join(relative.with_suffix("").parts))
            for line, module in imported_modules(path):
                top = module.split(".")[0]
                if top in forbidden:
                    found.append(
                        f"{relative}:{line} imports {module} ({folder} never imports {top})"
                    )
                    continue
                if folder != "transforms" or top != "transforms":
                    continue
                target = stage_of(module)
                if target is None or target == own:
                    continue
                allowed = STAGE_IMPORTS[own] if own else frozenset()
                if target not in allowed:
                    where = f"transforms.{own}" if own else "a top-level module"
                    found.append(f"{relative}:{line} imports {module} ({where} never imports it)")
    return found


def test_every_import_keeps_the_contract() -> None:
    assert violations() == []


def test_the_contract_sees_every_stage_and_every_module() -> None:
    packages = sorted(p.parent.name for p in (ROOT / "transforms").glob("*/__init__.py"))
    assert packages == sorted([*STAGES, "schema"])  # the schema is at the top, with records
    assert len(list((ROOT / "transforms").rglob("*.py"))) > 30  # the walk found the code


@pytest.mark.parametrize(
    ("source", "module", "broken"),
    [
        ("transforms/text/x.py", "transforms.html.page", True),
        ("transforms/html/x.py", "transforms.text.dates", False),
        ("transforms/html/x.py", "transforms.output.rows", True),
        ("transforms/output/x.py", "transforms.entities.names", False),
        ("transforms/records.py", "transforms.text.dates", True),
        ("transforms/schema.py", "flows.layout", True),
        ("flows/run.py", "bench.generate", True),
        ("bench/run.py", "tests.helpers", True),
        ("flows/run.py", "transforms.output.rows", False),
    ],
)
def test_the_rules_catch_a_broken_import(
    tmp_path: Path, source: str, module: str, broken: bool
) -> None:
    for folder in FORBIDDEN:
        (tmp_path / folder).mkdir()
    for stage in STAGES:
        (tmp_path / "transforms" / stage).mkdir()
        (tmp_path / "transforms" / stage / "__init__.py").write_text("")
    (tmp_path / source).write_text(f"import {module}\n")
    assert bool(violations(tmp_path)) is broken
