"""dbt-style data tests on the built warehouse: each test is a SELECT of the rows that break a rule.

Generic tests are declared in the table contracts (schemas/*.yml), one per column property:

- ``required: true`` -> ``not_null``
- ``unique: true`` or the column is the ``primary_key`` -> ``unique``
- ``accepted_values`` -> ``accepted_values`` (on the items, for a list column)
- ``references: table.column`` -> ``relationships`` (every value exists in the referenced column)

and one per table whose contract says how to count events from it (``counting.distinct_events``):
``counts_events`` checks that the aggregate gives the number of events the table covers.

Singular tests are the files ``tests/*.sql`` of the models folder: a query (which may use
``{{ ref('model') }}``) selecting offending rows. A test passes when it selects no row.
``check`` runs them all and raises ``DataTestFailed`` naming each failing test, its count of
offending rows and a few of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from tradecurbs.contracts import PUBLISHED, Column, Contract, contract
from tradecurbs.warehouse import models

TESTS_FOLDER = "tests"
SAMPLE_ROWS = 5  # offending rows quoted per failing test
_MAX_VALUE_CHARS = 80


@dataclass(frozen=True)
class DataTest:
    """One data test: its kind, a readable name, where it is declared, and the SQL of offending rows."""

    kind: str  # not_null, unique, accepted_values, relationships or singular
    name: str
    origin: str
    sql: str

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name}"


@dataclass
class DataTestResult:
    """What one test found: the count of offending rows and the first few, or the error it raised."""

    test: DataTest
    n_failing: int = 0
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    error: str | None = None

    @property
    def passed(self) -> bool:
        return self.error is None and self.n_failing == 0

    def describe(self) -> str:
        """A few lines: the test, its count of offending rows (or error) and the rows quoted."""
        head = f"{self.test.label} ({self.test.origin})"
        if self.error is not None:
            return f"{head}: error: {self.error}"
        noun = "row" if self.n_failing == 1 else "rows"
        shown = f", first {len(self.rows)} shown" if self.n_failing > len(self.rows) else ""
        lines = [f"{head}: {self.n_failing} offending {noun}{shown}"]
        for row in self.rows:
            cells = ", ".join(f"{c}={_fmt(v)}" for c, v in zip(self.columns, row, strict=True))
            lines.append(f"    {cells}")
        return "\n".join(lines)


class DataTestFailed(RuntimeError):
    """One or more data tests selected offending rows (or could not run); the build stops."""

    def __init__(self, failures: list[DataTestResult], n_tests: int) -> None:
        self.failures = failures
        self.n_tests = n_tests
        body = "\n".join(f"  - {f.describe()}" for f in failures)
        super().__init__(f"{len(failures)} of {n_tests} data tests failed:\n{body}")


def _fmt(value: Any) -> str:
    text = value.isoformat() if isinstance(value, dt.date) else repr(value)
    return text if len(text) <= _MAX_VALUE_CHARS else text[: _MAX_VALUE_CHARS - 3] + "..."


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal_list(values: Iterable[str]) -> str:
    return ", ".join(models.sql_literal(v) for v in values)


def _offending_select(c: Contract, col: Column) -> tuple[str, str]:
    """(FROM clause, select list) with one row per value of ``col`` (list items unnested), keyed."""
    table, key, column = _q(c.table), _q(c.primary_key), _q(col.name)
    if col.type.startswith("list<"):
        return f"(select {key}, unnest({column}) as {column} from {table})", f"{key}, {column}"
    return table, key if col.name == c.primary_key else f"{key}, {column}"


def _column_tests(c: Contract, col: Column) -> list[DataTest]:
    """The generic tests one contract column declares."""
    origin, name = f"schemas/{c.table}.yml", f"{c.table}.{col.name}"
    table, column = _q(c.table), _q(col.name)
    tests: list[DataTest] = []
    if col.required:
        shown = "*" if col.name == c.primary_key else f"{_q(c.primary_key)}, {column}"
        sql = f"select {shown} from {table} where {column} is null"
        tests.append(DataTest("not_null", name, origin, sql))
    if col.unique or col.name == c.primary_key:
        sql = (
            f"select {column}, count(*) as n_rows from {table} where {column} is not null "
            f"group by {column} having count(*) > 1"
        )
        tests.append(DataTest("unique", name, origin, sql))
    rows, shown = _offending_select(c, col)
    if col.accepted_values is not None:
        sql = (
            f"select {shown} from {rows} "
            f"where {column} is not null and {column} not in ({_literal_list(col.accepted_values)})"
        )
        tests.append(DataTest("accepted_values", name, origin, sql))
    if col.references:
        ref_table, ref_column = col.references.split(".", 1)
        sql = (
            f"select {shown} from {rows} as child where child.{column} is not null and not exists "
            f"(select 1 from {_q(ref_table)} as parent where parent.{_q(ref_column)} = child.{column})"
        )
        tests.append(DataTest("relationships", f"{name} -> {col.references}", origin, sql))
    return tests


def _counting_test(c: Contract) -> list[DataTest]:
    """The test that the contract's way of counting events gives the number of events it covers."""
    counting = c.counting
    if counting is None or not counting.distinct_events:
        return []
    covers = "true" if counting.covers in (None, "all") else counting.covers
    sql = (
        f"select counted, expected from (select {counting.distinct_events} as counted from {_q(c.table)}), "
        f"(select count(*) as expected from {_q('events')} where {covers}) where counted <> expected"
    )
    return [DataTest("counts_events", c.table, f"schemas/{c.table}.yml", sql)]


