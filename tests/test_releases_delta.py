"""Release deltas: ADD, MOD and DEL rows against the previous release, and a readable CHANGES.md."""

from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa
import pyarrow.parquet as pq

from tradecurbs.releases import compute_delta, publish_release, read_index
from tradecurbs.releases.delta import changes_markdown, changes_table

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
EVENTS_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("imposing_jurisdiction", pa.string()),
        ("measure_type", pa.string()),
        ("target_jurisdictions", pa.list_(pa.string())),
        ("effective_on", pa.date32()),
        ("status", pa.string()),
        ("confidence", pa.float64()),
        ("n_mentions", pa.int64()),
        ("summary", pa.string()),
    ]
)


def event(event_id: str, **changes) -> dict:
    row = {
        "event_id": event_id,
        "imposing_jurisdiction": "CN",
        "measure_type": "export_control",
        "target_jurisdictions": ["US", "JP"],
        "effective_on": dt.date(2023, 8, 1),
        "status": "announced",
        "confidence": 0.8,
        "n_mentions": 2,
        "summary": f"China controls exports ({event_id}).",
    }
    return {**row, **changes}


def tables(rows: list[dict]) -> dict[str, pa.Table]:
    return {
        "events": pa.Table.from_pylist(rows, schema=EVENTS_SCHEMA),
        "documents": pa.table({"document_id": ["d1"]}),
    }


def changes_rows(folder) -> dict[str, dict]:
    return {r["event_id"]: r for r in pq.read_table(folder / "changes.parquet").to_pylist()}


def test_first_release_is_all_add(tmp_path):
    first = publish_release(tmp_path, tables([event("ev_a"), event("ev_b")]), now=NOW)
    rows = changes_rows(first.path)
    assert {k: r["change"] for k, r in rows.items()} == {"ev_a": "ADD", "ev_b": "ADD"}
    assert rows["ev_a"]["imposing_jurisdiction"] == "CN"
    assert rows["ev_a"]["target_jurisdictions"] == ["US", "JP"]
    assert rows["ev_a"]["effective_on"] == dt.date(2023, 8, 1)
    assert rows["ev_a"]["changed_fields"] == []
    text = (first.path / "CHANGES.md").read_text()
    assert "First release: all 2 events are new." in text
    assert first.delta == {"previous": None, "added": 2, "modified": 0, "removed": 0, "merged": 0, "split": 0}


def test_second_release_has_add_mod_del(tmp_path):
    publish_release(tmp_path, tables([event("ev_same"), event("ev_changed"), event("ev_gone")]), now=NOW)
    second = publish_release(
        tmp_path,
        tables(
            [
                event("ev_same", target_jurisdictions=["JP", "US"], confidence=0.8 + 1e-12),
                event("ev_changed", status="in_force", n_mentions=3),
                event("ev_new", imposing_jurisdiction="US", measure_type="entity_listing"),
            ]
        ),
        now=NOW,
    )
    rows = changes_rows(second.path)
    assert {k: r["change"] for k, r in rows.items()} == {
        "ev_new": "ADD",
        "ev_changed": "MOD",
        "ev_gone": "DEL",
    }
    mod = rows["ev_changed"]
    assert mod["changed_fields"] == ["status", "n_mentions"]
    assert [json.loads(v) for v in mod["old_values"]] == ["announced", 2]
    assert [json.loads(v) for v in mod["new_values"]] == ["in_force", 3]
    assert rows["ev_new"]["imposing_jurisdiction"] == "US"
    assert rows["ev_gone"]["summary"] == "China controls exports (ev_gone)."  # taken from the old row

    text = (second.path / "CHANGES.md").read_text()
    assert "Compared with release 2026.11.28: 1 added, 1 modified, 1 removed" in text
    assert "`ev_changed`" in text and "status: announced → in_force" in text
    assert "## Removed (1)" in text and "`ev_gone`" in text

    package = json.loads((second.path / "datapackage.json").read_text())
    by_name = {r["name"]: r for r in package["resources"]}
    assert by_name["changes"]["path"] == "changes.parquet" and by_name["changes"]["rows"] == 3
    assert by_name["changes_summary"]["path"] == "CHANGES.md"
    assert package["delta"] == {
        "previous": "2026.11.28",
        "added": 1,
        "modified": 1,
        "removed": 1,
        "merged": 0,
        "split": 0,
    }

    entry = read_index(tmp_path)["releases"][-1]
    assert entry["delta"] == package["delta"]
    assert {"changes.parquet", "CHANGES.md", "datapackage.json"} <= {f["path"] for f in entry["files"]}
    assert set(entry["row_counts"]) == {"events", "documents"}


