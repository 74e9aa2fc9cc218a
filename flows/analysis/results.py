"""Query results written out: a terminal table, CSV, JSON or Parquet.

Numbers print as integers when they are (a `sum` of counts is a DuckDB HUGEINT or DECIMAL,
which Arrow hands over as `Decimal('12')`); list and struct cells are written as JSON.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

FORMATS = ("table", "csv", "json", "parquet")
TABLE_ROW_LIMIT = 1000


def plain_value(value: object) -> object:
    """A cell as a plain JSON-ready value: ISO 8601 times, integral numbers as int."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list):
        return [plain_value(v) for v in value]
    if isinstance(value, dict):
        return {k: plain_value(v) for k, v in value.items()}
    return value


def result_rows(result: pa.Table) -> list[dict[str, object]]:
    """The rows of a result as plain JSON-ready values (timestamps as ISO 8601)."""
    return [{k: plain_value(v) for k, v in row.items()} for row in result.to_pylist()]


def result_csv(result: pa.Table) -> str:
    """A result as CSV; list and struct cells are written as JSON."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.column_names)
    for row in result_rows(result):
        writer.writerow(
            json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
            for v in row.values()
        )
    return buffer.getvalue()


def result_json(result: pa.Table) -> str:
    """A result as a JSON array of objects."""
    return json.dumps(result_rows(result), ensure_ascii=False, indent=1) + "\n"


def cell_text(value: object) -> str:
    """A cell as the terminal shows it: empty for null, `3` for 3.0, JSON for lists."""
    value = plain_value(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def print_result_table(result: pa.Table, console: Any, limit: int = TABLE_ROW_LIMIT) -> None:
    """A result as a rich table on the console (the first `limit` rows)."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(show_lines=False)
    for name, type_ in zip(result.column_names, result.schema.types, strict=True):
        numeric = pa.types.is_integer(type_) or pa.types.is_floating(type_)
        numeric = numeric or pa.types.is_decimal(type_)
        table.add_column(escape(name), justify="right" if numeric else "left", overflow="fold")
    shown = result.slice(0, limit).to_pylist()
    for row in shown:
        table.add_row(*(escape(cell_text(v)) for v in row.values()))
    console.print(table)
    more = result.num_rows - len(shown)
    suffix = f" ({more:,} not shown: use --format csv or --output)" if more > 0 else ""
    console.print(f"{result.num_rows:,} rows{suffix}")


def write_result(result: pa.Table, fmt: str, output: str | None, console: Any) -> None:
    """Write a result in `fmt` to `output` (a file), or print it when `output` is None."""
    if fmt == "parquet":
        if output is None:
            raise ValueError("--format parquet needs --output FILE")
        pq.write_table(result, output, compression="zstd")
        return
    if fmt == "table" and output is None:
        print_result_table(result, console)
        return
    text = result_json(result) if fmt == "json" else result_csv(result)
    if output is None:
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")
