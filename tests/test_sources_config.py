"""The sources file: parsing, options, and errors that name the file and the entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradecurbs.resources import bundled
from tradecurbs.sources import SourcesFileError, load_sources
from tradecurbs.sources.connectors import CONNECTORS

GOOD = """
replay: web
publishers:
  WWW.Example.org: Example Daily
sources:
  - id: example_feed
    connector: news_feed
    publisher: Example Daily
    kind: news
    language: en
    url: https://www.example.org/feed.rss
    max_items: 20
    timezone: Europe/Berlin
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_entry_fields_options_publishers_and_replay(tmp_path: Path) -> None:
    sf = load_sources(write(tmp_path, GOOD))
    (entry,) = sf.sources
    assert (entry.id, entry.connector, entry.publisher, entry.kind, entry.language) == (
        "example_feed",
        "news_feed",
        "Example Daily",
        "news",
        "en",
    )
    assert entry.options == {"max_items": 20, "timezone": "Europe/Berlin"}
    assert sf.publishers == {"www.example.org": "Example Daily"}
    assert sf.replay == (tmp_path / "web").resolve()
    assert sf.get("example_feed") is entry


def test_sample_sources_file_loads() -> None:
    sf = load_sources(bundled("sample") / "sources.yml")
    connectors = {"news_feed", "federal_register", "mofcom", "gdelt_events", "screening_list"}
    connectors |= {"sanctions_list", "html_listing", "json_api"}
    assert {s.connector for s in sf.sources} == connectors
    assert sf.allow_loopback is False  # the sample's replay server is allowed by the run, not the file
    assert sf.replay is not None and sf.replay.name == "web"
    assert set(CONNECTORS) >= connectors


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("kind: news", "kind: rumour"), r"sources\[0\] \(id 'example_feed'\): kind must be one of"),
        (("connector: news_feed", "connector: carrier_pigeon"), "unknown connector 'carrier_pigeon'"),
        (
            ("    url: https://www.example.org/feed.rss\n", ""),
            r"sources\[0\] .*missing required key\(s\): url",
        ),
        (("url: https://", "url: ftp://"), "url must be an absolute http"),
        (("id: example_feed", "id: Example Feed"), r"id must match"),
    ],
)
def test_bad_entry_names_file_and_entry(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(SourcesFileError, match=message) as caught:
        load_sources(path)
    assert str(path) in str(caught.value)


def test_duplicate_ids_and_bad_yaml(tmp_path: Path) -> None:
    entry = GOOD.split("sources:\n", 1)[1]
    with pytest.raises(SourcesFileError, match="'example_feed' appears more than once"):
        load_sources(write(tmp_path, GOOD + entry))
    with pytest.raises(SourcesFileError, match="cannot read sources file"):
        load_sources(write(tmp_path, "sources: [unclosed"))
    with pytest.raises(SourcesFileError, match="expected a mapping with a 'sources' list"):
        load_sources(write(tmp_path, "- just a list"))


def test_live_list_covers_the_world() -> None:
    sf = load_sources(bundled("sources.yml"))
    official = [s for s in sf.sources if s.kind == "official"]
    assert len(sf.sources) >= 16
    assert len({s.jurisdiction for s in official}) >= 12 and all(s.jurisdiction for s in official)
    assert {s.language.split("-")[0] for s in sf.sources} >= {
        "en",
        "zh",
        "de",
        "fr",
        "es",
        "ru",
        "ja",
        "pt",
        "tr",
    }
    assert sf.allow_loopback is False and sf.replay is None
