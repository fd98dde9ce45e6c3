"""Stage extracted rows as Parquet, build the SQL models on DuckDB, run the data tests, and export the
published tables (the core tables and the marts)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from tradecurbs.contracts import PUBLISHED, contract, taxonomy
from tradecurbs.durable import atomic_path
from tradecurbs.resources import bundled
from tradecurbs.warehouse import datatests, models

STAGED_DOCUMENTS = "documents.parquet"
STAGED_MENTIONS = "mentions.parquet"
SEED_TAXONOMY = "taxonomy.parquet"
SEEDS_FOLDER = "seeds"  # CSV seeds of the models folder, each the source ('seeds', <file name>)


def staged_documents_schema() -> pa.Schema:
    """The documents contract plus the extracted text, kept for extraction and rebuilds."""
    return contract("documents").arrow_schema().append(pa.field("text", pa.string()))


def write_staged_documents(records: Iterable[dict[str, Any]], path: Path) -> int:
    """Write document rows (contract columns plus ``text``) to Parquet; returns the row count."""
    schema = staged_documents_schema()
    rows = [{name: r.get(name) for name in schema.names} for r in records]
    write_parquet_atomically(pa.Table.from_pylist(rows, schema=schema), path)
    return len(rows)


def write_parquet_atomically(table: pa.Table, path: Path) -> None:
    """Write a staged table (zstd) under a temporary name and rename it into place once flushed."""
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def read_parquet(path: Path | str, columns: list[str] | None = None) -> pa.Table:
    """One Parquet file as a table. ``pq.read_table`` goes through pyarrow's dataset layer, whose
    import (pandas with it) costs a run with nothing new a quarter of a second."""
    with pq.ParquetFile(path) as parquet:
        return parquet.read(columns=columns)


def table_rows(table: pa.Table) -> list[dict[str, Any]]:
    """``table.to_pylist()``, with time-zone-aware timestamps converted here: pyarrow imports pandas to
    convert them (a third of a second for a run that has nothing new)."""
    zoned = {f.name: f.type for f in table.schema if pa.types.is_timestamp(f.type) and f.type.tz is not None}
    if not zoned:
        return table.to_pylist()
    plain = table.select([n for n in table.column_names if n not in zoned]).to_pylist()
    for name, zoned_type in zoned.items():
        zone = ZoneInfo(zoned_type.tz)
        plain_type = pa.timestamp(zoned_type.unit)  # a view, not a cast: no compute import
        naive = [v for chunk in table.column(name).chunks for v in chunk.view(plain_type).to_pylist()]
        for row, value in zip(plain, naive, strict=True):
            row[name] = None if value is None else value.replace(tzinfo=dt.UTC).astimezone(zone)
    return [{n: row[n] for n in table.column_names} for row in plain]


def write_staged_mentions(mentions: Iterable[dict[str, Any]], path: Path) -> int:
    """Write mention rows (the mentions contract) to Parquet; ``rules`` dicts become JSON."""
    schema = contract("mentions").arrow_schema()
    rows = []
    for m in mentions:
        row = {name: m.get(name) for name in schema.names}
        if not isinstance(row["rules"], str):
            row["rules"] = json.dumps(row["rules"] or {}, sort_keys=True, ensure_ascii=False)
        for name in ("target_jurisdictions", "target_entities", "products", "hs_codes"):
            row[name] = list(row[name] or [])
        rows.append(row)
    write_parquet_atomically(pa.Table.from_pylist(rows, schema=schema), path)
    return len(rows)


def write_taxonomy_seed(path: Path) -> None:
    """The measure taxonomy as a Parquet seed for the SQL models."""
    rows = [
        {
            "measure_type": name,
            **{k: spec.get(k) for k in ("event_class", "mast_chapter", "gta_intervention_type")},
        }
        for name, spec in taxonomy()["measure_types"].items()
    ]
    write_parquet_atomically(pa.Table.from_pylist(rows), path)


def connect(database: Path | str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with UTC as its time zone (timestamps are exported as UTC)."""
    con = duckdb.connect(str(database))
    con.execute("SET TimeZone = 'UTC'")
    return con


def seed_sources(root: Path) -> dict[tuple[str, str], Path]:
    """The CSV seeds under ``root/seeds`` as sources ``('seeds', <file name>)``."""
    return {("seeds", path.stem): path for path in sorted((Path(root) / SEEDS_FOLDER).glob("*.csv"))}


def build_tables(
    staged_dir: Path, database: Path | str = ":memory:", as_of: dt.date | None = None
) -> dict[str, pa.Table]:
    """Run every model of dbt_like_sql on the staged files and its data tests; return the published tables.

    ``as_of`` is the day the ``measures_in_force`` mart describes (default: today, UTC). A failing data
    test raises ``datatests.DataTestFailed``. Each table is cast to its contract's schema, so a model
    that drifts from schemas/ fails here.
    """
    staged_dir = Path(staged_dir)
    root = bundled("dbt_like_sql")
    write_taxonomy_seed(staged_dir / SEED_TAXONOMY)
    sources = {
        ("staged", "documents"): staged_dir / STAGED_DOCUMENTS,
        ("staged", "mentions"): staged_dir / STAGED_MENTIONS,
        ("seeds", "taxonomy"): staged_dir / SEED_TAXONOMY,
        **seed_sources(root),
    }
    variables: dict[str, models.Value] = {"as_of": as_of or dt.datetime.now(dt.UTC).date()}
    con = connect(database)
    try:
        models.build(con, root, sources, variables)
        datatests.check(con, root, PUBLISHED)
        return {table: export_table(con, table) for table in PUBLISHED}
    finally:
        con.close()


def export_table(con: duckdb.DuckDBPyConnection, table: str) -> pa.Table:
    """One built model as an Arrow table with exactly its contract's columns and types."""
    schema = contract(table).arrow_schema()
    columns = ", ".join(f'"{name}"' for name in schema.names)
    arrow = con.sql(f'SELECT {columns} FROM "{table}"').to_arrow_table()
    try:
        return arrow.cast(schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError) as exc:
        raise models.ModelError(f"model {table!r} does not match schemas/{table}.yml: {exc}") from exc
