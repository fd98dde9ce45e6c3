"""The extractor's output checked against the mentions contract (schemas/mentions.yml).

A mention leaves the extractor as a plain record whose every field is a column of the contract (the
pipeline adds the ids and the extractor version); ``checked`` raises ``ContractViolation`` naming the
field when a value falls outside its column: a wrong type, a value not accepted, a malformed code.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

from tradecurbs.contracts import Column, contract

# columns the pipeline fills, not the extractor
PIPELINE_COLUMNS = frozenset({"mention_id", "event_id", "document_id", "extractor_version"})
_JURISDICTION = re.compile(r"^(?:[A-Z]{2}|EU)$")
_PY_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "float64": (float, int),
    "int64": (int,),
    "bool": (bool,),
    "date": (dt.date,),
    "list<string>": (list,),
}


class ContractViolation(ValueError):
    """A mention field outside its column of schemas/mentions.yml."""


@cache
def extractor_columns() -> dict[str, Column]:
    """The columns of the mentions contract that the extractor fills, by name."""
    return {c.name: c for c in contract("mentions").columns if c.name not in PIPELINE_COLUMNS}


def checked(mention: dict[str, Any]) -> dict[str, Any]:
    """The mention, once every field is within its column (``rules`` may still be a dict: it is written
    out as JSON text)."""
    columns = extractor_columns()
    for name, col in columns.items():
        if name not in mention:
            raise ContractViolation(f"mention lacks the column {name!r}")
        value = mention[name]
        if value is None:
            if col.required:
                raise ContractViolation(f"mention column {name!r} is required")
            continue
        if name == "rules" and isinstance(value, dict):
            continue
        if not isinstance(value, _PY_TYPES[col.type]):
            raise ContractViolation(f"mention column {name!r} is {type(value).__name__}, not {col.type}")
        items = value if isinstance(value, list) else [value]
        for item in items:
            if col.accepted_values is not None and item not in col.accepted_values:
                raise ContractViolation(f"mention column {name!r}: {item!r} is not an accepted value")
            if col.jurisdiction and not _JURISDICTION.match(str(item)):
                raise ContractViolation(f"mention column {name!r}: {item!r} is not a jurisdiction code")
    extra = set(mention) - set(columns) - {"doc_id"}
    if extra:
        raise ContractViolation(f"mention has fields outside the contract: {sorted(extra)}")
    return mention
