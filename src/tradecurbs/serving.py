"""Scheduled Prefect deployments of the pipeline, served by one long-running process.

The schedules are written once, in ``tradecurbs/data/schedules.yml``. :func:`build_deployments` turns
them into Prefect deployments of the ``pipeline`` flow and :func:`serve_deployments` runs them with
``prefect.serve`` (what ``tradecurbs serve`` does); :func:`prefect_yaml` renders the same deployments
as a ``prefect.yaml`` for ``prefect deploy`` with a worker (``python -m tradecurbs.serving``).

Guards against runs stepping on each other (they share one data folder):

- the served process runs one flow run at a time (``limit=1``): an hourly news run, the daily
  official run and the daily release never overlap, so the staged corpus is never updated twice at
  once and the warehouse file has a single writer;
- each deployment has a Prefect concurrency limit of 1 with the ENQUEUE strategy, so even with two
  serve processes (or workers) on one API, two runs of the same deployment never run together;
- publishing itself holds an exclusive lock file in the releases folder
  (:func:`tradecurbs.releases.publish.publish_lock`), which also covers ``tradecurbs run`` by hand.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from tradecurbs.settings import default_data_dir

if TYPE_CHECKING:
    from prefect.deployments.runner import RunnerDeployment

SCHEDULES_FILE = Path(__file__).resolve().parent / "data" / "schedules.yml"
DEFAULT_PORT = 4200
SERVER_START_TIMEOUT = 180.0


@dataclass(frozen=True)
class ScheduledDeployment:
    """One deployment of the pipeline: a name, a cron schedule and its fixed parameters."""

    name: str
    cron: str
    description: str = ""
    parameters: dict[str, Any] = field(default_factory=dict)
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScheduleConfig:
    """The contents of a schedules file."""

    timezone: str
    flow_entrypoint: str
    work_pool: str
    concurrency_limit: int
    tags: tuple[str, ...]
    deployments: tuple[ScheduledDeployment, ...]

    def deployment(self, name: str) -> ScheduledDeployment:
        """The deployment called ``name``."""
        for spec in self.deployments:
            if spec.name == name:
                return spec
        raise KeyError(f"no deployment {name!r}; known: {[d.name for d in self.deployments]}")


def load_schedules(path: Path = SCHEDULES_FILE) -> ScheduleConfig:
    """Read a schedules file (by default the one shipped with tradecurbs)."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    specs = tuple(
        ScheduledDeployment(
            name=d["name"],
            cron=d["cron"],
            description=" ".join(str(d.get("description", "")).split()),
            parameters=dict(d.get("parameters") or {}),
            tags=tuple(d.get("tags") or ()),
        )
        for d in raw["deployments"]
    )
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: deployment names repeat: {names}")
    return ScheduleConfig(
        timezone=raw.get("timezone", "UTC"),
        flow_entrypoint=raw["flow_entrypoint"],
        work_pool=raw["work_pool"],
        concurrency_limit=int(raw.get("concurrency_limit", 1)),
        tags=tuple(raw.get("tags") or ()),
        deployments=specs,
    )


def schedule_slug(spec: ScheduledDeployment) -> str:
    """A stable name for a deployment's schedule, so redeploying updates it instead of adding one."""
    return f"{spec.name}-cron"


def run_parameters(
    spec: ScheduledDeployment, sources: Path | None = None, data_dir: Path | None = None, live: bool = False
) -> dict[str, Any]:
    """The parameters a served deployment passes to the flow.

    ``sources`` None means the embedded sample (or the live list with ``live``); the data folder
    defaults to ``$TRADECURBS_DATA_DIR`` or ``./data``, made absolute so that runs do not depend on
    the working directory.
    """
    params: dict[str, Any] = {
        "sources": str(Path(sources).resolve()) if sources else None,
        "data_dir": str(Path(data_dir or default_data_dir()).resolve()),
        **spec.parameters,
    }
    if live:
        params["live"] = True
    return params


def _check_parameters(flow: Any, params: dict[str, Any], name: str) -> None:
    """Fail early when a schedule names a parameter the flow does not take."""
    known = set(flow.parameters.properties)
    unknown = sorted(set(params) - known)
    if unknown:
        raise ValueError(
            f"deployment {name!r}: the flow has no parameter(s) {unknown}; it takes {sorted(known)}"
        )


def build_deployments(
    sources: Path | None = None,
    data_dir: Path | None = None,
    *,
    live: bool = False,
    schedules: bool = True,
    config: ScheduleConfig | None = None,
) -> list[RunnerDeployment]:
    """The pipeline's deployments, one per entry of the schedules file, ready for ``prefect.serve``.

    With ``schedules=False`` the schedules are registered paused: runs start only when triggered.
    """
    from prefect.client.schemas.objects import ConcurrencyLimitConfig
    from prefect.schedules import Cron

    from tradecurbs.flows_loader import pipeline_flow

    config = config or load_schedules()
    flow = pipeline_flow()
    deployments = []
    for spec in config.deployments:
        params = run_parameters(spec, sources, data_dir, live)
        _check_parameters(flow, params, spec.name)
        deployments.append(
            flow.to_deployment(
                name=spec.name,
                description=spec.description or None,
                schedules=[Cron(spec.cron, timezone=config.timezone, slug=schedule_slug(spec))],
                paused=not schedules,
                parameters=params,
                tags=[*config.tags, *spec.tags],
                concurrency_limit=ConcurrencyLimitConfig(limit=config.concurrency_limit),
            )
        )
    return deployments


