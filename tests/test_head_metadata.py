"""Title and date read from a page's head alone are the whole page's, or not given at all."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchmarks import generate_corpus
from tests.conftest import SHARED
from tradecurbs.sources.archive import RawArchive
from tradecurbs.sources.article import _unclosed, head_metadata, load_html, page_metadata
from tradecurbs.sources.encoding import decode_html

HEAD = (
    "<!DOCTYPE html><html><head><title>Plain title</title>"
    '<meta property="article:published_time" content="2024-03-05T10:00:00Z">{extra}</head>'
    "<body><p>Body text.</p>{body}</body></html>"
)
REAL_PAGES = sorted(p for p in (SHARED / "realdata").rglob("*.htm*") if p.is_file())


def _whole(html: str, url: str = "https://example.org/a", tz: str | None = None) -> tuple:
    tree = load_html(html)
    assert tree is not None
    return page_metadata(tree, url, tz)


def test_a_plain_head_gives_the_whole_pages_answer() -> None:
    html = HEAD.format(extra="", body="")
    assert head_metadata(html, None) == _whole(html) == ("Plain title", datetime(2024, 3, 5, 10, tzinfo=UTC))


@pytest.mark.parametrize(
    "extra, body",
    [
        ("", '<meta property="og:title" content="Later">'),  # a <meta> after the head may win
        ("", '<script type="application/ld+json">{"datePublished": "2020-01-01"}</script>'),
        ("<script>var s = '</head>';", "</script>"),  # the first </head is inside a script
        ("<!-- </head> -->", ""),
        ("<title>Open", ""),
    ],
)
def test_a_doubtful_head_is_not_used(extra: str, body: str) -> None:
    assert head_metadata(HEAD.format(extra=extra, body=body), None) is None


def test_a_head_without_a_date_is_not_used() -> None:
    html = "<html><head><title>T</title></head><body><time datetime='2024-01-02'>x</time></body></html>"
    assert head_metadata(html, None) is None


def test_generated_pages_agree_with_the_whole_page(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    generate_corpus.generate_corpus(corpus, 120, seed=5)
    archive = RawArchive(corpus / "raw")
    used = 0
    for entry in archive.entries():
        if entry["status"] != 200 or not entry["headers"].get("content-type", "").startswith("text/html"):
            continue
        html = decode_html(archive.body(entry["sha256"]), entry["headers"].get("content-type"))
        for tz in (None, "Asia/Tokyo"):
            fast = head_metadata(html, tz)
            if fast is not None:
                used += 1
                assert fast == _whole(html, entry["url"], tz), entry["url"]
    assert used > 100


@pytest.mark.skipif(not REAL_PAGES, reason="../shared/realdata holds no pages here")
def test_real_pages_agree_with_the_whole_page() -> None:
    for path in REAL_PAGES:
        html = decode_html(path.read_bytes())
        fast = head_metadata(html, None)
        if fast is not None:
            assert fast == _whole(html, "https://example.org/" + path.name), path


def test_raw_elements_are_counted_in_one_pass_as_substring_counts_count_them() -> None:
    """``_unclosed`` counts the openings and closings of raw-text elements with one regex: for random
    heads made of those tags (nested, glued, cut short) and of comments that share their dashes, it must
    say what counting each opening and closing as a substring says."""
    pieces = [
        "<script",
        "</script",
        "<style>",
        "</style>",
        "<title",
        "</title>",
        "<textarea",
        "</textarea",
        "<noscript",
        "</noscript",
        "<!--",
        "-->",
        "<!-->",
        "--->",
        "<",
        "/",
        "-",
        "x",
        "<scripts",
    ]
    pairs = [(f"<{n}", f"</{n}") for n in ("script", "style", "title", "textarea", "noscript")] + [
        ("<!--", "-->")
    ]
    rng = random.Random(15)
    for _ in range(3000):
        low = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        cut = rng.randint(0, len(low))
        counted = any(low.count(a, 0, cut) != low.count(b, 0, cut) for a, b in pairs)
        assert _unclosed(low, cut) == counted, (low, cut)
