"""Prefect logs no traceback of a failure the CLI explains itself."""

from __future__ import annotations

import asyncio
import logging
import sys

import pytest

from tradecurbs.logfilters import FLOW_RUN_LOGGER, SHUTDOWN_LOGGERS, quiet_expected
from tradecurbs.tasks import SourcesUnreachable


def _log_exception(logger: str, exc: BaseException) -> None:
    try:
        raise exc
    except BaseException:
        logging.getLogger(logger).error("Encountered exception during execution", exc_info=sys.exc_info())


@pytest.mark.filterwarnings("ignore:Logger 'prefect.flow_runs' attempted to send logs")  # no flow run here
def test_expected_failures_are_not_logged_others_are(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR), quiet_expected(SourcesUnreachable):
        _log_exception(FLOW_RUN_LOGGER, SourcesUnreachable({"feed": "cannot resolve host"}))
        _log_exception(SHUTDOWN_LOGGERS[0], asyncio.CancelledError())
        _log_exception(FLOW_RUN_LOGGER, KeyError("a bug"))
    _log_exception(FLOW_RUN_LOGGER, SourcesUnreachable({"feed": "outside the block"}))

    logged = [record.exc_info[1] for record in caplog.records]
    assert [type(e) for e in logged] == [KeyError, SourcesUnreachable]
