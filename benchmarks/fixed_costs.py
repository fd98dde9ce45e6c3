"""Fixed costs of ``tradecurbs run`` on the embedded sample: where each second of a run goes.

Each round runs the command twice in fresh processes: cold (a new data folder and a new Prefect
home) and again with nothing new (same folders). The command's stderr is read as it comes, each
line stamped with the seconds since the process was started, so the stage lines (``→ name …`` and
``✓ name (1.2s)``) split a run into: start (imports, the Prefect API, the flow run's creation and
recovery, up to the first stage), each stage, and the end (summary, the last logs sent, the
temporary server stopped, the process gone). Two more figures, measured apart, explain the start:
the parent's imports and a temporary Prefect server's start alone (new and reused database).

``--api reuse`` runs the rounds against one ``prefect server start`` (``PREFECT_API_URL`` set), the
way a user with a running server works; ``--api temporary`` (the default) lets each run start its
own. Figures are medians over ``--rounds``, printed as JSON with the load average. On a shared
machine, compare two versions in one session: ``--src`` (repeatable) names the ``src`` folders of
the checkouts to run, in alternation within each round, so that both meet the same load.

    python -m benchmarks.fixed_costs --rounds 3
    python -m benchmarks.fixed_costs --rounds 3 --api reuse
    python -m benchmarks.fixed_costs --rounds 3 --src /tmp/before/src --src src
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

_STAGE_END = re.compile(r"^[✓✗] (?P<name>.+?) \((?P<seconds>[0-9.]+)s\)\s*$")
_STAGE_START = re.compile(r"^→ (?P<name>.+?) …\s*$")
QUIET = {
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}


def _short(name: str) -> str:
    """A stage's name without its details: 'ingest 27 sources' -> 'ingest'."""
    for key in ("ingest", "stage", "extract", "build", "validate", "publish"):
        if name.startswith(key):
            return key
    return name


