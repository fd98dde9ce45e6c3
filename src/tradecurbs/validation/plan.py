"""Derive the validation plan of a release from the table contracts, without importing GX.

The plan is plain data: the batches to validate (one per table, plus one per list column whose
items carry rules, holding the exploded items) and the expectations to run on each, named by their
Great Expectations class and keyword arguments. ``runner.py`` turns it into GX suites. Every column
name used here comes from ``contracts.contract(table)``.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from tradecurbs.contracts import EARLIEST_DATE, PUBLISHED, TABLES, Column, Contract, contract, latest_date
from tradecurbs.escaping import html_text

# Codes that are not ISO 3166-1 alpha-2 entries but are accepted as jurisdictions.
EXTRA_JURISDICTIONS = ("EU", "UN", "XK")  # European Union; UN Security Council; Kosovo (user-assigned)

# Name of the column, in an item batch, that holds the position of the item's row in its table.
ROW_COLUMN = "__row__"

# Above this multiple of the previous release's row count, a table only warns ("maximums warn").
MAX_GROWTH_FACTOR = 2.0


_WHEN = re.compile(r"^\s*(\w+)\s*(=|==|!=|<>)\s*'([^']*)'\s*$")


@cache
def jurisdiction_codes() -> tuple[str, ...]:
    """ISO 3166-1 alpha-2 codes from pycountry plus the extra codes (EU, XK), sorted."""
    import pycountry

    return tuple(sorted({c.alpha_2 for c in pycountry.countries} | set(EXTRA_JURISDICTIONS)))


@dataclass(frozen=True)
class Check:
    """One expectation of the plan: GX class name, its keyword arguments, the contract rule behind it."""

    expectation: str
    kwargs: dict[str, Any]
    rule: str
    warn_only: bool = False

    @property
    def columns(self) -> list[str]:
        """Columns the expectation reads (empty for table-level ones)."""
        cols = [self.kwargs[k] for k in ("column", "column_A", "column_B") if k in self.kwargs]
        return cols + list(self.kwargs.get("column_list", []))


@dataclass
class Batch:
    """A DataFrame to validate and its checks: a whole table, or the exploded items of a list column."""

    name: str
    table: str
    frame: pd.DataFrame
    column: str | None = None  # the list column, for an item batch
    checks: list[Check] = field(default_factory=list)

    def key_of(self, index: int, tables: dict[str, pd.DataFrame]) -> str | None:
        """The primary key value of the table row behind a row of this batch, for failure messages."""
        pk = contract(self.table).primary_key
        source = tables[self.table]
        if pk not in source.columns:
            return None
        try:
            row = int(self.frame[ROW_COLUMN].iloc[index]) if self.column else int(index)
            return str(source[pk].iloc[row])
        except (IndexError, KeyError, ValueError, TypeError):
            return None


@dataclass
class Plan:
    """The batches of a release with their checks, and problems found while normalizing the frames."""

    batches: list[Batch]
    problems: list[str]
    tables: dict[str, pd.DataFrame]


# --------------------------------------------------------------------------- normalization


def _as_list(value: Any) -> list[Any] | None | str:
    """A list column's cell as a python list (None for null); a non-list value is returned unchanged."""
    if value is None:
        return None
    if isinstance(value, np.ndarray | list | tuple):
        return [v.item() if isinstance(v, np.generic) else v for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _normalize(c: Contract, df: pd.DataFrame, problems: list[str]) -> pd.DataFrame:
    """Dates to naive datetime64, list cells to python lists, text HTML-escaped, a fresh 0..n-1 index.

    GX Data Docs print unexpected values into their HTML as they are, so the text GX sees is
    HTML-escaped: escaping is one-to-one and leaves ids, codes and enumerations alone, so
    uniqueness, sets, references and patterns judge the same values.
    """
    out = df.reset_index(drop=True).copy()
    for col in c.columns:
        if col.name not in out.columns:
            continue
        s = out[col.name]
        if col.type == "string":
            out[col.name] = s.map(html_text, na_action="ignore")
        elif col.type == "date":
            if isinstance(s.dtype, pd.DatetimeTZDtype):
                s = s.dt.tz_convert("UTC").dt.tz_localize(None)
            parsed = _to_datetime(s)
            bad = s[parsed.isna() & s.notna()]
            if len(bad):
                problems.append(
                    f"{c.table}: column {col.name} (date) has {len(bad)} unparseable values, "
                    f"e.g. {_sample(bad.tolist())}"
                )
            out[col.name] = parsed
        elif col.type == "list<string>":
            cells = [_as_list(v) for v in s]
            bad = [v for v in cells if v is not None and not isinstance(v, list)]
            if bad:
                problems.append(
                    f"{c.table}: column {col.name} (list<string>) has {len(bad)} values that are not "
                    f"lists, e.g. {_sample(bad)}"
                )
                # reported above; an empty list keeps the cell out of the not-null and item checks
                cells = [[] if v is not None and not isinstance(v, list) else v for v in cells]
            cells = [[html_text(v) for v in cell] if isinstance(cell, list) else cell for cell in cells]
            out[col.name] = pd.Series(cells, index=out.index, dtype=object)
    return out


def _to_datetime(s: pd.Series) -> pd.Series:
    """A date column as naive datetime64 (from date objects, datetimes or ISO strings); NaT if unparseable."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "could not infer format" on odd strings
            return pd.to_datetime(s)
    except (ValueError, TypeError, OverflowError):
        return pd.to_datetime(pd.Series([_to_timestamp(v) for v in s], index=s.index, dtype=object))


def _to_timestamp(value: Any) -> pd.Timestamp | None:
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        return None
    return None if pd.isna(ts) else ts.tz_convert("UTC").tz_localize(None) if ts.tzinfo else ts


def _sample(values: list[Any], n: int = 3) -> str:
    return ", ".join(repr(v) for v in values[:n])


def _explode(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """One row per item of a list column: the item and the position of its row."""
    rows: list[int] = []
    items: list[Any] = []
    for i, cell in enumerate(frame[column]):
        if isinstance(cell, list):
            rows.extend([i] * len(cell))
            items.extend(cell)
    return pd.DataFrame({ROW_COLUMN: pd.Series(rows, dtype="int64"), column: pd.Series(items, dtype=object)})


# --------------------------------------------------------------------------- checks


def _bound(value: Any, col: Column) -> Any:
    """A min/max bound in the type GX needs: Timestamps for dates (strings fail), numbers as is."""
    if col.type in ("date", "timestamp") or isinstance(value, date | datetime):
        ts = pd.Timestamp(value)
        return ts.tz_convert("UTC").tz_localize(None) if ts.tzinfo and col.type == "date" else ts
    return value


def _value_checks(col: Column, tables: dict[str, pd.DataFrame], *, items: bool) -> list[Check]:
    """Checks on the values of a scalar column, or on the items of a list column."""
    where = f"{col.name} items" if items else col.name
    checks: list[Check] = []
    if col.pattern:
        checks.append(
            Check(
                "ExpectColumnValuesToMatchRegex",
                {"column": col.name, "regex": col.pattern},
                f"pattern of {where}: {col.pattern}",
            )
        )
    if col.accepted_values is not None:
        checks.append(
            Check(
                "ExpectColumnValuesToBeInSet",
                {"column": col.name, "value_set": list(col.accepted_values)},
                f"accepted_values of {where}",
            )
        )
    if col.jurisdiction:
        checks.append(
            Check(
                "ExpectColumnValuesToBeInSet",
                {"column": col.name, "value_set": list(jurisdiction_codes())},
                f"jurisdiction of {where}: ISO 3166-1 alpha-2, {', '.join(EXTRA_JURISDICTIONS)}",
            )
        )
    if col.references:
        ref_table, ref_column = col.references.split(".", 1)
        ref = tables[ref_table]
        values = sorted(ref[ref_column].dropna().unique().tolist()) if ref_column in ref.columns else []
        checks.append(
            Check(
                "ExpectColumnValuesToBeInSet",
                {"column": col.name, "value_set": values},
                f"references of {where}: {col.references}",
            )
        )
    if col.minimum is not None or col.maximum is not None:
        checks.append(
            Check(
                "ExpectColumnValuesToBeBetween",
                {
                    "column": col.name,
                    "min_value": _bound(col.minimum, col) if col.minimum is not None else None,
                    "max_value": _bound(col.maximum, col) if col.maximum is not None else None,
                },
                f"min/max of {where}: {col.minimum}..{col.maximum}",
            )
        )
    return checks


def date_window(built_on: date) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The dates a release built on ``built_on`` may hold: 1900-01-01 to a year after the build."""
    latest = pd.Timestamp(latest_date(built_on))
    return pd.Timestamp(EARLIEST_DATE), latest + pd.Timedelta(days=1) - pd.Timedelta(1, "us")


def _date_bounds(col: Column, window: tuple[pd.Timestamp, pd.Timestamp]) -> list[Check]:
    """The plausible-date check of a date or timestamp column (unless its contract sets min or max)."""
    if col.type not in ("date", "timestamp") or col.minimum is not None or col.maximum is not None:
        return []
    lo, hi = window
    if col.type == "timestamp":
        lo, hi = lo.tz_localize("UTC"), hi.tz_localize("UTC")
    return [
        Check(
            "ExpectColumnValuesToBeBetween",
            {"column": col.name, "min_value": lo, "max_value": hi},
            f"plausible dates of {col.name}: {lo.date()}..{hi.date()} (a year after the build at most)",
        )
    ]


def _table_checks(c: Contract) -> list[Check]:
    """Checks from the table-level ``checks`` of a contract (date_order, required_when)."""
    out: list[Check] = []
    for spec in c.checks:
        kind = spec.get("kind")
        if kind == "date_order":
            earlier, later = spec["earlier"], spec["later"]
            for name in (earlier, later):
                c.column(name)  # KeyError on a contract naming an unknown column
            out.append(
                Check(
                    "ExpectColumnPairValuesAToBeGreaterThanB",
                    {
                        "column_A": later,
                        "column_B": earlier,
                        "or_equal": True,
                        "ignore_row_if": "either_value_is_missing",
                    },
                    f"date_order: {earlier} <= {later}",
                )
            )
        elif kind == "required_when":
            m = _WHEN.match(spec["when"])
            if not m:
                raise ValueError(f"{c.table}: unsupported required_when condition {spec['when']!r}")
            cond_col, op, value = m.groups()
            c.column(cond_col)
            c.column(spec["column"])
            out.append(
                Check(
                    "ExpectColumnValuesToNotBeNull",
                    {
                        "column": spec["column"],
                        "row_condition": {
                            "column": cond_col,
                            "op": "!=" if op in ("!=", "<>") else "==",
                            "value": value,
                        },
                    },
                    f"required_when: {spec['column']} not null when {spec['when']}",
                )
            )
        else:
            raise ValueError(f"{c.table}: unknown check kind {kind!r} in the contract")
    return out


def _row_count_checks(c: Contract, previous: int | None) -> list[Check]:
    """Contract row-count bounds; against the previous release, minimums fail and maximums warn."""
    out: list[Check] = []
    lo, hi = c.row_count.get("min"), c.row_count.get("max")
    if lo is not None or hi is not None:
        out.append(
            Check(
                "ExpectTableRowCountToBeBetween",
                {"min_value": lo, "max_value": hi},
                f"row_count: {lo}..{hi if hi is not None else ''}",
            )
        )
    if previous is None:
        return out
    share = c.row_count.get("max_drop_share")
    if share is not None:
        floor = math.ceil(round((1 - float(share)) * previous, 9))
        out.append(
            Check(
                "ExpectTableRowCountToBeBetween",
                {"min_value": floor, "max_value": None},
                f"max_drop_share {share}: at least {floor} rows (previous release: {previous})",
            )
        )
    if previous > 0:
        ceiling = math.floor(MAX_GROWTH_FACTOR * previous)
        out.append(
            Check(
                "ExpectTableRowCountToBeBetween",
                {"min_value": None, "max_value": ceiling},
                f"growth: at most {MAX_GROWTH_FACTOR:g}x the previous release ({previous} rows)",
                warn_only=True,
            )
        )
    return out


def _table_batches(
    c: Contract,
    frame: pd.DataFrame,
    tables: dict[str, pd.DataFrame],
    previous: int | None,
    window: tuple[pd.Timestamp, pd.Timestamp],
) -> list[Batch]:
    main = Batch(name=c.table, table=c.table, frame=frame)
    main.checks.append(
        Check(
            "ExpectTableColumnsToMatchSet",
            {"column_set": c.names, "exact_match": True},
            "columns: exactly the contract's columns",
        )
    )
    main.checks.extend(_row_count_checks(c, previous))
    item_batches: list[Batch] = []
    for col in c.columns:
        if col.required:
            main.checks.append(
                Check("ExpectColumnValuesToNotBeNull", {"column": col.name}, f"required: {col.name}")
            )
        if col.unique or col.name == c.primary_key:
            rule = "primary_key" if col.name == c.primary_key else "unique"
            main.checks.append(
                Check("ExpectColumnValuesToBeUnique", {"column": col.name}, f"{rule}: {col.name}")
            )
        if col.type != "list<string>":
            main.checks.extend(_value_checks(col, tables, items=False))
            main.checks.extend(_date_bounds(col, window))
            continue
        item_checks = _value_checks(col, tables, items=True)
        if item_checks and col.name in frame.columns:
            batch = Batch(
                name=f"{c.table}.{col.name}.items",
                table=c.table,
                frame=_explode(frame, col.name),
                column=col.name,
            )
            batch.checks.append(
                Check(
                    "ExpectColumnValuesToNotBeNull",
                    {"column": col.name},
                    f"list<string>: no null items in {col.name}",
                )
            )
            batch.checks.extend(item_checks)
            item_batches.append(batch)
    if c.primary_key not in {col.name for col in c.columns}:
        raise ValueError(f"{c.table}: primary key {c.primary_key!r} is not a column of the contract")
    main.checks.extend(_table_checks(c))
    return [main, *item_batches]


def build_plan(
    tables: dict[str, pd.DataFrame],
    previous_counts: dict[str, int] | None = None,
    built_on: date | None = None,
) -> Plan:
    """Normalize the release's tables and derive every batch and expectation from the contracts.

    The core tables (``TABLES``) are required; marts are validated when ``tables`` holds them.
    Dates must lie between 1900 and a year after ``built_on`` (default: today, UTC).
    """
    window = date_window(built_on or datetime.now(UTC).date())
    missing = [t for t in TABLES if t not in tables]
    if missing:
        raise ValueError(f"release is missing tables {missing}; expected {list(TABLES)}")
    problems: list[str] = []
    present = [t for t in PUBLISHED if t in tables]  # the core tables, and the marts given
    frames = {t: _normalize(contract(t), tables[t], problems) for t in present}
    batches: list[Batch] = []
    for t in present:
        prev = (previous_counts or {}).get(t)
        batches.extend(_table_batches(contract(t), frames[t], frames, prev, window))
    return Plan(batches=batches, problems=problems, tables=frames)
