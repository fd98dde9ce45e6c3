"""The extractor's output checked against the mentions contract (schemas/mentions.yml).

A mention leaves the extractor as a plain record whose every field is a column of the contract (the
pipeline adds the ids and the extractor version); ``checked`` raises ``ContractViolation`` naming the
field when a value falls outside its column: a wrong type, a value not accepted, a malformed code.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from tradecurbs.contracts import Column, contract
from tradecurbs.extraction import fastre as re

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


@cache
def _column_checks() -> tuple[tuple[str, bool, tuple[type, ...], str, frozenset[str] | None, bool], ...]:
    """Per extractor column, in contract order: (name, required, Python types, type name, accepted values,
    whether it holds jurisdiction codes), read once from the contract."""
    return tuple(
        (
            name,
            col.required,
            _PY_TYPES[col.type],
            col.type,
            frozenset(col.accepted_values) if col.accepted_values is not None else None,
            col.jurisdiction,
        )
        for name, col in extractor_columns().items()
    )


def checked(mention: dict[str, Any]) -> dict[str, Any]:
    """The mention, once every field is within its column (``rules`` may still be a dict: it is written
    out as JSON text)."""
    for name, required, types, type_name, accepted, jurisdiction in _column_checks():
        if name not in mention:
            raise ContractViolation(f"mention lacks the column {name!r}")
        value = mention[name]
        if value is None:
            if required:
                raise ContractViolation(f"mention column {name!r} is required")
            continue
        if name == "rules" and isinstance(value, dict):
            continue
        if not isinstance(value, types):
            raise ContractViolation(f"mention column {name!r} is {type(value).__name__}, not {type_name}")
        if accepted is None and not jurisdiction:
            continue
        for item in value if isinstance(value, list) else [value]:
            if accepted is not None and item not in accepted:
                raise ContractViolation(f"mention column {name!r}: {item!r} is not an accepted value")
            if jurisdiction and not _JURISDICTION.match(str(item)):
                raise ContractViolation(f"mention column {name!r}: {item!r} is not a jurisdiction code")
    if len(mention) > len(_column_checks()) + ("doc_id" in mention):
        extra = set(mention) - set(extractor_columns()) - {"doc_id"}
        raise ContractViolation(f"mention has fields outside the contract: {sorted(extra)}")
    return mention
