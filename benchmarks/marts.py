"""Mart queries over a large events table: a synthetic Parquet file of the events contract, in DuckDB.

The table is drawn from a seed with numpy (jurisdictions, measure types from the taxonomy, products
with their HS codes from the product table, dates, counts), cast to ``contract('events')``, and
written as a release writes it: rows in the order of the events model (``dbt_like_sql/marts/
events.sql``: imposer, then date), zstd, row groups of ``publish.ROW_GROUP_ROWS``. For comparison it
is written once more in event_id order (the order releases had before). The ``monthly_counts`` mart
is built from the same rows by the project's own models (with no mentions: its n_mentions column is
0 here) and written beside it, so that the query by imposer, target and month can be answered from
the mart as a release user would; the benchmark checks that both answers agree. Each query runs once
cold, then ``repeats`` more times; the median of those is the figure.
"""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

JURISDICTIONS = (
    "US",
    "CN",
    "EU",
    "GB",
    "JP",
    "IN",
    "ID",
    "RU",
    "TR",
    "KR",
    "CA",
    "AU",
    "BR",
    "MY",
    "AR",
    "VN",
    "SA",
    "AE",
    "UA",
    "BY",
    "IR",
    "KP",
    "MX",
    "ZA",
)
BODY_KINDS = ("government", "regulator", "state_owned_enterprise", "private_company", "multilateral")
STATUSES = ("announced", "in_force", "lifted", "reported")
FIRST_DAY = np.datetime64("2000-01-01")
BY_ID_SUFFIX = "-by-event-id"
MART_SUFFIX = "-monthly_counts"

QUERIES: dict[str, str] = {
    "counts_by_imposer_target_month": """
        SELECT imposing_jurisdiction, target,
               date_trunc('month', coalesce(announced_on, effective_on)) AS month, count(*) AS events
        FROM events, unnest(target_jurisdictions) AS t(target)
        GROUP BY ALL ORDER BY events DESC""",
    "counts_by_imposer_target_month_from_mart": """
        SELECT imposing_jurisdiction, target_jurisdiction AS target, month, sum(n_events) AS events
        FROM monthly_counts WHERE target_jurisdiction IS NOT NULL
        GROUP BY ALL ORDER BY events DESC""",
    "in_force_on_date": """
        SELECT measure_type, imposing_jurisdiction, count(*) AS events
        FROM events
        WHERE effective_on <= DATE '2023-06-30' AND (ended_on IS NULL OR ended_on > DATE '2023-06-30')
          AND status <> 'lifted'
        GROUP BY ALL ORDER BY events DESC""",
    "products_by_hs_chapter": """
        SELECT left(code, 2) AS chapter, count(*) AS event_codes
        FROM events, unnest(hs_codes) AS u(code)
        GROUP BY ALL ORDER BY event_codes DESC""",
    "timeline_us_cn": """
        SELECT event_id, coalesce(announced_on, effective_on) AS day, measure_type, status, summary
        FROM events
        WHERE imposing_jurisdiction = 'US' AND list_contains(target_jurisdictions, 'CN')
        ORDER BY day, event_id""",
}


def _list_column(rng: np.random.Generator, n: int, values: list[str], most: int) -> pa.ListArray:
    lengths = rng.integers(0, most + 1, n)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    picks = rng.integers(0, len(values), int(offsets[-1]))
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(np.array(values, dtype=object)[picks]))


def _products(rng: np.random.Generator, n: int) -> tuple[pa.ListArray, pa.ListArray]:
    from tradecurbs.extraction import lexicon

    table = [(p["name"], [str(c) for c in p.get("hs") or []]) for p in lexicon.load("products")]
    lengths = rng.integers(0, 3, n)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    picks = rng.integers(0, len(table), int(offsets[-1]))
    names = [table[i][0] for i in picks]
    hs_lengths = np.zeros(n, dtype=np.int64)
    hs_values: list[str] = []
    for row in range(n):
        for i in picks[offsets[row] : offsets[row + 1]]:
            hs_values.extend(table[i][1])
            hs_lengths[row] += len(table[i][1])
    hs_offsets = np.concatenate([[0], np.cumsum(hs_lengths)]).astype(np.int32)
    return (
        pa.ListArray.from_arrays(pa.array(offsets), pa.array(names, pa.string())),
        pa.ListArray.from_arrays(pa.array(hs_offsets), pa.array(hs_values, pa.string())),
    )


