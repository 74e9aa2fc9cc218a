"""The `newsetl` command: a thin layer over the `news-etl` flow."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from flows.settings import Settings

_QUIET_PREFECT = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    # A first run creates the temporary server's database: 12-14 s here, more on a busy box.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every `newsetl` command."""
    parser = argparse.ArgumentParser(
        prog="newsetl",
        description="News-article ETL: raw pages in data/raw, Parquet tables in data/processed.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser(
        "run",
        help="process new or changed raw files into the tables",
        description="Process new or changed raw files into the tables "
        "(articles, entities, mentions, links, rejects).",
    )
    _add_settings_options(run)
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    config = commands.add_parser(
        "config",
        help="print the effective settings and where each value comes from",
        description="Print the settings a run would use with these options: each value and "
        "its source (default, env NEWSETL_*, or cli).",
    )
    _add_settings_options(config)
    config.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _add_analyst_commands(commands)
    return parser


def _add_analyst_commands(commands: Any) -> None:
    """`query`, `sql`, `report` and `docs`: reading the tables (`flows.analysis`)."""
    out_help = f"processed folder or fsspec URL (default {Settings().out})"
    query = commands.add_parser(
        "query",
        help="run one SQL statement over the tables and print the result",
        description="Run one DuckDB SQL statement over the tables and views (articles, "
        "entities, mentions, links, rejects, resolved_links, entity_cooccurrence, "
        "entity_timeline, mentioned_with(who)); see docs/DATA.md.",
    )
    query.add_argument("sql", help="the SQL statement")
    query.add_argument("--out", help=out_help)
    query.add_argument(
        "--format",
        choices=["table", "csv", "json", "parquet"],
        default="table",
        help="output format (default: a table on the terminal)",
    )
    query.add_argument("--output", metavar="FILE", help="write the result to FILE")
    sql = commands.add_parser(
        "sql",
        help="interactive SQL shell over the tables",
        description="An interactive DuckDB SQL prompt over the tables and views.",
    )
    sql.add_argument("--out", help=out_help)
    report = commands.add_parser(
        "report",
        help="build the HTML report of the tables",
        description="Build one self-contained HTML page with figures of the tables.",
    )
    report.add_argument("--out", help=out_help)
    report.add_argument(
        "--html", metavar="FILE", help="where to write the page (default OUT/_report.html)"
    )
    docs = commands.add_parser(
        "docs",
        help="regenerate the data dictionary docs/DATA.md from the schemas",
        description="Write the data dictionary (generated from transforms/schema.py).",
    )
    docs.add_argument(
        "--output", metavar="FILE", default="docs/DATA.md", help="(default %(default)s)"
    )
    docs.add_argument(
        "--check", action="store_true", help="exit 1 if the file is not up to date; write nothing"
    )


