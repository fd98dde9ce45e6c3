"""The contracts in schemas/ are the one source: arrow schemas and README docs derive from them."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from tradecurbs.contracts import MARTS, PUBLISHED, TABLES, contract, measure_class, taxonomy
from tradecurbs.docs import render_readme

README = Path(__file__).resolve().parents[1] / "README.md"


def test_arrow_schemas_follow_the_contracts():
    events = contract("events").arrow_schema()
    assert events.field("target_jurisdictions").type == pa.list_(pa.string())
    assert events.field("effective_on").type == pa.date32()
    assert not events.field("event_id").nullable
    assert contract("documents").arrow_schema().field("fetched_at").type == pa.timestamp("us", tz="UTC")


def test_taxonomy_fills_accepted_values():
    measures = contract("events").column("measure_type").accepted_values
    assert set(measures) == set(taxonomy()["measure_types"])
    assert measure_class("service_refusal") == "refusal"
    assert measure_class("entity_listing") == "control_tightening"


def test_readme_column_docs_are_in_step_with_schemas():
    text = README.read_text(encoding="utf-8")
    assert render_readme(text) == text, "README tables are stale: run `python -m tradecurbs.docs`"
    for table in PUBLISHED:
        assert f"### `{table}`" in text
        for column in contract(table).columns:
            assert f"| `{column.name}` |" in text


def test_marts_are_found_from_their_contracts():
    assert TABLES == ("documents", "mentions", "events")
    assert MARTS == ("event_timeline", "measures_in_force", "monthly_counts", "restricted_products")
    assert PUBLISHED == TABLES + MARTS
    for table in PUBLISHED:
        c = contract(table)
        assert c.layer == ("mart" if table in MARTS else "core")
        schema = c.arrow_schema()
        assert schema.names == c.names and c.primary_key in c.names
        assert not schema.field(c.primary_key).nullable


def test_mart_references_point_at_published_columns():
    for table in MARTS:
        for column in contract(table).columns:
            if column.references:
                ref_table, ref_column = column.references.split(".")
                assert ref_table in PUBLISHED and ref_column in contract(ref_table).names
