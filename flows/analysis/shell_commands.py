"""The dot commands of `newsetl sql`: `.tables`, `.schema`, `.mode`, `.output`, `.timer`.

`ShellState` is what they change (how results print and where); each command returns the
text it prints, or None for `.quit`.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import duckdb

from flows.analysis.box import plural
from flows.analysis.data_dictionary import DERIVED_VIEWS, TABLE_ROWS
from flows.analysis.query import macro_names, view_names
from flows.analysis.sql_views import table_view_name
from transforms.schema import PARTITION_COLUMN, TABLE_SCHEMAS

MODES = ("duckbox", "line", "csv", "tsv", "json")
"""`.mode`: duckbox (a table fitted to the terminal), line (one `column = value` per line,
values whole), csv, tsv, json (every row)."""

HELP = """\
Statements end with ';' and may span several lines (Ctrl-C drops the one being typed).
  .tables           the tables with their row counts, the derived views and the macros
  .schema NAME      a table's or view's columns with their types and meaning; a macro
  .mode [MODE]      how results print: duckbox (default), line, csv, tsv, json
  .output [FILE]    write results to FILE from now on; .output alone: back to the screen
  .timer on|off     print how long each statement took
  .help             this text
  .quit             leave (or Ctrl-D)
Tab completes names and keywords; Up/Down walk the history (~/.newsetl_history).
Example: select name, type from entities order by name limit 10;"""

PARTITION_MEANING = "Day of the run that wrote the row (the Hive partition folder)."


@dataclass
class ShellState:
    """How the shell prints results, and where (`.mode`, `.output`, `.timer`)."""

    mode: str = "duckbox"
    timer: bool = False
    output: TextIO | None = None
    output_path: str | None = None
    width: int | None = None
    """Columns of the screen (None: ask the terminal at each result)."""

    def close_output(self) -> None:
        """Back to the screen, closing the `.output` file."""
        if self.output is not None:
            self.output.close()
        self.output, self.output_path = None, None


def tables_text(con: duckdb.DuckDBPyConnection) -> str:
    """What `.tables` prints: each table with its rows, then the derived views and macros."""
    width = max(len(name) for name in TABLE_SCHEMAS)
    lines = ["tables:"]
    for name in TABLE_SCHEMAS:
        view = table_view_name(name)  # the articles table's every page: `pages`
        rows = int(con.execute(f"select count(*) from {view}").fetchall()[0][0])
        lines.append(f"  {name:<{width}}  {plural(rows, 'row'):>14}   one per {TABLE_ROWS[name]}")
    derived = [v for v in view_names() if v not in TABLE_SCHEMAS]
    lines.append(f"views (derived from the tables): {', '.join(derived)}")
    lines.append(f"macros: {', '.join(macro_names())}")
    lines.append(".schema NAME shows the columns and what each holds.")
    return "\n".join(lines)


def _wrapped(rows: list[tuple[str, str, str]], width: int) -> list[str]:
    name_width = max(len(r[0]) for r in rows)
    type_width = max(len(r[1]) for r in rows)
    indent = " " * (name_width + type_width + 6)
    lines = []
    for name, type_, meaning in rows:
        head = f"  {name:<{name_width}}  {type_:<{type_width}}  "
        text = textwrap.fill(
            meaning or "-",
            width=max(width, len(head) + 20),
            initial_indent=head,
            subsequent_indent=indent,
        )
        lines.append(text)
    return lines


def _descriptions(name: str) -> dict[str, str]:
    if name not in TABLE_SCHEMAS:
        return {}
    meanings = {
        f.name: (f.metadata or {}).get(b"description", b"").decode() for f in TABLE_SCHEMAS[name]
    }
    return {**meanings, PARTITION_COLUMN: PARTITION_MEANING}


def schema_text(con: duckdb.DuckDBPyConnection, name: str, width: int = 100) -> str:
    """What `.schema NAME` prints: a view's columns, types and meaning, or a macro."""
    if name in view_names():
        columns = con.execute(f"describe {name}").fetchall()
        meanings = _descriptions(name)
        if name in TABLE_SCHEMAS:
            about = f"{name}: one row per {TABLE_ROWS[name]}."
        else:
            view = next(v for v in DERIVED_VIEWS if v.name == name)
            about = f"{name} (derived view): {view.description.replace('`', '')}"
        rows = [(str(c[0]), str(c[1]), meanings.get(str(c[0]), "")) for c in columns]
        return "\n".join([textwrap.fill(about, width=width), *_wrapped(rows, width)])
    macros = con.execute(
        "select parameters, macro_definition from duckdb_functions() "
        "where function_name = ? and function_type in ('macro', 'table_macro')",
        [name],
    ).fetchall()
    if macros:
        parameters, definition = macros[0]
        return f"macro {name}({', '.join(parameters)}) as\n{definition}"
    return f"no view or macro named {name!r}: .tables lists them"


def _mode(state: ShellState, argument: str) -> str:
    if not argument:
        return f"mode {state.mode} (one of {', '.join(MODES)})"
    if argument not in MODES:
        return f"unknown mode {argument!r}: one of {', '.join(MODES)}"
    state.mode = argument
    return f"mode {argument}"


def _output(state: ShellState, argument: str) -> str:
    state.close_output()
    if not argument:
        return "results print on the screen"
    try:
        state.output = Path(argument).expanduser().open("w", encoding="utf-8")
    except OSError as exc:
        return f"cannot write {argument}: {exc.strerror or exc}"
    state.output_path = argument
    return f"results go to {argument} (.output alone: back to the screen)"


def _timer(state: ShellState, argument: str) -> str:
    if argument not in ("on", "off"):
        return f"timer {'on' if state.timer else 'off'} (.timer on|off)"
    state.timer = argument == "on"
    return f"timer {argument}"


def dot_command(
    con: duckdb.DuckDBPyConnection, state: ShellState, line: str, width: int = 100
) -> str | None:
    """The text a dot command prints (after changing `state`), or None for `.quit`."""
    command, _, argument = line.strip().partition(" ")
    argument = argument.strip()
    if command in (".quit", ".exit", ".q"):
        return None
    if command == ".help":
        return HELP
    if command == ".tables":
        return tables_text(con)
    if command == ".schema":
        return schema_text(con, argument, width) if argument else tables_text(con)
    if command == ".mode":
        return _mode(state, argument)
    if command == ".output":
        return _output(state, argument)
    if command == ".timer":
        return _timer(state, argument)
    return f"unknown command {command}: .help lists the commands"
