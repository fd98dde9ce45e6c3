"""Connector profiles: data files under ``sources/data/`` that configure a generic connector per site.

A source entry names its profile (``profile: meti``); the connector's settings are its defaults,
then the profile, then any key of the source entry itself (so one entry can adjust a profile).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data"


@cache
def data_file(name: str) -> dict[str, Any]:
    """A YAML file of ``sources/data/``, parsed (once per process)."""
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def settings(
    profiles: dict[str, dict[str, Any]], options: dict[str, Any], defaults: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The defaults, the profile named by option ``profile``, and the entry's other options, merged."""
    name = options.get("profile")
    if name not in profiles:
        raise ValueError(f"option profile must be one of {', '.join(profiles)}; got {name!r}")
    return (defaults or {}) | profiles[name] | {k: v for k, v in options.items() if k != "profile"}
