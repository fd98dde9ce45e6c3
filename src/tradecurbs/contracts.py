"""The table contracts of schemas/: load them once, derive pyarrow schemas and column docs.

Each ``schemas/<table>.yml`` is the single source of truth for one published table; the pyarrow
schema (here), the Great Expectations suite (validation/), the SQL data tests (warehouse/datatests.py)
and the column docs in README derive from it.

``TABLES`` are the core tables every release holds; ``MARTS`` are the derived tables, found as the
contracts that say ``layer: mart``; ``PUBLISHED`` is both, in that order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pyarrow as pa
import yaml

from tradecurbs.resources import bundled

#: Every date a release holds lies between EARLIEST_DATE and YEARS_AHEAD years after the day it is built:
#: absurd dates (year 2999, year 1) are misreadings, and the extractor and the fetcher drop them too.
EARLIEST_DATE = dt.date(1900, 1, 1)
YEARS_AHEAD = 1


def latest_date(built_on: dt.date) -> dt.date:
    """The latest date a release built on ``built_on`` may hold (28 February for a 29 February)."""
    try:
        return built_on.replace(year=built_on.year + YEARS_AHEAD)
    except ValueError:
        return built_on.replace(year=built_on.year + YEARS_AHEAD, day=28)


TABLES = ("documents", "mentions", "events")


def _mart_names() -> tuple[str, ...]:
    """Tables whose contract says ``layer: mart``, sorted by name."""
    names = []
    for path in sorted(bundled("schemas").glob("*.yml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if isinstance(raw, dict) and raw.get("layer") == "mart":
            names.append(raw["table"])
    return tuple(names)


MARTS = _mart_names()
PUBLISHED = TABLES + MARTS

_ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us", tz="UTC"),
    "list<string>": pa.list_(pa.string()),
}


#: Keys a contract may use; any other key is a mistake (a check that would silently not run).
TABLE_KEYS = frozenset(
    {"table", "description", "primary_key", "row_count", "columns", "checks", "layer", "grain", "counting"}
)
COUNTING_KEYS = frozenset({"how", "distinct_events", "covers"})
COLUMN_KEYS = frozenset(
    {"name", "type", "description", "required", "unique", "pattern", "accepted_values", "min", "max"}
    | {"jurisdiction", "references"}
)
ROW_COUNT_KEYS = frozenset({"min", "max", "max_drop_share"})
CHECK_KEYS = {"date_order": {"kind", "earlier", "later"}, "required_when": {"kind", "column", "when"}}


class ContractError(ValueError):
    """A contract file that does not say what the loader understands; the message names file and key."""


def _strict(where: str, found: Any, allowed: Collection[str], required: Collection[str] = ()) -> None:
    if not isinstance(found, dict):
        raise ContractError(f"{where} must be a mapping, got {type(found).__name__}")
    unknown = sorted(set(found) - allowed)
    if unknown:
        known = ", ".join(sorted(allowed))
        raise ContractError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {known}")
    missing = sorted(set(required) - set(found))
    if missing:
        raise ContractError(f"{where}: missing key(s) {', '.join(missing)}")


def check_contract(path: Any, raw: Any) -> None:
    """Raise ContractError for an unknown or missing key anywhere in a contract's YAML."""
    _strict(str(path), raw, TABLE_KEYS, {"table", "description", "primary_key", "columns"})
    _strict(f"{path}: row_count", raw.get("row_count", {}), ROW_COUNT_KEYS)
    _strict(f"{path}: counting", raw.get("counting", {}), COUNTING_KEYS)
    for i, col in enumerate(raw["columns"]):
        _strict(f"{path}: columns[{i}]", col, COLUMN_KEYS, {"name", "type", "description"})
    for i, check in enumerate(raw.get("checks", ())):
        kind = check.get("kind") if isinstance(check, dict) else None
        if kind not in CHECK_KEYS:
            raise ContractError(f"{path}: checks[{i}]: unknown kind {kind!r}; known: {', '.join(CHECK_KEYS)}")
        _strict(f"{path}: checks[{i}] ({kind})", check, CHECK_KEYS[kind], CHECK_KEYS[kind])


