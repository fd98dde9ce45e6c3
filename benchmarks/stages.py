"""The pipeline's stages as the benchmark runs and times them, each a call into tradecurbs' own code.

parse     crawl every source of the corpus from its raw archive: feeds, then each page decoded and
          turned into text (``crawl_source`` with an archive-backed fetcher; ``workers`` processes)
extract   the rule-based extractor over every ok document (``extract_many`` when the extraction
          package has it and ``workers`` > 1, else one process)
merge     mentions stamped with their document and merged into events (``assign_events``)
build     staged Parquet written, SQL models built on DuckDB, tables exported (``build_tables``)
validate  Great Expectations suites from the contracts (``validate_release``)
publish   a release written atomically (``publish_release``)

An incremental run keeps what the full run learnt (the staged documents, and each document's
extractor output) and parses and extracts only the new pages; merge, build, validate and publish
run over everything, as they must for a consistent release.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import pickle
import resource
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from tradecurbs.settings import DataPaths

STATE_FILE = "bench_state.pkl"
QUIET_LOGGERS = ("trafilatura", "htmldate", "tradecurbs", "great_expectations", "charset_normalizer")


def quiet_logs() -> None:
    """Keep per-page warnings of the libraries (and of failed pages) off the console."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


def cpu_seconds() -> float:
    """CPU seconds (user and system) of this process, of its children that have ended, and of every live
    descendant with the children it has reaped: the workers of ``tradecurbs.workerpool`` are forked by a
    server process that lives as long as this one, so their time never reaches RUSAGE_CHILDREN here."""
    import psutil

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    for process in psutil.Process().children(recursive=True):
        try:
            t = process.cpu_times()
        except psutil.Error:  # ended (and reaped) since it was listed: counted above or by its parent
            continue
        total += t.user + t.system + t.children_user + t.children_system
    return total


@dataclass
class Timings:
    """Wall and CPU seconds per stage, in the order they ran, and counts that go with them.

    CPU seconds include worker processes (``cpu_seconds``), so under a busy machine they show
    the work a stage needs while wall seconds show what the machine could give it.
    """

    seconds: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t0, c0 = time.perf_counter(), cpu_seconds()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - t0
            self.cpu[name] = self.cpu.get(name, 0.0) + cpu_seconds() - c0


# -- parse ----------------------------------------------------------------------------------------


class _ArchiveFetcher:
    """Stand-in for ``Fetcher.from_archive`` where the sources package has none: GETs from the index."""

    state = None

    def __init__(self, raw_dir: Path) -> None:
        from tradecurbs.sources.archive import RawArchive

        self.archive = RawArchive(raw_dir)
        self.index = {e["url"]: e for e in self.archive.entries()}

    def get(self, url: str) -> Any:
        import datetime as dt

        import httpx

        from tradecurbs.sources.fetch import FetchError, FetchResult

        entry = self.index.get(url)
        if entry is None:
            raise FetchError(f"no archived response for {url}")
        return FetchResult(
            url=url,
            final_url=url,
            status=entry["status"],
            headers=httpx.Headers(entry["headers"]),
            content=self.archive.body(entry["sha256"]),
            fetched_at=dt.datetime.fromisoformat(entry["fetched_at"]),
        )

    def close(self) -> None:
        """Nothing to release."""


def archive_fetcher(raw_dir: Path) -> Any:
    """A fetcher answering from the raw archive: the project's own when it has one."""
    from tradecurbs.sources.fetch import Fetcher

    if hasattr(Fetcher, "from_archive"):
        return Fetcher.from_archive(raw_dir)
    return _ArchiveFetcher(raw_dir)


_WORKER: dict[str, Any] = {}


def _init_worker(raw_dir: str, publishers: dict[str, str]) -> None:
    quiet_logs()
    _WORKER["fetcher"] = archive_fetcher(Path(raw_dir))
    _WORKER["publishers"] = publishers


def _crawl_one(source: Any) -> list[dict[str, Any]]:
    from tradecurbs.sources.crawl import crawl_source

    records = crawl_source(source, _WORKER["fetcher"], publishers=_WORKER["publishers"])
    return [_as_row(r) for r in records]


def _as_row(record: Any) -> dict[str, Any]:
    """A record as a dict: ``as_dict`` where the tree's records have it (no deep copy of each value)."""
    if hasattr(record, "as_dict"):
        return record.as_dict()
    return asdict(record) if is_dataclass(record) else dict(record)


def _load_parsers() -> None:
    """Import the crawl's parsers and build the extractor's trigger index (where the tree has one)."""
    from tradecurbs.sources import crawl  # noqa: F401  (resiliparse, trafilatura, feedparser, lxml)

    try:
        from tradecurbs.extraction.keywords import trigger_index
    except ImportError:
        return
    trigger_index()


