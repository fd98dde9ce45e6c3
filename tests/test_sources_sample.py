"""The embedded sample's sources, crawled through the replay server: breadth, and documents from each."""

from __future__ import annotations

import pytest

from tradecurbs.resources import bundled
from tradecurbs.sources import Fetcher, load_sources, replay_rewrite, replay_server, run_crawl


@pytest.fixture(scope="module")
def outcomes() -> dict:
    sf = load_sources(bundled("sample") / "sources.yml")
    with (
        replay_server(sf.replay) as base,
        Fetcher(rewrite=replay_rewrite(base), allow_loopback=True) as fetcher,
    ):
        return {s.id: (s, run_crawl(s, fetcher, publishers=sf.publishers)) for s in sf.sources}


def test_sample_covers_many_jurisdictions_and_languages(outcomes: dict) -> None:
    sources = [s for s, _ in outcomes.values()]
    assert len(sources) >= 16
    assert len({s.jurisdiction for s in sources if s.kind == "official"}) >= 12
    assert len({s.language.split("-")[0] for s in sources}) >= 9


def test_every_sample_source_yields_documents(outcomes: dict) -> None:
    empty = [source_id for source_id, (_, outcome) in outcomes.items() if outcome.n_new == 0]
    assert not empty, f"sources without an ok document: {empty}"
    for source, outcome in outcomes.values():
        for record in outcome.records:
            assert record.source_id == source.id and record.language == source.language
            if record.status == "ok":
                assert record.published_at is not None and record.text


def test_news_in_other_languages_keep_their_feed_dates(outcomes: dict) -> None:
    _, folha = outcomes["folhadocomercio"]
    (record,) = folha.records  # the advertisement item is not fetched
    assert record.published_at.isoformat() == "2021-09-06T22:42:40+00:00"  # "Seg, 06 Set 2021 19:42:40 -0300"
    _, handelsblick = outcomes["handelsblick"]
    assert [r.title for r in handelsblick.records] == [
        "EU-Staaten machen Weg für Zusatzzölle auf E-Autos aus China frei"
    ]
