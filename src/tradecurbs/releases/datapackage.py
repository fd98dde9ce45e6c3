"""``datapackage.json`` of a release: a Frictionless Data Package (v2, readable as v1) from schemas/.

Each published table becomes a tabular resource whose Table Schema is derived from its contract:
Table Schema types, constraints (required, unique, pattern, enum, minimum, maximum), the primary key
and the foreign keys of ``references``. The package metadata (licences, sources, contributors,
keywords, homepage) comes from ``src/tradecurbs/data/dataset.yml``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import yaml

from tradecurbs import __version__
from tradecurbs.contracts import Column, Contract, contract
from tradecurbs.releases.delta import CHANGES_MD, CHANGES_PARQUET, CHANGES_SCHEMA, Delta
from tradecurbs.releases.files import sha256_file

DATAPACKAGE = "datapackage.json"
PROFILE_V2 = "https://datapackage.org/profiles/2.0/datapackage.json"
PARQUET = {"format": "parquet", "mediatype": "application/vnd.apache.parquet"}

#: Contract type -> Table Schema type.
FIELD_TYPES = {
    "string": "string",
    "int64": "integer",
    "float64": "number",
    "bool": "boolean",
    "date": "date",
    "timestamp": "datetime",
    "list<string>": "array",
}


@cache
def dataset_metadata() -> dict[str, Any]:
    """The dataset's own description (data/dataset.yml)."""
    path = Path(__file__).resolve().parents[1] / "data" / "dataset.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _arrow_type(t: pa.DataType) -> str:
    if pa.types.is_integer(t):
        return "integer"
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "number"
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_timestamp(t):
        return "datetime"
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return "array"
    if pa.types.is_struct(t) or pa.types.is_map(t):
        return "object"
    return "string" if pa.types.is_string(t) or pa.types.is_large_string(t) else "any"


def arrow_fields(schema: pa.Schema) -> list[dict[str, Any]]:
    """Table Schema fields from an Arrow schema (descriptions from field metadata)."""
    fields = []
    for f in schema:
        field: dict[str, Any] = {"name": f.name, "type": _arrow_type(f.type)}
        description = (f.metadata or {}).get(b"description", b"").decode()
        if description:
            field["description"] = description
        if not f.nullable:
            field["constraints"] = {"required": True}
        fields.append(field)
    return fields


def _full_match(pattern: str) -> str:
    """A contract regex (searched) as a Table Schema pattern (matched against the whole value)."""
    body = pattern.removeprefix("^") if pattern.startswith("^") else ".*" + pattern
    return body.removesuffix("$") if body.endswith("$") and not body.endswith("\\$") else body + ".*"


def _constraints(col: Column) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if col.required:
        out["required"] = True
    if col.unique:
        out["unique"] = True
    if col.type == "list<string>":
        return out  # item rules (pattern, codes) are checked by the validation suite, not Table Schema
    if col.pattern:
        out["pattern"] = _full_match(col.pattern)
    if col.accepted_values is not None:
        out["enum"] = list(col.accepted_values)
    if col.minimum is not None:
        out["minimum"] = col.minimum
    if col.maximum is not None:
        out["maximum"] = col.maximum
    return out


def _field(col: Column) -> dict[str, Any]:
    field: dict[str, Any] = {"name": col.name, "type": FIELD_TYPES[col.type], "description": col.description}
    if col.type == "list<string>":
        field["itemType"] = "string"
    if col.type == "timestamp":
        field["format"] = "any"
    constraints = _constraints(col)
    if constraints:
        field["constraints"] = constraints
    return field


def table_schema(c: Contract, published: set[str]) -> dict[str, Any]:
    """The Table Schema of a contract; foreign keys only to tables in ``published``."""
    schema: dict[str, Any] = {"fields": [_field(col) for col in c.columns], "primaryKey": [c.primary_key]}
    foreign = []
    for col in c.columns:
        if not col.references or col.type == "list<string>":
            continue
        table, _, column = col.references.partition(".")
        if table in published:
            foreign.append({"fields": [col.name], "reference": {"resource": table, "fields": [column]}})
    if foreign:
        schema["foreignKeys"] = foreign
    return schema


def file_resource(folder: Path, name: str, path: str, **extra: Any) -> dict[str, Any]:
    """A resource for one file of the release, with its size and sha256."""
    file = folder / path
    return {
        "name": name,
        "path": path,
        **extra,
        "bytes": file.stat().st_size,
        "hash": f"sha256:{sha256_file(file)}",
    }


def _table_resource(folder: Path, name: str, table: pa.Table, published: set[str]) -> dict[str, Any]:
    try:
        c = contract(name)
    except FileNotFoundError:
        description = (table.schema.metadata or {}).get(b"description", b"").decode()
        schema: dict[str, Any] = {"fields": arrow_fields(table.schema)}
    else:
        description, schema = c.description.strip(), table_schema(c, published)
    resource = file_resource(folder, name, f"{name}.parquet", type="table", **PARQUET, rows=table.num_rows)
    return {**resource, "description": description, "schema": schema}


def _delta_resources(folder: Path, delta: Delta) -> list[dict[str, Any]]:
    since = f"release {delta.previous_version}" if delta.previous_version else "nothing (first release)"
    parquet = file_resource(
        folder,
        "changes",
        CHANGES_PARQUET,
        type="table",
        **PARQUET,
        rows=len(delta.changes),
        description=f"Events added (ADD), modified (MOD) and removed (DEL) since {since}.",
        schema={"fields": arrow_fields(CHANGES_SCHEMA), "primaryKey": ["event_id"]},
    )
    markdown = file_resource(
        folder,
        "changes_summary",
        CHANGES_MD,
        format="md",
        mediatype="text/markdown",
        description=f"What changed in the events since {since}, in words.",
    )
    return [parquet, markdown]


def delta_summary(delta: Delta) -> dict[str, Any]:
    """Counts of a delta, as stored in datapackage.json and the catalog."""
    return {"previous": delta.previous_version, **delta.counts}


def _contributors(meta: dict[str, Any]) -> list[dict[str, Any]]:
    """Contributors with v2 ``roles`` and the v1 ``role`` beside them."""
    return [{**c, "role": "author"} for c in meta.get("contributors", [])]


def build_datapackage(
    version: str, created: str, folder: Path, tables: dict[str, pa.Table], delta: Delta | None = None
) -> dict[str, Any]:
    """The descriptor of a release folder whose table files are written."""
    meta = dataset_metadata()
    published = set(tables)
    resources = [_table_resource(folder, name, table, published) for name, table in tables.items()]
    package: dict[str, Any] = {
        "$schema": PROFILE_V2,
        "name": meta["name"],
        "title": meta["title"],
        "description": " ".join(meta["description"].split()),
        "version": version,
        "created": created,
        "homepage": meta["homepage"],
        "keywords": meta["keywords"],
        "licenses": meta["licenses"],
        "sources": meta["sources"],
        "contributors": _contributors(meta),
        "generator": f"tradecurbs {__version__}",
        "resources": resources,
    }
    if delta is not None:
        resources.extend(_delta_resources(folder, delta))
        package["delta"] = delta_summary(delta)
    return package
