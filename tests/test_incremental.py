"""Incremental runs, rebuilds from the raw archive, and live runs that cannot reach their sources."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pyarrow.parquet as pq
from typer.testing import CliRunner

from tests.sample_copy import sample_with_report
from tradecurbs.cli import app
from tradecurbs.flows_loader import load_flows_module
from tradecurbs.releases.query import events_by_source
from tradecurbs.sources import SourceState


def releases_of(data_dir: Path) -> list[str]:
    index = json.loads((data_dir / "releases" / "index.json").read_text())
    return [r["version"] for r in index["releases"]]


def copy_of(sample_run, tmp_path: Path) -> Path:
    data_dir, _ = sample_run
    target = tmp_path / "data"
    shutil.copytree(data_dir, target)
    return target


def test_second_run_sends_conditional_requests_and_publishes_nothing(sample_run, tmp_path):
    data_dir = copy_of(sample_run, tmp_path)
    before = releases_of(data_dir)
    staged_mentions = data_dir / "staged" / "mentions.parquet"
    merged = staged_mentions.stat().st_mtime_ns
    result = load_flows_module("pipeline").pipeline(data_dir=str(data_dir))
    assert staged_mentions.stat().st_mtime_ns == merged, "nothing new: the events are not merged again"
    assert result["new_documents"] == 0
    assert result["changed_documents"] == 0
    assert result["extracted_documents"] == 0
    assert result["published"] is False
    assert result["version"] == before[-1]
    assert result["requests"]["conditional"] > 0
    assert result["requests"]["not_modified"] > 0
    assert releases_of(data_dir) == before
    with SourceState(data_dir / "state.sqlite") as state:
        summaries = {s["source_id"]: s for s in state.source_summaries()}
    assert summaries["tradewire"]["runs"] == 2
    assert summaries["tradewire"]["last_n_new"] == 0
    assert summaries["tradewire"]["last_n_not_modified"] >= 1


def test_rebuild_from_raw_archive_reproduces_the_release(sample_run, tmp_path):
    data_dir = copy_of(sample_run, tmp_path)
    latest = releases_of(data_dir)[-1]
    result = load_flows_module("pipeline").rebuild(data_dir=str(data_dir))
    assert result["identical_to"] == latest
    assert result["extracted_documents"] > 50  # everything re-extracted, nothing cached
    assert releases_of(data_dir)[-1] == latest
    # the rebuilt events, read back from the scratch build, equal the published ones
    published = pq.read_table(data_dir / "releases" / latest / "events.parquet")
    assert published.num_rows > 40


def test_rebuild_publishes_when_the_release_differs(sample_run, tmp_path):
    data_dir = copy_of(sample_run, tmp_path)
    latest = releases_of(data_dir)[-1]
    # tamper with the published events: the rebuild no longer matches, so it republishes
    events = data_dir / "releases" / latest / "events.parquet"
    table = pq.read_table(events)
    pq.write_table(table.slice(1), events)
    result = load_flows_module("pipeline").rebuild(data_dir=str(data_dir))
    assert result["published"] is True
    assert releases_of(data_dir)[-1] == result["version"] != latest
    assert pq.read_table(Path(result["path"]) / "events.parquet").num_rows == table.num_rows


def test_live_run_without_network_reports_each_source(prefect_server, tmp_path):
    sources = tmp_path / "sources.yml"
    sources.write_text(
        "sources:\n"
        "  - {id: feed_one, connector: news_feed, publisher: One, kind: news,"
        " url: 'https://feeds.one.invalid/rss.xml'}\n"
        "  - {id: register, connector: federal_register, publisher: FR, kind: official,"
        " url: 'https://register.two.invalid/api/v1/documents.json?per_page=5'}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app, ["run", "--live", "--sources", str(sources), "--data-dir", str(tmp_path / "d")]
    )
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "No source could be fetched" in result.output
    assert "feed_one:" in result.output and "register:" in result.output
    assert "cannot resolve host" in result.output
    assert not (tmp_path / "d" / "releases" / "index.json").exists()


def test_sources_command_lists_last_fetch(sample_run):
    data_dir, _ = sample_run
    result = CliRunner().invoke(app, ["sources", "--data-dir", str(data_dir)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "tradewire" in result.output and "never" not in result.output
    assert "malformed GDELT row" in result.output
    with SourceState(data_dir / "state.sqlite") as state:
        summaries = {s["source_id"]: s for s in state.source_summaries()}
    events = events_by_source(data_dir / "releases" / releases_of(data_dir)[-1])
    assert events["tradewire"] > 0
    for source_id in ("tradewire", "gdelt", "un_sc_consolidated", "dgft"):
        counts = f"{summaries[source_id]['documents']}/{summaries[source_id]['failed_documents']}"
        n_events = events.get(source_id, 0)
        assert re.search(rf"{source_id}\b.*?\s{counts}\s+\W\s+{n_events}\s", result.output), result.output
    assert not re.search(r"\s-\d+/\d+\s", result.output)  # never a negative count of documents


NEW_ITEM = """    <item>
      <title>Indonesia bans bauxite ore exports from June 10</title>
      <link>https://www.tradewire.example/news/2023/05/indonesia-bauxite-export-ban.html</link>
      <guid isPermaLink="true">https://www.tradewire.example/news/2023/05/indonesia-bauxite-export-ban.html</guid>
      <pubDate>Wed, 31 May 2023 11:00:00 +0000</pubDate>
      <description>Jakarta confirms the end of raw bauxite shipments.</description>
    </item>
"""

NEW_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Indonesia bans bauxite ore exports from June 10 | Trade Wire Daily</title>
<meta property="article:published_time" content="2023-05-31T11:00:00+00:00">
</head><body><nav><a href="/">Home</a> <a href="/commodities/">Commodities</a></nav>
<article><h1>Indonesia bans bauxite ore exports from June 10</h1>
<p>JAKARTA (Trade Wire) - Indonesia's trade ministry said on Wednesday that it will ban exports of
bauxite ore from June 10, 2023, in a push to build up domestic refining of the metal.</p>
<p>President Joko Widodo first announced the plan in December, and the ministry confirmed it in a
regulation published on May 31. Indonesia is one of the largest suppliers of the ore to Chinese
alumina refiners.</p>
</article><footer>Trade Wire Daily</footer></body></html>
"""


def test_a_new_article_is_the_only_document_extracted_and_the_delta_adds_its_event(sample_run, tmp_path):
    data_dir = copy_of(sample_run, tmp_path)
    sample = sample_with_report(
        tmp_path / "sample", NEW_ITEM, "news/2023/05/indonesia-bauxite-export-ban.html", NEW_PAGE
    )
    before = releases_of(data_dir)

    result = load_flows_module("pipeline").pipeline(
        sources=str(sample / "sources.yml"), data_dir=str(data_dir)
    )

    assert (result["new_documents"], result["extracted_documents"]) == (1, 1)
    assert result["published"] is True
    assert releases_of(data_dir) == [*before, result["version"]]
    changes = pq.read_table(Path(result["path"]) / "changes.parquet").to_pylist()
    assert [c["change"] for c in changes] == ["ADD"]
    added = changes[0]["event_id"]
    events = {e["event_id"]: e for e in pq.read_table(Path(result["path"]) / "events.parquet").to_pylist()}
    assert events[added]["imposing_jurisdiction"] == "ID" and "bauxite" in events[added]["products"]
    summary = (Path(result["path"]) / "CHANGES.md").read_text(encoding="utf-8")
    assert "1 added, 0 modified, 0 removed" in summary and "bauxite" in summary
