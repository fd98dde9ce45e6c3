"""tradecurbs: an open, dated, sourced dataset of trade-restriction events.

For data users: ``tradecurbs.open_release(...)`` gives a DuckDB connection with a release's views,
``tradecurbs.load("events", version=...)`` one table as pandas (or Arrow). Both are imported on first
use, so that ``import tradecurbs`` (and the command line) stays fast.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = ("open_release", "load")


def __getattr__(name: str) -> Any:
    if name in _API:
        from tradecurbs import api

        return getattr(api, name)
    raise AttributeError(f"module 'tradecurbs' has no attribute {name!r}")


__all__ = ["__version__", "load", "open_release"]
