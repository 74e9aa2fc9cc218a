"""The `newsetl` command: a thin layer over the `news-etl` flow and the analysts' commands.

Arguments are checked before Prefect is imported (a wrong path or value stops the run in
well under a second, exit status 2); another run on the same output stops it with exit
status 3 (or makes it wait, with --wait); a run that could not do all its work exits 1.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import os
import re
import sys
import time
from collections.abc import Iterator
from typing import Any, NoReturn, cast

from flows.analysis.commands import ANALYST_COMMANDS, add_analyst_commands, run_analyst_command
from flows.exit_codes import EXIT_FAILED, EXIT_LOCKED, EXIT_USAGE
from flows.extract import add_extract_command, run_extract
from flows.settings import (
    SETTING_FIELDS,
    SETTING_NAMES,
    SettingsError,
    default_of,
    format_size,
    parse_size,
)
from flows.version import VersionAction

_QUIET_PREFECT = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    # INFO logs reach the server (the UI tells the story); the terminal shows warnings only.
    "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "WARNING",
    "PREFECT_LOGGING_HANDLERS_CONSOLE_FLOW_RUNS_LEVEL": "WARNING",
    "PREFECT_LOGGING_HANDLERS_CONSOLE_TASK_RUNS_LEVEL": "WARNING",
}


class Parser(argparse.ArgumentParser):
    """An argument parser that takes no abbreviations and suggests what was meant."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        """Print this (sub)command's usage, the error and a suggestion; exit 2."""
        wrong = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if wrong:
            choices = re.findall(r"'([^']*)'", wrong.group(2))
            message += _did_you_mean(wrong.group(1), choices)
        super().error(message)

    def option_strings(self) -> list[str]:
        """Every option this parser knows."""
        return [s for action in self._actions for s in action.option_strings]


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else ""


def build_parser() -> Parser:
    """The argument parser of every `newsetl` command."""
    parser = Parser(
        prog="newsetl",
        description="News-article ETL: raw pages in data/raw, Parquet tables in data/processed.",
    )
    parser.add_argument(
        "--version", action=VersionAction, help="print the versions of newsetl, its pipeline "
        "(the rows it makes), its entity model and Prefect, and exit",
    )  # fmt: skip
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=Parser
    )
    run = commands.add_parser(
        "run",
        help="process new or changed raw files into the tables",
        description="Process new or changed raw files into the tables "
        "(articles, entities, mentions, links, rejects).",
    )
    add_settings_options(run)
    run.add_argument("--quiet", action="store_true", help="print nothing but errors")
    config = commands.add_parser(
        "config",
        help="print the effective settings and where each value comes from",
        description="Print the settings a run would use with these options: each value and "
        "its source (default, env NEWSETL_*, or cli).",
    )
    add_settings_options(config)
    config.add_argument("--json", action="store_true", help="print JSON instead of a table")
    server = commands.add_parser(
        "server",
        help="start, stop or show the Prefect server newsetl runs use",
        description="The newsetl server: a local Prefect server (UI included) that the first "
        "run starts and later runs reuse; it stops itself after NEWSETL_SERVER_IDLE_MINUTES "
        "(default 60) without a run. Not used when PREFECT_API_URL is set.",
    )
    server.add_argument("action", choices=["start", "stop", "status"])
    add_analyst_commands(commands)
    add_extract_command(commands)
    return parser


def add_settings_options(parser: argparse.ArgumentParser) -> None:
    """One option per `Settings` field (its help and default from the field)."""
    for setting in SETTING_FIELDS:
        flag = "--" + setting.name.replace("_", "-")
        default = default_of(setting)
        help_text = str(setting.metadata["help"])
        if setting.type in (bool, "bool"):
            if default:
                # A setting on by default is turned off with --no-NAME, as its help says.
                parser.add_argument(
                    "--no-" + flag[2:], dest=setting.name, action="store_false", default=None,
                    help=help_text,
                )  # fmt: skip
            else:
                parser.add_argument(
                    flag, dest=setting.name, action="store_true", default=None, help=help_text
                )
            continue
        if setting.metadata["metavar"] == "SIZE":
            shown = f" (default {format_size(default)})"
        else:
            shown = (
                f" (default {default:,})" if isinstance(default, int) else f" (default {default})"
            )
        parser.add_argument(
            flag,
            dest=setting.name,
            type=_size if setting.metadata["metavar"] == "SIZE" else _TYPES.get(setting.type, str),
            metavar=setting.metadata["metavar"],
            choices=setting.metadata["choices"],
            help=help_text + (shown if default is not None else ""),
        )


_TYPES: dict[Any, Any] = {int: int, "int": int}


