"""Text of real news pages: word-level F1 and time per page of the careful, fast and two-pass texts.

Usage::

    python -m benchmarks.text_quality [--pages ../shared/realdata/news_html] [--out text.json]

Reads, at run time, every folder under ``--pages`` that holds ``source.html`` (the page) and
``expected.html`` (the article text a person kept, as HTML); nothing of them is copied. For each page
it times, on one core, the careful text (``article.extract_article``: trafilatura and the page's
metadata), the fast main text (resiliparse) and the two-pass text the crawl keeps
(``pagetext.page_text``), and scores each against the expected text: F1 of the multisets of words
(Chinese and Japanese counted character by character).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT_PAGES = Path(__file__).resolve().parents[2] / "shared" / "realdata" / "news_html"
URL = "https://news.example/article"
REPEATS = 3
_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]|[^\W\u3040-\u30ff\u3400-\u9fff]+")


def words(text: str) -> Counter[str]:
    """The words of a text, lowercased (CJK ideographs and kana one by one)."""
    return Counter(_TOKEN.findall(text.lower()))


def f1(got: str, expected: str) -> float:
    """Word-level F1 of ``got`` against ``expected`` (multisets of words)."""
    a, b = words(got), words(expected)
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def expected_text(path: Path) -> str:
    """The text of an expected-article HTML file."""
    import lxml.html

    from tradecurbs.sources.htmltext import element_text

    return element_text(lxml.html.fromstring(path.read_text(encoding="utf-8", errors="replace")))


def _best_ms(fn: Callable[[str], Any], html: str) -> tuple[float, Any]:
    """Least CPU time of ``REPEATS`` calls, in ms, and the result."""
    best, result = float("inf"), None
    for _ in range(REPEATS):
        start = time.process_time()
        result = fn(html)
        best = min(best, time.process_time() - start)
    return best * 1000, result


def score_pages(pages_dir: Path) -> dict[str, Any]:
    """Per page and on average: F1 and CPU ms of each text."""
    from resiliparse.parse.html import HTMLTree

    from tradecurbs.sources.article import extract_article
    from tradecurbs.sources.pagetext import fast_texts, page_text

    kinds: dict[str, Callable[[str], str]] = {
        "careful": lambda html: a.text if (a := extract_article(html, URL)) else "",
        "fast": lambda html: fast_texts(HTMLTree.parse(html))[0],
        "two_pass": lambda html: p.article.text if (p := page_text(html, URL)).article else "",
    }
    rows = []
    for source in sorted(pages_dir.rglob("source.html")):
        if not (source.parent / "expected.html").exists():
            continue
        html = source.read_text(encoding="utf-8", errors="replace")
        truth = expected_text(source.parent / "expected.html")
        row: dict[str, Any] = {"page": source.parent.name, "kb": round(len(html) / 1024)}
        for kind, fn in kinds.items():
            ms, text = _best_ms(fn, html)
            row[f"{kind}_f1"], row[f"{kind}_ms"] = round(f1(text, truth), 3), round(ms, 2)
        row["two_pass_careful"] = page_text(html, URL).careful
        rows.append(row)
    means = {k: round(statistics.mean(r[k] for r in rows), 3) for k in rows[0] if k.endswith(("_f1", "_ms"))}
    return {"pages": len(rows), "mean": means, "rows": rows} if rows else {"pages": 0}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pages", type=Path, default=DEFAULT_PAGES, help="folders of source.html + expected.html"
    )
    parser.add_argument("--out", type=Path, help="write the scores as JSON")
    args = parser.parse_args(argv)
    report = score_pages(args.pages)
    if not report["pages"]:
        sys.exit(f"no page with an expected text under {args.pages}")
    for row in report["rows"]:
        print(" ".join(f"{k}={v}" for k, v in row.items()))
    print("mean", " ".join(f"{k}={v}" for k, v in report["mean"].items()))
    if args.out:
        args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
