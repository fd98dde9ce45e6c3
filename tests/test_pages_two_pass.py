"""Article pages to text: in parallel as in one process, and two-pass text with the careful-only events.

The two-pass path keeps a fast main text for pages where no trigger can match; these tests check that
the events extracted are those of the careful-only path on the embedded sample, on generated pages and
on the real news pages of ``../shared/realdata`` (skipped when that folder is absent), and that the
pages parsed in worker processes give what one process gives.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest
from resiliparse.parse.html import HTMLTree

from benchmarks import generate_corpus
from tests.conftest import SHARED
from tradecurbs.extraction import extract_document
from tradecurbs.extraction.keywords import keys_by_span, trigger_index
from tradecurbs.extraction.text import sentence_spans
from tradecurbs.resources import bundled
from tradecurbs.sources import Fetcher, load_sources, replay_rewrite, replay_server
from tradecurbs.sources.archive import RawArchive
from tradecurbs.sources.crawl import crawl_source
from tradecurbs.sources.encoding import decode_html
from tradecurbs.sources.pageparse import PageJob, PageParser
from tradecurbs.sources.pagetext import CAREFUL, TWO_PASS, _keyed, _matches, fast_texts, may_report, page_text
from tradecurbs.tasks import extract_rows

REAL_PAGES = sorted(
    p
    for folder in ("news_html", "cn_gov_html")
    for p in (SHARED / "realdata" / folder).rglob("*.html")
    if p.name != "expected.html"
)
needs_real_pages = pytest.mark.skipif(not REAL_PAGES, reason="../shared/realdata holds no news pages here")
# a report of a measure, in our own words, planted in real pages to send them down the careful path
PLANTED = (
    "<p>On 3 July 2023 China's Ministry of Commerce announced export controls on gallium and germanium, "
    "effective from 1 August 2023.</p>"
)


def _rows(records: list) -> list[dict]:
    """Crawled records as rows, without the fetch time (each crawl of the replay server has its own)."""
    rows = [asdict(r) for r in records]
    for row in rows:
        row.pop("fetched_at")
    return sorted(rows, key=lambda r: (r["url"], r["source_id"]))


def _crawl_sample(parser: PageParser) -> list[dict]:
    sf = load_sources(bundled("sample") / "sources.yml")
    with (
        replay_server(sf.replay) as base,
        Fetcher(rewrite=replay_rewrite(base), allow_loopback=True) as fetcher,
        parser,
    ):
        return _rows([r for s in sf.sources for r in crawl_source(s, fetcher, sf.publishers, parser)])


def _crawl_corpus(corpus: Path, parser: PageParser) -> list[dict]:
    sf = load_sources(corpus / "sources.yml")
    with Fetcher.from_archive(corpus / "raw") as fetcher, parser:
        return _rows([r for s in sf.sources for r in crawl_source(s, fetcher, sf.publishers, parser)])


def _events(rows: list[dict]) -> list[dict]:
    """The merged mentions of the ok rows (the pipeline's extract_rows), as comparable dicts."""
    return extract_rows([dict(r, fetched_at=None) for r in rows])


TEXT_FIELDS = ("text", "content_sha256", "n_chars")


def _same_but_text(careful: list[dict], two_pass: list[dict]) -> None:
    """Both crawls give the same documents: status, title, dates and the rest, all but the text."""

    def strip(rows: list[dict]) -> list[dict]:
        return [{k: v for k, v in r.items() if k not in TEXT_FIELDS} for r in rows]

    assert strip(two_pass) == strip(careful)


def _fast_share(careful: list[dict], two_pass: list[dict]) -> float:
    differ = sum(a["text"] != b["text"] for a, b in zip(careful, two_pass, strict=True))
    return differ / len(careful)


@pytest.fixture(scope="module")
def sample() -> dict[str, list[dict]]:
    return {
        "careful": _crawl_sample(PageParser(mode=CAREFUL)),
        "serial": _crawl_sample(PageParser()),
        "parallel": _crawl_sample(PageParser(workers=2, min_parallel=1)),
    }


def test_pages_parsed_in_workers_equal_the_serial_crawl(sample: dict) -> None:
    assert sample["parallel"] == sample["serial"]
    assert sum(r["status"] == "ok" for r in sample["serial"]) >= 80


def test_two_pass_keeps_every_event_of_the_sample(sample: dict) -> None:
    careful, two_pass = sample["careful"], sample["serial"]
    _same_but_text(careful, two_pass)
    assert _fast_share(careful, two_pass) > 0  # some sample pages report no measure: fast text
    events = _events(careful)
    assert events and _events(two_pass) == events


def test_two_pass_keeps_every_event_of_generated_pages(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    generate_corpus.generate_corpus(corpus, 160, seed=11)
    careful = _crawl_corpus(corpus, PageParser(mode=CAREFUL))
    two_pass = _crawl_corpus(corpus, PageParser(workers=2, min_parallel=1))
    assert len(two_pass) == 160 and all(r["status"] == "ok" for r in two_pass)
    _same_but_text(careful, two_pass)
    assert _fast_share(careful, two_pass) > 0.8  # about 5% of generated pages report a measure
    events = _events(careful)
    assert events and _events(two_pass) == events


def _document(path: Path, html: str, mode: str) -> tuple[dict, bool]:
    """The extractor's input for a real page read in ``mode``, and whether the careful text made it."""
    url = f"https://news.example/{path.parent.name}/{path.stem}"
    found = page_text(html, url, mode=mode)
    article = found.article
    assert article is not None, f"no text in {path}"
    published = article.published_at.date().isoformat() if article.published_at else "2024-01-01"
    doc = {"id": url, "url": url, "title": article.title or "", "text": article.text, "published": published}
    return {**doc, "source_kind": "news"}, found.careful


@needs_real_pages
@pytest.mark.parametrize("plant", [False, True], ids=["as-is", "planted-report"])
def test_two_pass_keeps_every_event_of_real_pages(plant: bool) -> None:
    fast = 0
    for path in REAL_PAGES:
        html = path.read_text(encoding="utf-8", errors="replace")
        if plant:
            html = html.replace("</body>", PLANTED + "</body>", 1)
        careful, _ = _document(path, html, CAREFUL)
        two_pass, was_careful = _document(path, html, TWO_PASS)
        fast += not was_careful
        assert (two_pass["title"], two_pass["published"]) == (careful["title"], careful["published"]), path
        assert extract_document(two_pass) == extract_document(careful), path
    if not plant:
        assert fast > 0  # most real news pages report no measure


@needs_real_pages
def test_real_pages_parsed_in_workers_equal_the_serial_parse() -> None:
    jobs = [
        PageJob(f"https://news.example/{p.stem}", p.read_text(encoding="utf-8", errors="replace"))
        for p in REAL_PAGES
    ]
    with PageParser(workers=2, min_parallel=1) as parallel:
        assert parallel.parse(jobs) == PageParser().parse(jobs)


def test_a_page_that_breaks_the_parser_fails_alone() -> None:
    jobs = [
        PageJob("https://news.example/a", "<html><body><p>Fine text about harbours.</p></body></html>"),
        PageJob("", None),
    ]  # type: ignore[arg-type]
    good, bad = PageParser().parse(jobs)
    assert good.error is None and bad.text is None and bad.error and bad.error.startswith("AttributeError")


class _BrokenParser(PageParser):
    """A parser whose pool breaks on every batch."""

    def parse(self, jobs):  # type: ignore[no-untyped-def]
        raise RuntimeError("worker died")


def test_a_broken_parser_fails_its_pages_and_loses_none() -> None:
    rows = _crawl_sample(_BrokenParser())
    pages = [r for r in rows if r["error"] and "worker died" in r["error"]]
    assert len(pages) >= 50 and all(r["status"] == "failed" for r in pages)


def _every_pair_may_report(text: str, titles: tuple[str | None, ...]) -> bool:
    """The trigger test without its shortcuts: every pair of consecutive sentences with a keyword is
    tested, none remembered, no keyword set ruled out before its text is read."""
    index = trigger_index()
    if any(title and _matches(title, *_keyed(index.scan(title))) for title in titles):
        return True
    folded, hits = index.scan(text)
    spans = sentence_spans(text)
    keyed = keys_by_span(hits, spans)
    keys = [keyed.get(n, set()) for n in range(len(spans) + 1)]
    spans.append((len(text), len(text)))
    for n in range(len(spans) - 1):
        both = keys[n] | keys[n + 1]
        start, end = spans[n][0], spans[n + 1][1]
        if both and index.rules(both) and _matches(text[start:end], folded[start:end], both):
            return True
    return False


def _visible_texts(htmls: list[str]) -> list[str]:
    return [fast_texts(HTMLTree.parse(html))[1] for html in htmls]


def test_the_trigger_test_answers_as_testing_every_pair_does(tmp_path: Path) -> None:
    """``may_report`` (pairs remembered, keyword sets that meet no rule's gate passed over) sends to the
    careful extractor exactly the pages a test of every sentence pair sends there: generated pages, real
    pages, and both with a report planted."""
    corpus = tmp_path / "corpus"
    generate_corpus.generate_corpus(corpus, 120, seed=31)
    archive = RawArchive(corpus / "raw")
    htmls = [
        decode_html(archive.body(e["sha256"]), e["headers"].get("content-type"))
        for e in archive.entries()
        if "html" in e["headers"].get("content-type", "")
    ]
    htmls += [p.read_text(encoding="utf-8", errors="replace") for p in REAL_PAGES]
    texts = _visible_texts(htmls + [html.replace("</body>", PLANTED + "</body>", 1) for html in htmls])
    answers = [may_report(text) for text in texts]
    assert answers == [_every_pair_may_report(text, ()) for text in texts]
    assert 0 < sum(answers) < len(answers)
