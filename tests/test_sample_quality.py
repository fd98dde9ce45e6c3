"""The sample release against its truth: regression floors, measures in force, ids that never move."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from tests.conftest import TRUTH_DIR
from tests.sample_copy import sample_with_report
from tradecurbs.flows_loader import load_flows_module
from tradecurbs.releases.query import open_release
from tradecurbs.scoring import score_release

FLOORS = Path(__file__).resolve().parent / "quality_floors.yml"


def test_sample_release_scores_above_the_floors(sample_run):
    floors = yaml.safe_load(FLOORS.read_text(encoding="utf-8"))
    score = score_release(Path(sample_run[1]["path"]), TRUTH_DIR)
    figures = score.figures()
    assert score.truth_items >= 95  # the truth counts each event once per target country
    detail = json.dumps(figures) + "\n" + "\n".join([*score.missing, *score.extras, *score.splits])
    assert score.found_share >= floors["found_share_min"], detail
    assert score.extra <= floors["extra_max"], detail
    assert score.split <= floors["split_max"], detail
    assert score.effective_share >= floors["effective_share_min"], detail
    assert score.pairs.precision >= floors["pair_precision_min"], detail
    assert score.pairs.recall >= floors["pair_recall_min"], detail


# Measures of the sample in force on 2024-01-01, as (imposer, measure type, target, product, in force
# from): None matches anything. The day is the effective date, or for a measure the sources call in
# force without an effective date, its announcement.
IN_FORCE_2024 = [
    ("CN", "export_control", None, "gallium", "2023-08-01"),
    ("CN", "export_control", None, "graphite", "2023-12-01"),
    ("CN", "import_restriction", "JP", "seafood", "2023-08-24"),
    ("EU", None, "RU", "diamonds", None),
    ("HU", "import_restriction", "UA", "grain", "2023-09-15"),
    ("PL", "import_restriction", "UA", "grain", "2023-09-15"),
    ("IN", "export_restriction", None, "rice", "2023-07-20"),
    ("ID", "export_restriction", None, "nickel ore", "2020-01-01"),
    ("JP", "export_control", None, "semiconductors", "2023-07-23"),
    ("NL", "export_control", None, "chipmaking equipment", "2023-09-01"),
    ("RU", "export_restriction", None, "diesel", "2023-09-21"),
    ("US", "export_control", "CN", "semiconductors", "2022-10-07"),
    ("US", "export_control", "RU", None, "2022-02-24"),
    ("US", "export_restriction", "UA", None, "2022-02-24"),
    ("US", "entity_listing", "CN", None, "2019-05-16"),
    ("US", "entity_listing", "CN", None, "2020-12-18"),
    ("US", "entity_listing", "CN", None, "2023-10-17"),
]


def _matches(row: dict, imposer, measure, target, product, since) -> bool:
    return (
        row["imposing_jurisdiction"] == imposer
        and measure in (None, row["measure_type"])
        and (target is None or target in row["target_jurisdictions"])
        and (product is None or any(product in p for p in row["products"]))
        and (since is None or str(row["in_force_from"]) == since)
    )


def test_measures_in_force_on_2024_01_01_lists_every_sample_measure_in_force(sample_run):
    con = open_release(Path(sample_run[1]["path"]))
    rel = con.sql("SELECT * FROM measures_in_force(DATE '2024-01-01')")
    rows = [dict(zip(rel.columns, r, strict=True)) for r in rel.fetchall()]
    missing = [m for m in IN_FORCE_2024 if not any(_matches(r, *m) for r in rows)]
    assert not missing, missing
    # the two October 2023 BIS rules are two measures, both in force from 2023-11-17
    rules = [r for r in rows if _matches(r, "US", "export_control", None, None, "2023-11-17")]
    assert len(rules) == 2
    # Indonesia's palm oil export ban was lifted in May 2022
    assert not [r for r in rows if _matches(r, "ID", "export_restriction", None, "palm oil", None)]


NEW_ITEM = """    <item>
      <title>China's ban on Japanese seafood leaves Hokkaido scallops unsold</title>
      <link>https://www.tradewire.example/news/2023/08/china-japan-seafood-ban-scallops.html</link>
      <guid isPermaLink="true">https://www.tradewire.example/news/2023/08/china-japan-seafood-ban-scallops.html</guid>
      <pubDate>Wed, 30 Aug 2023 08:00:00 +0000</pubDate>
      <description>Exporters look for buyers elsewhere.</description>
    </item>
"""

NEW_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>China's ban on Japanese seafood leaves Hokkaido scallops unsold | Trade Wire Daily</title>
<meta property="article:published_time" content="2023-08-30T08:00:00+00:00">
</head><body><article><h1>China's ban on Japanese seafood leaves Hokkaido scallops unsold</h1>
<p>TOKYO (Trade Wire) - Japanese scallop exporters said on Wednesday that China's suspension of all
seafood imports from Japan, in force since August 24, has left tonnes of catch unsold.</p>
<p>China's customs administration halted the imports on the day Tokyo began releasing treated water
from the Fukushima plant into the sea. Exporters in Hokkaido are looking for buyers in Southeast Asia
and the United States.</p>
</article></body></html>
"""


@pytest.fixture(scope="module")
def sample_with_one_more_report(tmp_path_factory) -> Path:
    """A copy of the embedded sample whose Trade Wire feed carries one more report, on a known measure."""
    folder = tmp_path_factory.mktemp("sample-plus-one") / "sample"
    return sample_with_report(
        folder, NEW_ITEM, "news/2023/08/china-japan-seafood-ban-scallops.html", NEW_PAGE
    )


def _events(release_path: str) -> dict[str, dict]:
    return {e["event_id"]: e for e in pq.read_table(Path(release_path) / "events.parquet").to_pylist()}


def test_a_fresh_run_with_one_more_report_keeps_every_event_id(
    sample_run, sample_with_one_more_report, tmp_path
):
    result = load_flows_module("pipeline").pipeline(
        sources=str(sample_with_one_more_report / "sources.yml"), data_dir=str(tmp_path / "data")
    )
    before, after = _events(sample_run[1]["path"]), _events(result["path"])
    assert set(before) <= set(after), sorted(set(before) - set(after))
    grown = [k for k in before if after[k]["n_mentions"] > before[k]["n_mentions"]]
    assert len(grown) == 1 and after[grown[0]]["imposing_jurisdiction"] == "CN"  # the report joined the ban


def test_an_incremental_run_with_one_more_report_changes_one_event_and_removes_none(
    sample_run, sample_with_one_more_report, tmp_path
):
    data_dir = tmp_path / "data"
    shutil.copytree(sample_run[0], data_dir)
    result = load_flows_module("pipeline").pipeline(
        sources=str(sample_with_one_more_report / "sources.yml"), data_dir=str(data_dir)
    )
    assert set(_events(sample_run[1]["path"])) <= set(_events(result["path"]))
    changes = pq.read_table(Path(result["path"]) / "changes.parquet").to_pylist()
    assert [c["change"] for c in changes] == ["MOD"]
    assert "n_mentions" in changes[0]["changed_fields"]


def test_the_scorer_command_prints_the_figures_or_one_line_on_a_wrong_folder(sample_run, capsys):
    from tradecurbs.scoring import main

    assert main([sample_run[1]["path"], str(TRUTH_DIR)]) == 0
    out = capsys.readouterr().out
    assert json.loads(out.split("\n\n")[0])["truth_items"] >= 95 and "missing:" in out
    assert main([str(TRUTH_DIR)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