def describe(deployments: list[RunnerDeployment]) -> list[dict[str, Any]]:
    """Flow, name, schedules, state and parameters of each deployment, for display."""
    rows = []
    for d in deployments:
        crons = [f"{s.schedule.cron} ({s.schedule.timezone})" for s in d.schedules or []]
        rows.append(
            {
                "flow": d.flow_name,
                "name": d.name,
                "schedules": crons,
                "active": not d.paused,
                "parameters": dict(d.parameters),
            }
        )
    return rows


def serve_deployments(deployments: list[RunnerDeployment], limit: int | None = 1) -> None:
    """Serve the deployments until interrupted (Ctrl-C or SIGTERM); schedules are paused on exit.

    ``limit`` is how many flow runs this process runs at once (1: one at a time).
    """
    from prefect import serve

    serve(*deployments, limit=limit, print_starting_message=False)


def prefect_yaml(config: ScheduleConfig | None = None) -> str:
    """The text of a ``prefect.yaml`` describing the same deployments, for ``prefect deploy``."""
    config = config or load_schedules()
    deployments = []
    for spec in config.deployments:
        deployments.append(
            {
                "name": spec.name,
                "description": spec.description,
                "entrypoint": config.flow_entrypoint,
                "tags": [*config.tags, *spec.tags],
                # sources/data_dir null: the embedded sample and $TRADECURBS_DATA_DIR or ./data of the
                # worker; set them here (or with `prefect deploy --param`) for your own.
                "parameters": {"sources": None, "data_dir": None, **spec.parameters},
                "schedules": [
                    {
                        "cron": spec.cron,
                        "timezone": config.timezone,
                        "slug": schedule_slug(spec),
                        "active": True,
                    }
                ],
                "concurrency_limit": {"limit": config.concurrency_limit, "collision_strategy": "ENQUEUE"},
                "work_pool": {"name": config.work_pool, "work_queue_name": None, "job_variables": {}},
            }
        )
    document = {
        "name": "tradecurbs",
        "prefect-version": None,
        "build": None,
        "push": None,
        # null: `prefect deploy` adds a step that runs the flow from the folder it was deployed from.
        "pull": None,
        "deployments": deployments,
    }
    header = (
        "# Generated from src/tradecurbs/data/schedules.yml:\n"
        "#   python -m tradecurbs.serving > prefect.yaml\n"
        "# Edit the schedules there and regenerate; tests/test_serve.py checks that the two agree.\n"
        "#\n"
        "# With a worker instead of `tradecurbs serve`, from the top of a checkout:\n"
        f"#   prefect work-pool create {config.work_pool} --type process\n"
        f"#   prefect work-pool set-concurrency-limit {config.work_pool} 1   # one run at a time\n"
        "#   prefect --no-prompt deploy --all\n"
        f"#   prefect worker start --pool {config.work_pool}\n"
    )
    return header + yaml.safe_dump(document, sort_keys=False, width=100)


# --- the Prefect API ---------------------------------------------------------------------------------


def configured_api_url() -> str | None:
    """The Prefect API this process talks to (``PREFECT_API_URL`` or the active profile), if any."""
    from prefect.settings import get_current_settings

    return get_current_settings().api.url or None


def server_is_up(api_url: str, timeout: float = 2.0) -> bool:
    """Whether a Prefect API answers its health check at ``api_url``."""
    import httpx

    try:
        response = httpx.get(f"{api_url.rstrip('/')}/health", timeout=timeout)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


@contextmanager
def local_server(
    port: int = DEFAULT_PORT, log_path: Path | None = None, timeout: float = SERVER_START_TIMEOUT
) -> Iterator[str]:
    """A ``prefect server start`` on 127.0.0.1 for the duration of the block; yields its API URL.

    A Prefect server already listening on ``port`` is reused and left running. The server's
    database is Prefect's usual one (under ``PREFECT_HOME``), so deployments and run history
    outlive the process. Its output goes to ``log_path``.
    """
    api_url = f"http://127.0.0.1:{port}/api"
    if server_is_up(api_url):
        yield api_url
        return
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    env.setdefault("DO_NOT_TRACK", "1")
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    log_path = log_path or Path(os.devnull)
    from tradecurbs.ephemeral import die_with_parent, stop_process

    with open(log_path, "ab") as log:
        # Its own session: a Ctrl-C in the terminal reaches the runner, which still needs the
        # server to pause its schedules; the server is stopped after that.
        process = subprocess.Popen(
            command,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent(os.getpid()),  # a killed `serve` takes its server along
        )
    try:
        deadline = time.monotonic() + timeout
        while not server_is_up(api_url):
            if process.poll() is not None:
                raise RuntimeError(f"the Prefect server stopped (code {process.returncode}); see {log_path}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the Prefect server did not answer in {timeout:.0f} s; see {log_path}")
            time.sleep(0.5)
        yield api_url
    finally:
        stop_process(process, 30.0)


@contextmanager
def using_api(api_url: str) -> Iterator[None]:
    """Point Prefect (this process and the flow runs it starts) at ``api_url``."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    previous = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = api_url
    try:
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            yield
    finally:
        if previous is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = previous


def main() -> None:
    """Print the ``prefect.yaml`` generated from the schedules file."""
    sys.stdout.write(prefect_yaml())


if __name__ == "__main__":
    main()