def timed_run(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run a command; return its wall seconds, exit code and the breakdown read from its stage lines."""
    lines: list[tuple[float, str]] = []
    start = time.perf_counter()
    process = subprocess.Popen(
        args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, encoding="utf-8"
    )

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append((time.perf_counter() - start, line.rstrip("\n")))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    code = process.wait()
    wall = time.perf_counter() - start
    reader.join(timeout=5)
    stages: dict[str, float] = {}
    first_start: float | None = None
    last_end: float | None = None
    for at, line in lines:
        if first_start is None and _STAGE_START.match(line):
            first_start = at
        if found := _STAGE_END.match(line):
            stages[_short(found["name"])] = float(found["seconds"])
            last_end = at
    return {
        "wall_s": round(wall, 2),
        "exit_code": code,
        "start_s": round(first_start, 2) if first_start is not None else None,
        "stages_s": stages,
        "end_s": round(wall - last_end, 2) if last_end is not None else None,
        "nothing_new": any("no release published" in line for _, line in lines),
    }


def import_seconds(env: dict[str, str]) -> float:
    """Seconds a fresh interpreter takes to import what the run command imports before its flow starts."""
    code = (
        "import time; t = time.perf_counter(); import tradecurbs.cli, tradecurbs.tasks; "
        "from tradecurbs.flows_loader import pipeline_flow; pipeline_flow(); "
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return round(float(out.stdout.strip().splitlines()[-1]), 2)


def server_start_seconds(env: dict[str, str]) -> float:
    """Seconds from spawning tradecurbs' temporary Prefect server to its first healthy answer."""
    code = (
        "import time; t = time.perf_counter()\n"
        "from tradecurbs.ephemeral import command_api\n"
        "try:\n"
        "    from tradecurbs.ephemeral import early_api\n"
        "except ImportError:  # a checkout from before the early start\n"
        "    from contextlib import nullcontext as early_api\n"
        "with early_api() as early, command_api(**({'early': early} if early else {})):\n"
        "    print(time.perf_counter() - t)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return round(float(out.stdout.strip().splitlines()[-1]), 2)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.median(present), 2) if present else None


def summarize(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians of wall, start, each stage and end over runs of one kind."""
    names = sorted({n for r in runs for n in r["stages_s"]})
    return {
        "wall_s": _median([r["wall_s"] for r in runs]),
        "walls_s": [r["wall_s"] for r in runs],
        "start_s": _median([r["start_s"] for r in runs]),
        "stages_s": {n: _median([r["stages_s"].get(n) for r in runs]) for n in names},
        "end_s": _median([r["end_s"] for r in runs]),
    }


def _with_src(env: dict[str, str], src: Path | None) -> dict[str, str]:
    """``env`` with ``src`` first on PYTHONPATH (None: as it is)."""
    if src is None:
        return env
    rest = env.get("PYTHONPATH")
    return {**env, "PYTHONPATH": os.pathsep.join([str(src.resolve()), *([rest] if rest else [])])}


def measure(
    rounds: int, api: str, work: Path, sources: list[Path | None], shared_home: bool = False
) -> dict[str, Any]:
    """Cold and nothing-new runs, ``rounds`` times, with a temporary server per run or a reused one;
    each of ``sources`` (a checkout's src folder, None: this one) in turn within a round.
    ``shared_home``: every run of a temporary server uses one Prefect home whose database is
    migrated beforehand (as on a machine where Prefect ran before); else each round has a new one."""
    from contextlib import nullcontext

    base = {**os.environ, **QUIET, "TRADECURBS_REUSE_LOCAL_PREFECT": "0"}
    base.pop("PREFECT_API_URL", None)
    command = [sys.executable, "-m", "tradecurbs.cli", "run"]
    runs: dict[int, dict[str, list[dict[str, Any]]]] = {
        i: {"cold": [], "warm": []} for i in range(len(sources))
    }
    loads = [os.getloadavg()[0]]
    server_home = Path(tempfile.mkdtemp(prefix="prefect-home-", dir=work))
    if api == "reuse":
        from tradecurbs.serving import local_server

        os.environ["PREFECT_HOME"] = str(server_home)
        server = local_server(_free_port(), log_path=work / "prefect-server.log")
    else:
        server = nullcontext(None)
        if shared_home:  # its database created and migrated once, before the rounds
            server_start_seconds({**base, "PREFECT_HOME": str(server_home)})
    with server as api_url:
        for _ in range(rounds):
            for i, src in enumerate(sources):
                home = Path(tempfile.mkdtemp(prefix="prefect-home-", dir=work))
                data = Path(tempfile.mkdtemp(prefix="data-", dir=work))
                shared = api_url or shared_home
                env = _with_src({**base, "PREFECT_HOME": str(server_home if shared else home)}, src)
                if api_url:
                    env["PREFECT_API_URL"] = api_url
                runs[i]["cold"].append(timed_run([*command, "--data-dir", str(data)], env))
                runs[i]["warm"].append(timed_run([*command, "--data-dir", str(data)], env))
            loads.append(os.getloadavg()[0])
        results = []
        for i, src in enumerate(sources):
            probe_home = Path(tempfile.mkdtemp(prefix="prefect-home-", dir=work))
            probe_env = _with_src({**base, "PREFECT_HOME": str(probe_home)}, src)
            cold, warm = runs[i]["cold"], runs[i]["warm"]
            results.append(
                {
                    "src": str(src) if src else "(this checkout)",
                    "cold": summarize(cold),
                    "nothing_new": summarize(warm),
                    "nothing_new_said_so": all(r["nothing_new"] for r in warm),
                    "exit_codes": sorted({r["exit_code"] for r in cold + warm}),
                    "imports_s": import_seconds(probe_env),
                    "temporary_server_new_db_no_template_s": server_start_seconds(
                        {
                            **probe_env,
                            "PREFECT_HOME": tempfile.mkdtemp(dir=work),
                            "TRADECURBS_PREFECT_DB_CACHE": "0",
                        }
                    ),
                    "temporary_server_new_db_s": server_start_seconds(probe_env),
                    "temporary_server_reused_db_s": server_start_seconds(probe_env),
                }
            )
    return {
        "api": api,
        "prefect_home": "shared, migrated" if shared_home or api == "reuse" else "new for each round",
        "rounds": rounds,
        "cpus": os.cpu_count(),
        "load_average_1min": [round(x, 2) for x in loads],
        "versions": results,
    }


def main() -> None:
    """Print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--api", choices=("temporary", "reuse"), default="temporary")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    parser.add_argument("--shared-home", action="store_true", help="one migrated Prefect home for all runs")
    parser.add_argument("--src", type=Path, action="append", help="a checkout's src folder (repeatable)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="tradecurbs-fixed-"))
    work.mkdir(parents=True, exist_ok=True)
    print(json.dumps(measure(args.rounds, args.api, work, args.src or [None], args.shared_home), indent=2))


if __name__ == "__main__":
    main()
