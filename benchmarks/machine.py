"""What the benchmark ran on (cores, memory, load, Python, library versions) and how much memory it took."""

from __future__ import annotations

import os
import platform
import resource
import sys
import threading
import time
from importlib import metadata
from typing import Any

LIBRARIES = (
    "tradecurbs",
    "trafilatura",
    "lxml",
    "htmldate",
    "duckdb",
    "pyarrow",
    "pandas",
    "great_expectations",
    "prefect",
    "numpy",
    "psutil",
)


def _ram_gib() -> float | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        return None
    return None


def machine_info() -> dict[str, Any]:
    """Cores, RAM, load average, OS, Python and the versions of the libraries that do the work."""
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cores": os.cpu_count(),
        "ram_gib": _ram_gib(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "libraries": versions,
    }


def maxrss_mib() -> dict[str, float]:
    """Peak resident memory of this process and of its largest ended child (Linux reports KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"self_mib": round(own / 1024, 1), "largest_child_mib": round(kids / 1024, 1)}


class TreeMemory:
    """Samples the resident memory of a process (this one by default) and all its descendants; keeps
    the peak of the sum.

    Uses psutil when installed; without it, the peak stays None and only ``maxrss_mib`` is reported.
    """

    def __init__(self, interval: float = 0.25, pid: int | None = None) -> None:
        self.interval = interval
        self.pid = pid
        self.peak_mib: float | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _sample(self) -> None:
        import psutil

        try:
            me = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop.is_set():
            total = 0
            try:
                family = [me, *me.children(recursive=True)]
            except psutil.Error:
                return
            for proc in family:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    continue
            mib = total / 1024 / 1024
            self.peak_mib = mib if self.peak_mib is None else max(self.peak_mib, mib)
            time.sleep(self.interval)

    def __enter__(self) -> TreeMemory:
        try:
            import psutil  # noqa: F401
        except ImportError:
            return self
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
