"""`newsetl sql`: the prompt_toolkit shell, driven through its own pipe input (no mocks)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from flows.analysis.query import connect
from flows.analysis.shell import SqlCompleter, run_shell, shell_words
from flows.analysis.shell_commands import HELP
from tests.analyst_fixtures import processed  # noqa: F401  (session fixture)


def _session(out: Path, typed: str, history: Path) -> str:
    """Everything the shell prints for `typed` (lines, then end of input)."""
    buffer = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text(typed)
        pipe.close()
        run_shell(str(out), buffer, input=pipe, output=DummyOutput(), history=history, width=100)
    return buffer.getvalue()


def test_dot_commands_answer_at_once(processed: Path, tmp_path: Path) -> None:  # noqa: F811
    printed = _session(processed, ".help\n.tables\n.schema article_dates\n.nope\n", tmp_path / "h")
    assert HELP in printed
    assert re.search(r"^  articles +9 rows   one per page read", printed, re.MULTILINE)
    assert re.search(r"^  rejects +2 rows ", printed, re.MULTILINE)
    assert (
        "views (derived from the tables): pages, index_pages, article_dates, resolved_links,"
        in printed
    )
    assert "macros: mentioned_with(who), url_key(url), title_key(title)" in printed
    assert "article_dates (derived view): One row per article" in printed
    assert re.search(r"^  date_source +VARCHAR +-$", printed, re.MULTILINE)
    assert re.search(r"^  day +DATE +-$", printed, re.MULTILINE)
    assert "unknown command .nope: .help lists the commands" in printed


def test_schema_gives_each_column_its_meaning(processed: Path, tmp_path: Path) -> None:  # noqa: F811
    printed = _session(processed, ".schema links\n", tmp_path / "h")
    assert re.search(r"^  is_internal +BOOLEAN +Whether the target is on the", printed, re.M)
    assert re.search(r"^  ingest_date +DATE +Day of the run that wrote the row", printed, re.M)
    assert all(len(line) <= 100 for line in printed.splitlines()[1:])  # wrapped to the width


def test_mode_output_and_timer(processed: Path, tmp_path: Path) -> None:  # noqa: F811
    typed = (
        ".mode csv\nselect 'a,b' as x, 2 as n;\n.mode line\nselect 1 as one, 'two' as two;\n"
        f".mode tsv\n.output {tmp_path / 'x.tsv'}\nselect 'u' as k from range(3);\n.output\n"
        ".mode nope\n.mode\n.mode duckbox\n.timer on\nselect 42 as answer;\n"
    )
    printed = _session(processed, typed, tmp_path / "h")
    assert 'x,n\n"a,b",2\n' in printed
    assert "one = 1\ntwo = two\n\n1 row\n" in printed
    assert (tmp_path / "x.tsv").read_text() == "k\nu\nu\nu\n"
    assert f"3 rows written to {tmp_path / 'x.tsv'}" in printed
    assert "unknown mode 'nope': one of duckbox, line, csv, tsv, json" in printed
    assert "mode tsv (one of duckbox" in printed
    assert "│     42 │" in printed and re.search(r"^Run time: \d+\.\d{3} s$", printed, re.M)


def test_schema_of_a_macro_and_of_nothing(processed: Path, tmp_path: Path) -> None:  # noqa: F811
    printed = _session(processed, ".schema mentioned_with\n.schema nothing\n", tmp_path / "h")
    assert "macro mentioned_with(who) as" in printed
    assert "no view or macro named 'nothing'" in printed


def test_statements_span_lines_and_numbers_print_as_integers(
    processed: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    typed = (
        "select count(*) as n,\n sum(word_count) > 0 as words,\n avg(3) as three\nfrom articles;\n"
    )
    printed = _session(
        processed, typed + "select * from nowhere;\n.quit\nselect 1;\n", tmp_path / "h"
    )
    table_row = next(line for line in printed.splitlines() if "│" in line and "9" in line)
    assert [c.strip() for c in table_row.strip("│ ").split("│")] == ["9", "true", "3"]
    assert "Table with name nowhere does not exist" in printed
    assert printed.count("  1 row\n") == 1  # nothing runs after .quit


def test_history_is_kept_between_sessions(processed: Path, tmp_path: Path) -> None:  # noqa: F811
    history = tmp_path / "history"
    _session(processed, "select 42 as answer;\n", history)
    assert "select 42 as answer;" in history.read_text()
    printed = _session(processed, "\x1b[A\n", history)  # Up, Enter: the last statement again
    assert "42" in printed.split("answer")[-1]


def test_tab_completes_views_columns_and_keywords(processed: Path) -> None:  # noqa: F811
    con = connect(str(processed))
    completer = SqlCompleter(shell_words(con))

    def complete(text: str) -> list[tuple[str, str]]:
        found = completer.get_completions(Document(text), CompleteEvent(completion_requested=True))
        return [(c.text, c.display_meta_text) for c in found]

    assert complete("select * from entity_c") == [("entity_cooccurrence", "view")]
    assert ("date_source", "article_dates column") in complete("select date_s")
    assert ("mentioned_with", "macro") in complete("from mentioned_w")
    assert ("SELECT", "keyword") in complete("SEL")
    assert complete("select 1 ") == []


@pytest.mark.parametrize("typed", ["\x03select 1;\n", "select\n\x03select 2 as two;\n"])
def test_ctrl_c_drops_the_statement_being_typed(
    processed: Path,  # noqa: F811
    tmp_path: Path,
    typed: str,
) -> None:
    printed = _session(processed, typed, tmp_path / "h")
    assert printed.count("  1 row\n") == 1 and "Error" not in printed
