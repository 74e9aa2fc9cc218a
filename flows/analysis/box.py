"""Query results as a terminal shows them: DuckDB's "duckbox" layout, fitted to a width.

A wide result keeps its first and last columns and puts `…` for those that do not fit; a
long value is cut with `…`; a long result shows its first and last rows around a `·` row.
The footer counts rows ("1 row", "1,234 rows (40 shown)") and columns when some are hidden.
`line_text` is the other layout: one `column = value` line per cell, values whole.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa
from rich.cells import cell_len, set_cell_size

from flows.analysis.results import plain_value

ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class BoxOptions:
    """How much of a result a box shows: its width in cells, rows, and one value's width."""

    width: int = 120
    max_rows: int = 40
    max_value_width: int = 40
    narrow_value_width: int = 20
    """A value's width when not every column fits at `max_value_width`."""


def cell_text(value: object) -> str:
    """A cell as the terminal shows it: `NULL`, `3` for 3.0, `true`, JSON for lists (as
    DuckDB's shell; an empty string stays empty)."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, bool):
        return "true" if value else "false"
    value = plain_value(value)
    if value is None:
        return "NULL"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def plural(count: int, noun: str) -> str:
    """`1 row`, `2 rows`, `1,234 rows`."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def type_label(kind: pa.DataType) -> str:
    """A column type as DuckDB names it, kept short."""
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return "varchar"
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return f"{type_label(kind.value_type)}[]"
    if pa.types.is_timestamp(kind):
        return "timestamptz" if kind.tz else "timestamp"
    if pa.types.is_date32(kind):
        return "date"
    if pa.types.is_boolean(kind):
        return "boolean"
    if pa.types.is_decimal(kind):
        return "decimal"
    if pa.types.is_floating(kind):
        return "double" if kind.bit_width == 64 else "float"
    return str(kind)


def _is_number(kind: pa.DataType) -> bool:
    return (
        bool(pa.types.is_integer(kind)) or pa.types.is_floating(kind) or pa.types.is_decimal(kind)
    )


def one_line(text: str) -> str:
    """A value on one line: line breaks shown as `↵`, tabs as spaces."""
    return text.replace("\r\n", "↵").replace("\n", "↵").replace("\r", "↵").replace("\t", " ")


