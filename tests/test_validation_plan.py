"""The validation plan derives one expectation per contract rule (no GX import, so these are fast)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tradecurbs.contracts import TABLES, contract
from tradecurbs.validation import build_plan, jurisdiction_codes
from tradecurbs.validation.plan import ROW_COLUMN, Batch

from .test_validation import EV, _release


@pytest.fixture(scope="module")
def batches() -> dict[str, Batch]:
    return {b.name: b for b in build_plan(_release(), {"events": 3}).batches}


def _has(batch: Batch | None, expectation: str, **kwargs: object) -> bool:
    return batch is not None and any(
        c.expectation == expectation and all(c.kwargs.get(k) == v for k, v in kwargs.items())
        for c in batch.checks
    )


def test_importing_the_package_does_not_import_gx() -> None:
    # the GX import costs seconds; only validate_release may pay it. A fresh interpreter, since other
    # tests of the session import GX.
    code = "import sys, tradecurbs.validation; sys.exit('great_expectations' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    assert subprocess.run([sys.executable, "-c", code], env=env, check=False).returncode == 0


@pytest.mark.parametrize("table", TABLES)
def test_every_column_rule_has_its_expectation(batches: dict[str, Batch], table: str) -> None:
    c = contract(table)
    main = batches[table]
    assert _has(main, "ExpectTableColumnsToMatchSet", column_set=c.names, exact_match=True)
    assert _has(main, "ExpectTableRowCountToBeBetween", min_value=c.row_count["min"])
    assert _has(main, "ExpectColumnValuesToBeUnique", column=c.primary_key)
    for col in c.columns:
        target = batches.get(f"{table}.{col.name}.items") if col.type == "list<string>" else main
        if col.required:
            assert _has(main, "ExpectColumnValuesToNotBeNull", column=col.name), col.name
        if col.unique:
            assert _has(main, "ExpectColumnValuesToBeUnique", column=col.name), col.name
        if col.pattern:
            assert _has(target, "ExpectColumnValuesToMatchRegex", column=col.name, regex=col.pattern)
        if col.accepted_values:
            assert _has(target, "ExpectColumnValuesToBeInSet", value_set=list(col.accepted_values))
        if col.jurisdiction:
            assert _has(
                target, "ExpectColumnValuesToBeInSet", column=col.name, value_set=list(jurisdiction_codes())
            )
        if col.references:
            assert any(c.rule == f"references of {col.name}: {col.references}" for c in main.checks)
        if col.minimum is not None or col.maximum is not None:
            assert _has(target, "ExpectColumnValuesToBeBetween", column=col.name, min_value=col.minimum)


def test_taxonomy_values_are_resolved(batches: dict[str, Batch]) -> None:
    sets = [
        c.kwargs["value_set"]
        for c in batches["events"].checks
        if c.rule.startswith("accepted_values of measure_type")
    ]
    assert sets and "export_control" in sets[0] and "easing" in sets[0]


def test_references_use_the_referenced_column(batches: dict[str, Batch]) -> None:
    refs = [c for c in batches["mentions"].checks if c.rule.startswith("references")]
    by_column = {c.kwargs["column"]: c.kwargs["value_set"] for c in refs}
    assert by_column["event_id"] == sorted(EV)
    assert set(by_column) == {"event_id", "document_id"}


def test_jurisdiction_codes() -> None:
    codes = set(jurisdiction_codes())
    assert {"CN", "US", "DE", "EU", "XK"} <= codes
    assert "XX" not in codes and "UK" not in codes


def test_table_checks_become_pair_and_conditional_expectations(batches: dict[str, Batch]) -> None:
    for table in ("events", "mentions"):
        assert _has(
            batches[table],
            "ExpectColumnPairValuesAToBeGreaterThanB",
            column_A="effective_on",
            column_B="announced_on",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
        )
        assert _has(
            batches[table],
            "ExpectColumnPairValuesAToBeGreaterThanB",
            column_A="ended_on",
            column_B="effective_on",
        )
    assert _has(
        batches["documents"],
        "ExpectColumnValuesToNotBeNull",
        column="error",
        row_condition={"column": "status", "op": "==", "value": "failed"},
    )


def test_item_batches_hold_the_exploded_items(batches: dict[str, Batch]) -> None:
    items = batches["events.target_jurisdictions.items"].frame
    # events: [] (numpy), ["RU", "BY"] (numpy), ["XK"] (list)
    assert items[ROW_COLUMN].tolist() == [1, 1, 2]
    assert items["target_jurisdictions"].tolist() == ["RU", "BY", "XK"]
    assert list(items.columns) == [ROW_COLUMN, "target_jurisdictions"]


def test_growth_only_warns_and_drop_fails(batches: dict[str, Batch]) -> None:
    rows = [c for c in batches["events"].checks if c.expectation == "ExpectTableRowCountToBeBetween"]
    warn = [c for c in rows if c.warn_only]
    assert [c.kwargs["max_value"] for c in warn] == [6]
    assert [c.kwargs["min_value"] for c in rows if c.rule.startswith("max_drop_share")] == [3]
