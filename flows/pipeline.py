"""The `news-etl` Prefect flow: `flows.run.run` with each step a Prefect task.

    plan ─► batch 1/12 … batch 12/12 (on the task runner) ─► commit each ─► merge entities
         ─► publish the run's summary as artifacts

A run that could not do all its work (a batch failed) publishes its summary, then ends
Failed with `RunFailed`, which carries the summary.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict
from typing import Annotated, Any, ParamSpec, TypeVar, cast

from prefect import State, Task, flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.client.schemas.objects import TaskRun
from prefect.context import FlowRunContext
from prefect.runtime import flow_run
from prefect.states import Failed
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote
from pydantic import Field

from flows.artifacts import publish_run_artifacts
from flows.batch import Batch, BatchOutput, ProgressHook, process_batch
from flows.commit import CommitResult, commit_batch
from flows.entity_store import merge_entities
from flows.homes import CommitState
from flows.lock import OutputLocked
from flows.planning import Plan, plan_run
from flows.preflight import check_lock, check_paths
from flows.run import Progress, RunSummary, Steps, current_progress, new_run_info, run
from flows.settings import (
    DEFAULTS,
    NUMERIC_RANGES,
    SETTING_NAMES,
    Runner,
    Settings,
    SettingsError,
    load_settings,
    parameters_docstring,
)
from flows.workers import in_flight, pool_for, relaying_progress, submitted_ahead
from transforms.output.rows import RunInfo

P = ParamSpec("P")
R = TypeVar("R")


class RunFailed(RuntimeError):
    """The run committed what it could, but some of its work failed (see `summary`)."""

    def __init__(self, summary: RunSummary) -> None:
        failed = ", ".join(summary.failed_batches)
        super().__init__(f"{len(summary.failed_batches)} batch(es) failed: {failed}")
        self.summary = summary


def transient(task: Any, task_run: TaskRun, state: State[Any]) -> bool:
    """Whether a failed I/O task is worth a retry: not when the error is permanent (a path
    that is missing, not a folder or not readable; a wrong setting)."""
    try:
        state.result()
    except (SettingsError, FileNotFoundError, NotADirectoryError, PermissionError):
        return False
    except Exception:
        return True
    return True


def io_task(name: str) -> Callable[[Callable[P, R]], Task[P, R]]:
    """An I/O task named `name` (its runs too): retried twice, after 1 then 5 s, unless the
    error is permanent."""
    return task(
        name=name,
        task_run_name=name,
        cache_policy=NONE,
        retries=2,
        retry_delay_seconds=[1, 5],
        retry_condition_fn=transient,
    )


@io_task("plan")
def plan_task(settings: Settings, version: str) -> Plan:
    """List the raw inputs and cut the new or changed ones into batches (one task: a
    100,000-entry listing handed from task to task costs seconds of parameter handling)."""
    plan = plan_run(settings, version)
    get_run_logger().info(
        "%d inputs found, %d to process in %d batches; %d deleted since processed",
        plan.inputs_found,
        plan.inputs_planned,
        len(plan.batches),
        len(plan.deleted),
    )
    return plan


@task(name="batch", cache_policy=NONE)
def process_batch_task(
    batch: Batch, settings: Settings, run: RunInfo, on_progress: ProgressHook | None
) -> BatchOutput:
    """Read, parse and enrich one batch of inputs (in a worker process if workers > 1)."""
    pool = pool_for(settings)
    if pool is None:
        return process_batch(batch, settings, run, on_progress)
    return pool.submit(batch, settings, run).result()


@task(name="commit", cache_policy=NONE)
def commit_task(state: CommitState, output: BatchOutput) -> CommitResult:
    """Decide duplicates, check the batch and publish it into the tables and manifest."""
    result = commit_batch(state, output)
    logger = get_run_logger()
    if result.failure:
        logger.error("%s failed its data checks, not committed: %s", result.label, result.failure)
    else:
        reasons = sorted({r.reject.error_type for r in result.rejects})
        logger.info(
            "%s: %d articles, %d rejects %s, %d duplicates",
            result.label,
            result.rows.get("articles", 0),
            len(result.rejects),
            reasons,
            result.duplicates,
        )
    return result


@io_task("merge entities")
def merge_entities_task(out: str, rows_removed: bool) -> int:
    """Fold the batches' entity rows into the entities table."""
    return merge_entities(out, rows_removed)


class PrefectSteps(Steps):
    """The run's steps as Prefect tasks; batches on the flow's task runner."""

    def plan(self, settings: Settings, version: str) -> Plan:
        return plan_task(settings, version)

    def process(
        self, batches: Sequence[Batch], settings: Settings, run: RunInfo, progress: Progress
    ) -> Iterator[BatchOutput | BaseException]:
        pool = pool_for(settings)
        # Only an in-process batch reports its own progress; a pool's workers report theirs
        # through the pool, and a Dask worker's cannot reach this process.
        hook = progress.advance if pool is None and settings.runner == "local" else None

        def submit(batch: Batch) -> Any:
            return runner.submit(
                process_batch_task.with_options(task_run_name=batch.label),
                {"batch": batch, "settings": settings, "run": run, "on_progress": hook},
            )

        with relaying_progress(pool, progress.advance), task_runner(settings) as runner:
            # A batch's rows are dropped once committed, and only a few batches run ahead.
            for batch, future in submitted_ahead(batches, submit, in_flight(settings)):
                future.wait()
                state = future.state
                if state.is_completed():
                    if settings.runner == "dask":
                        progress.advance(len(batch.entries))
                    yield state.result()
                else:
                    yield RuntimeError(state.message or "the task failed")

    def commit(self, state: CommitState, output: BatchOutput) -> CommitResult:
        # quote(): Prefect would otherwise walk the whole commit state (every manifest row)
        # at each call, looking for futures: quadratic in the run's size.
        label = output.batch.label
        task = commit_task.with_options(task_run_name=f"commit {label}")
        result: CommitResult = task(quote(state), quote(output))  # type: ignore[call-overload]
        return result

    def merge_entities(self, settings: Settings, rows_removed: bool) -> int:
        return merge_entities_task(settings.out, rows_removed)


