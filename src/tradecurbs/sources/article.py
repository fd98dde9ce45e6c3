"""Main text, title and publication date of an article page.

The text comes from trafilatura; the date from the page's own metadata, in this order:
<meta property="article:published_time"> and kin, JSON-LD datePublished, other known meta names,
<time datetime>, then trafilatura's (htmldate's) metadata without its free-text guessing.

The page is parsed once, with trafilatura's own loader, and that tree serves both the metadata
read here and trafilatura's text extraction. Trafilatura's metadata pass (htmldate, authors,
licence, categories) runs only for a page whose own markup gives no date or no title: it reads the
tree without changing it, so skipping it leaves the text as it was.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.metadata import extract_metadata
from trafilatura.settings import Document
from trafilatura.utils import load_html

from tradecurbs.sources.dates import parse_datetime

# meta attributes that carry a publication time, most specific first
DATE_META = (
    ("property", "article:published_time"),
    ("property", "og:published_time"),
    ("name", "article:published_time"),
    ("itemprop", "datePublished"),
    ("name", "pubdate"),
    ("name", "publishdate"),
    ("name", "publication_date"),
    ("name", "firstpublishedtime"),
    ("name", "dc.date.issued"),
    ("name", "dcterms.issued"),
    ("name", "dc.date"),
    ("name", "date"),
)
TITLE_META = (("property", "og:title"), ("name", "twitter:title"), ("name", "articletitle"))
_META_ATTRS = tuple(sorted({attr for attr, _ in DATE_META + TITLE_META}))
# trafilatura's options, as extract_article has always called it (text, tables, no comments, fast)
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_TEXT_OPTIONS = {"fast": True, "include_comments": False, "include_tables": True}
# elements whose text a cut inside them would shorten: their openings and closings must pair up
_RAW_ELEMENTS = ("script", "style", "title", "textarea", "noscript")
_RAW_TAGS = re.compile(r"<(/?)(script|style|title|textarea|noscript)")  # one pass counts them all
# (comments are counted apart: "<!-->" holds an opening and a closing, which one pass would not both see)


@dataclass(frozen=True)
class Article:
    """What an article page yields."""

    text: str
    title: str | None
    published_at: datetime | None


def parse_html(html: str) -> etree._Element | None:
    """An lxml tree of a page, or None when there is nothing to parse."""
    try:
        return lxml.html.document_fromstring(
            html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8")
        )
    except (etree.ParserError, ValueError):
        return None


class _MetaIndex:
    """The <meta> contents of a page by (attribute, lowercased value), read in one pass.

    For each key the first <meta> in document order with a non-empty content wins, as a scan for
    that key alone would find it.
    """

    def __init__(self, tree: etree._Element) -> None:
        self.found: dict[tuple[str, str], str | None] = {}
        for node in tree.iter("meta"):
            content = node.get("content")
            if not content:
                continue
            for attr in _META_ATTRS:
                value = node.get(attr)
                if value is not None:
                    self.found.setdefault((attr, value.strip().lower()), content.strip() or None)

    def get(self, attr: str, value: str) -> str | None:
        return self.found.get((attr, value.lower()))


def _meta(tree: etree._Element, attr: str, value: str) -> str | None:
    """The content of the first <meta> whose ``attr`` is ``value`` (any case) and has a content."""
    lowered = value.lower()
    for node in tree.iter("meta"):
        if (node.get(attr) or "").strip().lower() == lowered and (content := node.get("content")):
            return content.strip() or None
    return None


def _jsonld_dates(tree: etree._Element) -> list[str]:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("datePublished"), str):
                found.append(node["datePublished"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            walk(json.loads(script.text or ""))
        except ValueError:
            continue
    return found


def _date_candidates(tree: etree._Element, meta: _MetaIndex) -> Iterator[str | None]:
    """Declared publication times, most trusted first, each read only when the ones before fail."""
    for attr, value in DATE_META[:3]:
        yield meta.get(attr, value)
    yield from _jsonld_dates(tree)
    for attr, value in DATE_META[3:]:
        yield meta.get(attr, value)
    for node in tree.xpath("//time[@datetime]")[:1]:
        yield node.get("datetime")


def metadata_date(
    tree: etree._Element, tz_name: str | None = None, meta: _MetaIndex | None = None
) -> datetime | None:
    """The publication time the page's markup declares, if any."""
    for candidate in _date_candidates(tree, meta or _MetaIndex(tree)):
        if candidate and (when := parse_datetime(candidate, tz_name)):
            return when
    return None


