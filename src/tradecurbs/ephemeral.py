"""A Prefect API for one command, that cannot outlive it.

With no Prefect API configured, Prefect starts a temporary server in a child process and stops it
at exit; a process killed with SIGKILL never reaches its exit handlers, and the server (about
220 MB) stayed behind. ``command_api`` starts that server itself, with the kernel told to kill it
when the command's process dies (Linux ``PR_SET_PDEATHSIG``; elsewhere it is stopped at exit as
Prefect would), and points Prefect at it. A configured API (``PREFECT_API_URL``) is used as is.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes a child get SIGKILL when ``parent_pid`` dies (None off Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)

    def arm() -> None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent_pid:  # the parent died before the signal was armed
            os._exit(1)

    return arm


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_command(port: int) -> list[str]:
    """Prefect's own temporary server: its API app under uvicorn, without the UI."""
    import prefect

    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--app-dir",
        str(Path(prefect.__file__).resolve().parent.parent),
        "--factory",
        "prefect.server.api.server:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "error",
        "--lifespan",
        "on",
    ]


@contextmanager
def command_api(timeout: float | None = None) -> Iterator[str | None]:
    """Use the configured Prefect API, or a temporary server tied to this process; yields its URL."""
    from prefect.settings import get_current_settings

    from tradecurbs.serving import configured_api_url, server_is_up, using_api

    if configured := configured_api_url():
        yield configured
        return
    settings = get_current_settings()
    timeout = timeout or float(settings.server.ephemeral.startup_timeout_seconds)
    port = _free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        **settings.to_environment_variables(exclude_unset=True),
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
    }
    env.pop("PREFECT_API_URL", None)
    process = subprocess.Popen(
        _server_command(port), env=env, stdin=subprocess.DEVNULL, preexec_fn=die_with_parent(os.getpid())
    )
    try:
        deadline = time.monotonic() + timeout
        while not server_is_up(api_url, timeout=1.0):
            if process.poll() is not None:
                raise RuntimeError(f"the temporary Prefect server stopped (code {process.returncode})")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the temporary Prefect server did not answer in {timeout:.0f} s")
            time.sleep(0.2)
        with using_api(api_url):
            try:
                yield api_url
            finally:
                drain_prefect_workers()
    finally:
        stop_process(process, 10.0)


def drain_prefect_workers(timeout: float = 5.0) -> None:
    """Send the logs and events Prefect still holds while its API is up.

    Left to Prefect's exit handler, they were sent after the temporary server had stopped, and the
    client's retries against the closed port held the command for a minute or more.
    """
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        try:
            worker.drain_all(timeout=timeout)
        except Exception:  # noqa: BLE001  (a worker that cannot drain must not hide the run's result)
            continue


def stop_process(process: subprocess.Popen[bytes], grace: float) -> None:
    """Terminate a child, and kill it when it is still there after ``grace`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
