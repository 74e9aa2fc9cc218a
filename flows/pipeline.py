"""The `news-etl` Prefect flow: plan ─► batches ─► commit ─► merge entities ─► report."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from flows.batch import Batch, BatchResult, run_batch
from flows.entity_store import merge_entities
from flows.manifest import CommitState, commit_staged_batch
from flows.nlp import model_name
from flows.planning import Plan, plan_run
from flows.settings import Settings, load_settings
from flows.storage import write_parquet_atomic
from flows.workers import pool_for
from transforms.tables import RunInfo

ProgressHook = Callable[[int, int], None]
_progress_hooks: list[ProgressHook] = []


@contextmanager
def reporting_progress(hook: ProgressHook) -> Iterator[None]:
    """Call `hook(done, total)` as batches commit while a flow runs in this process."""
    _progress_hooks.append(hook)
    try:
        yield
    finally:
        _progress_hooks.remove(hook)


def _report_progress(done: int, total: int) -> None:
    # A module-level function, so that task runners that pickle the flow (Dask) pickle it by
    # reference instead of carrying the hooks (a live progress bar cannot be pickled).
    for hook in _progress_hooks:
        hook(done, total)


@dataclass(slots=True)
class RunSummary:
    """What a run did: rows per table, rejects by reason, duplicates, time per stage."""

    run_id: str
    inputs_found: int = 0
    inputs_planned: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    rejects_by_reason: dict[str, int] = field(default_factory=dict)
    reject_examples: dict[str, str] = field(default_factory=dict)
    duplicates: int = 0
    failed_batches: dict[str, str] = field(default_factory=dict)
    words: int = 0
    seconds: float = 0.0
    seconds_by_stage: dict[str, float] = field(default_factory=dict)

    @property
    def articles_per_second(self) -> float:
        """Inputs turned into rows per second of wall time."""
        return self.inputs_planned / self.seconds if self.seconds else 0.0

    def add(self, result: BatchResult) -> None:
        """Fold one batch's counts into the run's."""
        if result.failure:
            self.failed_batches[result.batch_id] = result.failure
        for name, count in result.counts.items():
            self.rows[name] = self.rows.get(name, 0) + count
        for reason, count in result.rejects_by_reason.items():
            self.rejects_by_reason[reason] = self.rejects_by_reason.get(reason, 0) + count
        for reason, example in result.reject_examples.items():
            self.reject_examples.setdefault(reason, example)
        for stage, seconds in result.seconds_by_stage.items():
            self.seconds_by_stage[stage] = self.seconds_by_stage.get(stage, 0.0) + seconds
        self.duplicates += result.duplicates
        self.words += result.words


@task(name="plan-run", cache_policy=NONE, retries=2, retry_delay_seconds=[1, 5])
def plan(settings: Settings) -> Plan:
    """List the raw inputs and cut the new or changed ones into batches.

    One task for both: a 100,000-entry listing passed from task to task costs Prefect
    seconds of parameter handling, which a no-op run must not pay.
    """
    return plan_run(settings)


@task(name="process-batch", cache_policy=NONE)
def process_batch(batch: Batch, settings: Settings, run: RunInfo) -> BatchResult:
    """Read, parse, enrich and write one batch of inputs (in a worker process if workers > 1)."""
    pool = pool_for(settings)
    if pool is None:
        return run_batch(batch, settings, run)
    return pool.submit(run_batch, batch, settings, run).result()


@task(name="commit-batch", cache_policy=NONE)
def commit_batch(result: BatchResult, state: CommitState) -> BatchResult:
    """Mark duplicates, check the staged batch and publish it into the tables and manifest."""
    committed = commit_staged_batch(state, result)
    if committed.failure:
        get_run_logger().error(
            "batch %s failed its data checks and was not committed: %s",
            committed.batch_id,
            committed.failure,
        )
    return committed


@task(name="merge-entities", cache_policy=NONE, retries=2, retry_delay_seconds=[1, 5])
def merge_entity_table(settings: Settings) -> int:
    """Fold the batches' entity rows into the entities table."""
    return merge_entities(settings.out)


