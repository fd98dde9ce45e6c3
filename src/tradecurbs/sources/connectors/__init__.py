"""Connectors: one module per kind of source, each with a ``crawl(context)`` function.

A module here is a connector under its own name (``connector: news_feed`` in the sources file
runs ``news_feed.crawl``); adding one needs no registration.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from types import ModuleType

CONNECTORS: tuple[str, ...] = tuple(
    sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
)


def get_connector(name: str) -> Callable[..., None]:
    """The crawl function of a connector, by name."""
    if name not in CONNECTORS:
        raise KeyError(f"unknown connector {name!r}; known: {', '.join(CONNECTORS)}")
    module: ModuleType = importlib.import_module(f"{__name__}.{name}")
    return module.crawl
