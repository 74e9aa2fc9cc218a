"""The batches on Dask through prefect-dask: a 2-worker LocalCluster started by the flow, and an
existing cluster given by address, give the same articles as the default runner."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from flows.pipeline import news_etl, task_runner
from flows.settings import Settings

pytestmark = pytest.mark.slow


def _write_raw(raw: Path) -> None:
    """Five invented plain articles in two folders (three batches of two)."""
    stories = {
        "north/ferry.txt": "Night ferry returns to Tromsø\n\nThe night ferry to Tromsø "
        "sails again from Friday after winter storms, the operator said.\n",
        "north/school.txt": "New school opens in Bodø\n\nPupils in Bodø moved into a "
        "timber school building on Monday, three months ahead of plan.\n",
        "north/market.txt": "Fish market moves indoors\n\nTraders at the harbour market "
        "will work from a heated hall from next month.\n",
        "south/rail.txt": "Rail line to Faro reopens\n\nTrains between Lisbon and Faro "
        "ran again on Sunday after track repairs near Tunes.\n",
        "south/heat.txt": "Heat warning for the Algarve\n\nForecasters warned of "
        "temperatures above forty degrees across the Algarve this weekend.\n",
    }
    for name, text in stories.items():
        path = raw / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _run(raw: Path, out: Path, **options: object) -> pd.DataFrame:
    news_etl(raw=str(raw), out=str(out), batch_size=2, workers=2, entities=False, **options)  # type: ignore[call-overload]
    return pd.read_parquet(out / "articles")


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("raw")
    _write_raw(folder)
    return folder


@pytest.fixture(scope="module")
def default_articles(
    prefect_harness: None, raw: Path, tmp_path_factory: pytest.TempPathFactory
) -> pd.DataFrame:
    return _run(raw, tmp_path_factory.mktemp("out-default"))


def test_local_cluster_gives_the_same_articles(
    default_articles: pd.DataFrame, raw: Path, tmp_path: Path
) -> None:
    articles = _run(raw, tmp_path, runner="dask")
    assert len(articles) == 5
    assert sorted(articles.article_id) == sorted(default_articles.article_id)
    columns = ["article_id", "title", "body", "content_sha256"]
    pd.testing.assert_frame_equal(
        articles[columns].sort_values("article_id").reset_index(drop=True),
        default_articles[columns].sort_values("article_id").reset_index(drop=True),
    )


def test_existing_cluster_by_address(
    default_articles: pd.DataFrame, raw: Path, tmp_path: Path
) -> None:
    from distributed import LocalCluster

    from flows.pipeline import dask_worker_env

    # An existing cluster's workers get the Prefect API URL from their own environment.
    with LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        env=dask_worker_env(),
    ) as cluster:
        articles = _run(raw, tmp_path, runner="dask", address=cluster.scheduler_address)
    assert sorted(articles.article_id) == sorted(default_articles.article_id)


def test_task_runner_choice() -> None:
    from prefect.task_runners import ThreadPoolTaskRunner
    from prefect_dask.task_runners import DaskTaskRunner

    assert isinstance(task_runner(Settings()), ThreadPoolTaskRunner)
    remote = task_runner(Settings(runner="dask", address="tcp://10.0.0.5:8786"))
    assert isinstance(remote, DaskTaskRunner)
    assert remote.address == "tcp://10.0.0.5:8786"
