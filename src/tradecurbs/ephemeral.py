"""A Prefect API for one command, that cannot outlive it.

With no Prefect API configured, Prefect starts a temporary server in a child process and stops it
at exit; a process killed with SIGKILL never reaches its exit handlers, and the server (about
220 MB) stayed behind. ``command_api`` starts that server itself, with the kernel told to kill it
when the command's process dies (Linux ``PR_SET_PDEATHSIG``; elsewhere it is stopped at exit as
Prefect would), and points Prefect at it. A configured API (``PREFECT_API_URL`` or the profile) is
used as is, and so is a Prefect server already answering on 127.0.0.1:4200 (``prefect server
start``, ``tradecurbs serve``) unless ``TRADECURBS_REUSE_LOCAL_PREFECT=0``.

The temporary server takes seconds to start (its imports, and on a new database Prefect's
migrations). :func:`early_api` starts it first thing, before the command imports Prefect, so that
both start side by side; block types, which no tradecurbs run uses, are not registered, and flow
runs send no heartbeats to it.

Prefect migrates its SQLite database on every start (116 migrations on a new database, 6-8 s; loading
the migration scripts to find nothing to do, seconds more on a migrated one). The first temporary
server that migrates a new database leaves a copy of it, just migrated, in a cache folder keyed by the
Prefect version (``template_database``); a later server whose database is new gets that copy, and one
whose database is at the copy's revision (the head of this Prefect's migrations) is told not to
migrate. A database configured in any way other than Prefect's default file is left alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import http.client
import importlib.util
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

LOCAL_PORT = 4200  # where `prefect server start` and `tradecurbs serve` listen by default
REUSE_ENV = "TRADECURBS_REUSE_LOCAL_PREFECT"
# what the temporary server is told on top of this process's environment
SERVER_ENV = {
    "PREFECT_UI_ENABLED": "0",
    "PREFECT__SERVER_EPHEMERAL": "1",
    "PREFECT__SERVER_FINAL": "1",
    "PREFECT_SERVER_REGISTER_BLOCKS_ON_START": "false",
}

PR_SET_PDEATHSIG = 1
TEMPLATE_ENV = "TRADECURBS_PREFECT_DB_CACHE"  # folder of migrated databases; "0" turns the reuse off
NO_MIGRATIONS = {"PREFECT_SERVER_DATABASE_MIGRATE_ON_START": "false"}
# files in which Prefect may read settings besides the environment (a database set there is left alone)
_SETTINGS_FILES = ("prefect.toml", "pyproject.toml", ".env")


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
    """Prefect's own temporary server: its API app under uvicorn, without the UI (Prefect is located,
    not imported)."""
    spec = importlib.util.find_spec("prefect")
    if spec is None or spec.origin is None:
        raise RuntimeError("Prefect is not installed")
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--app-dir",
        str(Path(spec.origin).resolve().parent.parent),
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


@dataclass
class EarlyApi:
    """What :func:`early_api` found or started: a local server's URL, or a temporary server starting."""

    api_url: str | None = None
    process: subprocess.Popen[bytes] | None = None
    database: ServerDatabase | None = None


def _health(api_url: str, timeout: float) -> bool:
    """Whether a Prefect API on this machine answers its health check (stdlib only: cheap to import)."""
    host_port = api_url.split("//", 1)[1].split("/", 1)[0]
    host, _, port = host_port.partition(":")
    connection = http.client.HTTPConnection(host, int(port or 80), timeout=timeout)
    try:
        connection.request("GET", api_url.rstrip("/").split(host_port, 1)[1] + "/health")
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def local_server_url() -> str | None:
    """The API of a Prefect server answering on 127.0.0.1:4200, unless reuse is turned off."""
    if os.environ.get(REUSE_ENV, "1").strip().lower() in ("0", "false", "no", "off"):
        return None
    url = f"http://127.0.0.1:{LOCAL_PORT}/api"
    return url if _health(url, timeout=0.5) else None