def events_table(n: int, seed: int = 7) -> pa.Table:
    """``n`` synthetic rows with exactly the events contract's columns and types."""
    from tradecurbs.contracts import contract, taxonomy

    rng = np.random.default_rng(seed)
    measures = taxonomy()["measure_types"]
    names = sorted(measures)
    mtype = np.array(names, dtype=object)[rng.integers(0, len(names), n)]
    juris = np.array(JURISDICTIONS, dtype=object)
    announced = FIRST_DAY + rng.integers(0, 26 * 365, n).astype("timedelta64[D]")
    effective = announced + rng.choice([0, 0, 1, 7, 30, 60], n).astype("timedelta64[D]")
    ended = np.where(
        rng.random(n) < 0.15,
        effective + rng.integers(30, 2000, n).astype("timedelta64[D]"),
        np.datetime64("NaT"),
    )
    products, hs_codes = _products(rng, n)
    imposer = juris[rng.integers(0, len(juris), n)]
    n_mentions = rng.integers(1, 12, n)
    columns: dict[str, Any] = {
        "event_id": [f"ev_{v:016x}" for v in rng.integers(0, 2**63, n, dtype=np.int64)],
        "event_class": [measures[m]["event_class"] for m in mtype],
        "measure_type": mtype,
        "mast_chapter": [measures[m].get("mast_chapter") for m in mtype],
        "gta_intervention_type": [measures[m].get("gta_intervention_type") for m in mtype],
        "imposing_jurisdiction": imposer,
        "imposing_body": np.char.add("Trade authority of ", imposer.astype(str)).astype(object),
        "imposing_body_kind": np.array(BODY_KINDS, dtype=object)[rng.integers(0, len(BODY_KINDS), n)],
        "target_jurisdictions": _list_column(rng, n, list(JURISDICTIONS), 2),
        "target_entities": _list_column(rng, n, ["Firm A", "Firm B", "Firm C", "Firm D"], 1),
        "products": products,
        "hs_codes": hs_codes,
        "announced_on": announced,
        "announced_precision": np.array(["day", "month", "year"], dtype=object)[
            rng.choice(3, n, p=[0.8, 0.15, 0.05])
        ],
        "effective_on": effective,
        "effective_precision": np.array(["day", "month"], dtype=object)[rng.choice(2, n, p=[0.9, 0.1])],
        "ended_on": ended,
        "first_reported_on": announced + rng.integers(0, 3, n).astype("timedelta64[D]"),
        "status": np.array(STATUSES, dtype=object)[rng.integers(0, len(STATUSES), n)],
        "certainty": np.array(["official", "reported"], dtype=object)[rng.integers(0, 2, n)],
        "confidence": np.round(rng.uniform(0.4, 1.0, n), 3),
        "n_mentions": n_mentions,
        "n_documents": np.maximum(1, n_mentions - rng.integers(0, 2, n)),
        "n_publishers": np.maximum(1, n_mentions // 2),
        "first_source_url": [f"https://news.example/{i}" for i in range(n)],
        "summary": np.char.add(imposer.astype(str), " imposed a measure").astype(object),
    }
    schema = contract("events").arrow_schema()
    arrays = [
        pa.array(columns[f.name]) if not isinstance(columns[f.name], pa.Array) else columns[f.name]
        for f in schema
    ]
    return pa.Table.from_arrays(arrays, names=schema.names).cast(schema)


def by_id_path(path: Path) -> Path:
    """Where the copy of the table in event_id order is kept."""
    return path.with_name(path.stem + BY_ID_SUFFIX + ".parquet")


def mart_path(path: Path) -> Path:
    """Where the monthly_counts mart of the table is kept."""
    return path.with_name(path.stem + MART_SUFFIX + ".parquet")


def published_order() -> str:
    """The ORDER BY of the events model: the order of a published events file."""
    from tradecurbs.resources import bundled

    sql = (bundled("dbt_like_sql") / "marts" / "events.sql").read_text(encoding="utf-8")
    found = re.findall(r"^order by (.+)$", sql, flags=re.MULTILINE)
    if not found:
        raise ValueError("events.sql has no final ORDER BY")
    return found[-1]


def _write_release_file(table: pa.Table, path: Path) -> None:
    from tradecurbs.releases.publish import ROW_GROUP_ROWS

    pq.write_table(table, path, compression="zstd", row_group_size=ROW_GROUP_ROWS)


def build_monthly_counts(con: Any) -> pa.Table:
    """The monthly_counts mart of the ``events`` table of ``con``, built by the project's models."""
    from tradecurbs.contracts import contract
    from tradecurbs.resources import bundled
    from tradecurbs.warehouse.models import discover, render

    con.execute("CREATE OR REPLACE TABLE mentions (event_id VARCHAR)")
    models = discover(bundled("dbt_like_sql"))
    for name in ("int_events_dated", "int_event_pairs", "monthly_counts"):
        con.execute(f'CREATE OR REPLACE TABLE "{name}" AS {render(models[name], {})}')
    schema = contract("monthly_counts").arrow_schema()
    return con.sql(f"SELECT {', '.join(schema.names)} FROM monthly_counts").to_arrow_table().cast(schema)


def write_events(path: Path, n: int, seed: int = 7) -> dict[str, Any]:
    """Write the table as a release does, the copy in event_id order and the monthly_counts mart
    (unless all three are there)."""
    import duckdb

    t0 = time.perf_counter()
    by_id, mart = by_id_path(path), mart_path(path)
    if not all(p.exists() for p in (path, by_id, mart)) or pq.read_metadata(path).num_rows != n:
        path.parent.mkdir(parents=True, exist_ok=True)
        events = events_table(n, seed)
        con = duckdb.connect()
        con.execute("SET TimeZone = 'UTC'")
        con.register("drawn", events)
        con.execute("CREATE TABLE events AS SELECT * FROM drawn")
        ordered = con.sql(f"SELECT * FROM events ORDER BY {published_order()}").to_arrow_table()
        _write_release_file(ordered.cast(events.schema), path)
        _write_release_file(con.sql("SELECT * FROM events ORDER BY event_id").to_arrow_table(), by_id)
        _write_release_file(build_monthly_counts(con), mart)
        con.close()
    return {
        "rows": n,
        "bytes": path.stat().st_size,
        "row_groups": pq.read_metadata(path).num_row_groups,
        "mart_rows": pq.read_metadata(mart).num_rows,
        "prepare_s": round(time.perf_counter() - t0, 2),
    }


def _time_queries(con: Any, repeats: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, sql in QUERIES.items():
        times, cpu = [], []
        rows = 0
        for _ in range(repeats + 1):
            t0, c0 = time.perf_counter(), time.process_time()
            rows = con.sql(sql).to_arrow_table().num_rows
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        out[name] = {
            "cold_ms": round(times[0], 1),
            "median_cpu_ms": round(statistics.median(cpu[1:]), 1),
            "median_ms": round(statistics.median(times[1:]), 1),
            "min_ms": round(min(times[1:]), 1),
            "max_ms": round(max(times[1:]), 1),
            "rows": rows,
        }
    return out


def _answer(con: Any, name: str) -> list[tuple[Any, ...]]:
    rows = con.sql(QUERIES[name]).fetchall()
    return sorted((imposer, target, str(month)[:10], int(n)) for imposer, target, month, n in rows)


def run_queries(path: Path, repeats: int = 5) -> dict[str, Any]:
    """Milliseconds of each query (cold, then median of ``repeats``): over the files as a release
    publishes them, over the events in event_id order, and over the rows loaded into DuckDB tables
    (a serving process). ``mart_agrees``: the mart's counts by imposer, target and month equal the
    events table's."""
    import duckdb

    def quoted(p: Path) -> str:
        return str(p).replace("'", "''")

    mart = f"read_parquet('{quoted(mart_path(path))}')"
    out: dict[str, Any] = {}
    for mode, kind, events in (
        ("parquet", "VIEW", path),
        ("parquet_by_event_id", "VIEW", by_id_path(path)),
        ("in_memory", "TABLE", path),
    ):
        con = duckdb.connect()
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET enable_progress_bar = false")
        con.execute(f"CREATE {kind} events AS SELECT * FROM read_parquet('{quoted(events)}')")
        con.execute(f"CREATE {kind} monthly_counts AS SELECT * FROM {mart}")
        out[mode] = _time_queries(con, repeats)
        if mode == "parquet":
            out["mart_agrees"] = _answer(con, "counts_by_imposer_target_month") == _answer(
                con, "counts_by_imposer_target_month_from_mart"
            )
        con.close()
    return out
