"""Parallel extraction gives the serial results, in input order (documents written for these tests)."""

from __future__ import annotations

import pytest

from tradecurbs.extraction import extract_document
from tradecurbs.extraction.parallel import chunked, extract_chunk, extract_many

_NEWS = [
    (
        "Cabinet halts onion sales abroad",
        "Bangladesh will ban onion exports from May 3, the commerce ministry said on Tuesday. "
        "Traders said cargoes already loaded could still leave Chittagong.",
    ),
    (
        "",
        "The Canadian government imposed a 25% surtax on steel imports from China on Friday. "
        "The measure takes effect on October 15.",
    ),
    (
        "Lenders pull back",
        "Ziraat Bank stopped processing payments from Russian clients, people familiar with the matter said. "
        "The lender had tightened checks in the spring.",
    ),
    ("", "Shares in the retailer rose 4% after it raised its full-year outlook on Wednesday."),
    ("", "The city council approved new parking rules for the old town on Monday evening."),
    ("Budget talks resume", "Lawmakers said they could consider tariffs on imported cars if talks fail."),
    (
        "",
        "The U.S. Commerce Department added 12 Chinese companies to the Entity List on Thursday, "
        "citing support for military programmes.",
    ),
    ("", "The striker completed his transfer to the club for a fee of 40 million euros."),
    (
        "",
        "Indonesia extended its ban on bauxite exports, the mining ministry said. It takes effect on "
        "June 10 and applies to all destinations.",
    ),
    ("", "Analysts expect exports of machinery to keep growing through the summer."),
]
_CHINESE = [
    "商务部12月3日宣布，对原产于日本的进口不锈钢征收反倾销税。",
    "海关总署宣布，自6月1日起暂停进口台湾地区的菠萝。",
    "本市今年一季度地区生产总值同比增长5%，消费市场持续回暖。",
    "中国商务部决定将5家美国企业列入不可靠实体清单。",
    "商務部宣布對相關物項實施出口管制。",
]


def _documents() -> list[dict]:
    docs = []
    for n, (title, text) in enumerate(_NEWS):
        docs.append(
            {
                "id": f"en{n}",
                "url": f"https://news.example.test/{n}",
                "title": title,
                "text": text,
                "published": "2024-05-02",
                "source_kind": "news",
                "language": "en",
            }
        )
    for n, text in enumerate(_CHINESE):
        docs.append(
            {
                "id": f"zh{n}",
                "url": f"https://www.mofcom.gov.cn/article/{n}.html",
                "title": "",
                "text": text,
                "published": "2023-07-03",
                "source_kind": "official" if n % 2 else "news",
                "language": "zh",
            }
        )
    return docs * 3  # enough documents for several chunks per worker


def test_extract_chunk_is_the_serial_loop() -> None:
    docs = _documents()
    assert extract_chunk(docs) == [extract_document(d) for d in docs]


def test_two_workers_give_the_serial_results_in_order() -> None:
    docs = _documents()
    serial = [extract_document(d) for d in docs]
    assert any(serial) and not all(serial)  # the mix holds documents with and without events
    parallel = extract_many(docs, workers=2, chunk_size=4, min_parallel=0)
    assert parallel == serial
    assert [m[0]["doc_id"] for m in parallel if m] == [m[0]["doc_id"] for m in serial if m]


def test_few_documents_stay_in_process() -> None:
    docs = _documents()[:3]
    assert extract_many(iter(docs), workers=2) == [extract_document(d) for d in docs]
    assert extract_many([], workers=2) == []


def test_chunks_cover_the_input_in_order() -> None:
    items = [{"id": str(n)} for n in range(10)]
    chunks = chunked(items, 4)
    assert [len(c) for c in chunks] == [4, 4, 2]
    assert [d for c in chunks for d in c] == items
    with pytest.raises(ValueError):
        chunked(items, 0)


def _warmed_in_worker(_: int) -> tuple[bool, int]:
    """Run in a pool worker: whether it was forked from the warmed worker server, and its process id."""
    import os
    import sys

    return "tradecurbs.workerwarm" in sys.modules, os.getpid()


def test_workers_are_forked_from_the_warmed_server() -> None:
    """Pool workers start with the page parsers and the lexicons loaded (forked from the worker server
    that imported ``tradecurbs.workerwarm``), and a second pool of the process reuses that server."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from tradecurbs.workerpool import worker_context

    if "forkserver" not in multiprocessing.get_all_start_methods():
        pytest.skip("no forkserver start method on this platform (workers are spawned)")
    context = worker_context()
    assert context.get_start_method() == "forkserver"
    for _ in range(2):
        with ProcessPoolExecutor(2, mp_context=context) as pool:
            answers = list(pool.map(_warmed_in_worker, range(4)))
        assert all(warm for warm, _ in answers)
