"""newsetl for analysts: the processed tables from Python, under a name no project shadows.

    import newsetl

    con = newsetl.connect("data/processed")            # DuckDB: every table and derived view
    con.sql("select name, type from entities limit 5").df()
    articles = newsetl.read_table("articles", "data/processed")   # one table, as Arrow
    rows = newsetl.query("select count(*) from article_dates", "data/processed")

The pipeline's own packages are `flows` and `transforms`, names an analyst's project may use
for its own folders (a Prefect project's `flows/`, say). Importing `newsetl` loads newsetl's
`flows` and `transforms` from where newsetl is installed even when the running script's folder
has a `flows/` of its own; if another `flows` or `transforms` is already imported in the
process, it stops with an ImportError that says so rather than reading the wrong code.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import duckdb
import pyarrow as pa

_HOME = Path(__file__).resolve().parent.parent  # where newsetl's flows/ and transforms/ are
_PACKAGES = ("flows", "transforms")


def _is_ours(module: ModuleType) -> bool:
    where = getattr(module, "__file__", None)
    return where is not None and Path(where).resolve().parent.parent == _HOME


def _load_query_layer() -> ModuleType:
    """`flows.analysis.query` as newsetl installed it (see the module docstring)."""
    for name in _PACKAGES:
        loaded = sys.modules.get(name)
        if loaded is not None and not _is_ours(loaded):
            raise ImportError(
                f"another package named {name!r} is already imported "
                f"({getattr(loaded, '__file__', loaded)}); import newsetl before it"
            )
    sys.path.insert(0, str(_HOME))
    try:
        return importlib.import_module("flows.analysis.query")
    finally:
        sys.path.remove(str(_HOME))


_query = _load_query_layer()
_schema = importlib.import_module("transforms.schema")

DEFAULT_OUT: str = _query.DEFAULT_OUT
TABLES: tuple[str, ...] = tuple(_schema.TABLE_SCHEMAS)


def connect(out: str = DEFAULT_OUT) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection over the processed folder `out` with a view per table and the
    derived views (`article_dates`, `resolved_links`, ...; docs/DATA.md)."""
    con: duckdb.DuckDBPyConnection = _query.connect(out)
    return con


def query(sql: str, out: str = DEFAULT_OUT) -> pa.Table:
    """The rows of one SQL statement over the processed folder `out`, as a pyarrow Table."""
    rows: pa.Table = _query.run_query(sql, out)
    return rows


def view_names() -> tuple[str, ...]:
    """The tables and derived views `connect` defines."""
    return tuple(_query.view_names())


def views_script(out: str = DEFAULT_OUT) -> str:
    """The views of `connect` as one plain SQL script, for any DuckDB client."""
    return str(_query.views_script(out))


def read_table(name: str, out: str = DEFAULT_OUT) -> pa.Table:
    """One table or view (`TABLES`, `view_names()`) of the processed folder `out`, every row,
    as a pyarrow Table (`.to_pandas()`, or `polars.from_arrow`, from there)."""
    if name not in view_names():
        raise ValueError(f"no table or view {name!r}: one of {', '.join(view_names())}")
    return query(f'select * from "{name}"', out)


__all__ = [
    "DEFAULT_OUT",
    "TABLES",
    "connect",
    "query",
    "read_table",
    "view_names",
    "views_script",
]
