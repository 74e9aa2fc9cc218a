"""`newsetl sql`: an interactive SQL shell over the views (prompt_toolkit).

Statements end with `;` and may span lines; dot commands (`.help`, `.tables`, `.schema NAME`,
`.quit`) work at any prompt. History is kept in `~/.newsetl_history` (or `NEWSETL_HISTORY`);
Tab completes view, macro and column names and SQL keywords.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from flows.analysis.query import connect, fetch_result, macro_names, view_names
from flows.analysis.results import print_result_table

HELP = """\
Statements end with ';' and may span several lines (Ctrl-C drops the one being typed).
  .tables         the views (tables and derived views) and the macros
  .schema NAME    the columns of a view, or the definition of a macro
  .help           this text
  .quit           leave (or Ctrl-D)
Tab completes names and keywords; Up/Down walk the history (~/.newsetl_history).
Example: select name, type from entities order by name limit 10;"""

PROMPT, CONTINUATION = "newsetl> ", "     ...> "


@dataclass(frozen=True, slots=True)
class Word:
    """A word Tab can complete, and what it is (shown beside it in the menu)."""

    text: str
    kind: str


def shell_words(con: duckdb.DuckDBPyConnection) -> list[Word]:
    """Views, macros, their columns and DuckDB's SQL keywords, each once."""
    words = [Word(v, "view") for v in view_names()]
    words += [Word(m.split("(")[0], "macro") for m in macro_names()]
    for view in view_names():
        words += [Word(r[0], f"{view} column") for r in con.execute(f"describe {view}").fetchall()]
    keywords = con.execute("select keyword_name from duckdb_keywords() order by 1").fetchall()
    words += [Word(k[0], "keyword") for k in keywords]
    unique: dict[str, Word] = {}
    for word in words:
        unique.setdefault(word.text, word)
    return list(unique.values())


class SqlCompleter(Completer):
    """Completes the word before the cursor from `shell_words`, case-insensitively."""

    def __init__(self, words: list[Word]) -> None:
        self.words = words

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterable[Completion]:
        """Every known word that starts with the word being typed."""
        prefix = document.get_word_before_cursor(WORD=False)
        if not prefix or not (prefix[-1].isalnum() or prefix[-1] == "_"):
            return
        for word in self.words:
            if word.text.lower().startswith(prefix.lower()) and word.text != prefix:
                text = (
                    word.text.upper() if word.kind == "keyword" and prefix.isupper() else word.text
                )
                yield Completion(text, start_position=-len(prefix), display_meta=word.kind)


def tables_text() -> str:
    """What `.tables` prints: the views, then the macros with their arguments."""
    return f"views: {', '.join(view_names())}\nmacros: {', '.join(macro_names())}"


def schema_text(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """What `.schema NAME` prints: a view's columns and types, or a macro's definition."""
    if name in view_names():
        rows = con.execute(f"describe {name}").fetchall()
        width = max(len(r[0]) for r in rows)
        return "\n".join(f"{r[0]:<{width}}  {r[1]}" for r in rows)
    macros = con.execute(
        "select parameters, macro_definition from duckdb_functions() "
        "where function_name = ? and function_type in ('macro', 'table_macro')",
        [name],
    ).fetchall()
    if macros:
        parameters, definition = macros[0]
        return f"macro {name}({', '.join(parameters)}) as\n{definition}"
    return f"no view or macro named {name!r}: .tables lists them"


def history_path() -> Path:
    """Where the shell keeps its history."""
    return Path(os.environ.get("NEWSETL_HISTORY") or Path.home() / ".newsetl_history")


def dot_command(con: duckdb.DuckDBPyConnection, line: str) -> str | None:
    """The text a dot command prints, or None for `.quit`."""
    command, _, argument = line.strip().partition(" ")
    if command in (".quit", ".exit", ".q"):
        return None
    if command == ".help":
        return HELP
    if command == ".tables":
        return tables_text()
    if command == ".schema":
        return schema_text(con, argument.strip()) if argument.strip() else tables_text()
    return f"unknown command {command}: .help lists the commands"


def run_shell(
    out: str,
    console: Any = None,
    *,
    input: Any = None,
    output: Any = None,
    history: Path | None = None,
) -> None:
    """The interactive prompt over `connect(out)`; `input`/`output` are prompt_toolkit's."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory
    from rich.console import Console

    console = console or Console()
    con = connect(out)
    session: PromptSession[str] = PromptSession(
        history=FileHistory(str(history or history_path())),
        completer=SqlCompleter(shell_words(con)),
        complete_while_typing=False,
        input=input,
        output=output,
    )
    console.print(f"newsetl sql over {out}. .help for help, .quit to leave.", highlight=False)
    pending: list[str] = []
    try:
        while True:
            try:
                line = session.prompt(CONTINUATION if pending else PROMPT)
            except KeyboardInterrupt:
                pending = []
                continue
            except EOFError:
                break
            if line.strip().startswith("."):
                text = dot_command(con, line)
                if text is None:
                    break
                console.print(text, highlight=False, markup=False)
                continue
            if not line.strip() and not pending:
                continue
            pending.append(line)
            if not line.rstrip().endswith(";"):
                continue
            sql, pending = "\n".join(pending), []
            try:
                print_result_table(fetch_result(con, sql), console)
            except duckdb.Error as exc:
                console.print(str(exc), style="red", highlight=False, markup=False)
    finally:
        con.close()
