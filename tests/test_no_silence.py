"""The product never swallows an error in silence: no bare `except:`, and no handler of
`Exception`/`BaseException` whose whole body is `pass` or `continue`."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = sorted((ROOT / "flows").rglob("*.py")) + sorted((ROOT / "transforms").rglob("*.py"))
_BROAD = {"Exception", "BaseException"}


def _silent_handlers(path: Path, root: Path = ROOT) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.ExceptHandler):
            continue
        where = f"{path.relative_to(root)}:{node.lineno}"
        if node.type is None:
            found.append(f"{where}: bare except")
            continue
        names = {n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)}
        if names & _BROAD and all(isinstance(s, ast.Pass | ast.Continue) for s in node.body):
            found.append(f"{where}: except {', '.join(sorted(names))} that does nothing")
    return found


def test_no_error_is_swallowed_in_silence() -> None:
    assert PRODUCT, "no product files found"
    assert [problem for path in PRODUCT for problem in _silent_handlers(path)] == []


def test_the_check_catches_what_it_forbids(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "try:\n    x = 1\nexcept:\n    pass\n"
        "try:\n    x = 1\nexcept (ValueError, Exception):\n    pass\n"
        "try:\n    x = 1\nexcept ValueError:\n    pass\n"
    )
    problems = [p.split(": ", 1)[1] for p in _silent_handlers(bad, tmp_path)]
    assert problems == ["bare except", "except Exception, ValueError that does nothing"]
