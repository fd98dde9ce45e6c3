"""Resource bounds (data/limits.yml), each overridable with ``$TRADECURBS_LIMIT_<NAME>``."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LIMITS_FILE = Path(__file__).resolve().parent / "data" / "limits.yml"
ENV_PREFIX = "TRADECURBS_LIMIT_"


@cache
def load_limits() -> dict[str, Any]:
    """The limits file as written (numbers, and the task deadlines by step)."""
    return yaml.safe_load(LIMITS_FILE.read_text(encoding="utf-8"))


def limit(name: str) -> float:
    """A scalar bound by name: the environment override, else the file's value."""
    override = os.environ.get(ENV_PREFIX + name.upper())
    if override:
        return float(override)
    value = load_limits()[name]
    if not isinstance(value, int | float):
        raise TypeError(f"limit {name!r} in {LIMITS_FILE.name} is not a number")
    return value


def task_timeout(step: str) -> float:
    """The deadline of one Prefect task of the pipeline (``task_timeout_seconds`` in the file)."""
    override = os.environ.get(f"{ENV_PREFIX}TASK_{step.upper()}_SECONDS")
    return float(override) if override else float(load_limits()["task_timeout_seconds"][step])
