"""User mistakes on the command line: one line saying what is wrong and what to do, never a traceback.

:class:`UserError` is raised by the CLI's own checks; :data:`USER_MISTAKES` are the library errors that
a wrong argument or input file causes. :func:`hide_expected_tracebacks` keeps Prefect from printing
the traceback of a run that failed for an expected reason (the CLI prints the reason itself); the
error still reaches the Prefect API with its traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


class UserError(Exception):
    """A mistake in what the user asked for; the message says what is wrong and what to do."""


def user_mistakes() -> tuple[type[BaseException], ...]:
    """Exception types that mean a wrong argument or input file (imported here to keep the CLI fast)."""
    from tradecurbs.api import ReleaseNotFound
    from tradecurbs.contracts import ContractError
    from tradecurbs.releases.views import NotARelease
    from tradecurbs.sources.config import SourcesFileError

    return (UserError, NotARelease, ReleaseNotFound, SourcesFileError, ContractError)


def one_line(exc: BaseException) -> str:
    """The first line of an exception's message (its type name when it has none)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class _DropTracebacksOf(logging.Filter):
    """Drop log records that carry an exception of the given types (Prefect's 'Encountered exception')."""

    def __init__(self, types: tuple[type[BaseException], ...]) -> None:
        super().__init__()
        self.types = types

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, self.types)


@contextmanager
def hide_expected_tracebacks(types: tuple[type[BaseException], ...]) -> Iterator[None]:
    """While inside, console handlers of the root logger drop records of exceptions of ``types``."""
    drop = _DropTracebacksOf(types)
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    for handler in handlers:
        handler.addFilter(drop)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(drop)
