"""Work a run will need, done in the background while the Prefect server starts.

Importing Great Expectations takes seconds (scipy, altair). A run on a data folder without a release
will validate one (unless every source fails): the import then runs in a background thread while the
Prefect server starts, which leaves this process idle. A run on a folder that has a release may find
nothing new, and then never imports it.

The extractor compiles its lexicons (triggers, places, products, dates) on its first call, about two
seconds; the crawl needs the trigger index for the pages it turns into text. While a temporary server
starts, one call on a one-sentence text compiles them in the background (a run against a running
server does not wait, and the call would only compete with its crawl).
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


_WARM_UP = {
    "id": "warm-up",
    "document_id": "warm-up",
    "url": "https://warm-up.invalid/",
    "title": "",
    "text": "The United States imposed export controls on advanced chips to China on 3 March 2024.",
    "published": "2024-03-04",
    "source_kind": "news",
    "language": "en",
    "content_sha256": None,
}


def _warm_extractor() -> None:
    try:
        from tradecurbs.extraction import extract_document

        extract_document(dict(_WARM_UP))
    except Exception:  # the crawl and the extraction compile them again and report any error there
        log.debug("background warm-up of the extractor failed", exc_info=True)


def prefetch_extractor() -> threading.Thread:
    """Compile the extractor's lexicons and indexes in a daemon thread (they are cached per process)."""
    thread = threading.Thread(target=_warm_extractor, name="prefetch-extractor", daemon=True)
    thread.start()
    return thread


def prefetch_validation(data_dir: Path) -> threading.Thread | None:
    """Start importing Great Expectations in a daemon thread when a run on ``data_dir`` will validate."""
    if not will_validate(data_dir):
        return None
    thread = threading.Thread(target=_import_validation, name="prefetch-great-expectations", daemon=True)
    thread.start()
    return thread
