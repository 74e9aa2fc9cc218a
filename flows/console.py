"""What `newsetl run` shows while it works: stage lines, a progress bar per input, the summary.

On a terminal: stage lines and a live bar (rate, ETA) on stderr. Elsewhere (a pipe, a log
file, CI): plain timestamped lines, the progress every 10 %, never wrapped or cut (a URL or
a path is one piece to copy). Nothing under `--quiet` but errors.
"""

from __future__ import annotations

import os
import shlex
import sys
import threading
import time
from typing import Any, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from flows.printable import shown
from flows.settings import DEFAULTS
from flows.storage import is_local
from transforms.schema import TABLE_SCHEMAS

UNWRAPPED = 1_000_000  # columns of a console that is not a terminal: no line is ever cut


def make_console(stderr: bool = False, file: TextIO | None = None) -> Console:
    """A console that fits a terminal's width, and on anything else (a pipe, a file) prints
    each line whole: rich would wrap and cut at 80 columns there."""
    console = Console(stderr=stderr, file=file)
    if not console.is_terminal:
        console = Console(stderr=stderr, file=file, width=UNWRAPPED, soft_wrap=True)
    return console


class ConsoleProgress:
    """A `flows.run.Progress` for people: lines and a bar on stderr."""

    def __init__(self, quiet: bool = False, started: float | None = None) -> None:
        self.console = make_console(stderr=True)
        self.quiet = quiet
        self.live = self.console.is_terminal and not quiet
        self.started = started if started is not None else time.perf_counter()
        self._lock = threading.Lock()
        self._bar: Progress | None = None
        self._task: Any = None
        self._total = 0
        self._done = 0
        self._next_line = 0.0
        self._waiting = "processing"
        self._loading: str | None = None

    def _elapsed(self) -> str:
        return f"{time.perf_counter() - self.started:5.1f}s"

    def stage(self, message: str) -> None:
        """Print a stage line ("plan: 2,225 inputs in 12 batches")."""
        if self.quiet:
            return
        with self._lock:
            self.console.print(f"[dim]{self._elapsed()}[/dim] {shown(message)}", highlight=False)

    def start(self, total: int, loading: str | None = None) -> None:
        """Start counting `total` inputs; `loading` names what loads before the first input
        is done (the entity model), shown as the bar's label until then."""
        self._total, self._done = total, 0
        self._waiting = f"{loading}…" if loading else "processing"
        self._loading = loading
        if not self.live:
            self.stage(f"processing {total:,} inputs" + (f"; {loading}…" if loading else ""))
            return
        self._bar = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task(self._waiting, total=total, rate="")
        self._begun = time.perf_counter()

    def advance(self, inputs: int) -> None:
        """Count `inputs` more inputs done."""
        with self._lock:
            if self._loading and not self._done:
                self._loaded()
            self._done += inputs
            if self._bar is not None:
                seconds = max(time.perf_counter() - self._begun, 1e-6)
                rate = f"{self._done / seconds:,.1f} inputs/s"
                self._bar.update(self._task, completed=self._done, rate=rate)
                if self._done >= self._total:
                    self._bar.stop()
                    self._bar = None
            elif not self.quiet and self._total and self._done / self._total >= self._next_line:
                self._next_line = self._done / self._total + 0.1
                share = self._done / self._total
                self.console.print(
                    f"{self._elapsed()} {self._done:,}/{self._total:,} inputs ({share:.0%})",
                    highlight=False,
                )

    def _loaded(self) -> None:
        """The first input is done: what was loading has loaded."""
        if self._bar is not None:
            self._bar.update(self._task, description="processing")
        if not self.quiet:
            message = f"{self._elapsed()} {self._loading}: done, first inputs processed"
            self.console.print(message, highlight=False)
        self._loading = None

    def close(self) -> None:
        """Stop the bar if it is still showing."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def print_summary(summary: dict[str, Any], wall_seconds: float, console: Console, out: str) -> None:
    """The run's summary: rows added and table sizes, rejects, failures, times, then where
    the tables are and what to do next (how to reprocess, when there was nothing to do)."""
    table = Table(title=f"newsetl run {shown(summary['run_id'])}")
    table.add_column("table")
    table.add_column("rows added", justify="right")
    table.add_column("rows in table", justify="right")
    for name in TABLE_SCHEMAS:
        added, size = summary["rows_added"].get(name, 0), summary["table_rows"].get(name, 0)
        table.add_row(name, f"{added:+,}" if added < 0 else f"{added:,}", f"{size:,}")
    console.print(table)
    if summary["rejects_by_reason"]:
        rejects = Table(title="rejects by reason")
        rejects.add_column("reason")
        rejects.add_column("inputs", justify="right")
        rejects.add_column("example")
        for reason, count in sorted(summary["rejects_by_reason"].items()):
            example = summary["reject_examples"].get(reason, "")
            rejects.add_row(shown(reason), str(count), shown(example))
        console.print(rejects)
    for label, why in summary["failed_batches"].items():
        console.print(f"[red]failed: {shown(label)}: {shown(why)}[/red]")
    for path, note in sorted(summary["notes"].items())[:5]:
        console.print(f"[yellow]note: {shown(path)}: {shown(note)}[/yellow]")
    if skipped := summary.get("skipped_records"):
        counts = ", ".join(f"{n:,} {reason}" for reason, n in sorted(skipped.items()))
        console.print(f"web archive records skipped (not HTML or text responses): {counts}")
    if summary.get("repaired_inputs"):
        console.print(
            f"[yellow]{summary['repaired_inputs']:,} inputs processed again: files of theirs "
            "were missing from the output[/yellow]"
        )
    if summary.get("skipped_names"):
        console.print(
            f"{summary['skipped_names']:,} hidden or _ names in the raw folder skipped "
            "(not inputs: see README)",
            highlight=False,
        )
    if summary["deleted_inputs"]:
        console.print(
            f"[yellow]{summary['deleted_inputs']:,} processed inputs are gone from the raw "
            f"folder; {summary['pruned_inputs']:,} pruned (--prune removes their rows)[/yellow]"
        )
    console.print(
        f"{summary['inputs_found']:,} inputs found, {summary['inputs_planned']:,} processed; "
        f"{summary['duplicates']:,} duplicates. "
        f"Run {summary['seconds']:.1f} s, wall {wall_seconds:.1f} s "
        f"({summary['inputs_planned'] / max(wall_seconds, 1e-9):.1f} inputs/s).",
        highlight=False,
    )
    for line in next_steps(summary, out):
        console.print(shown(line), highlight=False)


def next_steps(summary: dict[str, Any], out: str) -> list[str]:
    """Where the tables are, and the commands that read them (with `--out` unless it is the
    default); a run with nothing to process says how to reprocess."""
    where = os.path.abspath(out) if is_local(out) else out
    option = "" if out == DEFAULTS.out else f" --out {shlex.quote(out)}"
    lines = []
    if not summary["inputs_planned"] and summary["inputs_found"]:
        lines.append(
            f"Nothing new to process: the {summary['inputs_found']:,} inputs are unchanged "
            "since they were processed. To process them again: newsetl run --full-refresh" + option
        )
    lines += [
        f"Tables: {where} ({', '.join(TABLE_SCHEMAS)})",
        f"Next: newsetl report{option}   (an interactive HTML page of the tables)",
        f'      newsetl sql{option}      (SQL over the tables; newsetl query "..." for one)',
    ]
    return lines


def error(message: str) -> None:
    """One line on stderr, in red on a terminal."""
    make_console(stderr=True).print(f"[red]newsetl: {shown(message)}[/red]", highlight=False)


def is_terminal() -> bool:
    """Whether stdout is a terminal."""
    return sys.stdout.isatty()
