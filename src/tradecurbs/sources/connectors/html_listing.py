"""Official web pages listed on an index page (press releases, notices), configured by a profile.

A profile (``data/html_listing.yml``, chosen by option ``profile``; any key may be overridden in
the source entry) gives XPath expressions: ``links`` (anchors of the notices on an index page),
``next`` (anchors of further index pages, followed up to ``max_pages``), and on a notice page
``content``, ``title`` and ``date`` (each a list, the first that gives a value wins). Dates are
read with the profile's ``date_formats`` first, then as ``sources.dates`` reads any date, in the
profile's ``timezone``. A page whose ``content`` gives less than ``min_chars`` characters falls
back to the article extractor (trafilatura). A notice page this source already ingested is not
fetched again (it counts as unchanged), as with news articles.

Listings whose rows are the notices (a table of notifications linking to PDFs) set ``rows``
instead of ``links``: each row becomes one document, its URL the row's ``row_link``, its text the
row's cells, its date and title from ``row_date`` and ``row_title``; no page is fetched.

A page or row without text or date is recorded as failed (rows under ``<index URL>#row-<n>`` when
they have no link); a notice linked twice is fetched once. Index pages that list no notice at all
are recorded as a failure of the source's URL: the site's layout no longer fits the profile.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from lxml import etree

from tradecurbs.sources import profiles
from tradecurbs.sources.article import extract_article, metadata_title, parse_html
from tradecurbs.sources.context import NO_DATE, NO_TEXT, CrawlContext
from tradecurbs.sources.dates import parse_datetime
from tradecurbs.sources.encoding import decode_html
from tradecurbs.sources.fetch import FetchError
from tradecurbs.sources.htmltext import element_text
from tradecurbs.sources.indexpages import walk_index

DEFAULTS = {
    "next": [],
    "max_pages": 5,
    "date_formats": [],
    "timezone": None,
    "link_pattern": ".",
    "min_chars": 40,
}


def settings(options: dict[str, Any]) -> dict[str, Any]:
    """The defaults, the profile named by option ``profile`` (data/html_listing.yml), the entry's options."""
    return profiles.settings(profiles.data_file("html_listing.yml"), options, DEFAULTS)


def _as_list(value: str | list[str] | None) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _values(node: etree._Element, xpaths: str | list[str]) -> list[str]:
    """The non-empty texts (of elements, or attribute and text results) of each XPath, in order."""
    out = []
    for xpath in _as_list(xpaths):
        for found in node.xpath(xpath):
            text = found if isinstance(found, str) else element_text(found)
            if text and text.strip():
                out.append(text.strip())
    return out


def _first(node: etree._Element, xpaths: str | list[str]) -> str | None:
    return next(iter(_values(node, xpaths)), None)


def _block(node: etree._Element, xpaths: str | list[str]) -> str:
    """The text of every node of the first XPath that matches any, one node after another."""
    for xpath in _as_list(xpaths):
        if texts := _values(node, xpath):
            return "\n".join(texts)
    return ""


def read_date(values: list[str], spec: dict[str, Any]) -> datetime | None:
    """The first value that is a date: by the profile's formats, else any date ``sources.dates`` reads."""
    for value in values:
        for fmt in spec["date_formats"]:
            try:
                day = datetime.strptime(value.strip(), fmt)
            except ValueError:
                continue
            return day.replace(tzinfo=UTC) if fmt.count("%H") == 0 else parse_datetime(day, spec["timezone"])
        if when := parse_datetime(value, spec["timezone"]):
            return when
    return None


def canonical(url: str) -> str:
    """A link as a canonical URL: fragment dropped, spaces and other unsafe characters escaped."""
    parts = urlsplit(url.strip())
    path = quote(parts.path, safe="/%:@!$&'()*+,;=-._~")
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


# -- index pages ----------------------------------------------------------------------------------