def metadata_title(tree: etree._Element, meta: _MetaIndex | None = None) -> str | None:
    """The page's declared title (og:title and kin, else <title>)."""
    meta = meta or _MetaIndex(tree)
    for attr, value in TITLE_META:
        if title := meta.get(attr, value):
            return title
    node = tree.find(".//title")
    return (node.text_content().strip() or None) if node is not None else None


def _trafilatura_metadata(tree: etree._Element, url: str) -> Document:
    """What trafilatura's own metadata pass finds (it works on copies, leaving ``tree`` as it was)."""
    return extract_metadata(tree, url, _DATE_PARAMS, True, set())


def extract_article(html: str, url: str, tz_name: str | None = None) -> Article | None:
    """The article in a page, or None when the page has no main text."""
    if not url:  # trafilatura would fall back on the page's own URL: keep its full pass
        return _extract_article_full(html, url, tz_name)
    tree = load_html(html)
    if tree is None:
        return None
    # bare_extraction works on a copy of the tree: the metadata below reads the page as parsed
    doc = trafilatura.bare_extraction(tree, url=url, with_metadata=False, **_TEXT_OPTIONS)
    text = (doc.text or "").strip() if doc is not None else ""
    if not text:
        return None
    title, published = page_metadata(tree, url, tz_name)
    return Article(text=text, title=title, published_at=published)


def page_metadata(tree: etree._Element, url: str, tz_name: str | None) -> tuple[str | None, datetime | None]:
    """(title, publication time) of a page tree (as ``load_html`` gives it): its own markup first,
    trafilatura's metadata pass only when the markup lacks one of them."""
    meta = _MetaIndex(tree)
    published = metadata_date(tree, tz_name, meta)
    title = metadata_title(tree, meta)
    if published is None or title is None:
        fallback = _trafilatura_metadata(tree, url)
        if published is None and fallback.date:
            published = parse_datetime(fallback.date, tz_name)
        title = title or fallback.title
    return title, published


def head_metadata(html: str, tz_name: str | None) -> tuple[str | None, datetime | None] | None:
    """(title, publication time) read from the page's head alone, when they are certainly what
    ``page_metadata`` reads from the whole page; None when unsure (then the whole page is parsed).

    The head (about a quarter of a news page) is what comes before the first ``</head``. Its parse is
    the start of the whole page's parse, so its <meta>, JSON-LD and <title> come first in document
    order; it is used only when no <meta> or JSON-LD follows it, its raw-text elements and comments
    are all closed (the cut is in none of them), trafilatura's loader repairs it as it would the whole
    page, and it declares both a title and a date (no fallback to trafilatura's metadata pass).
    """
    low = html.lower()  # one lowering, then plain substring searches (a case-blind regex is slower)
    cut = low.find("</head")
    if cut < 0 or len(low) != len(html) or "html" not in low[:50]:  # (a lowering that changed offsets)
        return None
    if low.find("<meta", cut) >= 0 or low.find("ld+json", cut) >= 0:
        return None
    if _unclosed(low, cut):
        return None
    head = html[:cut]
    if _self_closing_html(head) or _self_closing_html(html):  # a repair load_html makes: leave it whole
        return None
    tree = load_html(head)
    if tree is None:
        return None
    meta = _MetaIndex(tree)
    published = metadata_date(tree, tz_name, meta)
    title = metadata_title(tree, meta)
    if published is None or title is None:
        return None
    return title, published


def _unclosed(low: str, cut: int) -> bool:
    """Whether some raw-text element or comment opened before ``cut`` is not closed before it (as many
    openings as closings of each, counted as ``str.count`` counts them)."""
    tags = Counter(_RAW_TAGS.findall(low, 0, cut))
    if any(tags[("", name)] != tags[("/", name)] for name in _RAW_ELEMENTS):
        return True
    return low.count("<!--", 0, cut) != low.count("-->", 0, cut)


def _self_closing_html(html: str) -> bool:
    """Whether trafilatura's loader would repair a self-closing <html/> in the first lines."""
    return any("<html" in line and line.endswith("/>") for line in html[:4096].splitlines()[:4])


def _extract_article_full(html: str, url: str, tz_name: str | None) -> Article | None:
    """extract_article with trafilatura's metadata pass always on (for a page without a URL)."""
    tree = parse_html(html)
    if tree is None:
        return None
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, date_extraction_params=_DATE_PARAMS, **_TEXT_OPTIONS
    )
    text = (doc.text or "").strip() if doc is not None else ""
    if not text:
        return None
    published = metadata_date(tree, tz_name)
    if published is None and doc is not None and doc.date:
        published = parse_datetime(doc.date, tz_name)
    title = metadata_title(tree) or (doc.title if doc is not None else None)
    return Article(text=text, title=title, published_at=published)
