"""`newsetl sql`: an interactive SQL shell over the views (prompt_toolkit).

Statements end with `;` and may span lines; dot commands (`.help`, `.tables`, `.schema NAME`,
`.mode`, `.output`, `.timer`, `.quit`: see `shell_commands`) work at any prompt. Results
print as a duckbox fitted to the terminal (`flows.analysis.box`). History is kept in
`~/.newsetl_history` (or `NEWSETL_HISTORY`); Tab completes view, macro and column names and
SQL keywords.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import duckdb
import pyarrow as pa
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from flows.analysis.box import plural
from flows.analysis.query import connect, fetch_result, macro_names, view_names
from flows.analysis.results import result_text
from flows.analysis.shell_commands import ShellState, dot_command

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


def history_path() -> Path:
    """Where the shell keeps its history."""
    return Path(os.environ.get("NEWSETL_HISTORY") or Path.home() / ".newsetl_history")


def print_result(result: pa.Table, state: ShellState, screen: TextIO, seconds: float) -> None:
    """A statement's result, as `.mode` says, on the screen or in the `.output` file."""
    width = state.width or shutil.get_terminal_size().columns
    fmt = {"duckbox": "table"}.get(state.mode, state.mode)
    (state.output or screen).write(result_text(result, fmt, width))
    if state.output is not None:
        state.output.flush()
        screen.write(f"{plural(result.num_rows, 'row')} written to {state.output_path}\n")
    if state.timer:
        screen.write(f"Run time: {seconds:.3f} s\n")


def _statement(con: duckdb.DuckDBPyConnection, state: ShellState, sql: str, screen: TextIO) -> None:
    started = time.perf_counter()
    try:
        result = fetch_result(con, sql)
    except duckdb.Error as exc:
        screen.write(f"{exc}\n")
        return
    print_result(result, state, screen, time.perf_counter() - started)


def run_shell(
    out: str,
    screen: TextIO | None = None,
    *,
    input: Any = None,
    output: Any = None,
    history: Path | None = None,
    width: int | None = None,
) -> None:
    """The interactive prompt over `connect(out)`; `input`/`output` are prompt_toolkit's,
    `screen` where results print (stdout), `width` the screen's columns (the terminal's)."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    screen = screen or sys.stdout
    con = connect(out)
    session: PromptSession[str] = PromptSession(
        history=FileHistory(str(history or history_path())),
        completer=SqlCompleter(shell_words(con)),
        complete_while_typing=False,
        input=input,
        output=output,
    )
    state = ShellState(width=width)
    screen.write(f"newsetl sql over {out}. .help for help, .quit to leave.\n")
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
                screen_width = state.width or shutil.get_terminal_size().columns
                text = dot_command(con, state, line, screen_width)
                if text is None:
                    break
                screen.write(text + "\n")
                continue
            if not line.strip() and not pending:
                continue
            pending.append(line)
            if line.rstrip().endswith(";"):
                sql, pending = "\n".join(pending), []
                _statement(con, state, sql, screen)
            screen.flush()
    finally:
        state.close_output()
        con.close()