def _profile_may_set_api() -> bool:
    """Whether a Prefect profiles file mentions an API URL (then Prefect's settings decide, later)."""
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    try:
        return "PREFECT_API_URL" in path.read_text(encoding="utf-8")
    except OSError:
        return False


def _api_may_be_configured() -> bool:
    """Whether this process may have a Prefect API configured (without importing Prefect for it)."""
    if os.environ.get("PREFECT_API_URL") or _profile_may_set_api():
        return True
    if "prefect.settings" in sys.modules:  # already imported (in tests, temporary settings): ask it
        from tradecurbs.serving import configured_api_url

        return configured_api_url() is not None
    return False


@dataclass
class ServerDatabase:
    """The temporary server's database file, when it is Prefect's default one."""

    path: Path
    new: bool  # it did not exist when the server was started
    migrated: bool  # known to be at the head revision: the server was told not to migrate


def template_database() -> Path | None:
    """Where a database just migrated by this Prefect version is kept (None: reuse turned off)."""
    folder = os.environ.get(TEMPLATE_ENV)
    if folder is not None and folder.strip().lower() in ("", "0", "false", "no", "off"):
        return None
    spec = importlib.util.find_spec("prefect")
    if spec is None or spec.origin is None:
        return None
    package = Path(spec.origin).resolve().parent
    versions = package / "server" / "database" / "_migrations" / "versions" / "sqlite"
    try:
        n_migrations = sum(1 for name in os.listdir(versions) if name.endswith(".py"))
        stamp = int(versions.stat().st_mtime)
    except OSError:
        return None
    from importlib.metadata import PackageNotFoundError, version

    try:
        prefect_version = version("prefect")
    except PackageNotFoundError:
        return None
    cache = Path(folder) if folder else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    base = cache if folder else cache / "tradecurbs" / "prefect-db"
    return base.expanduser() / f"prefect-{prefect_version}-{n_migrations}-{stamp}.db"


def revision(database: Path) -> tuple[str, ...] | None:
    """The Alembic revision(s) a SQLite database is at (None: none, or not readable)."""
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return tuple(sorted(row[0] for row in rows)) or None


