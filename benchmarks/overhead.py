"""HTML-to-text overhead: our page parse against trafilatura's own time on the same pages.

Ours is what the crawl does per page: ``decode_html`` on the bytes, then ``pagetext.page_text`` (the
two-pass text, title and date); ``careful`` is the careful path alone (``extract_article``). The
baseline is ``trafilatura.extract`` on the decoded page with the options our call uses (fast, tables,
no comments, no metadata); a second baseline adds the metadata pass that ``extract_article`` used to
request (``with_metadata=True`` and its date options). The four are timed in alternation, chunk by
chunk, in one process, on CPU time and wall time.
"""

from __future__ import annotations

import logging
import statistics
import time
from pathlib import Path
from typing import Any

CHUNK = 25
ROUNDS = 3


def sample_pages(raw_dir: Path, limit: int) -> list[tuple[str, bytes, str]]:
    """The first ``limit`` HTML pages of an archive, as (url, body, content type)."""
    from tradecurbs.sources.archive import RawArchive

    archive = RawArchive(raw_dir)
    pages = []
    for entry in archive.entries():
        ctype = entry["headers"].get("content-type", "")
        if ctype.startswith("text/html"):
            pages.append((entry["url"], archive.body(entry["sha256"]), ctype))
            if len(pages) >= limit:
                break
    return pages


def _timed(fn: Any, items: list[Any]) -> tuple[float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    for item in items:
        fn(item)
    return time.perf_counter() - t0, time.process_time() - c0


def measure(raw_dir: Path, limit: int = 1000) -> dict[str, Any]:
    """Median over rounds of CPU and wall seconds per page for ours and both baselines, and the ratios."""
    import trafilatura

    from tradecurbs.sources.article import extract_article
    from tradecurbs.sources.encoding import decode_html
    from tradecurbs.sources.pagetext import page_text

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    pages = sample_pages(raw_dir, limit)
    decoded = [(url, decode_html(body, ctype)) for url, body, ctype in pages]

    def ours(page: tuple[str, bytes, str]) -> None:
        url, body, ctype = page
        page_text(decode_html(body, ctype), url, None)

    def careful(page: tuple[str, bytes, str]) -> None:
        url, body, ctype = page
        extract_article(decode_html(body, ctype), url, None)

    def text_only(page: tuple[str, str]) -> None:
        trafilatura.extract(page[1], url=page[0], fast=True, include_comments=False, include_tables=True)

    def with_metadata(page: tuple[str, str]) -> None:
        trafilatura.extract(
            page[1],
            url=page[0],
            fast=True,
            include_comments=False,
            include_tables=True,
            with_metadata=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )

    runs: dict[str, list[tuple[float, float]]] = {
        "ours": [],
        "careful": [],
        "trafilatura": [],
        "trafilatura_metadata": [],
    }
    for _ in range(ROUNDS):
        totals = {name: [0.0, 0.0] for name in runs}
        for start in range(0, len(pages), CHUNK):
            for name, fn, items in (
                ("ours", ours, pages[start : start + CHUNK]),
                ("careful", careful, pages[start : start + CHUNK]),
                ("trafilatura", text_only, decoded[start : start + CHUNK]),
                ("trafilatura_metadata", with_metadata, decoded[start : start + CHUNK]),
            ):
                wall, cpu = _timed(fn, items)
                totals[name][0] += wall
                totals[name][1] += cpu
        for name, (wall, cpu) in totals.items():
            runs[name].append((wall, cpu))
    n = max(1, len(pages))
    per_page = {
        name: {
            "cpu_ms": round(statistics.median(c for _, c in values) / n * 1000, 3),
            "wall_ms": round(statistics.median(w for w, _ in values) / n * 1000, 3),
        }
        for name, values in runs.items()
    }
    return {
        "pages": len(pages),
        "mean_page_bytes": round(sum(len(b) for _, b, _ in pages) / n),
        "rounds": ROUNDS,
        "per_page": per_page,
        "ratio_cpu": round(per_page["ours"]["cpu_ms"] / per_page["trafilatura"]["cpu_ms"], 3),
        "ratio_wall": round(per_page["ours"]["wall_ms"] / per_page["trafilatura"]["wall_ms"], 3),
        "ratio_cpu_careful": round(per_page["careful"]["cpu_ms"] / per_page["trafilatura"]["cpu_ms"], 3),
        "ratio_cpu_vs_metadata_call": round(
            per_page["ours"]["cpu_ms"] / per_page["trafilatura_metadata"]["cpu_ms"], 3
        ),
    }
