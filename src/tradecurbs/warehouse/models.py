"""A small dbt-like runner: SQL models that reference each other by name, built on DuckDB.

A model is a ``.sql`` file under the models folder; its name is the file name. Inside it,
``{{ ref('other_model') }}`` names another model and ``{{ source('group', 'name') }}`` names an
input registered by the caller (a Parquet file). Models are built in dependency order, each as a
DuckDB table named after the model.
"""

from __future__ import annotations

import graphlib
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

_REF = re.compile(r"\{\{\s*ref\(\s*'([A-Za-z0-9_]+)'\s*\)\s*\}\}")
_SOURCE = re.compile(r"\{\{\s*source\(\s*'([A-Za-z0-9_]+)'\s*,\s*'([A-Za-z0-9_]+)'\s*\)\s*\}\}")


class ModelError(RuntimeError):
    """A model could not be built (unknown ref, cycle, SQL error)."""


@dataclass(frozen=True)
class Model:
    """One SQL model."""

    name: str
    path: Path
    sql: str

    @property
    def refs(self) -> set[str]:
        return set(_REF.findall(self.sql))

    @property
    def sources(self) -> set[tuple[str, str]]:
        return set(_SOURCE.findall(self.sql))


def discover(root: Path) -> dict[str, Model]:
    """All models under ``root`` (recursively), by name."""
    models: dict[str, Model] = {}
    for path in sorted(Path(root).rglob("*.sql")):
        name = path.stem
        if name in models:
            raise ModelError(f"two models are named {name!r}: {models[name].path} and {path}")
        models[name] = Model(name, path, path.read_text(encoding="utf-8"))
    return models


def build_order(models: dict[str, Model]) -> list[str]:
    """Model names in an order where every model comes after the models it refs."""
    graph: dict[str, set[str]] = {}
    for model in models.values():
        unknown = model.refs - models.keys()
        if unknown:
            raise ModelError(f"model {model.name!r} ({model.path}) refs unknown model(s): {sorted(unknown)}")
        graph[model.name] = model.refs
    try:
        return list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        raise ModelError(f"models ref each other in a cycle: {exc.args[1]}") from exc


def render(model: Model, sources: dict[tuple[str, str], Path]) -> str:
    """The model's SQL with refs and sources replaced by table names and Parquet reads."""

    def source_sql(match: re.Match[str]) -> str:
        key = (match.group(1), match.group(2))
        if key not in sources:
            raise ModelError(f"model {model.name!r} reads source {key} that was not provided")
        path = str(sources[key]).replace("'", "''")
        return f"read_parquet('{path}')"

    return _SOURCE.sub(source_sql, _REF.sub(lambda m: m.group(1), model.sql))


def build(con: duckdb.DuckDBPyConnection, root: Path, sources: dict[tuple[str, str], Path]) -> list[str]:
    """Build every model under ``root`` as a table in ``con``; returns the names in build order."""
    models = discover(root)
    order = build_order(models)
    for name in order:
        sql = render(models[name], sources)
        try:
            con.execute(f'CREATE OR REPLACE TABLE "{name}" AS\n{sql}')
        except duckdb.Error as exc:
            raise ModelError(f"model {name!r} ({models[name].path}) failed: {exc}") from exc
    return order
