"""The plain-feed reader gives a crawl exactly the items feedparser gives, or declines the feed.

What a crawl reads of an item (link, id, title, category terms, date strings and parsed dates, with
feedparser's fallbacks from ``updated`` to ``published``) is compared with feedparser's on generated
feeds, on the feeds of the fixtures, the sample and ``../shared/realdata``, and on feeds made to leave
the plain form one way at a time: each of those must be declined (None) or read the same.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import feedparser
import pytest

from benchmarks import generate_corpus
from tests.conftest import SHARED
from tradecurbs.resources import bundled
from tradecurbs.sources.archive import RawArchive
from tradecurbs.sources.plainfeed import plain_entries

FIELDS = ("link", "id", "title", "published", "updated", "dc_date", "published_parsed", "updated_parsed")
URL = "https://news.example/feeds/trade.xml?page=1"
RSS = "application/rss+xml"

RSS_ITEM = (
    "<item><title>Port of Tema handles record volumes</title>"
    "<link>https://news.example/ports/tema-record.html</link>"
    '<guid isPermaLink="true">https://news.example/ports/tema-record.html</guid>'
    "<pubDate>Tue, 23 Jun 2015 22:59:00 +0000</pubDate><category>Ports</category>"
    "<description>Volumes rose for a third month.</description></item>"
)
ATOM_ENTRY = (
    "<entry><title>Rain delays the harvest</title>"
    '<link href="https://news.example/farm/harvest.html"/><id>https://news.example/farm/harvest.html</id>'
    "<published>2022-07-06T22:32:00+00:00</published><updated>2022-07-06T23:00:00+00:00</updated>"
    "<summary>Farmers wait.</summary></entry>"
)


def rss(*items: str, head: str = '<?xml version="1.0" encoding="utf-8"?>', attrs: str = "") -> bytes:
    channel = "<title>Trade</title><link>https://news.example/</link><description>Trade news</description>"
    return f'{head}<rss version="2.0"{attrs}><channel>{channel}{"".join(items)}</channel></rss>'.encode()


def atom(*entries: str) -> bytes:
    head = '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
    return f"{head}<title>Farm</title><id>https://news.example/</id>{''.join(entries)}</feed>".encode()


def view(entries: list) -> list[tuple]:
    """What a crawl reads of each item, read as the connector reads it (``entry.get``)."""
    with warnings.catch_warnings():  # feedparser warns when ``updated`` falls back to ``published``
        warnings.simplefilter("ignore", DeprecationWarning)
        return [
            (*(e.get(k) for k in FIELDS), tuple(t.get("term") for t in e.get("tags") or [])) for e in entries
        ]


def by_feedparser(content: bytes, content_type: str, url: str = URL) -> list[tuple]:
    headers = {"content-type": content_type, "content-location": url}
    return view(feedparser.parse(content, response_headers=headers).entries)


def read_as_feedparser(content: bytes, content_type: str, url: str = URL) -> bool:
    """Whether the plain reader takes the feed; if it does, its items must be feedparser's."""
    entries = plain_entries(content, content_type, url)
    if entries is not None:
        assert view(entries) == by_feedparser(content, content_type, url)
    return entries is not None


def test_generated_feeds_are_read_as_feedparser_reads_them(tmp_path: Path) -> None:
    generate_corpus.generate_corpus(tmp_path, 400, seed=23)
    raw = tmp_path / "raw"
    feeds = [
        e
        for e in map(json.loads, (raw / "index.jsonl").read_text().splitlines())
        if "xml" in e["headers"].get("content-type", "")
    ]
    assert feeds and any("atom" in e["headers"]["content-type"] for e in feeds)
    for entry in feeds:
        body = RawArchive(raw).body(entry["sha256"])
        assert read_as_feedparser(body, entry["headers"]["content-type"], entry["url"]), entry["url"]


FEED_FILES = sorted(
    [
        *Path(__file__).parent.joinpath("fixtures").rglob("*.rss"),
        *Path(__file__).parent.joinpath("fixtures").rglob("*.atom"),
        *(bundled("sample") / "web").rglob("*.rss"),
        *(bundled("sample") / "web").rglob("*.atom"),
        *(bundled("sample") / "web").rglob("*.xml"),
        *(bundled("sample") / "web").rglob("*.rdf"),
        *(SHARED / "realdata" / "feeds").glob("*"),
    ]
)


