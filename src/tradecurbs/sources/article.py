"""Main text, title and publication date of an article page.

The text comes from trafilatura; the date from the page's own metadata, in this order:
<meta property="article:published_time"> and kin, JSON-LD datePublished, other known meta names,
<time datetime>, then trafilatura's (htmldate's) metadata without its free-text guessing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import lxml.html
import trafilatura
from lxml import etree

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


def _meta(tree: etree._Element, attr: str, value: str) -> str | None:
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


def metadata_date(tree: etree._Element, tz_name: str | None = None) -> datetime | None:
    """The publication time the page's markup declares, if any."""
    candidates = [_meta(tree, attr, value) for attr, value in DATE_META[:3]]
    candidates += _jsonld_dates(tree)
    candidates += [_meta(tree, attr, value) for attr, value in DATE_META[3:]]
    candidates += [node.get("datetime") for node in tree.xpath("//time[@datetime]")[:1]]
    for candidate in candidates:
        if candidate and (when := parse_datetime(candidate, tz_name)):
            return when
    return None


def metadata_title(tree: etree._Element) -> str | None:
    """The page's declared title (og:title and kin, else <title>)."""
    for attr, value in TITLE_META:
        if title := _meta(tree, attr, value):
            return title
    node = tree.find(".//title")
    return (node.text_content().strip() or None) if node is not None else None


def extract_article(html: str, url: str, tz_name: str | None = None) -> Article | None:
    """The article in a page, or None when the page has no main text."""
    tree = parse_html(html)
    if tree is None:
        return None
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        fast=True,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = (doc.text or "").strip() if doc is not None else ""
    if not text:
        return None
    published = metadata_date(tree, tz_name)
    if published is None and doc is not None and doc.date:
        published = parse_datetime(doc.date, tz_name)
    title = metadata_title(tree) or (doc.title if doc is not None else None)
    return Article(text=text, title=title, published_at=published)
