"""Extraction over many documents in several processes, with the results in input order.

``extract_chunk`` is the unit of work: a pure function from a list of documents to their mentions, fit
to be a Prefect task (or a Dask task) on its own. ``extract_many`` cuts the documents into chunks and
runs them in a ``ProcessPoolExecutor`` whose workers are forked from the worker server of
``tradecurbs.workerpool`` (lexicons compiled once; safe beside threads, Prefect and Dask); its result is
the same as ``[extract_document(d) for d in docs]``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from tradecurbs.extraction.extractor import prepare, run
from tradecurbs.workerpool import worker_context

DEFAULT_CHUNK_SIZE = 64  # documents per task: about 50-100 ms of work, so each pickling round trip is paid
# off, while a few hundred documents still spread over the workers
MIN_PARALLEL_DOCS = 200  # below this a worker's start (imports, lexicons: about a second) costs more


def extract_chunk(docs: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The mentions of each document of ``docs``, in order (``extract_document`` on each)."""
    return [run(doc, explain=False)[0] for doc in docs]


def chunked(docs: Sequence[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    """``docs`` in consecutive chunks of at most ``size``."""
    if size < 1:
        raise ValueError(f"chunk size must be at least 1, got {size}")
    return [list(docs[i : i + size]) for i in range(0, len(docs), size)]


def default_workers() -> int:
    """The processes this process may use: the CPUs it is allowed to run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def extract_many(
    docs: Iterable[dict[str, Any]],
    workers: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    min_parallel: int = MIN_PARALLEL_DOCS,
) -> list[list[dict[str, Any]]]:
    """The mentions of each document, in input order, extracted in up to ``workers`` processes (default:
    the usable CPUs). Fewer than ``min_parallel`` documents, or one worker, run in this process."""
    items = list(docs)
    chunks = chunked(items, chunk_size)
    workers = min(workers or default_workers(), len(chunks))
    if workers <= 1 or len(items) < min_parallel:
        return extract_chunk(items)
    with ProcessPoolExecutor(max_workers=workers, mp_context=worker_context(), initializer=prepare) as pool:
        return [mentions for chunk in pool.map(extract_chunk, chunks) for mentions in chunk]
