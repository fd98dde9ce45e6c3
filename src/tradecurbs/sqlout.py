"""How ``tradecurbs sql`` prints a result: a table that fits the terminal, else one line per value;
CSV and JSON with lists and dates as proper values."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import json
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from tradecurbs.escaping import spreadsheet_cell

FORMATS = ("table", "line", "csv", "json")
#: A column gets at least this many characters (or its full width when narrower) in a table.
MIN_COLUMN = 12


def error_line(exc: Exception) -> str:
    """DuckDB's error message up to its first blank line, on one line (the query echo is left out)."""
    head = str(exc).strip().split("\n\n")[0]
    return " ".join(part.strip() for part in head.splitlines() if part.strip())


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return value


def text_value(value: Any) -> str:
    """A value as text: nulls empty, lists and structs as JSON, dates in ISO 8601, booleans lowercase."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | dict):
        return json.dumps(_json_value(value), ensure_ascii=False)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return str(value)


def fits(columns: list[str], rows: list[list[str]], width: int) -> bool:
    """Whether a table gives every column its width, or at least MIN_COLUMN characters, in ``width``."""
    need = 1
    for i, name in enumerate(columns):
        natural = max([len(name), *(len(r[i]) for r in rows)])
        need += min(natural, MIN_COLUMN) + 3
    return need <= width


def _table(columns: list[str], rows: list[list[str]], console: Console) -> None:
    table = Table(*(escape(c) for c in columns))  # a column alias is text, never markup
    for r in rows:
        table.add_row(*(Text(v) for v in r))
    console.print(table)


def _lines(columns: list[str], rows: list[list[str]]) -> None:
    """One ``column = value`` line per value, a blank line between rows (DuckDB's line mode)."""
    pad = max(len(c) for c in columns)
    out = []
    for r in rows:
        out += [f"{c.rjust(pad)} = {v}" for c, v in zip(columns, r, strict=True)] + [""]
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


def write(columns: list[str], rows: list[tuple], fmt: str, console: Console) -> None:
    """Print a result in ``fmt`` (one of FORMATS); ``table`` falls back to line mode when too wide."""
    if fmt == "json":
        records = [{c: _json_value(v) for c, v in zip(columns, r, strict=True)} for r in rows]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        return
    texts = [[text_value(v) for v in r] for r in rows]
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow([spreadsheet_cell(c) for c in columns])
        # text from sources that a spreadsheet would run as a formula is quoted; numbers stay numbers
        writer.writerows(
            [spreadsheet_cell(t) if isinstance(v, str) else t for v, t in zip(r, tr, strict=True)]
            for r, tr in zip(rows, texts, strict=True)
        )
    elif fmt == "line" or not fits(columns, texts, console.width):
        _lines(columns, texts)
    else:
        _table(columns, texts, console)