@pytest.mark.parametrize("path", FEED_FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("content_type", [RSS, "application/atom+xml", "text/xml; charset=iso-8859-1"])
def test_feed_files_are_declined_or_read_as_feedparser_reads_them(path: Path, content_type: str) -> None:
    read_as_feedparser(path.read_bytes(), content_type, f"https://{path.parent.name}.example/{path.name}")


def test_sample_and_fixture_feeds_include_plain_ones() -> None:
    taken = [p for p in FEED_FILES if read_as_feedparser(p.read_bytes(), RSS)]
    assert len(taken) >= 3


@pytest.mark.parametrize(
    "feed",
    [
        pytest.param(rss(RSS_ITEM), id="as generated"),
        pytest.param(rss(RSS_ITEM.replace("https://news.example/ports/", "/ports/")), id="relative links"),
        pytest.param(
            rss(RSS_ITEM.replace("<link>https://news.example/ports/tema-record.html</link>", "")),
            id="guid only",
        ),
        pytest.param(rss(RSS_ITEM.replace('"true"', '"false"')), id="guid no permalink"),
        pytest.param(rss(RSS_ITEM.replace('isPermaLink="true"', "")), id="guid without attribute"),
        pytest.param(
            rss(
                RSS_ITEM.replace("<title>", '<guid isPermaLink="true">/first</guid><title>').replace(
                    '<guid isPermaLink="true">https://news.example/ports/tema-record.html</guid>', ""
                )
            ),
            id="guid before link",
        ),
        pytest.param(
            rss(
                RSS_ITEM.replace(
                    "<category>Ports</category>",
                    "<category>Ports</category>" * 2 + "<category>Sea</category>",
                )
            ),
            id="repeated categories",
        ),
        pytest.param(rss(RSS_ITEM.replace("Tue, 23 Jun 2015", "Someday")), id="unreadable date"),
        pytest.param(
            rss(RSS_ITEM.replace("<pubDate>Tue, 23 Jun 2015 22:59:00 +0000</pubDate>", "")), id="no date"
        ),
        pytest.param(rss(RSS_ITEM, RSS_ITEM.replace("tema", "lome")), id="two items"),
        pytest.param(rss(RSS_ITEM, head='<?xml version="1.0"?>'), id="no declared encoding"),
        pytest.param(rss(RSS_ITEM.replace("Port of", "<![CDATA[Port of]]>")), id="cdata"),
        pytest.param(atom(ATOM_ENTRY), id="atom"),
        pytest.param(atom(ATOM_ENTRY.replace("https://news.example/farm/", "farm/")), id="atom relative"),
        pytest.param(
            atom(ATOM_ENTRY.replace('<link href="https://news.example/farm/harvest.html"/>', "")),
            id="atom id only",
        ),
        pytest.param(
            atom(ATOM_ENTRY.replace("<title>Rain delays the harvest</title>", "") + ATOM_ENTRY),
            id="atom untitled",
        ),
        pytest.param(
            atom(ATOM_ENTRY.replace("<title>", '<category term="farm"/><title>')), id="atom category"
        ),
        pytest.param(
            atom(ATOM_ENTRY.replace("<published>2022-07-06T22:32:00+00:00</published>", "")),
            id="atom updated only",
        ),
    ],
)
def test_plain_feeds_are_read_as_feedparser_reads_them(feed: bytes) -> None:
    content_type = "application/atom+xml" if b"Atom" in feed else RSS
    assert read_as_feedparser(feed, content_type)


@pytest.mark.parametrize(
    ("feed", "content_type"),
    [
        pytest.param(rss(RSS_ITEM.replace("Port of", "Port &amp; harbour of")), RSS, id="entity in title"),
        pytest.param(
            rss(RSS_ITEM.replace("Port of", "<![CDATA[<b>Port</b> of]]>")), RSS, id="markup in title"
        ),
        pytest.param(
            rss(RSS_ITEM.replace("Port of", "Port of S\u00e3o Tom\u00e9 and")), RSS, id="non-ascii title"
        ),
        pytest.param(rss(RSS_ITEM.replace("<title>", "<title> ")), RSS, id="padded title"),
        pytest.param(rss(RSS_ITEM.replace("<title>", "<title></title><x>")), RSS, id="unknown element"),
        pytest.param(
            rss(
                RSS_ITEM.replace("</item>", "<dc:creator>A</dc:creator></item>"),
                attrs=' xmlns:dc="http://purl.org/dc/elements/1.1/"',
            ),
            RSS,
            id="namespaced element",
        ),
        pytest.param(
            rss(RSS_ITEM.replace("<item>", '<item xml:base="https://other.example/">')), RSS, id="xml base"
        ),
        pytest.param(
            rss(RSS_ITEM, head='<?xml version="1.0" encoding="iso-8859-1"?>'), RSS, id="latin-1 declared"
        ),
        pytest.param(rss(RSS_ITEM), "text/xml; charset=iso-8859-1", id="latin-1 charset"),
        pytest.param(rss(RSS_ITEM), "text/html", id="html content type"),
        pytest.param(rss(RSS_ITEM, head='<?xml version="1.0"?><!DOCTYPE rss>'), RSS, id="doctype"),
        pytest.param(rss(RSS_ITEM).replace(b'version="2.0"', b'version="0.91"'), RSS, id="rss 0.91"),
        pytest.param(rss(RSS_ITEM.replace("<title>", '<title type="html">')), RSS, id="title attribute"),
        pytest.param(rss(RSS_ITEM.replace("<category>", '<category domain="x">')), RSS, id="category domain"),
        pytest.param(rss(RSS_ITEM.replace("</item>", "<title>Again</title></item>")), RSS, id="two titles"),
        pytest.param(rss(RSS_ITEM.replace("</item>", "").replace("<item>", "")), RSS, id="no items"),
        pytest.param(rss(RSS_ITEM)[:-20], RSS, id="truncated"),
        pytest.param(
            atom(ATOM_ENTRY.replace("<title>", '<title type="html">')),
            "application/atom+xml",
            id="atom html title",
        ),
        pytest.param(
            atom(ATOM_ENTRY.replace("/>", ' rel="enclosure"/>')), "application/atom+xml", id="atom enclosure"
        ),
        pytest.param(
            atom(ATOM_ENTRY, ATOM_ENTRY.replace("<link", '<link href="x"/><link')),
            "application/atom+xml",
            id="atom two links",
        ),
    ],
)
def test_feeds_feedparser_may_read_otherwise_are_declined(feed: bytes, content_type: str) -> None:
    assert plain_entries(feed, content_type, URL) is None
