"""Fixed costs of a run: Great Expectations is imported ahead only when a release will be validated."""

from __future__ import annotations

import sys
from pathlib import Path

from tradecurbs.prefetch import prefetch_validation, will_validate


def test_a_folder_without_a_release_will_validate(tmp_path: Path) -> None:
    assert will_validate(tmp_path / "data")
    thread = prefetch_validation(tmp_path / "data")
    assert thread is not None
    thread.join(timeout=120)
    assert "great_expectations" in sys.modules


def test_a_folder_with_a_release_imports_nothing_ahead(sample_run) -> None:
    data_dir, _ = sample_run
    assert not will_validate(data_dir)
    assert prefetch_validation(data_dir) is None


def test_a_configured_api_starts_no_server(monkeypatch) -> None:
    from tradecurbs import ephemeral

    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    with ephemeral.early_api() as early:
        assert early.process is None and early.api_url is None


def test_a_running_server_is_found_unless_reuse_is_off(prefect_server, monkeypatch) -> None:
    from prefect.settings import PREFECT_API_URL

    from tradecurbs import ephemeral

    api_url = PREFECT_API_URL.value()
    port = int(api_url.rsplit(":", 1)[1].split("/", 1)[0])
    monkeypatch.setattr(ephemeral, "LOCAL_PORT", port)
    monkeypatch.delenv(ephemeral.REUSE_ENV, raising=False)
    assert ephemeral.local_server_url() == f"http://127.0.0.1:{port}/api"
    monkeypatch.setenv(ephemeral.REUSE_ENV, "0")
    assert ephemeral.local_server_url() is None


def test_a_command_starts_its_server_early_and_stops_it(tmp_path: Path) -> None:
    """In a fresh process, as a command runs: the server is spawned before Prefect is imported, serves
    a flow run (without heartbeats), and is gone once the command's API is closed."""
    import json
    import os
    import subprocess

    script = """
import json, sys
from tradecurbs.ephemeral import command_api, early_api, _health
with early_api() as early:
    started_before_prefect = early.process is not None and "prefect" not in sys.modules
    with command_api(early=early) as url:
        from prefect import flow
        from prefect.settings import get_current_settings

        @flow
        def answer() -> int:
            return 42

        seen = {"early": started_before_prefect, "same": url == early.api_url, "result": answer(),
                "heartbeat": get_current_settings().flows.heartbeat_frequency}
        process = early.process
print(json.dumps({**seen, "stopped": process.poll() is not None, "answers": _health(url, 1.0)}))
"""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), TRADECURBS_REUSE_LOCAL_PREFECT="0")
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen == {
        "early": True,
        "same": True,
        "result": 42,
        "heartbeat": None,
        "stopped": True,
        "answers": False,
    }


def test_fetchers_share_one_verifying_tls_context() -> None:
    import ssl

    from tradecurbs.sources.fetch import Fetcher, tls_context

    context = tls_context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    with Fetcher() as first, Fetcher() as second:
        pools = [f._client._transport._pool for f in (first, second)]
    assert all(pool._ssl_context is context for pool in pools)


def test_the_extractor_is_compiled_ahead() -> None:
    import subprocess

    script = (
        "from tradecurbs.extraction.keywords import trigger_index\n"
        "from tradecurbs.prefetch import prefetch_extractor\n"
        "before = trigger_index.cache_info().currsize\n"
        "prefetch_extractor().join(timeout=120)\n"
        "print(before, trigger_index.cache_info().currsize)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["0", "1"]
