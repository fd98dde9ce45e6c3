"""Keep tracebacks of failures the CLI reports itself out of Prefect's logs.

A run that stops on an expected failure (no source reachable, failed validation or data tests)
is explained by the CLI in a few lines; Prefect would log the same exception with its traceback
first, and its temporary server, stopped right after, may log the events it could not flush.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager

FLOW_RUN_LOGGER = "prefect.flow_runs"
SHUTDOWN_LOGGERS = (
    "prefect.server.services.task_run_recorder",
    "prefect.server.events.services.event_persister",
)


class DropExceptions(logging.Filter):
    """Drops log records that carry one of the given exception types."""

    def __init__(self, *types: type[BaseException]) -> None:
        super().__init__()
        self.types = types

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, self.types)


@contextmanager
def quiet_expected(*types: type[BaseException]) -> Iterator[None]:
    """Within the block, Prefect logs no traceback of ``types`` nor of its server's shutdown, and the
    root logger's console handlers print none of ``types`` (the error still reaches the Prefect API)."""
    drop = DropExceptions(*types)
    pairs: list[tuple[logging.Filterer, logging.Filter]] = [(logging.getLogger(FLOW_RUN_LOGGER), drop)]
    pairs += [(logging.getLogger(name), DropExceptions(asyncio.CancelledError)) for name in SHUTDOWN_LOGGERS]
    pairs += [(h, drop) for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    for target, flt in pairs:
        target.addFilter(flt)
    try:
        yield
    finally:
        for target, flt in pairs:
            target.removeFilter(flt)