def truncate(text: str, width: int) -> str:
    """`text` cut to `width` terminal cells, ending in `…` when cut."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(width - 1, 0)).rstrip() + ELLIPSIS if width > 0 else ""


def _pad(text: str, width: int, align: str) -> str:
    space = " " * max(width - cell_len(text), 0)
    if align == "right":
        return space + text
    if align == "center":
        half = len(space) // 2
        return space[:half] + text + space[half:]
    return text + space


@dataclass(frozen=True, slots=True)
class _Column:
    name: str
    type: str
    cells: list[str]
    align: str
    width: int


def _shown_rows(result: pa.Table, max_rows: int) -> tuple[pa.Table, int | None]:
    """The rows a box shows, and where the `·` rows go (None when every row is shown)."""
    if result.num_rows <= max_rows:
        return result, None
    head = max(max_rows // 2, 1)
    tail = max(max_rows - head, 1)
    return pa.concat_tables([result.slice(0, head), result.slice(result.num_rows - tail)]), head


def _columns(rows: pa.Table, max_value_width: int) -> list[_Column]:
    columns = []
    for name, kind, values in zip(rows.column_names, rows.schema.types, rows.columns, strict=True):
        cells = [one_line(cell_text(v)) for v in values.to_pylist()]
        label = type_label(kind)
        natural = max([cell_len(name), cell_len(label), *(cell_len(c) for c in cells)])
        width = max(min(natural, max_value_width), 1)
        columns.append(_Column(name, label, cells, "right" if _is_number(kind) else "left", width))
    return columns


def _total(shown: list[_Column | None]) -> int:
    return 1 + sum((c.width if c else 1) + 3 for c in shown)


def _with_gap(columns: list[_Column], kept: list[int]) -> list[_Column | None]:
    shown: list[_Column | None] = []
    for position, index in enumerate(kept):
        shown.append(columns[index])
        following = kept[position + 1] if position + 1 < len(kept) else len(columns)
        if following != index + 1:
            shown.append(None)
    return shown


def _fit(columns: list[_Column], width: int) -> list[_Column | None]:
    """The columns that fit in `width` cells (middle ones dropped first), a None for `…`."""
    kept = list(range(len(columns)))
    while _total(_with_gap(columns, kept)) > width and len(kept) > 1:
        del kept[len(kept) // 2]
    shown = _with_gap(columns, kept)
    excess = _total(shown) - width
    if excess > 0:  # one column wider than the terminal: narrow it
        only = columns[kept[0]]
        narrowed = _Column(
            only.name, only.type, only.cells, only.align, max(only.width - excess, 1)
        )
        shown = [narrowed if c is only else c for c in shown]
    return shown


def _line(cells: list[str], left: str, middle: str, right: str) -> str:
    return left + middle.join(cells) + right


def box_text(result: pa.Table, options: BoxOptions = BoxOptions()) -> str:
    """A result as a duckbox: header, types, rows, and a footer that counts them."""
    if not result.column_names:
        return "(no result)"
    rows, gap = _shown_rows(result, options.max_rows)
    shown = _fit(_columns(rows, options.max_value_width), options.width)
    if None in shown:  # narrower values first, then fewer columns
        shown = _fit(_columns(rows, options.narrow_value_width), options.width)
    widths = [c.width if c else 1 for c in shown]

    def row_line(texts: list[str], aligns: list[str]) -> str:
        cells = [
            f" {_pad(truncate(t, w), w, a)} " for t, w, a in zip(texts, widths, aligns, strict=True)
        ]
        return _line(cells, "│", "│", "│")

    def border(left: str, middle: str, right: str) -> str:
        return _line(["─" * (w + 2) for w in widths], left, middle, right)

    centered = ["center"] * len(shown)
    lines = [
        border("┌", "┬", "┐"),
        row_line([c.name if c else ELLIPSIS for c in shown], centered),
        row_line([c.type if c else ELLIPSIS for c in shown], centered),
        border("├", "┼", "┤"),
    ]
    aligns = [c.align if c else "center" for c in shown]
    for index in range(rows.num_rows):
        if index == gap:
            lines += [row_line(["·"] * len(shown), ["center"] * len(shown))] * 3
        lines.append(row_line([c.cells[index] if c else ELLIPSIS for c in shown], aligns))
    lines.append(border("└", "┴", "┘"))
    count = plural(result.num_rows, "row")
    if gap is not None:
        count += f" ({rows.num_rows:,} shown)"
    hidden = sum(c is None for c in shown)
    columns_note = ""
    if hidden:
        visible = len(shown) - hidden
        columns_note = f"{plural(result.num_columns, 'column')} ({visible} shown)"
    room = len(lines[0]) - 2 - cell_len(count)
    if not columns_note:
        lines.append(f"  {count}")
    elif room >= len(columns_note) + 2:
        lines.append(f"  {count}{columns_note.rjust(room)}")
    else:
        lines += [f"  {count}", f"  {columns_note}"]
    return "\n".join(lines)


def line_text(result: pa.Table) -> str:
    """A result one cell per line (`column = value`, values whole), rows apart."""
    names = result.column_names
    width = max((cell_len(n) for n in names), default=0)
    columns = [c.to_pylist() for c in result.columns]
    blocks = [
        "\n".join(
            f"{_pad(n, width, 'right')} = {cell_text(values[row])}"
            for n, values in zip(names, columns, strict=True)
        )
        for row in range(result.num_rows)
    ]
    return "\n\n".join([*blocks, plural(result.num_rows, "row")])
