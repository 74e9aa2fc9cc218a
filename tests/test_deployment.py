"""The README's production recipe, followed as written: its `export` line, `prefect server start`
on a terminal of its own (a pseudo-terminal, where a prompt would stop it), the work pool,
`prefect deploy --all` from prefect.yaml, a process worker and `prefect deployment run
--watch`; then the Parquet output, the flow run's state, result, tasks and artifacts, a
wrong parameter failing the run before any task, and the run form in the Prefect UI.

The only changes to the recipe's lines: a free port for 4200, a temporary HOME, and the
raw and output folders of the test. Everything started here is stopped in teardown.
The Chromium test writes a screenshot of the run form to
`$NEWSETL_ARTIFACTS/newsetl-deployment/run-form.png` (default: the system temp folder).
"""

from __future__ import annotations

import gzip
import os
import pty
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import pytest

from flows.settings import DEFAULTS, SETTING_FIELDS
from tests.chromium_page import CHROMIUM, visit_page

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ARTIFACTS = (
    Path(os.environ.get("NEWSETL_ARTIFACTS") or tempfile.gettempdir()) / "newsetl-deployment"
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def recipe() -> list[str]:
    """The command lines of the README's production recipe (the bash block after the
    "A production server" paragraph), comments and blank lines left out."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("A production server on this machine") :]
    start = section.index("```bash\n") + 8
    block = section[start : section.index("\n```", start)]
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_the_recipe_is_what_this_test_runs() -> None:
    lines = recipe()
    assert [line.split()[:3] for line in lines] == [
        ["export", "PREFECT_HOME=~/.newsetl-production", "PREFECT_API_URL=http://127.0.0.1:4200/api"],
        [".venv/bin/prefect", "server", "start"],
        [".venv/bin/prefect", "work-pool", "create"],
        [".venv/bin/prefect", "deploy", "--all"],
        [".venv/bin/prefect", "worker", "start"],
        [".venv/bin/prefect", "deployment", "run"],
    ]  # fmt: skip
    assert "PREFECT_CLI_PROMPT=false" in lines[0].split()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Recipe:
    """The recipe's lines, on a free port, with a temporary HOME."""

    def __init__(self, home: Path, port: int) -> None:
        lines = [
            line.replace(":4200", f":{port}").replace(" 4200", f" {port}") for line in recipe()
        ]
        self.export, self.server, self.pool, self.deploy, self.worker, self.run = lines
        self.env = self._exported(home)

    def _exported(self, home: Path) -> dict[str, str]:
        """The environment after the recipe's `export` line, as bash makes it."""
        base = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        done = subprocess.run(
            ["bash", "-c", f"{self.export} && env -0"],
            env={**base, "HOME": str(home)},
            capture_output=True,
            check=True,
        )
        pairs = (item.split(b"=", 1) for item in done.stdout.split(b"\0") if b"=" in item)
        return {k.decode(): v.decode() for k, v in pairs} | {"PYTHONUNBUFFERED": "1"}

    def args(self, line: str, **replace: str) -> list[str]:
        """A recipe line as arguments: `.venv/bin/` is this interpreter's folder."""
        for old, new in replace.items():
            line = line.replace(old, new)
        words = shlex.split(line)
        return [str(BIN / words[0].removeprefix(".venv/bin/")), *words[1:]]


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start a process in its own process group, output to `log`."""
    handle = log.open("wb")
    return subprocess.Popen(
        args, env=env, cwd=REPO, stdin=subprocess.DEVNULL, stdout=handle,
        stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def _start_on_a_terminal(
    args: list[str], env: dict[str, str]
) -> tuple[subprocess.Popen[bytes], list[bytes]]:
    """Start a process with a pseudo-terminal as stdin, stdout and stderr (as in a terminal
    window: Prefect would prompt there); its output is collected in the list returned."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        args, env=env, cwd=REPO, stdin=terminal, stdout=terminal, stderr=terminal,
        start_new_session=True,
    )  # fmt: skip
    os.close(terminal)
    output: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:
                break
            if not chunk:
                break
            output.append(chunk)
        os.close(controller)

    threading.Thread(target=drain, daemon=True).start()
    return process, output


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a process group: SIGTERM, then SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


