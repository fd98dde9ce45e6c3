"""Scheduling: the deployments from the schedules file, prefect.yaml, and `tradecurbs serve` for real."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from tradecurbs import serving

REPO = Path(__file__).resolve().parents[1]
FLOW = "tradecurbs-pipeline"
EXPECTED = {"news-hourly", "official-daily", "release-daily"}
# Generous: a cold start on two busy cores can take a while; nothing here asserts on time.
STARTUP_TIMEOUT = 240
RUN_TIMEOUT = 600


def test_schedules_file_has_the_three_deployments():
    config = serving.load_schedules()
    assert {d.name for d in config.deployments} == EXPECTED
    assert config.deployment("news-hourly").parameters == {"kinds": ["news"], "publish": False}
    assert config.deployment("official-daily").parameters == {"kinds": ["official"], "publish": False}
    assert config.deployment("release-daily").parameters["publish"] is True
    hour = {d.name: int(d.cron.split()[1]) for d in config.deployments if d.name != "news-hourly"}
    assert hour["official-daily"] < hour["release-daily"], "the release must come after the official run"


def test_prefect_yaml_is_generated_from_the_schedules_file():
    checked_in = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    assert checked_in == yaml.safe_load(serving.prefect_yaml()), (
        "prefect.yaml is out of date: run `python -m tradecurbs.serving > prefect.yaml`"
    )
    entrypoint = checked_in["deployments"][0]["entrypoint"]
    path, name = entrypoint.split(":")
    assert (REPO / path).is_file() and f"def {name}(" in (REPO / path).read_text(encoding="utf-8")


def test_build_deployments(tmp_path):
    deployments = {d.name: d for d in serving.build_deployments(data_dir=tmp_path)}
    assert set(deployments) == EXPECTED
    news = deployments["news-hourly"]
    assert news.flow_name == FLOW
    assert [s.schedule.cron for s in news.schedules] == ["0 * * * *"]
    assert news.parameters == {
        "sources": None,
        "data_dir": str(tmp_path.resolve()),
        "kinds": ["news"],
        "publish": False,
    }
    assert news.concurrency_limit == 1
    assert not news.paused
    assert all(d.paused for d in serving.build_deployments(data_dir=tmp_path, schedules=False))
    live = serving.build_deployments(data_dir=tmp_path, live=True)
    assert all(d.parameters["live"] is True for d in live)


def test_unknown_flow_parameter_is_refused(tmp_path):
    path = tmp_path / "schedules.yml"
    raw = yaml.safe_load(serving.SCHEDULES_FILE.read_text(encoding="utf-8"))
    raw["deployments"][0]["parameters"]["no_such_option"] = 1
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(ValueError, match="no_such_option"):
        serving.build_deployments(data_dir=tmp_path, config=serving.load_schedules(path))


def test_server_is_up_is_false_without_a_server():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert not serving.server_is_up(f"http://127.0.0.1:{port}/api", timeout=1)


def test_local_server_reuses_a_running_server(prefect_server):
    """With a Prefect server already on the port, serve uses it and starts none."""
    from prefect.settings import PREFECT_API_URL

    port = urlsplit(PREFECT_API_URL.value()).port
    with serving.local_server(port, timeout=5) as api_url:
        assert api_url == f"http://127.0.0.1:{port}/api"
        assert serving.server_is_up(api_url)
        with serving.using_api("http://127.0.0.1:1/api"):
            assert serving.configured_api_url() == "http://127.0.0.1:1/api"
            assert os.environ["PREFECT_API_URL"] == "http://127.0.0.1:1/api"
    assert serving.configured_api_url() == PREFECT_API_URL.value()


def _read_deployments(client, names: set[str]) -> dict:
    from prefect.exceptions import ObjectNotFound

    found = {}
    for name in names:
        with contextlib.suppress(ObjectNotFound):
            found[name] = client.read_deployment_by_name(f"{FLOW}/{name}")
    return found


def _stop(proc: subprocess.Popen) -> int:
    """Ctrl-C the serve process and wait for it; kill it if it hangs."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


def test_serve_registers_schedules_and_runs_a_deployment(prefect_server, tmp_path):
    """`tradecurbs serve` against the test server: three scheduled deployments; one run completes."""
    from prefect import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL

    serve_dir, run_dir = tmp_path / "served", tmp_path / "run"
    log_path = tmp_path / "serve.log"
    env = {
        **os.environ,
        "PREFECT_API_URL": PREFECT_API_URL.value(),
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",
        "PYTHONUNBUFFERED": "1",
    }
    command = [sys.executable, "-m", "tradecurbs.cli", "serve", "--data-dir", str(serve_dir)]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)

    def output() -> str:
        return log_path.read_text(encoding="utf-8", errors="replace")

    try:
        with get_client(sync_client=True) as client:
            deadline = time.monotonic() + STARTUP_TIMEOUT
            found: dict = {}
            while len(found) < len(EXPECTED):
                assert proc.poll() is None, f"serve exited early ({proc.returncode}):\n{output()}"
                assert time.monotonic() < deadline, f"deployments not registered in time:\n{output()}"
                time.sleep(1)
                found = _read_deployments(client, EXPECTED)

            config = serving.load_schedules()
            for name, deployment in found.items():
                spec = config.deployment(name)
                assert [(s.schedule.cron, s.schedule.timezone, s.active) for s in deployment.schedules] == [
                    (spec.cron, "UTC", True)
                ]
                assert deployment.parameters["data_dir"] == str(serve_dir.resolve())
                assert deployment.parameters["sources"] is None
                for key, value in spec.parameters.items():
                    assert deployment.parameters[key] == value
                assert not deployment.paused

            # One run of the lightest deployment on the embedded sample, in its own data folder.
            flow_run = run_deployment(
                f"{FLOW}/news-hourly",
                parameters={"data_dir": str(run_dir)},
                timeout=RUN_TIMEOUT,
                poll_interval=1,
            )
            assert flow_run.state is not None and flow_run.state.is_completed(), (
                f"run ended {flow_run.state}:\n{output()}"
            )
            assert flow_run.parameters["kinds"] == ["news"] and flow_run.parameters["publish"] is False
            assert any((run_dir / "staged").iterdir()), "the run staged nothing"
            assert not (run_dir / "releases").exists() or not any((run_dir / "releases").glob("2*"))

            assert _stop(proc) == 0, output()
            assert "Stopped serving" in output()
            # A clean shutdown pauses the schedules, so the server starts no run nobody would execute.
            assert all(d.paused for d in _read_deployments(client, EXPECTED).values())
    finally:
        _stop(proc)