def test_schema_changes_and_run_stamps_are_no_mod():
    old = pa.table({"event_id": ["ev_1"], "status": ["announced"], "fetched_at": ["2026-01-01"]})
    new = pa.table(
        {"event_id": ["ev_1"], "status": ["announced"], "fetched_at": ["2026-02-01"], "ended_on": [None]}
    )
    delta = compute_delta(old, new, "2026.01.01")
    assert delta.changes == []
    assert delta.columns_added == ("ended_on",)
    assert "New columns: ended_on." in changes_markdown(delta, "2026.02.01")


def test_changes_md_is_capped():
    delta = compute_delta(None, pa.table({"event_id": [f"ev_{i:03d}" for i in range(30)]}))
    text = changes_markdown(delta, "2026.11.28", max_lines=10)
    assert text.count("\n- `ev_") == 10
    assert "- ... and 20 more" in text


def test_publish_without_events_has_no_delta(tmp_path):
    release = publish_release(tmp_path, {"documents": pa.table({"document_id": ["d"]})}, now=NOW)
    assert release.delta is None
    assert not (release.path / "changes.parquet").exists()


def mentions(*rows: tuple[str, str, list[str]]) -> pa.Table:
    """Mentions as (document_id, event_id, targets) of China's export controls."""
    return pa.Table.from_pylist(
        [
            {
                "document_id": doc,
                "event_id": event_id,
                "measure_type": "export_control",
                "imposing_jurisdiction": "CN",
                "target_jurisdictions": targets,
            }
            for doc, event_id, targets in rows
        ]
    )


def test_events_found_to_be_one_are_a_merge_not_a_delete():
    before = tables([event("ev_a"), event("ev_b")])["events"]
    after = tables([event("ev_a", n_mentions=3)])["events"]
    delta = compute_delta(
        before,
        after,
        "2026.11.28",
        previous_mentions=mentions(("d1", "ev_a", ["US"]), ("d2", "ev_b", ["US", "JP"])),
        current_mentions=mentions(("d1", "ev_a", ["US"]), ("d2", "ev_a", ["US", "JP"]), ("d3", "ev_a", [])),
    )
    rows = {(c.change, c.event_id): c for c in delta.changes}
    assert set(rows) == {("MERGE", "ev_a"), ("MOD", "ev_a")}
    merge = rows[("MERGE", "ev_a")]
    assert (merge.old_ids, merge.new_ids) == (("ev_a", "ev_b"), ("ev_a",))
    assert delta.counts == {"added": 0, "modified": 1, "removed": 0, "merged": 1, "split": 0}
    table = changes_table(delta).to_pylist()
    assert [
        (r["change"], r["old_event_ids"], r["new_event_ids"]) for r in table if r["change"] == "MERGE"
    ] == [("MERGE", ["ev_a", "ev_b"], ["ev_a"])]
    assert "merged from `ev_a`, `ev_b`" in changes_markdown(delta, "2026.11.29")


def test_an_event_found_to_be_two_is_a_split_not_an_add():
    before = tables([event("ev_a")])["events"]
    after = tables([event("ev_a"), event("ev_c", target_jurisdictions=["JP"])])["events"]
    delta = compute_delta(
        before,
        after,
        "2026.11.28",
        previous_mentions=mentions(("d1", "ev_a", ["US"]), ("d2", "ev_a", ["JP"])),
        current_mentions=mentions(("d1", "ev_a", ["US"]), ("d2", "ev_c", ["JP"])),
    )
    assert [(c.change, c.event_id, c.old_ids, c.new_ids) for c in delta.changes] == [
        ("SPLIT", "ev_a", ("ev_a",), ("ev_a", "ev_c"))
    ]
    # without the mentions, the same change can only be read as an added event
    assert [c.change for c in compute_delta(before, after, "2026.11.28").changes] == ["ADD"]


def test_publishing_a_merge_writes_a_merge_row_and_no_delete(tmp_path):
    first = tables([event("ev_a"), event("ev_b")])
    first["mentions"] = mentions(("d1", "ev_a", ["US"]), ("d2", "ev_b", ["US"]))
    publish_release(tmp_path, first, now=NOW)
    second = tables([event("ev_a", n_mentions=4)])
    second["mentions"] = mentions(("d1", "ev_a", ["US"]), ("d2", "ev_a", ["US"]))
    release = publish_release(tmp_path, second, now=NOW + dt.timedelta(days=1))
    rows = pq.read_table(release.path / "changes.parquet").to_pylist()
    assert sorted((r["change"], r["event_id"]) for r in rows) == [("MERGE", "ev_a"), ("MOD", "ev_a")]
    assert release.delta["merged"] == 1 and release.delta["removed"] == 0
    assert "## Merged (1)" in (release.path / "CHANGES.md").read_text(encoding="utf-8")
