"""JSON search APIs whose pages list notices (GOV.UK search, ...), configured by a profile.

A profile (``data/json_api.yml``, chosen by option ``profile``; any key may be overridden in the
source entry) names the list of items in a page, the fields that give an item's URL, title, date
and text, an optional per-item detail document (the GOV.UK content API) that gives the body, and
how pages follow one another (a next-page URL field, or an offset parameter up to a total).

A page that fails (HTTP error, invalid JSON, no item list) is recorded under its own URL and ends
the walk, earlier pages stay; an item without a URL is recorded as ``<page URL>#item-<n>``; an item
whose detail fails is recorded under its document URL; an item listed twice is read once. JSON is
read as UTF-8 unless the response declares another charset.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import lxml.html

from tradecurbs.sources import profiles
from tradecurbs.sources.context import NO_DATE, CrawlContext
from tradecurbs.sources.dates import parse_datetime
from tradecurbs.sources.encoding import http_charset
from tradecurbs.sources.fetch import FetchError
from tradecurbs.sources.htmltext import element_text

DEFAULTS = {
    "text": [],
    "detail": None,
    "detail_text": [],
    "detail_date": None,
    "pagination": {},
    "max_pages": 5,
}


def settings(options: dict[str, Any]) -> dict[str, Any]:
    """The defaults, the profile named by option ``profile`` (data/json_api.yml), the entry's options."""
    return profiles.settings(profiles.data_file("json_api.yml"), options, DEFAULTS)


def field(data: Any, path: str | None) -> Any:
    """The value at a dotted path (``details.body``), or None."""
    if not path:
        return None
    for key in path.split("."):
        data = data.get(key) if isinstance(data, dict) else None
    return data


def plain(value: Any) -> str:
    """A field as plain text, one line per paragraph (HTML fields are stripped of their markup)."""
    if value is None or isinstance(value, dict | list):
        return ""
    text = str(value).strip()
    if "<" in text and ">" in text:
        text = element_text(lxml.html.fragment_fromstring(text, create_parent="div"))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def decode_json(content: bytes, content_type: str) -> tuple[Any, str | None]:
    """(data, None) for a JSON body, or (None, why it is not JSON); UTF-8 unless a charset is declared."""
    charset = http_charset(content_type) or "utf-8"
    try:
        return json.loads(content.decode("utf-8-sig" if charset == "utf-8" else charset)), None
    except UnicodeDecodeError as exc:
        return None, f"invalid JSON: not {charset} ({exc.reason} at byte {exc.start})"
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON: {exc}"


def load_json(context: CrawlContext, url: str) -> tuple[Any, str | None]:
    """(data, None) for the JSON at ``url``, or (None, the error)."""
    try:
        result = context.fetch(url)
    except FetchError as exc:
        return None, str(exc)
    return decode_json(result.content, result.content_type)


def next_page(spec: dict[str, Any], page_url: str, page: dict[str, Any], n_items: int) -> str | None:
    """The URL of the page after ``page``, if any."""
    paging = spec["pagination"]
    if "next" in paging:
        return field(page, paging["next"]) or None
    if "offset" not in paging or not n_items:
        return None
    parts = urlsplit(page_url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    start = int(query.get(paging["offset"]) or 0) + n_items
    if start >= int(field(page, paging["total"]) or 0):
        return None
    query[paging["offset"]] = str(start)
    return urlunsplit(parts._replace(query=urlencode(query, safe="[]")))


def _emit_item(context: CrawlContext, spec: dict[str, Any], page_url: str, number: int, item: Any) -> None:
    try:
        url = spec["url"].format(**item) if isinstance(item, dict) else None
    except (KeyError, IndexError, ValueError):
        url = None
    if not url:
        context.fail(f"{page_url}#item-{number}", f"item {number} of {page_url} has no URL fields")
        return
    if context.seen(url):
        return
    title = plain(field(item, spec["title"])) or None
    lines = [plain(field(item, f)) for f in spec["text"]]
    published = parse_datetime(field(item, spec["date"]), spec.get("timezone"))
    if spec["detail"]:
        detail_url = spec["detail"].format(**item)
        detail, error = load_json(context, detail_url)
        if error is not None:
            context.fail(url, f"detail {detail_url}: {error}", title=title)
            return
        lines += [plain(field(detail, f)) for f in spec["detail_text"]]
        published = published or parse_datetime(field(detail, spec["detail_date"]), spec.get("timezone"))
    if published is None:
        context.fail(url, NO_DATE, title=title)
        return
    context.ok(url, "\n".join(line for line in lines if line), title=title, published_at=published)


def crawl(context: CrawlContext) -> None:
    """Walk the API's pages, emitting one document per item."""
    spec = settings(context.source.options)
    page_url: str | None = context.source.url
    visited: set[str] = set()
    while page_url and page_url not in visited and len(visited) < int(spec["max_pages"]):
        visited.add(page_url)
        page, error = load_json(context, page_url)
        if error is not None:
            context.fail(page_url, error)
            return
        items = field(page, spec["items"])
        if not isinstance(page, dict) or not isinstance(items, list):
            context.fail(page_url, f"unexpected JSON: no {spec['items']!r} list")
            return
        for number, item in enumerate(items, start=1):
            with context.item(f"{page_url}#item-{number}"):
                _emit_item(context, spec, page_url, number, item)
        page_url = next_page(spec, page_url, page, len(items))