def generic_tests(tables: Iterable[str] = PUBLISHED) -> list[DataTest]:
    """The tests the contracts of ``tables`` declare, in contract and column order."""
    tests = []
    for t in tables:
        c = contract(t)
        tests += [test for col in c.columns for test in _column_tests(c, col)]
        tests += _counting_test(c)
    return tests


def singular_tests(root: Path) -> list[DataTest]:
    """The SQL files under ``root/tests``, each a query of offending rows, refs rendered."""
    tests = []
    for path in sorted((Path(root) / TESTS_FOLDER).glob("*.sql")):
        model = models.Model(path.stem, path, path.read_text(encoding="utf-8"))
        sql = models.render(model, {}).strip().rstrip(";")
        origin = f"{path.parent.parent.name}/{TESTS_FOLDER}/{path.name}"
        tests.append(DataTest("singular", path.stem, origin, sql))
    return tests


def collect(root: Path, tables: Iterable[str] = PUBLISHED) -> list[DataTest]:
    """Every generic test of ``tables`` and every singular test under ``root``."""
    return [*generic_tests(tables), *singular_tests(root)]


def run_test(con: duckdb.DuckDBPyConnection, test: DataTest) -> DataTestResult:
    """Run one test: count its offending rows and fetch the first few (in a stable order)."""
    cur = con.cursor()
    try:
        (count,) = cur.execute(f"select count(*) from ({test.sql})").fetchall()[0]
        if not count:
            return DataTestResult(test)
        sample = cur.execute(f"select * from ({test.sql}) order by all limit {SAMPLE_ROWS}")
        columns = [d[0] for d in sample.description]
        return DataTestResult(test, int(count), columns, sample.fetchall())
    except duckdb.Error as exc:
        return DataTestResult(test, error=str(exc).strip().splitlines()[0])
    finally:
        cur.close()


def run_tests(con: duckdb.DuckDBPyConnection, tests: Iterable[DataTest]) -> list[DataTestResult]:
    """Run every test; the results keep the tests' order."""
    return [run_test(con, test) for test in tests]


def check(
    con: duckdb.DuckDBPyConnection, root: Path, tables: Iterable[str] = PUBLISHED
) -> list[DataTestResult]:
    """Run all data tests on the built warehouse; raise DataTestFailed if any fails, else return results."""
    results = run_tests(con, collect(root, tables))
    failures = [r for r in results if not r.passed]
    if failures:
        raise DataTestFailed(failures, len(results))
    return results