def task_runner(settings: Settings) -> Any:
    """Threads on this machine, or prefect-dask's runner on a Dask cluster (a LocalCluster of
    `workers` single-threaded processes when no scheduler address is given)."""
    if settings.runner == "dask":
        from prefect_dask.task_runners import DaskTaskRunner

        if settings.address:
            # The cluster's workers must reach the same Prefect API (PREFECT_API_URL in
            # their environment, see README "Production").
            return DaskTaskRunner(address=settings.address)
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": settings.workers,
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
                "env": dask_worker_env(),
            }
        )
    return ThreadPoolTaskRunner(max_workers=settings.workers)


def dask_worker_env() -> dict[str, str]:
    """The environment a Dask worker needs to report task runs to this flow's Prefect API.

    Without PREFECT_API_URL each worker process would start its own temporary server (and
    record its task runs there): hand it the URL of the API this flow talks to, which is the
    flow's temporary server when none is configured.
    """
    from prefect.client.orchestration import get_client

    env = {
        "PREFECT_API_URL": str(get_client().api_url).rstrip("/"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }
    for name in ("PREFECT_API_KEY", "PREFECT_HOME", "PREFECT_LOGGING_LEVEL"):
        if os.environ.get(name):
            env[name] = os.environ[name]
    return env


FLOW_SUMMARY = (
    "Extract raw news files, transform them into articles, entities, mentions and links, and "
    "load them as Parquet tables (the same run as `newsetl run`)."
)


def _documented(fn: Callable[P, R]) -> Callable[P, R]:
    """Give the flow function its parameters' descriptions (from `Settings`, so the run form
    in the Prefect UI says what the CLI's --help says)."""
    fn.__doc__ = parameters_docstring(FLOW_SUMMARY)
    return fn


def _within(name: str) -> Any:
    """The range the setting `name` takes, as the run form shows and checks it."""
    low, high = NUMERIC_RANGES[name]
    return Field(ge=low, le=high)


@flow(name="news-etl", description=FLOW_SUMMARY, log_prints=False, persist_result=True)
@_documented
def news_etl(
    raw: str = DEFAULTS.raw,
    out: str = DEFAULTS.out,
    batch_size: Annotated[int, _within("batch_size")] = DEFAULTS.batch_size,
    workers: Annotated[int, _within("workers")] = DEFAULTS.workers,
    full_refresh: bool = DEFAULTS.full_refresh,
    entities: bool = DEFAULTS.entities,
    max_bytes: Annotated[int, _within("max_bytes")] = DEFAULTS.max_bytes,
    prune: bool = DEFAULTS.prune,
    wait: bool = DEFAULTS.wait,
    runner: Runner = DEFAULTS.runner,
    address: str = "",  # no address: a LocalCluster (a plain text field in the run form)
) -> dict[str, Any]:
    # The docstring is made by _documented.
    given = locals() | {"address": address or None}
    try:
        settings = _checked_settings({name: given[name] for name in SETTING_NAMES})
    except (SettingsError, OutputLocked) as exc:
        # A permanent error, said once: the run ends Failed before any task, no retry.
        get_run_logger().error("%s", exc)
        return _failed(exc)
    info = new_run_info(str(flow_run.get_id() or "local"))
    progress = current_progress()
    if progress is not None and flow_run.get_flow_run_ui_url():
        progress.stage(f"flow run {flow_run.get_flow_run_ui_url()}")
    summary = run(settings, progress, PrefectSteps(), info)
    publish_run_artifacts(summary)
    if summary.failed:
        raise RunFailed(summary)
    return asdict(summary) | {"articles_per_second": summary.articles_per_second}


def _failed(exc: Exception) -> dict[str, Any]:
    """A Failed state: Prefect ends the flow run in the state the flow returns (its message in
    the log, no traceback), and a Python caller of the flow gets `exc` raised."""
    return cast(dict[str, Any], Failed(message=str(exc), data=exc))


def _checked_settings(parameters: dict[str, Any]) -> Settings:
    """The run's settings, checked as `newsetl run` checks its options (values, paths, the
    output's lock). A parameter the flow run was not given (a deployment that sets only some)
    takes the worker's NEWSETL_* variable, else the default."""
    context = FlowRunContext.get()
    given = set(context.flow_run.parameters) if context and context.flow_run else set(parameters)
    settings = load_settings(**{k: v for k, v in parameters.items() if k in given})
    check_paths(settings)
    check_lock(settings)
    return settings