def crawl_corpus(corpus_dir: Path, workers: int = 1) -> list[dict[str, Any]]:
    """Every document of a corpus, crawled from its raw archive, as document rows (with ``text``)."""
    from tradecurbs.sources import load_sources

    sources_file = load_sources(corpus_dir / "sources.yml")
    raw = str(corpus_dir / "raw")
    rows: list[dict[str, Any]] = []
    if workers <= 1:
        _init_worker(raw, sources_file.publishers)
        for source in sources_file.sources:
            rows.extend(_crawl_one(source))
    else:
        _load_parsers()  # once, here: the forked workers inherit them
        ctx = mp.get_context("fork")
        with ctx.Pool(workers, initializer=_init_worker, initargs=(raw, sources_file.publishers)) as pool:
            for batch in pool.imap_unordered(_crawl_one, sources_file.sources):
                rows.extend(batch)
    rows.sort(key=lambda r: (r["document_id"], r["source_id"]))
    return rows


# -- extract and merge ----------------------------------------------------------------------------


def good_documents(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ok documents, one per id, in id order (as the pipeline extracts them)."""
    seen: set[str] = set()
    out = []
    for row in sorted(rows, key=lambda r: r["document_id"]):
        if row["status"] == "ok" and row["document_id"] not in seen:
            seen.add(row["document_id"])
            out.append(row)
    return out


def parallel_extractor() -> Callable[..., list[list[dict[str, Any]]]] | None:
    """``extract_many(docs, workers=...)`` of the extraction package, when it exists."""
    try:
        from tradecurbs.extraction.parallel import extract_many
    except ImportError:
        return None
    return extract_many


def extract_documents(good: list[dict[str, Any]], workers: int = 1) -> list[list[dict[str, Any]]]:
    """The extractor's mentions of each document, in order."""
    from tradecurbs.extraction import extract_document
    from tradecurbs.tasks import _document_input

    inputs = [_document_input(r) for r in good]
    many = parallel_extractor()
    if many is not None and workers > 1 and len(inputs) > 1:
        return many(inputs, workers=workers)
    return [extract_document(d) for d in inputs]


def merge_mentions(
    good: list[dict[str, Any]], per_document: list[list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """Mentions stamped with their document and merged into events, as mentions-contract rows."""
    from tradecurbs import tasks

    if hasattr(tasks, "merge_mentions"):
        return tasks.merge_mentions(good, per_document)
    from tradecurbs.extraction import EXTRACTOR_VERSION
    from tradecurbs.warehouse.merge import assign_events

    mentions = []
    for row, found in zip(good, per_document, strict=True):
        published = row.get("published_at")
        for mention in found:
            mention.update(
                document_id=row["document_id"],
                url=row["url"],
                published_on=published.date() if published is not None else None,
                extractor_version=EXTRACTOR_VERSION,
            )
            mentions.append(mention)
    unique = {m["mention_id"]: m for m in assign_events(mentions, tasks.generic_products())}
    return [unique[k] for k in sorted(unique)]


# -- build, validate, publish ---------------------------------------------------------------------


def stage_documents(rows: list[dict[str, Any]], paths: DataPaths) -> Path:
    """Write the documents (with text) to the staging area."""
    from tradecurbs.warehouse.build import STAGED_DOCUMENTS, write_staged_documents

    path = paths.staged / STAGED_DOCUMENTS
    write_staged_documents(rows, path)
    return path


def append_documents(rows: list[dict[str, Any]], paths: DataPaths) -> Path:
    """Add new document rows to the staged documents, kept in id order, without reading them as rows."""
    from tradecurbs.warehouse.build import STAGED_DOCUMENTS, staged_documents_schema

    path = paths.staged / STAGED_DOCUMENTS
    schema = staged_documents_schema()
    new = pa.Table.from_pylist([{n: r.get(n) for n in schema.names} for r in rows], schema=schema)
    old = pq.read_table(path, schema=schema)
    known = set(old.column("document_id").to_pylist())
    keep = pa.array([d not in known for d in new.column("document_id").to_pylist()], pa.bool_())
    table = pa.concat_tables([old, new.filter(keep)]).sort_by([("document_id", "ascending")])
    pq.write_table(table, path, compression="zstd")
    return path


@contextmanager
def data_tests_recorded(failures: list[str]) -> Iterator[None]:
    """Let a build whose data tests fail go on (recording the failures), so later stages can be timed."""
    try:
        from tradecurbs.warehouse import datatests
    except ImportError:  # a tree without data tests
        yield
        return
    original = datatests.check

    def check(*args: Any, **kwargs: Any) -> Any:
        try:
            return original(*args, **kwargs)
        except datatests.DataTestFailed as exc:
            failures.append(str(exc))
            return None

    datatests.check = check
    try:
        yield
    finally:
        datatests.check = original


def build(
    paths: DataPaths, mentions: list[dict[str, Any]], failures: list[str] | None = None
) -> dict[str, pa.Table]:
    """Stage the mentions, build the models on DuckDB (and their data tests), export the tables."""
    from tradecurbs.warehouse.build import STAGED_MENTIONS, build_tables, write_staged_mentions

    write_staged_mentions(mentions, paths.staged / STAGED_MENTIONS)
    with data_tests_recorded(failures if failures is not None else []):
        return build_tables(paths.staged, paths.warehouse)


def validate(
    tables: dict[str, pa.Table], paths: DataPaths, label: str, data_docs: bool = True
) -> tuple[Path, Any]:
    """Validate the tables against the latest release's counts; returns (report folder, outcome)."""
    from tradecurbs.releases import latest_release, read_index
    from tradecurbs.validation import validate_release

    previous = None
    if latest_release(paths.releases) is not None:
        index = read_index(paths.releases)
        previous = next(r["row_counts"] for r in index["releases"] if r["version"] == index["latest"])
    report_dir = paths.validation / label
    if report_dir.exists():
        shutil.rmtree(report_dir)
    frames = {name: table.to_pandas() for name, table in tables.items()}
    outcome = validate_release(frames, previous, report_dir, data_docs=data_docs)
    return report_dir, outcome


def publish(tables: dict[str, pa.Table], paths: DataPaths, report_dir: Path) -> Any:
    """Publish the tables as a new release."""
    from tradecurbs.releases import publish_release

    return publish_release(paths.releases, tables, extra_dirs={"validation": report_dir})


# -- runs -----------------------------------------------------------------------------------------


@dataclass
class RunResult:
    """What a run did and how long each stage took."""

    timings: Timings
    rows: list[dict[str, Any]]
    good: list[dict[str, Any]]
    mentions: list[dict[str, Any]]
    tables: dict[str, pa.Table]
    outcome: Any
    release: Any
    data_test_failures: list[str] = field(default_factory=list)


def _finish(
    paths: DataPaths, t: Timings, good: list, per_doc: list, label: str, data_docs: bool, failures: list[str]
) -> tuple:
    with t.stage("merge"):
        mentions = merge_mentions(good, per_doc)
    with t.stage("build"):
        tables = build(paths, mentions, failures)
    with t.stage("validate"):
        report_dir, outcome = validate(tables, paths, label, data_docs)
    release = None
    with t.stage("publish"):
        if outcome.success:
            release = publish(tables, paths, report_dir)
    t.counts.update(
        mentions=len(mentions),
        events=tables["events"].num_rows,
        validation_ok=int(bool(outcome.success)),
    )
    return mentions, tables, outcome, release


def _save_state(paths: DataPaths, good: list[dict[str, Any]], per_doc: list[list[dict[str, Any]]]) -> None:
    """Keep, for each document that has mentions, its row (without text) and the extractor's output."""
    keep = [
        ({k: v for k, v in row.items() if k != "text"}, [dict(m) for m in found])
        for row, found in zip(good, per_doc, strict=True)
        if found
    ]
    with (paths.root / STATE_FILE).open("wb") as fh:
        pickle.dump(keep, fh, protocol=pickle.HIGHEST_PROTOCOL)


def full_run(corpus_dir: Path, data_dir: Path, workers: int = 1, data_docs: bool = True) -> RunResult:
    """Raw archive to release: every stage over the whole corpus, from an empty data folder."""
    if data_dir.exists():
        shutil.rmtree(data_dir)
    paths = DataPaths(data_dir).create()
    t = Timings()
    with t.stage("parse"):
        rows = crawl_corpus(corpus_dir, workers)
    with t.stage("build"):
        stage_documents(rows, paths)
    good = good_documents(rows)
    with t.stage("extract"):
        per_doc = extract_documents(good, workers)
    _save_state(paths, good, per_doc)
    t.counts.update(
        documents=len(rows), ok_documents=len(good), documents_with_mentions=sum(map(bool, per_doc))
    )
    failures: list[str] = []
    mentions, tables, outcome, release = _finish(paths, t, good, per_doc, "full", data_docs, failures)
    return RunResult(t, rows, good, mentions, tables, outcome, release, failures)


def incremental_run(delta_dir: Path, data_dir: Path, workers: int = 1, data_docs: bool = True) -> RunResult:
    """Add a batch of new pages to the state a full run left in ``data_dir``; a new release over all."""
    paths = DataPaths(data_dir).create()
    t = Timings()
    with t.stage("parse"):
        rows = crawl_corpus(delta_dir, workers)
    with t.stage("build"):
        append_documents(rows, paths)
    with t.stage("merge"), (paths.root / STATE_FILE).open("rb") as fh:
        kept = pickle.load(fh)
    known = {row["document_id"] for row, _ in kept}
    new_good = [r for r in good_documents(rows) if r["document_id"] not in known]
    with t.stage("extract"):
        new_per_doc = extract_documents(new_good, workers)
    good = [row for row, _ in kept] + new_good
    per_doc = [found for _, found in kept] + new_per_doc
    order = sorted(range(len(good)), key=lambda i: good[i]["document_id"])
    good, per_doc = [good[i] for i in order], [per_doc[i] for i in order]
    t.counts.update(
        documents=len(rows), ok_documents=len(new_good), documents_with_mentions=sum(map(bool, new_per_doc))
    )
    failures: list[str] = []
    mentions, tables, outcome, release = _finish(paths, t, good, per_doc, "incremental", data_docs, failures)
    return RunResult(t, rows, new_good, mentions, tables, outcome, release, failures)
