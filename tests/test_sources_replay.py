"""Replay: the URL map, the replay server, and the sample corpus crawled end to end."""

from __future__ import annotations

import email.utils
import re
import zipfile
from io import BytesIO
from pathlib import Path

import httpx
import pytest

from tests.test_sources_support import Web, source
from tradecurbs.resources import bundled
from tradecurbs.sources import Fetcher, SourceState, crawl_source, load_sources, replay_rewrite, replay_server
from tradecurbs.sources.records import document_id
from tradecurbs.sources.replay import etag


def test_replay_rewrite_keeps_host_path_and_query() -> None:
    rewrite = replay_rewrite("http://127.0.0.1:8765/")
    assert (
        rewrite("https://www.example.org/a/b.html?x=1&y[]=2")
        == "http://127.0.0.1:8765/www.example.org/a/b.html?x=1&y[]=2"
    )
    assert rewrite("http://data.example:8080") == "http://127.0.0.1:8765/data.example/"


def test_replay_server_serves_recordings_and_zips(tmp_path: Path) -> None:
    site = tmp_path / "www.example.org"
    (site / "api").mkdir(parents=True)
    (site / "api" / "docs.json@q=trade_page=2").write_text('{"ok": true}', encoding="utf-8")
    (site / "export.CSV").write_text("a\tb\n", encoding="utf-8")
    with (
        replay_server(tmp_path) as base,
        Fetcher(rewrite=replay_rewrite(base), allow_loopback=True) as fetcher,
    ):
        assert fetcher.get("https://www.example.org/api/docs.json?q=trade&page=2").content == b'{"ok": true}'
        archive = fetcher.get("https://www.example.org/export.CSV.zip")
        assert zipfile.ZipFile(BytesIO(archive.content)).read("export.CSV") == b"a\tb\n"
        assert fetcher.get("https://www.example.org/missing.html").status == 404


def test_connector_crash_becomes_a_failed_record(httpserver) -> None:  # noqa: ANN001
    web = Web(httpserver)
    url = "https://www.federalregister.gov/api/v1/documents.json"
    with web.fetcher() as fetcher:
        (record,) = crawl_source(source("federal_register", url, max_pages="many"), fetcher)
    assert record.status == "failed" and record.url == url
    assert record.error.startswith("connector federal_register crashed: ValueError")


SAMPLE = bundled("sample") / "sources.yml"


@pytest.mark.skipif(not (SAMPLE.parent / "web").is_dir(), reason="the sample corpus is not in this checkout")
def test_sample_corpus_end_to_end(tmp_path: Path) -> None:
    sf = load_sources(SAMPLE)
    records = []
    with (
        replay_server(sf.replay) as base,
        Fetcher(rewrite=replay_rewrite(base), allow_loopback=True, archive_dir=tmp_path / "raw") as fetcher,
    ):
        for entry in sf.sources:
            got = crawl_source(entry, fetcher, publishers=sf.publishers)
            assert any(r.status == "ok" for r in got), f"{entry.id} yielded no document"
            records += got
    ids = [r.document_id for r in records]
    assert len(ids) == len(set(ids))
    for r in records:
        assert r.url.startswith(("http://", "https://")) and "127.0.0.1" not in r.url
        assert r.document_id == document_id(r.url) and re.match(r"^doc_[0-9a-f]{16}$", r.document_id)
        assert r.fetched_at.utcoffset().total_seconds() == 0
        if r.status == "ok":
            assert r.text and r.n_chars == len(r.text) and r.error is None and r.published_at is not None
            assert r.published_at.utcoffset().total_seconds() == 0
        else:
            assert r.error and r.n_chars == 0 and r.content_sha256 is None
            assert "127.0.0.1" not in r.error
    assert (tmp_path / "raw" / "index.jsonl").stat().st_size > 0


def test_archives_on_one_folder_write_the_same_body_concurrently(tmp_path):
    import datetime as dt
    from concurrent.futures import ThreadPoolExecutor

    from tradecurbs.sources.archive import RawArchive

    def store(i: int) -> str:
        return RawArchive(tmp_path).add(
            url=f"https://host.test/{i}",
            fetched_url=f"https://host.test/{i}",
            status=200,
            headers={},
            fetched_at=dt.datetime.now(dt.UTC),
            body=b"User-agent: *\nAllow: /\n",
        )

    with ThreadPoolExecutor(8) as pool:
        digests = set(pool.map(store, range(32)))
    assert len(digests) == 1
    assert len(list(RawArchive(tmp_path).entries())) == 32
    assert not [p for p in tmp_path.rglob(".*") if p.is_file()]


def test_replay_server_answers_conditional_requests(tmp_path: Path) -> None:
    page = tmp_path / "www.example.org" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_text("<p>first</p>", encoding="utf-8")
    (tmp_path / "www.example.org" / "export.CSV").write_text("a\tb\n", encoding="utf-8")
    with replay_server(tmp_path) as base, httpx.Client(base_url=base) as client:
        first = client.get("/www.example.org/page.html")
        tag, modified = first.headers["etag"], first.headers["last-modified"]

        def status(**headers: str) -> int:
            return client.get("/www.example.org/page.html", headers=headers).status_code

        assert tag == etag(b"<p>first</p>")
        assert modified == email.utils.formatdate(page.stat().st_mtime, usegmt=True)
        same = client.get("/www.example.org/page.html", headers={"If-None-Match": tag})
        assert (same.status_code, same.content, same.headers["etag"]) == (304, b"", tag)
        assert status(**{"If-None-Match": f'"other", W/{tag}'}) == 304
        assert status(**{"If-None-Match": "*"}) == 304
        assert status(**{"If-None-Match": '"other"'}) == 200
        assert status(**{"If-Modified-Since": modified}) == 304
        assert status(**{"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}) == 200
        assert status(**{"If-Modified-Since": "not a date"}) == 200
        # If-None-Match decides when both are sent
        assert status(**{"If-None-Match": '"other"', "If-Modified-Since": modified}) == 200

        page.write_text("<p>second</p>", encoding="utf-8")
        changed = client.get("/www.example.org/page.html", headers={"If-None-Match": tag})
        assert changed.status_code == 200 and changed.headers["etag"] == etag(b"<p>second</p>")

        zipped = client.get("/www.example.org/export.CSV.zip")
        assert zipped.headers["content-type"] == "application/zip"
        again = client.get(
            "/www.example.org/export.CSV.zip", headers={"If-None-Match": zipped.headers["etag"]}
        )
        assert again.status_code == 304


def test_fetcher_revalidates_against_the_replay_server(tmp_path: Path) -> None:
    site = tmp_path / "web" / "www.example.org"
    site.mkdir(parents=True)
    (site / "notice.html").write_text("<p>notice</p>", encoding="utf-8")
    url = "https://www.example.org/notice.html"
    with (
        SourceState(tmp_path / "state.sqlite") as state,
        replay_server(tmp_path / "web") as base,
        Fetcher(
            rewrite=replay_rewrite(base), allow_loopback=True, archive_dir=tmp_path / "raw", state=state
        ) as f,
    ):
        first, second = f.get(url), f.get(url)
    assert second.not_modified and not first.not_modified
    assert (second.status, second.content, second.fetched_at) == (200, b"<p>notice</p>", first.fetched_at)
    assert second.content_type == "text/html"
    # robots.txt (a 404 page), the page, then the page again, conditionally
    assert (f.stats.requests, f.stats.conditional, f.stats.not_modified) == (3, 1, 1)
