"""Where the bundled folders live: inside the installed package, or at the top of a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# name inside the package's _bundled folder -> path at the top of a source checkout
_CHECKOUT_PATHS = {
    "schemas": "schemas",
    "dbt_like_sql": "dbt_like_sql",
    "sample": "data/sample",
    "flows": "flows",
    "sources.yml": "data/sources.yml",
    "LICENSE": "LICENSE",
    "LICENSE-DATA.md": "LICENSE-DATA.md",
    "CITATION.cff": "CITATION.cff",
}


@cache
def bundled(name: str) -> Path:
    """Path of a bundled folder (``schemas``, ``dbt_like_sql``, ``sample``, ``flows``), of the live
    sources list (``sources.yml``) or of a legal file (``LICENSE``, ``LICENSE-DATA.md``, ``CITATION.cff``)."""
    if name not in _CHECKOUT_PATHS:
        raise KeyError(f"unknown bundled folder {name!r}; known: {sorted(_CHECKOUT_PATHS)}")
    installed = _PACKAGE / "_bundled" / name
    if installed.exists():
        return installed
    checkout = _PACKAGE.parents[1] / _CHECKOUT_PATHS[name]
    if checkout.exists():
        return checkout
    raise FileNotFoundError(f"bundled folder {name!r} is missing: looked in {installed} and {checkout}")
