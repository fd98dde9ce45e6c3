"""A small dbt-like runner: SQL models that reference each other by name, built on DuckDB.

A model is a ``.sql`` file under the models folder; its name is the file name. Inside it,
``{{ ref('other_model') }}`` names another model, ``{{ source('group', 'name') }}`` names an input
registered by the caller (a Parquet or CSV file) and ``{{ var('name') }}`` a value the caller
passes (rendered as a SQL literal). Models are built in dependency order, each as a DuckDB table
named after the model.

Files under ``macros/`` are DuckDB macros: each holds one ``CREATE OR REPLACE MACRO <file name>(...)``
statement and may ref models. A macro is created once the models it refs are built, and before any
model that calls it (``<macro name>(``). Files under ``tests/`` (data tests, see datatests.py) and
``seeds/`` are not models.
"""

from __future__ import annotations

import datetime as dt
import graphlib
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

_REF = re.compile(r"\{\{\s*ref\(\s*'([A-Za-z0-9_]+)'\s*\)\s*\}\}")
_SOURCE = re.compile(r"\{\{\s*source\(\s*'([A-Za-z0-9_]+)'\s*,\s*'([A-Za-z0-9_]+)'\s*\)\s*\}\}")
_VAR = re.compile(r"\{\{\s*var\(\s*'([A-Za-z0-9_]+)'\s*\)\s*\}\}")
_COMMENT = re.compile(r"--[^\n]*")

MACROS_FOLDER = "macros"
NOT_MODELS = (MACROS_FOLDER, "tests", "seeds")  # top-level folders that hold no models

Value = str | int | float | bool | dt.date | None


class ModelError(RuntimeError):
    """A model could not be built (unknown ref, cycle, SQL error)."""


@dataclass(frozen=True)
class Model:
    """One SQL model, or (``is_macro``) one macro."""

    name: str
    path: Path
    sql: str
    is_macro: bool = False

    @property
    def refs(self) -> set[str]:
        return set(_REF.findall(self.sql))

    @property
    def sources(self) -> set[tuple[str, str]]:
        return set(_SOURCE.findall(self.sql))

    @property
    def node(self) -> str:
        """Its name in the dependency graph (macros may share a name with a model)."""
        return f"{self.name}()" if self.is_macro else self.name

    def calls(self, macro: str) -> bool:
        """Whether the SQL (outside comments) calls the macro ``macro``."""
        return re.search(rf"\b{re.escape(macro)}\s*\(", _COMMENT.sub("", self.sql)) is not None


def _sql_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.sql")) if folder.is_dir() else []


def discover(root: Path) -> dict[str, Model]:
    """All models under ``root`` (recursively, outside macros/, tests/ and seeds/), by name."""
    root = Path(root)
    models: dict[str, Model] = {}
    for path in _sql_files(root):
        if path.relative_to(root).parts[0] in NOT_MODELS:
            continue
        name = path.stem
        if name in models:
            raise ModelError(f"two models are named {name!r}: {models[name].path} and {path}")
        models[name] = Model(name, path, path.read_text(encoding="utf-8"))
    return models


def discover_macros(root: Path) -> dict[str, Model]:
    """All macros under ``root/macros``, by name."""
    macros: dict[str, Model] = {}
    for path in _sql_files(Path(root) / MACROS_FOLDER):
        sql = path.read_text(encoding="utf-8")
        if not re.search(rf"\bmacro\s+{re.escape(path.stem)}\s*\(", _COMMENT.sub("", sql), re.IGNORECASE):
            raise ModelError(f"{path} must create a macro named {path.stem!r}")
        if path.stem in macros:
            raise ModelError(f"two macros are named {path.stem!r}: {macros[path.stem].path} and {path}")
        macros[path.stem] = Model(path.stem, path, sql, is_macro=True)
    return macros


def build_order(models: dict[str, Model], macros: dict[str, Model] | None = None) -> list[str]:
    """Node names (models, and macros as ``name()``) in an order where each follows what it needs."""
    macros = macros or {}
    graph: dict[str, set[str]] = {}
    for item in [*models.values(), *macros.values()]:
        unknown = item.refs - models.keys()
        if unknown:
            kind = "macro" if item.is_macro else "model"
            raise ModelError(f"{kind} {item.name!r} ({item.path}) refs unknown model(s): {sorted(unknown)}")
        called = {m.node for m in macros.values() if m.node != item.node and item.calls(m.name)}
        graph[item.node] = item.refs | called
    try:
        return list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        raise ModelError(f"models ref each other in a cycle: {exc.args[1]}") from exc


def sql_literal(value: Value) -> str:
    """A Python value as a DuckDB literal (dates as ``DATE '...'``)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return f"TIMESTAMPTZ '{value.isoformat()}'"
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _reader(path: Path) -> str:
    quoted = str(path).replace("'", "''")
    if path.suffix.lower() == ".csv":  # seeds: text as written, the staging model casts
        return f"read_csv('{quoted}', header = true, all_varchar = true)"
    return f"read_parquet('{quoted}')"


def render(
    model: Model, sources: dict[tuple[str, str], Path], variables: dict[str, Value] | None = None
) -> str:
    """The model's SQL with refs, sources and vars replaced by table names, file reads and literals."""
    variables = variables or {}

    def source_sql(match: re.Match[str]) -> str:
        key = (match.group(1), match.group(2))
        if key not in sources:
            raise ModelError(f"model {model.name!r} reads source {key} that was not provided")
        return _reader(Path(sources[key]))

    def var_sql(match: re.Match[str]) -> str:
        if match.group(1) not in variables:
            raise ModelError(f"model {model.name!r} uses var {match.group(1)!r} that was not provided")
        return sql_literal(variables[match.group(1)])

    sql = _REF.sub(lambda m: m.group(1), model.sql)
    return _VAR.sub(var_sql, _SOURCE.sub(source_sql, sql))


def create_macros(con: duckdb.DuckDBPyConnection, root: Path) -> list[str]:
    """Create every macro under ``root/macros`` on ``con``, whose tables or views they ref must exist."""
    macros = discover_macros(root)
    for macro in macros.values():
        _execute(con, macro, render(macro, {}))
    return sorted(macros)


def _execute(con: duckdb.DuckDBPyConnection, item: Model, sql: str) -> None:
    try:
        con.execute(sql)
    except duckdb.Error as exc:
        kind = "macro" if item.is_macro else "model"
        raise ModelError(f"{kind} {item.name!r} ({item.path}) failed: {exc}") from exc


def build(
    con: duckdb.DuckDBPyConnection,
    root: Path,
    sources: dict[tuple[str, str], Path],
    variables: dict[str, Value] | None = None,
) -> list[str]:
    """Build every model (and macro) under ``root`` in ``con``; returns the model names in build order."""
    models = discover(root)
    macros = discover_macros(root)
    built: list[str] = []
    for node in build_order(models, macros):
        if node.endswith("()"):
            macro = macros[node[:-2]]
            _execute(con, macro, render(macro, sources, variables))
            continue
        model = models[node]
        _execute(con, model, f'CREATE OR REPLACE TABLE "{node}" AS\n{render(model, sources, variables)}')
        built.append(node)
    return built
