"""Pages to text as the crawl does it: careful-only, two-pass, and two-pass in worker processes.

Usage::

    python -m benchmarks.parse_pages --corpus /tmp/corpus --workers 2 [--out parse.json]

Crawls every source of a generated corpus (``benchmarks.generate_corpus``) from its raw archive with a
``PageParser`` in each mode, and reports wall seconds, CPU seconds (this process and its workers) and
pages per CPU-second, next to what trafilatura alone needs for the same pages on one core (its CPU time
per page on a sample of them, times the number of pages). Each mode must yield the same documents but
for the text of pages that report no measure (checked here: status, title and dates).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import overhead


def _cpu() -> float:
    """CPU seconds of this process and of its finished children."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def crawl(corpus: Path, workers: int, mode: str) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """(timings, rows without text) of one crawl of the corpus."""
    from tradecurbs.sources import Fetcher, load_sources
    from tradecurbs.sources.crawl import crawl_source
    from tradecurbs.sources.pageparse import PageParser

    sources_file = load_sources(corpus / "sources.yml")
    wall, cpu = time.perf_counter(), _cpu()
    rows = []
    with Fetcher.from_archive(corpus / "raw") as fetcher, PageParser(workers, mode) as pages:
        for source in sources_file.sources:
            rows += [asdict(r) for r in crawl_source(source, fetcher, sources_file.publishers, pages)]
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    kept = sorted(
        ({k: v for k, v in r.items() if k not in ("text", "content_sha256", "n_chars")} for r in rows),
        key=lambda r: r["url"],
    )
    n = len(rows)
    return {
        "pages": n,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "pages_per_cpu_s": round(n / cpu),
    }, kept


def main(argv: list[str] | None = None) -> None:
    from tradecurbs.sources.pagetext import CAREFUL, TWO_PASS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="a generated corpus folder")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample", type=int, default=300, help="pages timed for trafilatura alone")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    baseline = overhead.measure(args.corpus / "raw", args.sample)["per_page"]["trafilatura"]["cpu_ms"]
    report: dict[str, Any] = {"trafilatura_cpu_ms_per_page": baseline, "runs": {}}
    reference = None
    for name, workers, mode in (
        ("careful", 1, CAREFUL),
        ("two_pass", 1, TWO_PASS),
        (f"two_pass_{args.workers}_workers", args.workers, TWO_PASS),
    ):
        timings, rows = crawl(args.corpus, workers, mode)
        reference = reference or rows
        timings["same_documents"] = rows == reference
        timings["wall_vs_trafilatura_alone"] = round(
            timings["wall_s"] / (baseline / 1000 * timings["pages"]), 3
        )
        report["runs"][name] = timings
        print(name, timings)
    if args.out:
        args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
