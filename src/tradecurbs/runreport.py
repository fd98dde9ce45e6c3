"""What a run leaves in Prefect: its progress lines as run logs, and one markdown artifact per run.

Progress lines go to the Prefect API through the run's logger, but not to the console (the CLI
prints them already), so they are kept whatever ``PREFECT_LOGGING_LEVEL`` the console uses. The
artifact (key ``tradecurbs-run``) says what a run did: documents, events, failed sources, the
validation result and the delta, or why it failed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

ARTIFACT_KEY = "tradecurbs-run"
_LOGGER = "tradecurbs.run"


def _api_logger() -> logging.Logger:
    """A logger that writes to the Prefect API only (not to the console)."""
    logger = logging.getLogger(_LOGGER)
    if not logger.handlers:
        from prefect.logging.handlers import APILogHandler

        logger.addHandler(APILogHandler())
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


def log(message: str, level: int = logging.INFO) -> None:
    """Record ``message`` in the logs of the current Prefect flow or task run (nothing outside a run)."""
    from prefect.context import FlowRunContext, TaskRunContext

    if FlowRunContext.get() is None and TaskRunContext.get() is None:
        return
    from prefect.logging import get_run_logger
    from prefect.logging.loggers import PrefectLogAdapter

    extra = getattr(get_run_logger(), "extra", {}) or {}
    PrefectLogAdapter(_api_logger(), extra=dict(extra)).log(level, message)


def _row(what: str, value: Any) -> str:
    return f"| {what} | {value} |"


def markdown(title: str, result: dict[str, Any] | None, error: BaseException | None) -> str:
    """The artifact's text for a finished (``result``) or failed (``error``) run."""
    r = result or {}
    lines = [f"# tradecurbs {title}", ""]
    if error is not None:
        lines += ["**Failed**: " + (str(error).strip().splitlines() or [type(error).__name__])[0], ""]
        lines += [f"- {f}" for f in getattr(error, "failures", [])]
        lines += [f"- {s}: {e}" for s, e in getattr(error, "errors", {}).items()]
        report = getattr(error, "report_path", None)
        if report:
            lines += ["", f"Validation report: `{report}`"]
        return "\n".join(lines) + "\n"
    version = r.get("version")
    state = f"published release **{version}**" if r.get("published") else "no new release"
    lines += [state + (f" (latest: {version})" if version and not r.get("published") else ""), ""]
    lines += ["| what | count |", "|---|---|"]
    for key in (
        "new_documents",
        "changed_documents",
        "unchanged_documents",
        "documents_rebuilt",
        "extracted_documents",
        "documents",
        "documents_failed",
        "mentions",
        "events",
    ):
        if key in r:
            lines.append(_row(key.replace("_", " "), r[key]))
    lines += [_row(f"events: {cls}", n) for cls, n in r.get("events_by_class", {}).items()]
    if r.get("validation_report"):
        lines += ["", f"Validation: passed (`{r['validation_report']}`)"]
    delta = r.get("delta")
    if delta:
        since = delta.get("previous") or "nothing (first release)"
        lines += [
            "",
            f"Changes since {since}: {delta['added']} added, {delta['modified']} modified, "
            f"{delta['removed']} removed",
        ]
    failed = r.get("failed_sources") or {}
    if failed:
        lines += ["", "Failed sources:", *(f"- {s}: {e}" for s, e in failed.items())]
    return "\n".join(lines) + "\n"


def _artifact(title: str, result: dict[str, Any] | None, error: BaseException | None) -> None:
    from prefect.artifacts import create_markdown_artifact

    verdict = "failed" if error is not None else "finished"
    create_markdown_artifact(
        markdown=markdown(title, result, error), key=ARTIFACT_KEY, description=f"tradecurbs {title} {verdict}"
    )


def reported(title: str, run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Call ``run`` inside a flow; leave its markdown artifact (and the flow run id in its result)."""
    from prefect.runtime import flow_run

    try:
        result = run()
    except Exception as exc:
        _artifact(title, None, exc)
        raise
    result = {**result, "flow_run_id": str(flow_run.id)}
    _artifact(title, result, None)
    return result