def default_database(env: dict[str, str]) -> Path | None:
    """The SQLite file the server started with ``env`` uses, when it is Prefect's default and nothing
    else (an environment variable, a profile, a settings file) may choose another or the migrations."""
    if any(k.startswith("PREFECT_") and "DATABASE" in k for k in env):
        return None
    home = Path(env.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    profiles = Path(env.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    for settings_file in (profiles, *(Path.cwd() / name for name in _SETTINGS_FILES)):
        try:
            text = settings_file.read_text(encoding="utf-8").lower()
        except (OSError, UnicodeDecodeError):
            continue
        if "database" in text and (settings_file.name != "pyproject.toml" or "tool.prefect" in text):
            return None
    return home / "prefect.db"


def prepare_database(env: dict[str, str]) -> tuple[ServerDatabase | None, dict[str, str]]:
    """(the server's default database, settings to add) before a temporary server starts: a new
    database becomes a copy of the template, and a database at the template's revision is not
    migrated again."""
    database = default_database(env)
    if database is None:
        return None, {}
    new = not database.exists()
    template = template_database()
    head = revision(template) if template is not None and template.exists() else None
    if head is None or template is None:
        return ServerDatabase(database, new, migrated=False), {}
    if new:
        try:
            _copy_atomically(template, database)
        except OSError:
            return ServerDatabase(database, new, migrated=False), {}
    elif revision(database) != head:
        return ServerDatabase(database, new, migrated=False), {}
    return ServerDatabase(database, new, migrated=True), dict(NO_MIGRATIONS)


def keep_template(database: ServerDatabase | None) -> None:
    """After a server migrated a new default database (and before any run wrote to it), keep a copy
    of it as the template, unless one exists. A failure only costs the next server its migrations."""
    if database is None or database.migrated or not database.new:
        return
    template = template_database()
    if template is None or template.exists():
        return
    try:
        template.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=template.parent, suffix=".tmp", delete=False) as handle:
            partial = Path(handle.name)
        try:
            source = sqlite3.connect(f"file:{database.path}?mode=ro", uri=True)
            target = sqlite3.connect(partial)
            try:
                source.backup(target)  # a consistent snapshot, whatever the server's journal mode
                target.execute("PRAGMA journal_mode = DELETE")  # one file (Prefect sets WAL again)
            finally:
                target.close()
                source.close()
            if revision(partial) is None:  # not migrated after all: keep nothing
                partial.unlink()
                return
            os.replace(partial, template)
        finally:
            partial.unlink(missing_ok=True)
    except (OSError, sqlite3.Error):
        return


def _copy_atomically(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".tmp", delete=False) as handle:
        partial = Path(handle.name)
    try:
        shutil.copyfile(source, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def spawn_server(
    extra_env: dict[str, str] | None = None,
) -> tuple[subprocess.Popen[bytes], str, ServerDatabase | None]:
    """Start a temporary Prefect server on a free port, without waiting for it; (process, API URL,
    its database when it is Prefect's default file)."""
    port = _free_port()
    env = {**os.environ, **(extra_env or {}), **SERVER_ENV}
    env.pop("PREFECT_API_URL", None)
    database, settings = prepare_database(env)
    env.update(settings)
    process = subprocess.Popen(
        _server_command(port), env=env, stdin=subprocess.DEVNULL, preexec_fn=die_with_parent(os.getpid())
    )
    return process, f"http://127.0.0.1:{port}/api", database


@contextmanager
def early_api() -> Iterator[EarlyApi]:
    """Call first thing in a command: find a local server, or start the temporary one now.

    Nothing is done when ``PREFECT_API_URL`` is set or a profile may set it. A server started here
    and not taken over by :func:`command_api` (a command that fails before its run) is stopped.
    """
    early = EarlyApi()
    if not _api_may_be_configured():
        early.api_url = local_server_url()
        if early.api_url is None:
            early.process, early.api_url, early.database = spawn_server()
    try:
        yield early
    finally:
        if early.process is not None:
            stop_process(early.process, 10.0)


@contextmanager
def command_api(timeout: float | None = None, early: EarlyApi | None = None) -> Iterator[str | None]:
    """Use the configured Prefect API, a local server, or a temporary server tied to this process (the
    one ``early`` started, if any); yields its URL."""
    from prefect.settings import get_current_settings

    from tradecurbs.serving import configured_api_url, using_api

    early = early or EarlyApi()
    if configured := configured_api_url():
        if early.process is not None:  # the profile named an API after all
            stop_process(early.process, 10.0)
            early.process = None
        yield configured
        return
    if early.process is None and (local := early.api_url or local_server_url()):
        with using_api(local):
            try:
                yield local
            finally:
                drain_prefect_workers()
        return
    settings = get_current_settings()
    timeout = timeout or float(settings.server.ephemeral.startup_timeout_seconds)
    if early.process is None:
        early.process, early.api_url, early.database = spawn_server(
            settings.to_environment_variables(exclude_unset=True)
        )
    process, api_url = early.process, early.api_url
    assert api_url is not None
    try:
        deadline = time.monotonic() + timeout
        while not _health(api_url, timeout=1.0):
            if process.poll() is not None:
                raise RuntimeError(f"the temporary Prefect server stopped (code {process.returncode})")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the temporary Prefect server did not answer in {timeout:.0f} s")
            time.sleep(0.1)
        keep_template(early.database)  # answering: migrated, and no run has written to it yet
        with using_api(api_url), without_heartbeats():
            try:
                yield api_url
            finally:
                drain_prefect_workers()
    finally:
        stop_process(process, 10.0)
        early.process = None


@contextmanager
def without_heartbeats() -> Iterator[None]:
    """No flow run heartbeats: a temporary server dies with the run, so no one could ever see one,
    and ending a run waited up to a second for the heartbeat thread to wake and stop."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


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