@task(name="publish-report", cache_policy=NONE)
def publish_report(summary: RunSummary, settings: Settings) -> str:
    """Record the run under `_runs/` and publish its summary as a Prefect artifact."""
    from flows.report import publish_run_artifacts

    record = json.dumps(
        {**asdict(summary), "settings": settings.as_dict(), "ner_model": model_name()},
        indent=2,
        default=str,
    )
    import pyarrow as pa

    write_parquet_atomic(
        settings.out,
        f"_runs/{summary.run_id}.parquet",
        pa.table({"run_id": [summary.run_id], "record": [record]}),
    )
    return publish_run_artifacts(summary)


def _task_runner(settings: Settings) -> Any:
    """Threads on this machine, or prefect-dask's runner on a Dask cluster (a LocalCluster of
    `workers` single-threaded processes when no scheduler address is given)."""
    if settings.runner == "dask":
        from prefect_dask import DaskTaskRunner

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


def _run_info() -> RunInfo:
    started = datetime.now(UTC)
    flow_run_id = str(flow_run.get_id() or "local")
    return RunInfo(run_id=f"{started:%Y%m%dT%H%M%S}-{flow_run_id[:8]}", started_at=started)


_PLANS: dict[str, list[Batch]] = {}


@flow(name="run-batches", log_prints=False)
def run_batches(plan_id: str, settings: Settings, run: RunInfo, summary: RunSummary) -> None:
    """Process the batches on the task runner, committing each as soon as it is written."""
    batches = _PLANS.pop(plan_id)
    futures = [process_batch.submit(b, settings, run) for b in batches]
    planned = [e.source_path for b in batches for e in b.entries]
    state = CommitState.open(settings.out, planned, run.run_id)
    done = 0
    # Commits go in plan (source_path) order, so duplicate_of does not depend on timing.
    for future in futures:
        # quote(): Prefect would otherwise walk the whole commit state (every manifest row
        # and committed file) at each call, looking for futures: quadratic in the run's size.
        result = commit_batch(quote(future.result()), quote(state))
        summary.add(result)
        done += len(result.manifest_rows)
        _report_progress(done, summary.inputs_planned)


@flow(name="news-etl", log_prints=False)
def news_etl(
    raw: str | None = None,
    out: str | None = None,
    batch_size: int | None = None,
    workers: int | None = None,
    full_refresh: bool | None = None,
    entities: bool | None = None,
    max_bytes: int | None = None,
    runner: str | None = None,
    address: str | None = None,
) -> dict[str, Any]:
    """Extract raw news files, transform them into articles, entities, mentions and links, and
    load them as Parquet tables."""
    settings = load_settings(
        raw=raw,
        out=out,
        batch_size=batch_size,
        workers=workers,
        full_refresh=full_refresh,
        entities=entities,
        max_bytes=max_bytes,
        runner=runner,
        address=address,
    )
    run = _run_info()
    summary = RunSummary(run.run_id)
    started = time.perf_counter()

    planned = plan(settings)
    summary.inputs_found = planned.inputs_found
    summary.inputs_planned = planned.inputs_planned
    get_run_logger().info(
        "%d inputs found, %d to process in %d batches",
        summary.inputs_found,
        summary.inputs_planned,
        len(planned.batches),
    )

    if planned.batches:
        # The plan stays in this process: as a flow parameter it would be sent to the API,
        # which refuses parameters over 512 kB (about 3,000 inputs).
        _PLANS[run.run_id] = planned.batches
        run_batches.with_options(task_runner=_task_runner(settings))(
            run.run_id, settings, run, summary
        )
    summary.rows["entities"] = merge_entity_table(settings)

    summary.seconds = time.perf_counter() - started
    publish_report(summary, settings)
    return asdict(summary) | {"articles_per_second": summary.articles_per_second}
