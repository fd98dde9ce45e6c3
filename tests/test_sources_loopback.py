"""A mirror or test server on this machine: refused by default, fetched when the user says so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradecurbs.cli import app
from tradecurbs.sources import SourcesFileError, load_sources
from tradecurbs.tasks import source_site

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Mirror</title><link>{base}/</link><description>m</description>
<item><title>India bans exports of non-basmati white rice</title><link>{base}/rice.html</link>
<pubDate>Fri, 21 Jul 2023 08:00:00 +0530</pubDate></item>
</channel></rss>
"""
PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Rice</title></head><body>
<article><h1>India bans exports of non-basmati white rice</h1>
<p>India banned exports of non-basmati white rice with immediate effect on July 20, 2023, to keep
domestic prices in check ahead of the festival season.</p>
<p>The Directorate General of Foreign Trade said shipments already loaded may still leave.</p>
</article></body></html>
"""


def _mirror(httpserver, tmp_path: Path, opt_in: bool) -> Path:  # noqa: ANN001
    httpserver.no_handler_status_code = 404  # robots.txt and unknown paths
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/feed.xml").respond_with_data(FEED.format(base=base), content_type="text/xml")
    httpserver.expect_request("/rice.html").respond_with_data(PAGE, content_type="text/html")
    sources = tmp_path / "mirror.yml"
    sources.write_text(
        ("allow_loopback: true\n" if opt_in else "")
        + "sources:\n  - {id: mirror, connector: news_feed, publisher: Mirror, kind: news, "
        + f"url: '{base}/feed.xml'}}\n",
        encoding="utf-8",
    )
    return sources


def _run(sources: Path, data_dir: Path, *flags: str):  # noqa: ANN202
    return CliRunner().invoke(
        app, ["run", "--sources", str(sources), "--data-dir", str(data_dir), "--no-publish", *flags]
    )


def test_loopback_is_refused_unless_asked_for(prefect_server, httpserver, tmp_path: Path) -> None:  # noqa: ANN001
    sources = _mirror(httpserver, tmp_path, opt_in=False)

    refused = _run(sources, tmp_path / "refused")
    allowed = _run(sources, tmp_path / "allowed", "--allow-loopback")

    assert refused.exit_code == 2 and "allow_loopback is off" in refused.output
    assert "Traceback" not in refused.output
    assert allowed.exit_code == 0, allowed.output
    assert re.search(r"new documents\W+1\b", allowed.output), allowed.output


def test_sources_file_opt_in(httpserver, tmp_path: Path) -> None:  # noqa: ANN001
    sf = load_sources(_mirror(httpserver, tmp_path, opt_in=True))
    with source_site(sf, live=True) as (rewrite, allow_loopback):
        assert rewrite is None and allow_loopback is True
    bad = tmp_path / "bad.yml"
    bad.write_text("allow_loopback: sometimes\nsources: []\n", encoding="utf-8")
    with pytest.raises(SourcesFileError, match="allow_loopback must be true or false"):
        load_sources(bad)
