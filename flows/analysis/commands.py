"""The analysts' commands of `newsetl`: `query`, `sql`, `views`, `report` and `docs`."""

from __future__ import annotations

import argparse
from typing import Any

from flows.analysis.formats import FORMATS
from flows.exit_codes import EXIT_FAILED, EXIT_USAGE
from flows.layout import REPORT_NAME
from flows.settings import Settings

ANALYST_COMMANDS = ("query", "sql", "views", "report", "docs")


def add_analyst_commands(commands: Any) -> None:
    """`query`, `sql`, `views`, `report` and `docs`: reading the tables (`flows.analysis`)."""
    out_help = f"processed folder or fsspec URL (default {Settings().out})"
    query = commands.add_parser(
        "query",
        help="run one SQL statement over the tables and print the result",
        description="Run one DuckDB SQL statement over the tables and views (articles, "
        "entities, mentions, links, rejects, article_dates, resolved_links, "
        "article_entity_counts, entity_cooccurrence, entity_timeline, mentioned_with(who)); "
        "see docs/DATA.md.",
    )
    query.add_argument("sql", help="the SQL statement")
    query.add_argument("--out", help=out_help)
    query.add_argument(
        "--format",
        choices=FORMATS,
        help="table (fitted to the terminal), line (one column per line), csv, tsv, json or "
        "parquet (default: a table on a terminal, csv in a pipe, or --output's suffix)",
    )
    query.add_argument(
        "--output", metavar="FILE", help="write the result to FILE (every row and column)"
    )
    sql = commands.add_parser(
        "sql",
        help="interactive SQL shell over the tables",
        description="An interactive DuckDB SQL prompt over the tables and views: results "
        "fitted to the terminal, .help, .tables, .schema NAME, .mode, .output FILE, .timer, "
        "history and Tab completion.",
    )
    sql.add_argument("--out", help=out_help)
    views = commands.add_parser(
        "views",
        help="print the views as plain SQL (duckdb -init views.sql)",
        description="Print every view and macro of the query layer as one plain DuckDB SQL "
        "script over the folder's Parquet files: `newsetl views --out DIR > views.sql`, then "
        "`duckdb -init views.sql` (or any DuckDB client) gets the same names.",
    )
    views.add_argument("--out", help=out_help)
    report = commands.add_parser(
        "report",
        help="build the interactive HTML report of the tables",
        description="Build one self-contained, interactive HTML page of the tables.",
    )
    report.add_argument("--out", help=out_help)
    report.add_argument(
        "--html", metavar="FILE", help=f"where to write the page (default OUT/{REPORT_NAME})"
    )
    docs = commands.add_parser(
        "docs",
        help="regenerate the data dictionary docs/DATA.md from the schemas",
        description="Write the data dictionary (generated from transforms/schema/).",
    )
    docs.add_argument(
        "--output", metavar="FILE", default="docs/DATA.md", help="(default %(default)s)"
    )
    docs.add_argument(
        "--check", action="store_true", help="exit 1 if the file is not up to date; write nothing"
    )


def _docs(args: argparse.Namespace, console: Any) -> int:
    from pathlib import Path

    from flows.analysis.data_dictionary import data_dictionary_markdown

    text, path = data_dictionary_markdown(), Path(args.output)
    if args.check:
        fresh = path.exists() and path.read_text(encoding="utf-8") == text
        if not fresh:
            console.print(f"[red]newsetl: {path} is out of date: run newsetl docs[/red]")
        return 0 if fresh else EXIT_FAILED
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    console.print(f"wrote {path}")
    return 0


def _read_tables(args: argparse.Namespace, out: str, console: Any) -> None:
    if args.command == "query":
        from flows.analysis.query import run_query
        from flows.analysis.results import write_result

        write_result(run_query(args.sql, out), args.format, args.output)
    elif args.command == "sql":
        from flows.analysis.shell import run_shell

        run_shell(out)
    elif args.command == "views":
        import sys

        from flows.analysis.query import views_script

        sys.stdout.write(views_script(out))
    else:
        from flows.analysis.report import write_report

        console.print(f"wrote {write_report(out, args.html)}", highlight=False, markup=False)


def run_analyst_command(args: argparse.Namespace) -> int:
    """Run `query`, `sql`, `views`, `report` or `docs` as parsed; returns the exit status."""
    from rich.console import Console

    from flows.settings import load_settings

    console = Console(stderr=True)
    if args.command == "docs":
        return _docs(args, console)
    import duckdb

    from flows.analysis.query import NoTables, require_tables

    out = load_settings(out=args.out).out
    try:
        require_tables(out)
    except NoTables as exc:
        console.print(f"newsetl: {exc}", style="red", highlight=False, markup=False, soft_wrap=True)
        return EXIT_USAGE
    try:
        _read_tables(args, out, console)
    except (duckdb.Error, ValueError, OSError) as exc:
        console.print(f"newsetl: {exc}", style="red", highlight=False, markup=False, soft_wrap=True)
        return EXIT_FAILED
    return 0
