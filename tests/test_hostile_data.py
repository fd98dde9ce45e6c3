"""Hostile or absurd values in the built tables: they fail validation and never become live HTML."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow.parquet as pq

from tradecurbs.validation import validate_release
from tradecurbs.validation.plan import build_plan, date_window


def release_frames(data_dir: Path) -> dict:
    index = json.loads((data_dir / "releases" / "index.json").read_text())
    folder = data_dir / "releases" / index["latest"]
    return {p.stem: pq.read_table(p).to_pandas() for p in folder.glob("*.parquet") if p.stem != "changes"}


def test_the_date_window_is_1900_to_a_year_after_the_build() -> None:
    lo, hi = date_window(dt.date(2024, 2, 29))
    assert lo.date() == dt.date(1900, 1, 1) and hi.date() == dt.date(2025, 2, 28)


def test_every_date_and_timestamp_column_gets_the_window(sample_run) -> None:
    plan = build_plan(release_frames(sample_run[0]), built_on=dt.date(2026, 1, 1))
    bounded = {
        (b.table, c.kwargs["column"])
        for b in plan.batches
        for c in b.checks
        if c.rule.startswith("plausible dates")
    }
    assert {
        ("events", "effective_on"),
        ("mentions", "announced_on"),
        ("documents", "published_at"),
    } <= bounded


def test_absurd_dates_and_markup_fail_and_the_data_docs_escape_them(sample_run, tmp_path: Path) -> None:
    frames = release_frames(sample_run[0])
    events = frames["events"]
    events.loc[0, "effective_on"] = dt.date(2999, 1, 1)
    events.loc[1, "announced_on"] = dt.date(1850, 6, 1)
    events.loc[2, "imposing_jurisdiction"] = "<script>alert(1)</script>"
    outcome = validate_release(frames, None, tmp_path)
    failures = "\n".join(outcome.failures)
    assert not outcome.success
    assert "plausible dates of effective_on" in failures and "plausible dates of announced_on" in failures
    assert "&lt;script&gt;" in failures
    pages = [p.read_text(encoding="utf-8") for p in (tmp_path / "data_docs").rglob("*.html")]
    assert pages, "no Data Docs were built"
    assert not any("<script>alert(1)" in page for page in pages)


def test_text_with_markup_characters_still_passes(sample_run, tmp_path: Path) -> None:
    frames = release_frames(sample_run[0])
    for row, value in enumerate(["Exports & imports", "<b>bold</b>", 'it\'s "quoted"']):
        frames["events"].loc[row, "summary"] = value  # free text: escaped for the docs, never a failure
    outcome = validate_release(frames, None, tmp_path, data_docs=False)
    assert outcome.success, outcome.failures