def _index_pages(context: CrawlContext, spec: dict[str, Any]) -> list[tuple[str, etree._Element]]:
    """The index pages (URL, tree) reached from the entry point through ``next`` links."""

    def further(page_url: str, html: str, tree: etree._Element) -> list[str]:
        anchors = (a for xpath in _as_list(spec["next"]) for a in tree.xpath(xpath))
        return [
            canonical(urljoin(page_url, href)) for a in anchors if (href := (a.get("href") or "").strip())
        ]

    return list(walk_index(context, int(spec["max_pages"]), further))


def _notice_links(spec: dict[str, Any], page_url: str, tree: etree._Element) -> list[tuple[str, str]]:
    wanted = re.compile(spec["link_pattern"])
    out = []
    for anchor in (a for xpath in _as_list(spec["links"]) for a in tree.xpath(xpath)):
        href = (anchor.get("href") or "").strip()
        if href and not href.startswith(("javascript:", "mailto:", "#")):
            url = canonical(urljoin(page_url, href))
            if wanted.search(url):
                out.append((url, " ".join(element_text(anchor).split())))
    return out


# -- notices --------------------------------------------------------------------------------------


def _crawl_page(context: CrawlContext, spec: dict[str, Any], url: str, link_text: str) -> None:
    try:
        result = context.fetch(url)
    except FetchError as exc:
        context.fail(url, str(exc), title=link_text or None)
        return
    html = decode_html(result.content, result.content_type)
    tree = parse_html(html)
    if tree is None:
        context.fail(url, NO_TEXT, title=link_text or None, fetched_at=result.fetched_at)
        return
    body = _block(tree, spec["content"])
    title = _first(tree, spec.get("title")) or metadata_title(tree) or link_text or None
    published = read_date(_values(tree, spec.get("date")), spec)
    if len(body) < int(spec["min_chars"]) and (article := extract_article(html, url, spec["timezone"])):
        body, published = article.text, published or article.published_at
    known = {"title": title, "published_at": published, "fetched_at": result.fetched_at}
    if len(body) < int(spec["min_chars"]):
        context.fail(url, NO_TEXT, **known)
    elif published is None:
        context.fail(url, NO_DATE, **known)
    else:
        context.ok(url, body, **known)


def _crawl_rows(context: CrawlContext, spec: dict[str, Any], page_url: str, tree: etree._Element) -> None:
    for number, row in enumerate(tree.xpath(spec["rows"]), start=1):
        link = _first(row, spec["row_link"])
        url = canonical(urljoin(page_url, link)) if link else f"{page_url}#row-{number}"
        title = _first(row, spec["row_title"])
        text = "\n".join(_values(row, spec.get("row_text") or ["./*"]))
        published = read_date(_values(row, spec["row_date"]), spec)
        if link is None:
            context.fail(url, f"row {number} of {page_url} has no link", title=title)
        elif published is None:
            context.fail(url, f"row {number} of {page_url} has no readable date", title=title)
        else:
            context.ok(url, text, title=title, published_at=published)


def _no_notices(context: CrawlContext, n_pages: int, what: str) -> None:
    error = f"no notice on {n_pages} index page(s): the profile's {what} matched nothing"
    context.fail(context.source.url, error)


def crawl(context: CrawlContext) -> None:
    """Walk the index pages, then emit each notice they list (fetching its page unless rows are notices)."""
    spec = settings(context.source.options)
    pages = _index_pages(context, spec)
    if spec.get("rows"):
        if pages and not any(tree.xpath(spec["rows"]) for _, tree in pages):
            _no_notices(context, len(pages), f"rows {spec['rows']!r}")
        for page_url, tree in pages:
            with context.item(page_url):
                _crawl_rows(context, spec, page_url, tree)
        return
    found: dict[str, str] = {}
    for page_url, tree in pages:
        with context.item(page_url):
            for url, label in _notice_links(spec, page_url, tree):
                found.setdefault(url, label)
    if pages and not found:
        _no_notices(
            context, len(pages), f"links {spec['links']!r} with link_pattern {spec['link_pattern']!r}"
        )
    for url, link_text in list(found.items())[: context.option("max_items")]:
        if not context.seen(url) and not context.skip_ingested(url):
            with context.item(url, title=link_text or None):
                _crawl_page(context, spec, url, link_text)