def _add_settings_options(parser: argparse.ArgumentParser) -> None:
    """The options that map to `Settings` fields (shared by `run` and `config`)."""
    defaults = Settings()
    parser.add_argument("--raw", help=f"raw input folder or fsspec URL (default {defaults.raw})")
    parser.add_argument("--out", help=f"output folder or fsspec URL (default {defaults.out})")
    parser.add_argument(
        "--batch-size",
        type=int,
        metavar="N",
        help=f"inputs per Prefect task (default {defaults.batch_size})",
    )
    parser.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help=f"parallel batch workers (processes) (default {defaults.workers})",
    )
    parser.add_argument(
        "--full-refresh",
        action="store_true",
        default=None,
        help="reprocess every input, not only new or changed ones",
    )
    parser.add_argument(
        "--no-entities",
        dest="entities",
        action="store_false",
        default=None,
        help="skip named-entity recognition (entities and mentions stay empty)",
    )
    parser.add_argument(
        "--max-bytes",
        type=int,
        metavar="N",
        help=f"size cap per input, after gunzip (default {defaults.max_bytes:,})",
    )
    parser.add_argument(
        "--runner",
        choices=["local", "dask"],
        help="where batches run: local processes, or a Dask cluster",
    )
    parser.add_argument(
        "--address", help="Dask scheduler address (tcp://host:port); default: a LocalCluster"
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `newsetl` console script."""
    args = build_parser().parse_args(argv)
    for key, value in _QUIET_PREFECT.items():
        os.environ.setdefault(key, value)
    if args.command == "run":
        return _run(args)
    if args.command == "config":
        return _config(args)
    if args.command in ("query", "sql", "report", "docs"):
        return _analyst_command(args)
    return 2


def _analyst_command(args: argparse.Namespace) -> int:
    from pathlib import Path

    from rich.console import Console

    from flows.settings import load_settings

    console = Console(stderr=True)
    if args.command == "docs":
        from flows.analysis.data_dictionary import data_dictionary_markdown

        text, path = data_dictionary_markdown(), Path(args.output)
        if args.check:
            fresh = path.exists() and path.read_text(encoding="utf-8") == text
            if not fresh:
                console.print(f"[red]newsetl: {path} is out of date: run newsetl docs[/red]")
            return 0 if fresh else 1
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        console.print(f"wrote {path}")
        return 0
    import duckdb

    out = load_settings(out=args.out).out
    try:
        if args.command == "query":
            from flows.analysis.query import run_query, write_result

            write_result(run_query(args.sql, out), args.format, args.output, Console())
        elif args.command == "sql":
            from flows.analysis.query import run_shell

            run_shell(out)
        else:
            from flows.analysis.report import write_report

            console.print(f"wrote {write_report(out, args.html)}")
    except (duckdb.Error, ValueError, OSError) as exc:
        console.print(f"[red]newsetl: {exc}[/red]")
        return 1
    return 0


def _config(args: argparse.Namespace) -> int:
    import json

    from rich.console import Console
    from rich.table import Table

    from flows.settings import SETTING_NAMES, resolve_settings

    try:
        settings, sources = resolve_settings(**{k: getattr(args, k) for k in SETTING_NAMES})
    except ValueError as exc:
        Console(stderr=True).print(f"[red]newsetl: {exc}[/red]")
        return 2
    values = settings.as_dict()
    if args.json:
        print(json.dumps({k: {"value": v, "source": sources[k]} for k, v in values.items()}))
        return 0
    table = Table(title="newsetl settings")
    for column in ("setting", "value", "source"):
        table.add_column(column)
    for name, value in values.items():
        table.add_row(name, str(value), sources[name])
    Console().print(table)
    return 0


def _run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from flows.settings import load_settings

    console = Console(stderr=True)
    options = {
        k: getattr(args, k)
        for k in (
            "raw",
            "out",
            "batch_size",
            "workers",
            "full_refresh",
            "entities",
            "max_bytes",
            "runner",
            "address",
        )
    }
    try:
        load_settings(**options)
    except ValueError as exc:
        console.print(f"[red]newsetl: {exc}[/red]")
        return 2
    try:
        summary = _run_flow(options, console, show_progress=not args.quiet)
    except Exception as exc:
        console.print(f"[red]newsetl: the run failed: {type(exc).__name__}: {exc}[/red]")
        return 1
    _print_summary(summary, Console())
    return 0


def _run_flow(options: dict[str, Any], console: Any, show_progress: bool) -> dict[str, Any]:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from flows.pipeline import news_etl, reporting_progress

    progress = Progress(
        TextColumn("[bold]processing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("inputs"),
        TimeRemainingColumn(),
        console=console,
        disable=not show_progress,
        transient=True,
    )
    bar = progress.add_task("inputs", total=None)

    def advance(done: int, total: int) -> None:
        progress.update(bar, completed=done, total=total)

    with progress, reporting_progress(advance):
        result: dict[str, Any] = news_etl(**options)
    return result


def _print_summary(summary: dict[str, Any], console: Any) -> None:
    from rich.table import Table

    table = Table(title=f"newsetl run {summary['run_id']}")
    table.add_column("table")
    table.add_column("rows written", justify="right")
    for name in ("articles", "entities", "mentions", "links", "rejects"):
        table.add_row(name, f"{summary['rows'].get(name, 0):,}")
    console.print(table)
    if summary["rejects_by_reason"]:
        rejects = Table(title="rejects by reason")
        rejects.add_column("reason")
        rejects.add_column("inputs", justify="right")
        for reason, count in sorted(summary["rejects_by_reason"].items()):
            rejects.add_row(reason, str(count))
        console.print(rejects)
    console.print(
        f"{summary['inputs_found']:,} inputs found, {summary['inputs_planned']:,} processed "
        f"in {summary['seconds']:.1f} s ({summary['articles_per_second']:.1f} articles/s); "
        f"{summary['duplicates']} duplicates."
    )


if __name__ == "__main__":
    sys.exit(main())
