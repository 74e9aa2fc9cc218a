"""Query results written out: a terminal table (flows.analysis.box), CSV, TSV, JSON or Parquet.

Numbers print as integers when they are (a `sum` of counts is a DuckDB HUGEINT or DECIMAL,
which Arrow hands over as `Decimal('12')`); list and struct cells are written as JSON.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TextIO

import pyarrow as pa
import pyarrow.parquet as pq

from flows.analysis.formats import FORMATS
from flows.printable import printable


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


def row_values(result: pa.Table) -> list[tuple[object, ...]]:
    """The rows of a result as tuples of plain values, every column kept (a join may
    give two columns one name, which a row dict would merge)."""
    columns = [[plain_value(v) for v in column.to_pylist()] for column in result.columns]
    return list(zip(*columns, strict=True)) if columns else []


def result_csv(result: pa.Table) -> str:
    """A result as CSV; list and struct cells are written as JSON."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.column_names)
    for row in row_values(result):
        writer.writerow(
            json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v for v in row
        )
    return buffer.getvalue()


def result_json(result: pa.Table) -> str:
    """A result as a JSON array of objects."""
    return json.dumps(result_rows(result), ensure_ascii=False, indent=1) + "\n"


def result_tsv(result: pa.Table) -> str:
    """A result as TSV: one line per row; tab, line break and backslash in a value escaped
    (`\\t`, `\\n`, `\\\\`), null as an empty field, lists and structs as JSON."""

    def field(value: object) -> str:
        if value is None:
            return ""
        text = json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value
        text = str(text).replace("\\", "\\\\").replace("\t", "\\t")
        return text.replace("\r", "\\r").replace("\n", "\\n")

    lines = ["\t".join(field(n) for n in result.column_names)]
    lines += ["\t".join(field(v) for v in row) for row in row_values(result)]
    return "\n".join(lines) + "\n"


def result_text(result: pa.Table, fmt: str, width: int) -> str:
    """A result as text in `fmt` (table, line, csv, tsv, json); a table fits `width` cells."""
    from flows.analysis.box import BoxOptions, box_text, line_text

    if fmt == "table":
        return box_text(result, BoxOptions(width=width)) + "\n"
    if fmt == "line":
        return line_text(result) + "\n"
    if fmt == "tsv":
        return result_tsv(result)
    return result_json(result) if fmt == "json" else result_csv(result)


def chosen_format(fmt: str | None, output: str | None, terminal: bool) -> str:
    """The format asked for, else the one `--output`'s suffix names, else a table on a
    terminal and CSV in a pipe."""
    if fmt is not None:
        return fmt
    if output is not None:
        suffix = Path(output).suffix.lstrip(".").lower()
        return suffix if suffix in FORMATS else "table"
    return "table" if terminal else "csv"


def write_result(
    result: pa.Table, fmt: str | None, output: str | None, stdout: TextIO | None = None
) -> None:
    """Write a result to `output` (a file), else to `stdout`, in the format `chosen_format`
    picks. A table fits the terminal; written to a file it keeps every column and row."""
    stdout = stdout or sys.stdout
    fmt = chosen_format(fmt, output, stdout.isatty())
    if fmt == "parquet":
        if output is None:
            raise ValueError("--format parquet needs --output FILE")
        pq.write_table(result, output, compression="zstd")
        return
    if output is None:
        # A terminal, maybe: nothing in a cell may drive it (escape sequences, bidi marks).
        text = result_text(result, fmt, shutil.get_terminal_size().columns)
        stdout.write(printable(text, lines=True))
        return
    text = box_text_whole(result) if fmt == "table" else result_text(result, fmt, width=0)
    Path(output).write_text(text, encoding="utf-8")


def box_text_whole(result: pa.Table) -> str:
    """A result as a box with every column and row, values whole (for a file)."""
    from flows.analysis.box import BoxOptions, box_text

    whole = BoxOptions(width=10**9, max_rows=max(result.num_rows, 1), max_value_width=10**9)
    return box_text(result, whole) + "\n"
