"""MOFCOM announcements: index page(s), then each announcement page.

Index pages are followed through their pagination links (``index_1.html``, ... or the
``createPageHTML(n, ...)`` script Chinese government sites use) up to ``max_pages``. An
announcement's text comes from its article container, its date from <meta name="PubDate"> or the
发布日期 line (Beijing time), and its number (商务部公告2024年第10号) is kept in the title.
Defaults live in ``sources/data/mofcom.yml``; a source entry may override any of them.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml
from lxml import etree

from tradecurbs.sources.article import metadata_date, metadata_title, parse_html
from tradecurbs.sources.context import CrawlContext
from tradecurbs.sources.dates import parse_datetime
from tradecurbs.sources.fetch import FetchError
from tradecurbs.sources.htmltext import element_text
from tradecurbs.sources.indexpages import walk_index

NO_TEXT = "no announcement text"
NO_DATE = "no publication date in page metadata or text"
_PAGE_SCRIPT = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?\d+['\"]?\s*,\s*['\"](\w+)['\"]\s*,\s*['\"](\w+)['\"]"
)
_DATE = (
    r"(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)"
)


@cache
def defaults() -> dict[str, Any]:
    """The connector's defaults (data/mofcom.yml)."""
    path = Path(__file__).resolve().parents[1] / "data" / "mofcom.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _setting(context: CrawlContext, name: str) -> Any:
    return context.option(name, defaults()[name])


def announcement_number(text: str, issuers: list[str]) -> str | None:
    """The first numbered announcement in ``text``, normalised: 商务部 海关总署公告2023年第23号."""
    names = "|".join(map(re.escape, sorted(issuers, key=len, reverse=True)))
    match = re.search(rf"((?:(?:{names})\s*)*)公告\s*〔?\s*(\d{{4}})\s*〕?\s*年?\s*第\s*(\d+)\s*号", text)
    if not match:
        return None
    issuer = " ".join(re.findall(names, match.group(1))) if match.group(1) else ""
    return f"{issuer}公告{match.group(2)}年第{int(match.group(3))}号"


def _with_number(title: str | None, number: str | None) -> str | None:
    """The title, led by the announcement number unless it already holds it."""
    if not number:
        return title
    if not title:
        return number
    squeeze = re.compile(r"\s+")
    return title if squeeze.sub("", number) in squeeze.sub("", title) else f"{number} {title}"


# -- index pages ----------------------------------------------------------------------------------


def _links(tree: etree._Element, base: str) -> list[tuple[str, str]]:
    out = []
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if href and not href.startswith(("javascript:", "mailto:", "#")):
            label = (anchor.get("title") or anchor.text_content() or "").strip()
            out.append((urljoin(base, href).split("#", 1)[0], " ".join(label.split())))
    return out


def _more_pages(html: str, tree: etree._Element, page_url: str, pattern: re.Pattern[str]) -> list[str]:
    pages = [url for url, _ in _links(tree, page_url) if pattern.search(urlsplit(url).path)]
    if script := _PAGE_SCRIPT.search(html):  # createPageHTML(total, current, "index", "html")
        total, stem, ext = int(script.group(1)), script.group(2), script.group(3)
        pages += [urljoin(page_url, f"{stem}_{n}.{ext}") for n in range(1, total)]
    return pages


def _announcement_links(context: CrawlContext, tree: etree._Element, page_url: str) -> list[tuple[str, str]]:
    root = context.source.url.rsplit("/", 1)[0] + "/"
    skip = re.compile(_setting(context, "skip_pattern"))
    wanted = re.compile(context.option("article_pattern", r"\.s?html?$"))
    return [
        (url, label)
        for url, label in _links(tree, page_url)
        if url.startswith(root) and wanted.search(url) and not skip.search(urlsplit(url).path)
    ]


def _crawl_index(context: CrawlContext) -> list[tuple[str, str]]:
    """Announcement links (URL, link text) from the index and its further pages."""
    pagination = re.compile(_setting(context, "pagination_pattern"))

    def further(page_url: str, html: str, tree: etree._Element) -> list[str]:
        return _more_pages(html, tree, page_url, pagination)

    found: dict[str, str] = {}
    for page_url, tree in walk_index(context, int(_setting(context, "max_pages")), further):
        with context.item(page_url):
            for url, label in _announcement_links(context, tree, page_url):
                found.setdefault(url, label)
    return list(found.items())


# -- announcement pages ---------------------------------------------------------------------------


def _first_text(tree: etree._Element, xpaths: list[str]) -> str | None:
    for xpath in xpaths:
        for node in tree.xpath(xpath):
            text = node if isinstance(node, str) else element_text(node)
            if text and text.strip():
                return text.strip()
    return None


def _published(context: CrawlContext, tree: etree._Element, page_text: str, body: str) -> datetime | None:
    tz = context.option("timezone", defaults()["timezone"])
    for name in _setting(context, "date_metas"):
        for value in tree.xpath(f"//meta[@name='{name}']/@content"):
            if when := parse_datetime(value, tz):
                return when
    labels = "|".join(map(re.escape, _setting(context, "date_labels")))
    if match := re.search(rf"(?:{labels})\s*[:：]?\s*{_DATE}", page_text):
        return parse_datetime(match.group(1), tz)
    if when := metadata_date(tree, tz):
        return when
    signed = re.findall(_DATE, body[-200:])  # the date under the signature closes an announcement
    return parse_datetime(signed[-1], tz) if signed else None


def _crawl_announcement(context: CrawlContext, url: str, link_text: str) -> None:
    try:
        result = context.fetch(url)
    except FetchError as exc:
        context.fail(url, str(exc), title=link_text or None)
        return
    tree = parse_html(context.page_html(result))
    if tree is None:
        context.fail(url, NO_TEXT, title=link_text or None, fetched_at=result.fetched_at)
        return
    body = _first_text(tree, _setting(context, "content_xpaths")) or ""
    title = _first_text(tree, _setting(context, "title_xpaths")) or metadata_title(tree) or link_text or None
    number = announcement_number(f"{title or ''}\n{body}", _setting(context, "announcement_issuers"))
    title = _with_number(title, number)
    published = _published(context, tree, element_text(tree), body)
    known = {"title": title, "published_at": published, "fetched_at": result.fetched_at}
    if len(body) < int(_setting(context, "min_chars")):
        context.fail(url, NO_TEXT, **known)
    elif published is None:
        context.fail(url, NO_DATE, **known)
    else:
        context.ok(url, body, **known)


def crawl(context: CrawlContext) -> None:
    """Walk the index pages, then fetch every announcement they link to."""
    max_items = context.option("max_items")
    for url, link_text in _crawl_index(context)[:max_items]:
        if not context.seen(url):
            with context.item(url, title=link_text or None):
                _crawl_announcement(context, url, link_text)
