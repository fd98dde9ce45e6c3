"""Article pages to text in batches, in this process or in a pool of worker processes.

A crawl queues its fetched pages (``PageJob``) and hands them over in batches; ``PageParser.parse``
returns one ``PageOutcome`` per job, in order, whatever the number of workers: the text of a page
depends on the page alone, so the parallel result is the serial one. A page whose parsing raises gets
its error (type and message) in its outcome; the other pages of the batch are not affected.

The pool is started (from the worker server of ``tradecurbs.workerpool``, safe beside threads, Prefect
and Dask) on the first batch big enough to pay for it, and kept until ``close``.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from types import TracebackType

from tradecurbs.extraction.parallel import chunked
from tradecurbs.sources.pagetext import TWO_PASS, PageText, page_text
from tradecurbs.workerpool import worker_context

CHUNK_PAGES = 16  # pages per pool task: tens of ms of work against a round trip of about 1 ms
MIN_PARALLEL_PAGES = 48  # a smaller batch is parsed here: the first pool of a process starts the worker
# server (imports and lexicons: about two seconds)
BATCH_PER_WORKER = 64  # pages queued per worker before a batch is parsed (bounds the HTML held in memory)


@dataclass(frozen=True)
class PageJob:
    """One fetched page to turn into text."""

    url: str
    html: str
    tz_name: str | None = None
    hint: str | None = None  # text that goes with the page into the extractor (a feed item's title)


@dataclass(frozen=True)
class PageOutcome:
    """A page's text, or the error that parsing it raised."""

    text: PageText | None
    error: str | None = None


def parse_job(job: PageJob, mode: str = TWO_PASS) -> PageOutcome:
    """One page's outcome; an exception becomes the outcome's error."""
    try:
        return PageOutcome(page_text(job.html, job.url, job.tz_name, job.hint, mode))
    except Exception as exc:  # one bad page must not end its batch
        return PageOutcome(None, f"{type(exc).__name__}: {exc}")


def parse_chunk(jobs: Sequence[PageJob], mode: str = TWO_PASS) -> list[PageOutcome]:
    """The outcome of each job, in order (the unit of work of a pool task)."""
    return [parse_job(job, mode) for job in jobs]


def warm_up() -> None:
    """Load the parsers and the keyword index (once per process: a no-op when they are loaded)."""
    from tradecurbs.extraction.keywords import trigger_index

    trigger_index()


class PageParser:
    """Parses batches of pages in up to ``workers`` processes (1: in this process)."""

    def __init__(
        self, workers: int = 1, mode: str = TWO_PASS, min_parallel: int = MIN_PARALLEL_PAGES
    ) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.workers = workers
        self.mode = mode
        self.min_parallel = min_parallel
        self._pool: Executor | None = None

    @property
    def batch_size(self) -> int:
        """Pages a crawl queues before it asks for a batch (1 when parsing here: no waiting)."""
        return 1 if self.workers == 1 else BATCH_PER_WORKER * self.workers

    def parse(self, jobs: Sequence[PageJob]) -> list[PageOutcome]:
        """The outcome of each job, in order."""
        if self.workers == 1 or len(jobs) < self.min_parallel:
            return parse_chunk(jobs, self.mode)
        chunks = chunked(jobs, CHUNK_PAGES)
        modes = [self.mode] * len(chunks)
        return [outcome for chunk in self._executor().map(parse_chunk, chunks, modes) for outcome in chunk]

    def _executor(self) -> Executor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=worker_context(), initializer=warm_up)
        return self._pool

    def close(self) -> None:
        """Stop the worker processes, if any were started."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def __enter__(self) -> PageParser:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
