"""The start method of the worker processes that parse pages and extract events.

Workers are forked from a small server process (``forkserver``) that has imported the page parsers and
compiled the extraction lexicons once (``tradecurbs.workerwarm``): a worker starts in tens of
milliseconds instead of the two seconds a fresh interpreter needs to import and compile them, and the
server, started clean, holds none of the threads of the process that asks for workers (Prefect's, a
Dask worker's), so forking from it is safe. The server lives as long as the process that started it
and serves every pool that process opens (one per crawled source, one per extraction chunk). Where
``forkserver`` does not exist (Windows), workers are spawned and warm themselves up.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.context import BaseContext

WARM_MODULE = "tradecurbs.workerwarm"


def worker_context() -> BaseContext:
    """The multiprocessing context for a pool of parsing or extraction workers."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([WARM_MODULE])  # read when the server starts (once per process)
    return context
