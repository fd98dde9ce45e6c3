"""Federal Register API (documents.json search): one document per result, from its structured fields.

Follows ``next_page_url`` up to option ``max_pages`` (default 10). The text is plain: the title,
a line of type, agencies and citation, then action, abstract, dates and effective date.
A page that fails (HTTP error, invalid JSON) is recorded under its own URL; earlier pages stay.
JSON is read as UTF-8 unless the response declares another charset.
"""

from __future__ import annotations

from typing import Any

import lxml.html

from tradecurbs.sources.connectors.json_api import decode_json
from tradecurbs.sources.context import CrawlContext
from tradecurbs.sources.dates import parse_datetime
from tradecurbs.sources.fetch import FetchError


def _plain(value: Any) -> str:
    """A field as plain text (a few fields may carry inline HTML)."""
    if value is None:
        return ""
    text = str(value).strip()
    if "<" in text and ">" in text:
        text = lxml.html.fragment_fromstring(text, create_parent="div").text_content().strip()
    return " ".join(text.split())


def result_text(result: dict[str, Any]) -> str:
    """The document's text from its structured fields."""
    agencies = result.get("agency_names") or [
        a.get("name") for a in result.get("agencies") or [] if a.get("name")
    ]
    ids = [
        _plain(result.get("type")),
        "; ".join(_plain(a) for a in agencies if a),
        f"FR Doc. {result['document_number']}" if result.get("document_number") else "",
        _plain(result.get("citation")),
    ]
    lines = [_plain(result.get("title")), " | ".join(part for part in ids if part)]
    for label, key in (
        ("Action", "action"),
        ("Summary", "abstract"),
        ("Dates", "dates"),
        ("Effective on", "effective_on"),
    ):
        if value := _plain(result.get(key)):
            lines.append(f"{label}: {value}")
    return "\n".join(line for line in lines if line)


def _emit_result(context: CrawlContext, page_url: str, number: int, result: Any) -> None:
    if not isinstance(result, dict) or not result.get("html_url"):
        context.fail(f"{page_url}#result-{number}", f"result {number} of {page_url} has no html_url")
        return
    url = str(result["html_url"])
    title = _plain(result.get("title")) or None
    published = parse_datetime(result.get("publication_date"))
    if published is None:
        context.fail(url, f"no publication_date in Federal Register result {number}", title=title)
        return
    context.ok(url, result_text(result), title=title, published_at=published)


def _load_page(context: CrawlContext, page_url: str) -> dict[str, Any] | None:
    try:
        result = context.fetch(page_url)
    except FetchError as exc:
        context.fail(page_url, str(exc))
        return None
    page, error = decode_json(result.content, result.content_type)
    if error is not None:
        context.fail(page_url, error, fetched_at=result.fetched_at)
        return None
    if not isinstance(page, dict) or not isinstance(page.get("results", []), list):
        context.fail(page_url, "unexpected JSON: no 'results' list", fetched_at=result.fetched_at)
        return None
    return page


def crawl(context: CrawlContext) -> None:
    """Walk the search's pages, emitting one document per result."""
    page_url: str | None = context.source.url
    visited: set[str] = set()
    max_pages = int(context.option("max_pages", 10))
    while page_url and page_url not in visited and len(visited) < max_pages:
        visited.add(page_url)
        page = _load_page(context, page_url)
        if page is None:
            return
        for number, result in enumerate(page.get("results") or [], start=1):
            with context.item(f"{page_url}#result-{number}"):
                _emit_result(context, page_url, number, result)
        page_url = page.get("next_page_url")
