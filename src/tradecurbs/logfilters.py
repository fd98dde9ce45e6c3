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
    """Within the block, Prefect logs no traceback of ``types`` nor of its server's shutdown."""
    pairs = [(logging.getLogger(FLOW_RUN_LOGGER), DropExceptions(*types))]
    pairs += [(logging.getLogger(name), DropExceptions(asyncio.CancelledError)) for name in SHUTDOWN_LOGGERS]
    for logger, flt in pairs:
        logger.addFilter(flt)
    try:
        yield
    finally:
        for logger, flt in pairs:
            logger.removeFilter(flt)