def _run(
    args: list[str], env: dict[str, str], timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, env=env, cwd=REPO, stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, f"{shlex.join(done.args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recipe]:
    """Step 1 of the recipe: the server, started on a terminal; answers within 90 s."""
    home = tmp_path_factory.mktemp("home")
    steps = Recipe(home, _free_port())
    server, output = _start_on_a_terminal(steps.args(steps.server), steps.env)
    try:
        deadline = time.monotonic() + 90
        while True:
            shown = b"".join(output).decode(errors="replace")
            assert server.poll() is None, shown
            try:
                if (
                    httpx.get(f"{steps.env['PREFECT_API_URL']}/health", timeout=2).status_code
                    == 200
                ):
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"no answer in 90 s (a prompt?):\n{shown}"
            time.sleep(0.5)
        yield steps
    finally:
        _stop(server)


@pytest.fixture(scope="module")
def worker(production: Recipe) -> Iterator[subprocess.Popen[bytes]]:
    """Step 2: the work pool, the deployment from prefect.yaml, and a process worker."""
    _ok(_run(production.args(production.pool), production.env))
    _ok(_run(production.args(production.deploy), production.env))
    log = Path(production.env["PREFECT_HOME"]) / "worker.log"
    process = _start(production.args(production.worker), production.env, log)
    try:
        yield process
    finally:
        _stop(process)  # workers before the server (the server fixture ends later)


def test_the_server_keeps_to_its_own_home(production: Recipe) -> None:
    home = Path(production.env["PREFECT_HOME"])
    assert home.name == ".newsetl-production"
    assert (home / "prefect.db").is_file()  # its own database, not ~/.prefect's
    assert not (home.parent / ".prefect").exists()
    profiles = home / "profiles.toml"
    assert not profiles.exists() or "PREFECT_API_URL" not in profiles.read_text()  # not rewritten


def _write_raw(raw: Path) -> None:
    """Three invented plain articles (one gzipped) and an empty file that becomes a reject."""
    corpus = raw / "wire"
    corpus.mkdir(parents=True)
    (corpus / "bridge.txt").write_text(
        "Tidal bridge reopens in Bergen\n\n"
        "Engineers in Bergen reopened the tidal bridge on Monday after a month of repairs.\n\n"
        "Ingrid Solberg, who leads the works office, said traffic would return to normal.\n",
        encoding="utf-8",
    )
    (corpus / "orchard.txt").write_text(
        "Apple growers count a late harvest\n\n"
        "Growers near Nelson in New Zealand said the cold spring delayed picking by weeks.\n",
        encoding="utf-8",
    )
    (corpus / "library.txt.gz").write_bytes(
        gzip.compress(
            b"City library extends opening hours\n\n"
            b"The library in Porto will stay open until ten at night from next month.\n"
        )
    )
    (corpus / "empty.txt").write_bytes(b"")


def _api(env: dict[str, str], path: str, body: dict[str, Any]) -> Any:
    response = httpx.post(f"{env['PREFECT_API_URL']}{path}", json=body, timeout=30)
    response.raise_for_status()
    return response.json()


def _deployment(env: dict[str, str]) -> dict[str, Any]:
    (deployment,) = [d for d in _api(env, "/deployments/filter", {}) if d["name"] == "hourly"]
    return dict(deployment)


def _flow_run(env: dict[str, str], raw: Path) -> dict[str, Any]:
    runs = _api(env, "/flow_runs/filter", {"sort": "START_TIME_DESC"})
    (ran,) = [r for r in runs if r["parameters"].get("raw") == str(raw)]
    return dict(ran)


def _task_names(env: dict[str, str], flow_run_id: str) -> list[str]:
    runs = _api(env, "/task_runs/filter", {"flow_runs": {"id": {"any_": [flow_run_id]}}})
    return sorted(r["name"] for r in runs)


def _run_deployment(production: Recipe, raw: Path, out: Path) -> subprocess.CompletedProcess[str]:
    line = production.args(
        production.run, **{"raw=data/raw": f"raw={raw}", "out=data/processed": f"out={out}"}
    )
    return _run([*line, "--param", "workers=1", "--watch-timeout", "300"], production.env, 330)


def test_deployment_run_completes_and_writes_tables(
    production: Recipe, worker: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    env = production.env
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write_raw(raw)

    deployment = _deployment(env)
    assert deployment["entrypoint"] == "flows/pipeline.py:news_etl"
    assert [s["schedule"].get("cron") for s in deployment["schedules"]] == ["0 * * * *"]
    assert set(deployment["parameters"]) >= {"raw", "out", "batch_size", "workers"}
    assert deployment["pull_steps"] == [{"flows.production.use_checkout": {}}]  # no path

    _ok(_run_deployment(production, raw, out))
    assert worker.poll() is None, "the worker died"

    ran = _flow_run(env, raw)
    assert ran["state_type"] == "COMPLETED", ran["state"]
    assert ran["state"]["data"] is not None  # the summary is persisted as the result
    assert _task_names(env, ran["id"]) == [
        "batch 1/1 (4 inputs)", "commit batch 1/1 (4 inputs)", "merge entities", "plan",
    ]  # fmt: skip

    articles = pd.read_parquet(out / "articles")
    rejects = pd.read_parquet(out / "rejects")
    assert sorted(articles.source_path) == [
        "wire/bridge.txt",
        "wire/library.txt.gz",
        "wire/orchard.txt",
    ]
    assert list(rejects.source_path) == ["wire/empty.txt"]
    for table in ("entities", "mentions", "links"):
        pd.read_parquet(out / table)  # readable, even when empty

    artifacts = _api(
        env, "/artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [ran["id"]]}}}
    )
    by_key = {a["key"]: a for a in artifacts}
    assert by_key["newsetl-run-summary"]["type"] == "markdown"
    assert "| articles | 3 |" in by_key["newsetl-run-summary"]["data"]
    assert by_key["newsetl-rejects"]["type"] == "table"


def test_a_wrong_parameter_fails_the_run_before_any_task(
    production: Recipe, worker: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    raw = tmp_path / "nope"
    done = _run_deployment(production, raw, tmp_path / "out")
    assert done.returncode != 0
    ran = _flow_run(production.env, raw)
    assert ran["state_type"] == "FAILED"
    assert ran["state"]["message"] == f"--raw {raw}: no such folder"
    assert ran["run_count"] == 1
    assert _task_names(production.env, ran["id"]) == []  # no plan, so no plan retried
    logs = _api(production.env, "/logs/filter", {"logs": {"flow_run_id": {"any_": [ran["id"]]}}})
    messages = [log["message"] for log in logs]
    assert f"--raw {raw}: no such folder" in messages  # said once, in one line
    assert not [m for m in messages if "Encountered exception" in m or "Retrying" in m]
    # The only traceback is the one Prefect's engine logs as it exits after any failed run.
    tracebacks = [m for m in messages if "Traceback" in m]
    assert len(tracebacks) == 1 and tracebacks[0].startswith("Engine execution exited")


def test_a_value_out_of_range_is_refused_before_a_run_is_made(
    production: Recipe, worker: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    done = _run([*production.args(production.run), "--param", "workers=0"], production.env)
    assert done.returncode != 0
    said = " ".join((done.stdout + done.stderr).split())
    assert "Validation failed for field 'workers'" in said, said
    assert "0 is less than the minimum of 1" in said, said


def test_the_run_form_shows_types_defaults_and_descriptions(
    production: Recipe, worker: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    deployment = _deployment(production.env)
    schema = deployment["parameter_openapi_schema"]
    assert not schema.get("required")
    for setting in SETTING_FIELDS:
        shown = schema["properties"][setting.name]
        assert shown["default"] == DEFAULTS.as_parameters()[setting.name]
        assert shown["description"] == setting.metadata["parameter_help"]
    assert schema["properties"]["runner"]["enum"] == ["local", "dask"]
    if CHROMIUM is None:
        pytest.skip("chromium is not installed: the run form is not drawn")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS / "run-form.png"
    ui = production.env["PREFECT_API_URL"].removesuffix("/api")
    visit = visit_page(
        f"{ui}/deployments/deployment/{deployment['id']}/run",
        screenshot,
        tmp_path / "chromium",
        ready="document.body.innerText.includes('Dask scheduler address')"
        " && document.getAnimations().length === 0",
        expressions={
            "text": "document.body.innerText",
            "inputs": "Array.from(document.querySelectorAll('input, textarea')).map(i => i.value)",
        },
        window_height=1900,
    )
    print(f"run form: {screenshot}")
    text = visit.values["text"]
    for setting in SETTING_FIELDS:
        assert setting.metadata["parameter_help"] in text, setting.name
    assert {"data/raw", "data/processed", "200", "2"} <= set(visit.values["inputs"])
    assert re.search(r"\blocal\b", text)