@dataclass(frozen=True)
class Column:
    """One column of a table contract."""

    name: str
    type: str
    description: str
    required: bool = False
    unique: bool = False
    pattern: str | None = None
    accepted_values: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    jurisdiction: bool = False
    references: str | None = None

    @property
    def arrow_type(self) -> pa.DataType:
        return _ARROW_TYPES[self.type]


@dataclass(frozen=True)
class Counting:
    """What one row is and how to count events from the table.

    ``distinct_events`` is an SQL aggregate over the table that gives the number of distinct events it
    covers, and ``covers`` a condition on the events table selecting those events ("all" for every
    event); a data test checks that the two agree. Both are None when the table is not additive.
    """

    how: str
    distinct_events: str | None = None
    covers: str | None = None


@dataclass(frozen=True)
class Contract:
    """A table contract: its columns, key, row-count bounds and table-level checks."""

    table: str
    description: str
    primary_key: str
    columns: tuple[Column, ...]
    row_count: dict[str, float] = field(default_factory=dict)
    checks: tuple[dict[str, Any], ...] = ()
    layer: str = "core"
    grain: str = ""
    counting: Counting | None = None

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"table {self.table!r} has no column {name!r}")

    def arrow_schema(self) -> pa.Schema:
        fields = [
            pa.field(c.name, c.arrow_type, nullable=not c.required, metadata={"description": c.description})
            for c in self.columns
        ]
        return pa.schema(fields, metadata={"table": self.table, "description": self.description.strip()})


@cache
def taxonomy() -> dict[str, Any]:
    """The measure taxonomy (schemas/taxonomy.yml)."""
    return yaml.safe_load((bundled("schemas") / "taxonomy.yml").read_text(encoding="utf-8"))


def measure_class(measure_type: str) -> str:
    """The event_class of a measure_type."""
    return taxonomy()["measure_types"][measure_type]["event_class"]


def _accepted(values: Any) -> tuple[str, ...] | None:
    if values is None:
        return None
    if isinstance(values, dict):  # {taxonomy: measure_type | event_class}
        key = values["taxonomy"]
        return tuple(taxonomy()["measure_types" if key == "measure_type" else "event_classes"])
    return tuple(values)


@cache
def contract(table: str) -> Contract:
    """Load the contract of one table from schemas/."""
    path = bundled("schemas") / f"{table}.yml"
    if not path.is_file():
        raise FileNotFoundError(f"no contract for table {table!r} at {path}")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    check_contract(path, raw)
    columns = tuple(
        Column(
            name=c["name"],
            type=c["type"],
            description=c["description"],
            required=c.get("required", False),
            unique=c.get("unique", False),
            pattern=c.get("pattern"),
            accepted_values=_accepted(c.get("accepted_values")),
            minimum=c.get("min"),
            maximum=c.get("max"),
            jurisdiction=c.get("jurisdiction", False),
            references=c.get("references"),
        )
        for c in raw["columns"]
    )
    for col in columns:
        if col.type not in _ARROW_TYPES:
            raise ValueError(f"{path}: column {col.name!r} has unknown type {col.type!r}")
    return Contract(
        table=raw["table"],
        description=raw["description"],
        primary_key=raw["primary_key"],
        columns=columns,
        row_count=raw.get("row_count", {}),
        checks=tuple(raw.get("checks", ())),
        layer=raw.get("layer", "core"),
        grain=raw.get("grain", ""),
        counting=Counting(**raw["counting"]) if raw.get("counting") else None,
    )


def column_docs_markdown() -> str:
    """Markdown tables documenting every column of every published table (for README)."""
    out = []
    for table in PUBLISHED:
        c = contract(table)
        layer = " (mart)" if c.layer == "mart" else ""
        out.append(f"### `{table}`{layer}\n\n{c.description.strip()}\n")
        if c.grain:
            out.append(f"**One row:** {c.grain.strip()}\n")
        if c.counting is not None:
            out.append(f"**Counting events:** {' '.join(c.counting.how.split())}\n")
        out.append("| column | type | description |\n|---|---|---|")
        out.extend(f"| `{col.name}` | {col.type} | {col.description} |" for col in c.columns)
        out.append("")
    return "\n".join(out)
