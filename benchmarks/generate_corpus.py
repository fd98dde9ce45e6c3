"""Write a synthetic corpus of N news pages and official notices into a raw archive, deterministically.

Usage::

    python -m benchmarks.generate_corpus --n 10000 --seed 7 --out /tmp/tradecurbs-bench/corpus

Writes under ``--out``: ``raw/`` (a RawArchive: article pages, RSS/Atom feed pages and robots.txt of
every host), ``sources.yml`` (the feeds that would crawl them, one source per feed page),
``truth.jsonl`` (for each page that reports a measure: which catalogue event, its kind, imposer and
targets) and ``corpus.json`` (counts and settings, written last: its presence marks a complete corpus).

Every page is drawn from ``(seed, page number)`` alone and written at once, so memory stays flat
whatever N. About 5% of pages report a measure; the catalogue holds about one event per two such
pages, so most events are reported more than once, by different outlets and in different words,
and some by the imposer's own notice.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TextIO

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpus import events, pages, prose, vocab
from tradecurbs.sources.archive import RawArchive

EVENT_SHARE = 0.05
REPORTS_PER_EVENT = 2.0
NOTICE_SHARE = 0.12
FEED_PAGE_ITEMS = 1000
CRAWL_START = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
ORDINARY_DAYS = (dt.date(2012, 1, 1), dt.date(2026, 1, 20))
NEUTRAL_STANDFIRSTS = (
    "What the decision means for buyers and suppliers.",
    "Officials and traders weigh the consequences.",
    "The details, and the reaction so far.",
    "A closer look at the decision and what comes next.",
)


@dataclass
class _Doc:
    """One generated page, ready to archive and to list in a feed."""

    host: str
    feed_key: tuple[str, str]
    url: str
    title: str
    description: str
    published: dt.datetime
    body: bytes
    content_type: str
    truth: dict[str, Any] | None = None


@dataclass
class _Feeds:
    """Open feed pages, flushed to the archive as they fill; sources are appended to the sources file."""

    archive: RawArchive
    sources: TextIO
    tag: str
    items: dict[tuple[str, str], list[tuple[str, str, dt.datetime, str]]] = field(default_factory=dict)
    page_no: dict[tuple[str, str], int] = field(default_factory=dict)
    count: int = 0

    def add(self, key: tuple[str, str], item: tuple[str, str, dt.datetime, str]) -> None:
        batch = self.items.setdefault(key, [])
        batch.append(item)
        if len(batch) >= FEED_PAGE_ITEMS:
            self.flush(key)

    def flush(self, key: tuple[str, str]) -> None:
        batch = self.items.pop(key, [])
        if not batch:
            return
        host, section = key
        self.page_no[key] = number = self.page_no.get(key, 0) + 1
        outlet = _OUTLET_BY_HOST.get(host)
        gazette = _GAZETTE_BY_HOST.get(host)
        name = outlet.name if outlet else gazette.name  # type: ignore[union-attr]
        suffix = f"-{self.tag}" if self.tag else ""
        atom = outlet is not None and outlet.id == "pacificrim"
        url = f"https://{host}/feeds/{section}{suffix}.{'atom' if atom else 'xml'}?page={number}"
        link = f"https://{host}/{section}"
        text = (pages.atom_feed if atom else pages.rss_feed)(f"{name} | {section}", link, batch)
        ctype = "application/atom+xml" if atom else "application/rss+xml"
        _archive(self.archive, url, text.encode("utf-8"), ctype, CRAWL_START)
        source_id = (
            f"{(outlet.id if outlet else 'gazette_' + gazette.code.lower())}_{section}{suffix}_{number}"  # type: ignore[union-attr]
        )
        kind = "news" if outlet else "official"
        timezone = outlet.timezone if outlet else "UTC"
        self.sources.write(
            f"  - id: {source_id.replace('-', '_')}\n    connector: news_feed\n"
            f"    publisher: {json.dumps(name)}\n"
            f"    kind: {kind}\n    language: en\n    url: {json.dumps(url)}\n    timezone: {timezone}\n"
        )
        self.count += 1

    def close(self) -> None:
        for key in sorted(self.items):
            self.flush(key)


_OUTLET_BY_HOST = {o.host: o for o in vocab.OUTLETS}
_GAZETTE_BY_HOST = {g.host: g for g in vocab.GAZETTES.values()}


def _archive(archive: RawArchive, url: str, body: bytes, content_type: str, when: dt.datetime) -> str:
    return archive.add(
        url=url,
        fetched_url=url,
        status=200,
        headers={"content-type": content_type},
        fetched_at=when,
        body=body,
    )


def catalogue_size(base_n: int) -> int:
    """Number of distinct events for a corpus of ``base_n`` pages."""
    return max(1, round(base_n * EVENT_SHARE / REPORTS_PER_EVENT))


@lru_cache(maxsize=8192)
def _spec(seed: int, key: int) -> events.EventSpec:
    return events.event_spec(seed, key)


def _slug(title: str) -> str:
    words = "".join(c.lower() if c.isalnum() else " " for c in title).split()
    return "-".join(words[:8]) or "story"


def _words(rng: random.Random) -> int:
    return max(150, min(2200, int(rng.lognormvariate(6.4, 0.45))))


def _encode(text: str, rng: random.Random) -> tuple[bytes, str, str]:
    """Page bytes and Content-Type: mostly UTF-8 declared in the header, some only in the page."""
    draw = rng.random()
    if draw < 0.03:
        return text.encode("utf-8"), "text/html", "utf-8"
    if draw < 0.05:
        page = text.replace('<meta charset="utf-8">', '<meta charset="windows-1252">', 1)
        return page.encode("cp1252", errors="replace"), "text/html; charset=windows-1252", "windows-1252"
    return text.encode("utf-8"), "text/html; charset=utf-8", "utf-8"


def _news_doc(seed: int, i: int, rng: random.Random, spec: events.EventSpec | None) -> _Doc:
    outlet = rng.choice(vocab.OUTLETS)
    section = rng.choice(outlet.sections)
    author = f"{rng.choice(vocab.FIRST_NAMES)} {rng.choice(vocab.LAST_NAMES)}"
    words = _words(rng)
    if spec is None:
        topic = rng.choice(sorted(prose.TOPICS))
        title = prose.topic_title(topic, rng)
        paras = prose.paragraphs(topic, rng, words)
        description = paras[0].split(". ")[0].rstrip(".") + "."
        day = ORDINARY_DAYS[0] + dt.timedelta(days=rng.randrange((ORDINARY_DAYS[1] - ORDINARY_DAYS[0]).days))
    else:
        title, lead = events.news_lead(spec, rng)
        paras = [" ".join([lead, *prose.event_context(rng, rng.randint(1, 2))])]
        paras.append(" ".join(prose.event_context(rng, rng.randint(2, 3))))
        paras += prose.paragraphs(rng.choice(("economy", "markets", "ports")), rng, max(60, words - 120))
        description = rng.choice(NEUTRAL_STANDFIRSTS)
        day = spec.announced + dt.timedelta(days=rng.choice((0, 0, 1, 1, 2, 3)))
    published = dt.datetime.combine(day, dt.time(rng.randint(5, 22), rng.randrange(60)), dt.UTC)
    ext = ".html" if outlet.skin in ("ml", "nb") else ""
    url = f"https://{outlet.host}/{section}/{day:%Y/%m/%d}/{_slug(title)}-{i}{ext}"
    page = pages.Page(url, title, description, paras, published, author, section)
    text = pages.news_page(outlet, page, seed, rng)
    body, ctype, _ = _encode(text, rng)
    return _Doc(outlet.host, (outlet.host, section), url, title, description, published, body, ctype)


def _notice_doc(i: int, rng: random.Random, spec: events.EventSpec) -> _Doc:
    gazette = vocab.GAZETTES[spec.imposer]
    number = 1 + i % 97
    title, paras = events.notice_text(spec, rng, number)
    published = dt.datetime.combine(spec.announced, dt.time(9, 0), dt.UTC)
    url = f"https://{gazette.host}/notices/{spec.announced.year}/announcement-{number}-{i}.html"
    page = pages.Page(url, title, paras[2][:160], paras, published, gazette.name, "notices")
    body = pages.notice_page(gazette, page, rng).encode("utf-8")
    return _Doc(
        gazette.host,
        (gazette.host, "notices"),
        url,
        title,
        page.description,
        published,
        body,
        "text/html; charset=utf-8",
    )


def _page_rng(seed: int, i: int) -> random.Random:
    return random.Random(f"{seed}:doc:{i}")


def reports_event(seed: int, i: int) -> bool:
    """Whether page ``i`` of the corpus of ``seed`` reports a measure (its first draw)."""
    return _page_rng(seed, i).random() < EVENT_SHARE


def make_document(seed: int, i: int, n_events: int) -> _Doc:
    """Page number ``i`` of the corpus drawn from ``seed`` (events drawn from ``n_events``)."""
    rng = _page_rng(seed, i)
    if rng.random() >= EVENT_SHARE:
        return _news_doc(seed, i, rng, None)
    key = rng.randrange(n_events)
    spec = _spec(seed, key)
    official = (
        spec.kind != "service_refusal" and spec.imposer in vocab.GAZETTES and rng.random() < NOTICE_SHARE
    )
    doc = _notice_doc(i, rng, spec) if official else _news_doc(seed, i, rng, spec)
    doc.truth = {
        "url": doc.url,
        "event": key,
        "kind": spec.kind,
        "imposer": spec.imposer,
        "targets": list(spec.targets),
        "official": official,
    }
    return doc


def corpus_complete(out_dir: Path, n: int, seed: int, start: int = 0) -> bool:
    """Whether ``out_dir`` holds a finished corpus made with these settings."""
    info = out_dir / "corpus.json"
    if not info.exists():
        return False
    data = json.loads(info.read_text(encoding="utf-8"))
    return (data.get("n"), data.get("seed"), data.get("start")) == (n, seed, start)


def generate_corpus(
    out_dir: str | Path,
    n: int,
    seed: int = 7,
    *,
    start: int = 0,
    catalogue_n: int | None = None,
    tag: str = "",
) -> dict[str, Any]:
    """Write pages ``start .. start+n-1`` of the corpus of ``seed``; return the summary in corpus.json.

    ``catalogue_n`` sizes the event catalogue (default ``n``): an incremental batch passes the base
    corpus's size so that its pages report the same events. ``tag`` names its feed pages apart.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "corpus.json").unlink(missing_ok=True)
    raw = out / "raw"
    if raw.exists():
        import shutil

        shutil.rmtree(raw)
    archive = RawArchive(raw)
    n_events = catalogue_size(catalogue_n or n)
    t0 = time.perf_counter()
    counts = {"documents": 0, "event_documents": 0, "notices": 0, "bytes": 0}
    hosts: set[str] = set()
    with (
        (out / "sources.yml").open("w", encoding="utf-8") as sources,
        (out / "truth.jsonl").open("w", encoding="utf-8") as truth,
    ):
        publishers = {o.host: o.name for o in vocab.OUTLETS} | {
            g.host: g.name for g in vocab.GAZETTES.values()
        }
        sources.write(f"# Synthetic benchmark corpus: seed {seed}, pages {start}..{start + n - 1}.\n")
        sources.write("# Every response is in raw/ (a tradecurbs raw archive); no site is live.\n")
        sources.write("publishers:\n" + "".join(f"  {h}: {json.dumps(p)}\n" for h, p in publishers.items()))
        sources.write("sources:\n")
        feeds = _Feeds(archive, sources, tag)
        for i in range(start, start + n):
            doc = make_document(seed, i, n_events)
            if doc.host not in hosts:
                hosts.add(doc.host)
                robots = pages.robots_txt(doc.host).encode("utf-8")
                _archive(archive, f"https://{doc.host}/robots.txt", robots, "text/plain", CRAWL_START)
            fetched = CRAWL_START + dt.timedelta(seconds=(i - start) * 0.5)
            _archive(archive, doc.url, doc.body, doc.content_type, fetched)
            feeds.add(doc.feed_key, (doc.title, doc.url, doc.published, doc.description))
            counts["documents"] += 1
            counts["bytes"] += len(doc.body)
            if doc.truth is not None:
                counts["event_documents"] += 1
                counts["notices"] += int(doc.truth["official"])
                truth.write(json.dumps(doc.truth) + "\n")
        feeds.close()
    summary = {
        "n": n,
        "seed": seed,
        "start": start,
        "catalogue_events": n_events,
        **counts,
        "mean_page_bytes": round(counts["bytes"] / max(1, n)),
        "feeds": feeds.count,
        "hosts": len(hosts),
        "generate_s": round(time.perf_counter() - t0, 2),
    }
    (out / "corpus.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> int:
    """Command line: generate one corpus."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True, help="number of pages")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--start", type=int, default=0, help="number of the first page")
    parser.add_argument("--catalogue-n", type=int, default=None, help="size the event catalogue for this N")
    parser.add_argument("--tag", default="", help="suffix of feed names (for an incremental batch)")
    args = parser.parse_args(argv)
    summary = generate_corpus(
        args.out, args.n, args.seed, start=args.start, catalogue_n=args.catalogue_n, tag=args.tag
    )
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
