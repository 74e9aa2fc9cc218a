"""One run of the pipeline, as a plain function: the Prefect flow (`flows.pipeline`) wraps
each of its steps in a task, the tests call it directly.

    lock ─► plan ─► [ batches on the workers ] ─► commit each ─► prune ─► merge entities ─► record
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Protocol

from flows.batch import Batch, BatchOutput
from flows.commit import CommitResult, commit_batch, prune_inputs
from flows.entity_store import ensure_entities_table, merge_entities
from flows.homes import CommitState
from flows.layout import run_record
from flows.lock import output_lock
from flows.planning import Plan, plan_run
from flows.settings import Settings
from flows.storage import count_rows, write_json_atomic
from flows.workers import run_batches
from transforms.ids import stable_id
from transforms.output.rows import RunInfo
from transforms.schema import TABLE_SCHEMAS


class Progress(Protocol):
    """What a run tells whoever watches it (the CLI's progress bar, say)."""

    def stage(self, message: str) -> None:
        """A step starts or a fact is known ("plan: 2,225 inputs in 12 batches")."""

    def start(self, total: int, loading: str | None = None) -> None:
        """Inputs are about to be processed: `total` of them, once `loading` (what loads
        before the first input is done, if anything: "loading the entity model") is done."""

    def advance(self, inputs: int) -> None:
        """`inputs` more inputs are done."""


_WATCHER: ContextVar[Progress | None] = ContextVar("newsetl_progress", default=None)


@contextmanager
def watched_by(progress: Progress) -> Iterator[None]:
    """Let a run started inside the block (by a flow, say) report to `progress`."""
    token = _WATCHER.set(progress)
    try:
        yield
    finally:
        _WATCHER.reset(token)


def current_progress() -> Progress | None:
    """Who watches the runs started here (set by `watched_by`), if anyone."""
    return _WATCHER.get()


class _Silent:
    def stage(self, message: str) -> None:
        pass

    def start(self, total: int, loading: str | None = None) -> None:
        pass

    def advance(self, inputs: int) -> None:
        pass


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What a run did: rows added per table, rejects by reason, duplicates, failed batches,
    time per stage and in all."""

    run_id: str
    inputs_found: int = 0
    inputs_planned: int = 0
    rows_added: dict[str, int] = field(default_factory=dict)  # net: entities can go too
    table_rows: dict[str, int] = field(default_factory=dict)
    rejects_by_reason: dict[str, int] = field(default_factory=dict)
    reject_examples: dict[str, str] = field(default_factory=dict)
    duplicates: int = 0
    failed_batches: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    deleted_inputs: int = 0
    skipped_records: dict[str, int] = field(default_factory=dict)  # web archives' non-inputs
    pruned_inputs: int = 0
    recovered_commits: int = 0
    repaired_inputs: int = 0  # processed again because a file of theirs was missing
    skipped_names: int = 0  # hidden and `_` files or folders under the raw root
    words: int = 0
    seconds: float = 0.0
    seconds_by_stage: dict[str, float] = field(default_factory=dict)

    @property
    def articles_per_second(self) -> float:
        """Inputs processed per second of the run's wall time."""
        return self.inputs_planned / self.seconds if self.seconds else 0.0

    @property
    def failed(self) -> bool:
        """Whether some work was not done (a batch that failed its checks or its task)."""
        return bool(self.failed_batches)

    def with_commit(self, result: CommitResult, output: BatchOutput | None) -> RunSummary:
        """This summary with one more batch folded in."""
        if result.failure:
            return replace(
                self, failed_batches={**self.failed_batches, result.label: result.failure}
            )
        reasons = dict(self.rejects_by_reason)
        examples = dict(self.reject_examples)
        for reject in result.rejects:
            reasons[reject.reject.error_type] = reasons.get(reject.reject.error_type, 0) + 1
            examples.setdefault(
                reject.reject.error_type, f"{reject.source_path}: {reject.reject.message}"
            )
        stages = dict(self.seconds_by_stage)
        for stage, seconds in (output.seconds_by_stage if output else {}).items():
            stages[stage] = stages.get(stage, 0.0) + seconds
        return replace(
            self,
            rows_added=_add(self.rows_added, result.rows),
            rejects_by_reason=reasons,
            reject_examples=examples,
            duplicates=self.duplicates + result.duplicates,
            notes={**self.notes, **(output.notes if output else {})},
            words=self.words + result.words,
            seconds_by_stage=stages,
        )


def _add(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    return {key: a.get(key, 0) + b.get(key, 0) for key in sorted({*a, *b})}


class Steps:
    """How the steps run: plainly here; `flows.pipeline.PrefectSteps` makes each a task."""

    def plan(self, settings: Settings, version: str) -> Plan:
        """List, compare with the manifest, cut into batches."""
        return plan_run(settings, version)

    def process(
        self, batches: Sequence[Batch], settings: Settings, run: RunInfo, progress: Progress
    ) -> Iterator[BatchOutput | BaseException]:
        """Every batch's output (or why its task failed), in plan order."""
        return run_batches(batches, settings, run, progress.advance)

    def commit(self, state: CommitState, output: BatchOutput) -> CommitResult:
        """Decide and publish one batch."""
        return commit_batch(state, output)

    def merge_entities(self, settings: Settings, rows_removed: bool) -> int:
        """Fold the staged entity rows into the entities table."""
        return merge_entities(settings.out, rows_removed)


def new_run_info(flow_run_id: str = "local") -> RunInfo:
    """The run's id (start time and a short suffix) and start time."""
    started = datetime.now(UTC)
    suffix = flow_run_id[:8] if flow_run_id != "local" else stable_id(started.isoformat())[:8]
    return RunInfo(run_id=f"{started:%Y%m%dT%H%M%S}-{suffix}", started_at=started)


def run(
    settings: Settings,
    progress: Progress | None = None,
    steps: Steps | None = None,
    info: RunInfo | None = None,
) -> RunSummary:
    """Run the pipeline once over `settings.raw` into `settings.out`; see the module
    docstring. Holds the output's lock throughout."""
    progress = progress or _Silent()
    steps = steps or Steps()
    info = info or new_run_info()
    started = time.perf_counter()
    with output_lock(settings.out, wait=settings.wait, on_wait=progress.stage) as lease:
        progress.stage("planning: listing the raw inputs")
        plan = steps.plan(settings, info.pipeline_version)
        summary = _planned(RunSummary(info.run_id), plan)
        if plan.skipped:
            progress.stage(
                f"skipped {len(plan.skipped):,} hidden or _ names in the raw folder "
                f"(not inputs, see README), e.g. {plan.skipped[0]}"
            )
        if plan.repairs:
            path, why = min(plan.repairs.items())
            progress.stage(
                f"repair: {len(plan.repairs):,} inputs processed again because files of "
                f"theirs were missing (e.g. {path}: {why})"
            )
        progress.stage(
            f"plan: {plan.inputs_found:,} inputs found, {plan.inputs_planned:,} to process "
            f"in {len(plan.batches)} batch{'' if len(plan.batches) == 1 else 'es'}"
        )
        if plan.batches or (plan.deleted and settings.prune):
            with closing(plan):  # its batches wait on disk (`flows.planned`) till committed
                state = CommitState.open(
                    settings.out,
                    info,
                    (e.source_path for b in plan.batches for e in b.entries),
                    settings.entities,
                    lease,
                )
                ensure_entities_table(settings.out, info.started_at.strftime("%Y-%m-%d"))
                summary = _process(summary, plan, steps, state, settings, progress)
        progress.stage("merging entities")
        entities_before = count_rows(settings.out, "entities")
        entities = steps.merge_entities(settings, summary.pruned_inputs > 0)
        summary = replace(
            summary,
            rows_added={**summary.rows_added, "entities": entities - entities_before},
            table_rows={name: count_rows(settings.out, name) for name in TABLE_SCHEMAS},
            seconds=time.perf_counter() - started,
        )
        write_run_record(settings, summary)
    return summary


def _process(
    summary: RunSummary,
    plan: Plan,
    steps: Steps,
    state: CommitState,
    settings: Settings,
    progress: Progress,
) -> RunSummary:
    """Process the planned batches and commit each in plan order; prune if asked."""
    if plan.batches:
        where = "in this process" if settings.workers == 1 else f"in {settings.workers} workers"
        progress.stage(f"processing {where}; batches commit as they finish")
        loading = f"loading the entity model {where}" if settings.entities else None
        progress.start(plan.inputs_planned, loading)
        outputs = steps.process(plan.batches, settings, state.run, progress)
        for batch, output in zip(plan.batches, outputs, strict=True):
            summary = _committed(summary, steps, state, batch, output)
    if plan.deleted and settings.prune:
        progress.stage(f"pruning the rows of {len(plan.deleted):,} deleted inputs")
        summary = replace(summary, pruned_inputs=prune_inputs(state, plan.deleted))
    return summary


def _planned(summary: RunSummary, plan: Plan) -> RunSummary:
    return replace(
        summary,
        inputs_found=plan.inputs_found,
        inputs_planned=plan.inputs_planned,
        deleted_inputs=len(plan.deleted),
        skipped_records=plan.skipped_records,
        recovered_commits=plan.recovered,
        repaired_inputs=len(plan.repairs),
        skipped_names=len(plan.skipped),
    )


def _committed(
    summary: RunSummary,
    steps: Steps,
    state: CommitState,
    batch: Batch,
    output: BatchOutput | BaseException,
) -> RunSummary:
    if isinstance(output, BaseException):
        failure = CommitResult(
            batch.batch_id,
            batch.label,
            len(batch.entries),
            failure=f"the batch task failed: {type(output).__name__}: {output}",
        )
        return summary.with_commit(failure, None)
    return summary.with_commit(steps.commit(state, output), output)


def write_run_record(settings: Settings, summary: RunSummary) -> None:
    """Keep the run's summary and settings as `_runs/<run_id>.json` (JSON, not Parquet: a
    Parquet writer would import pandas, most of a no-op run's own work)."""
    from flows.nlp import model_name

    record = {**asdict(summary), "settings": settings.as_dict(), "ner_model": model_name()}
    write_json_atomic(settings.out, run_record(summary.run_id), record)
