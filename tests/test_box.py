"""The duckbox layout of query results: fitted to the width, values cut, rows counted."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from flows.analysis.box import BoxOptions, box_text, line_text
from flows.analysis.results import chosen_format, result_csv, result_tsv

WIDE = pa.table(
    {
        "article_id": ["a1", "a2"],
        "body": ["word " * 500, "短い本文\n二行目"],
        **{f"column_{i}": [i, None] for i in range(20)},
        "ingest_date": pa.array([19000, 19001], pa.date32()),
    }
)


def test_a_wide_result_fits_the_width_keeping_first_and_last_columns() -> None:
    text = box_text(WIDE, BoxOptions(width=100))
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= 100
    header = [cell.strip() for cell in lines[1].strip("│").split("│")]
    assert header[0] == "article_id" and header[-1] == "ingest_date" and "…" in header
    assert lines[-1].startswith("  2 rows") and lines[-1].endswith("23 columns (6 shown)")
    assert "word word" in text and "word " * 30 not in text  # the body is cut with …
    assert "短い本文↵二行目" in text  # a line break stays on one line


def test_row_counts_say_row_for_one_and_how_many_are_shown() -> None:
    assert box_text(pa.table({"n": [1]})).splitlines()[-1] == "  1 row"
    assert box_text(pa.table({"n": pa.array([], pa.int64())})).splitlines()[-1] == "  0 rows"
    many = box_text(pa.table({"n": list(range(5000))}), BoxOptions(max_rows=10))
    assert many.splitlines()[-1] == "  5,000 rows (10 shown)"
    values = [line.strip("│ ") for line in many.splitlines()[4:-2]]
    assert values == [*"01234", "·", "·", "·", "4995", "4996", "4997", "4998", "4999"]


def test_numbers_align_right_and_null_is_not_an_empty_string() -> None:
    lines = box_text(pa.table({"n": [7, None, 1234]})).splitlines()
    assert lines[1:3] == ["│   n   │", "│ int64 │"]
    assert lines[4:7] == ["│     7 │", "│  NULL │", "│  1234 │"]
    lines = box_text(pa.table({"s": ["", None]})).splitlines()
    assert lines[4:6] == ["│         │", "│ NULL    │"]


def test_line_mode_keeps_values_whole() -> None:
    text = line_text(WIDE.select(["article_id", "body"]).slice(0, 1))
    assert text.startswith("article_id = a1\n      body = word word")
    assert text.count("word") == 500 and text.endswith("\n\n1 row")


@settings(max_examples=60, deadline=None)
@given(
    columns=st.lists(st.text(min_size=0, max_size=60), min_size=1, max_size=12),
    width=st.integers(min_value=12, max_value=240),
)
def test_every_box_line_fits_any_width(columns: list[str], width: int) -> None:
    table = pa.table({f"c{i}_{'x' * (i * 3)}": [value] for i, value in enumerate(columns)})
    lines = box_text(table, BoxOptions(width=width)).splitlines()
    assert all(cell_len(line) <= width for line in lines if line.startswith(("│", "┌", "└")))


def test_a_pipe_gets_csv_and_a_terminal_a_table() -> None:
    assert chosen_format(None, None, terminal=True) == "table"
    assert chosen_format(None, None, terminal=False) == "csv"
    assert chosen_format(None, "links.tsv", terminal=True) == "tsv"
    assert chosen_format("json", "x.csv", terminal=False) == "json"


def test_csv_and_tsv_keep_every_column_and_escape_what_breaks_lines() -> None:
    table = pa.Table.from_arrays(
        [pa.array([1]), pa.array(["a\tb\nc"]), pa.array([["x", "y"]])], names=["id", "id", "l"]
    )
    assert result_tsv(table) == 'id\tid\tl\n1\ta\\tb\\nc\t["x", "y"]\n'
    assert result_csv(table) == 'id,id,l\n1,"a\tb\nc","[""x"", ""y""]"\n'
