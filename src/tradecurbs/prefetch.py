"""Import Great Expectations ahead of time, in the background, when a run will validate a release.

Its import takes seconds (scipy, altair). A run on a data folder without a release will validate one
(unless every source fails): the import then runs in a background thread while the Prefect server
starts, which leaves this process idle. A run on a folder that has a release may find nothing new, and
then never imports it.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

log = logging.getLogger(__name__)


def will_validate(data_dir: Path) -> bool:
    """Whether a run on ``data_dir`` will validate a release whatever it fetches: none is published yet."""
    from tradecurbs.releases import latest_release
    from tradecurbs.settings import DataPaths

    try:
        return latest_release(DataPaths(data_dir).releases) is None
    except (OSError, ValueError):  # an unreadable catalog: the run itself will say what is wrong
        return False


def _import_validation() -> None:
    try:
        import great_expectations  # noqa: F401
    except Exception:  # the validation step imports it again and reports the error there
        log.debug("background import of great_expectations failed", exc_info=True)


def prefetch_validation(data_dir: Path) -> threading.Thread | None:
    """Start importing Great Expectations in a daemon thread when a run on ``data_dir`` will validate."""
    if not will_validate(data_dir):
        return None
    thread = threading.Thread(target=_import_validation, name="prefetch-great-expectations", daemon=True)
    thread.start()
    return thread