def _size(text: str) -> int:
    """A size option's value in bytes ("50MB", "50 MiB", "1.5GiB", "52428800")."""
    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def parse_arguments(parser: Parser, argv: list[str] | None) -> argparse.Namespace:
    """Parse, and let the subcommand report an unknown option (with a suggestion)."""
    args, extras = parser.parse_known_args(argv)
    if extras:
        sub: Parser = parser._subparsers._group_actions[0].choices[args.command]  # type: ignore[union-attr,index]
        unknown = next((e for e in extras if e.startswith("-")), extras[0])
        hint = _did_you_mean(unknown.split("=", 1)[0], sub.option_strings())
        sub.error(f"unrecognized arguments: {' '.join(extras)}{hint}")
    return args


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `newsetl` console script."""
    started = time.perf_counter()
    args = parse_arguments(build_parser(), argv)
    for key, value in _QUIET_PREFECT.items():
        os.environ.setdefault(key, value)
    if args.command == "run":
        return _run(args, started)
    if args.command == "config":
        return _config(args)
    if args.command == "server":
        return _server(args.action)
    if args.command == "extract":
        return run_extract(args)
    if args.command in ANALYST_COMMANDS:
        return run_analyst_command(args)
    return EXIT_USAGE


def _config(args: argparse.Namespace) -> int:
    import json

    from rich.table import Table

    from flows.console import error, make_console
    from flows.settings import resolve_settings

    try:
        settings, sources = resolve_settings(**{k: getattr(args, k) for k in SETTING_NAMES})
    except SettingsError as exc:
        error(str(exc))
        return EXIT_USAGE
    values = settings.as_dict()
    if args.json:
        print(json.dumps({k: {"value": v, "source": sources[k]} for k, v in values.items()}))
        return 0
    table = Table(title="newsetl settings")
    for column in ("setting", "value", "source"):
        table.add_column(column)
    for name, value in values.items():
        table.add_row(name, str(value), sources[name])
    make_console().print(table)
    return 0


def _run(args: argparse.Namespace, started: float) -> int:

    from flows.console import ConsoleProgress, error
    from flows.lock import OutputLocked
    from flows.preflight import check_lock, check_paths
    from flows.settings import resolve_settings

    try:
        settings, _ = resolve_settings(**{k: getattr(args, k) for k in SETTING_NAMES})
        check_paths(settings)
        check_lock(settings)
    except SettingsError as exc:
        error(str(exc))
        return EXIT_USAGE
    except OutputLocked as exc:
        error(f"{exc}; use --wait to wait for it")
        return EXIT_LOCKED
    progress = ConsoleProgress(quiet=args.quiet, started=started)
    progress.stage("starting Prefect…")
    try:
        server = _use_a_server(progress)
    except (OSError, RuntimeError) as exc:
        error(f"cannot start a Prefect server: {exc}")
        return EXIT_FAILED
    with server:
        return _run_flow(settings, progress, started, quiet=args.quiet)


def _run_flow(settings: Any, progress: Any, started: float, quiet: bool) -> int:
    from dataclasses import asdict

    from flows.console import error, make_console, print_summary
    from flows.lock import OutputLocked
    from flows.pipeline import RunFailed, news_etl
    from flows.run import watched_by

    try:
        with watched_by(progress), _without_heartbeats():
            summary = cast(dict[str, Any], news_etl(**settings.as_parameters()))
    except OutputLocked as exc:
        progress.close()
        error(f"{exc}; use --wait to wait for it")
        return EXIT_LOCKED
    except RunFailed as exc:
        progress.close()
        wall = time.perf_counter() - started
        print_summary(asdict(exc.summary), wall, make_console(), settings.out)
        error(f"the run did not finish its work: {exc}; rerun to retry those inputs")
        return EXIT_FAILED
    except Exception as exc:  # the run itself failed: say so in one line, exit 1
        progress.close()
        error(f"the run failed: {type(exc).__name__}: {exc}")
        return EXIT_FAILED
    progress.close()
    if not quiet:
        print_summary(summary, time.perf_counter() - started, make_console(), settings.out)
    return 0


def _without_heartbeats() -> contextlib.AbstractContextManager[Any]:
    """No flow-run heartbeats from a run in this process, unless they are configured: they
    feed only a crash-detection automation, and the engine's joining their thread costs up to
    a second at each run's end (the half of a no-op rerun that is not our work)."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    configured = {"PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY"}
    if configured & set(os.environ):
        return contextlib.nullcontext()
    return temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None})


def _use_a_server(progress: Any) -> contextlib.AbstractContextManager[None]:
    """Point Prefect at the API it is configured for (PREFECT_API_URL, in the environment or
    the Prefect profile), else at the newsetl server (started if need be); returns what to
    hold while the run uses it."""
    if configured_api_url():
        return contextlib.nullcontext()
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.server import ensure_server, using_server

    state, started = ensure_server()
    if started:
        progress.stage(
            f"started the newsetl Prefect server at {state.ui_url}: later runs reuse it "
            "(newsetl server stop stops it)"
        )
    # Prefect read its settings when imported: tell it, or it starts a temporary server.
    return _holding(temporary_settings(updates={PREFECT_API_URL: state.api_url}), using_server())


@contextlib.contextmanager
def _holding(*contexts: contextlib.AbstractContextManager[Any]) -> Iterator[None]:
    with contextlib.ExitStack() as held:
        for context in contexts:
            held.enter_context(context)
        yield


def configured_api_url() -> str | None:
    """The Prefect API this process is configured for, if any."""
    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    return str(url) if url else None


def _server(action: str) -> int:
    from flows.server import ensure_server, server_status, stop_server

    if api_url := configured_api_url():
        print(f"Prefect is configured for {api_url}: runs use that server, not this one")
    if action == "start":
        state, started = ensure_server()
        print(f"{'started' if started else 'already running'}: {state.ui_url} (pid {state.pid})")
        return 0
    if action == "stop":
        stopped = stop_server()
        print(f"stopped {stopped.ui_url}" if stopped else "no newsetl server was running")
        return 0
    running = server_status()
    if running is None:
        print("no newsetl server is running (the next newsetl run starts one)")
        return EXIT_FAILED
    print(
        f"running: {running.ui_url} (pid {running.pid}, since {running.started_at}; "
        f"log {running.log})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
