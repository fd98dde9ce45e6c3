"""GDELT 2.0 events: the latest 15-minute export, filtered by CAMEO code, as leads to articles.

lastupdate.txt names the newest ``*.export.CSV.zip``; its rows whose EventCode, EventBaseCode or
EventRootCode is in the CAMEO set (``data/gdelt.yml``; options ``cameo_codes``,
``include_threats``) yield their SOURCEURL, fetched once each with the same article logic as
news feeds; the publisher comes from the sources file's ``publishers`` map by host. A malformed
row is recorded as failed under ``<export URL>#row-<n>``. Option ``max_articles`` caps fetches.
"""

from __future__ import annotations

import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from tradecurbs.limits import limit
from tradecurbs.sources.context import CrawlContext
from tradecurbs.sources.fetch import FetchError
from tradecurbs.sources.inflate import TooLarge, read_zip_member


@cache
def defaults() -> dict[str, Any]:
    """Column names and CAMEO code sets (data/gdelt.yml)."""
    path = Path(__file__).resolve().parents[1] / "data" / "gdelt.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def wanted_codes(options: dict[str, Any]) -> set[str]:
    """The CAMEO codes that select a row, from the options or the defaults."""
    codes = {str(c) for c in options.get("cameo_codes") or defaults()["cameo_codes"]}
    if options.get("include_threats"):
        codes |= {str(c) for c in defaults()["threat_codes"]}
    return codes


def export_url(lastupdate: str) -> str | None:
    """The events export URL in a lastupdate.txt (lines of: size md5 url)."""
    for line in lastupdate.splitlines():
        parts = line.split()
        if parts and parts[-1].lower().endswith(".export.csv.zip"):
            return parts[-1]
    return None


def unzip_export(content: bytes) -> str:
    """The CSV text inside an export zip (its first member), refused past ``zip_max_bytes``."""
    return read_zip_member(content, int(limit("zip_max_bytes"))).decode("utf-8", errors="replace")


def _fetch(context: CrawlContext, url: str) -> bytes | None:
    try:
        return context.fetch(url).content
    except FetchError as exc:
        context.fail(url, str(exc))
        return None


def _rows(context: CrawlContext, csv_url: str, text: str) -> list[dict[str, str]]:
    columns = defaults()["columns"]
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != len(columns):
            context.fail(
                f"{csv_url}#row-{number}",
                f"malformed GDELT row {number}: {len(cells)} tab-separated fields, expected {len(columns)}",
            )
            continue
        rows.append(dict(zip(columns, cells, strict=True)) | {"_row": str(number)})
    return rows


def crawl(context: CrawlContext) -> None:
    """Fetch the newest export and every selected row's article."""
    lastupdate_url = context.source.url
    if (body := _fetch(context, lastupdate_url)) is None:
        return
    zip_url = export_url(body.decode("utf-8", errors="replace"))
    if zip_url is None:
        context.fail(lastupdate_url, "no events export (*.export.CSV.zip) listed in lastupdate.txt")
        return
    if (archive := _fetch(context, zip_url)) is None:
        return
    try:
        text = unzip_export(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, TooLarge) as exc:
        context.fail(zip_url, f"invalid zip archive: {exc}")
        return
    codes = wanted_codes(context.source.options)
    max_articles = context.option("max_articles")
    fetched = 0
    for row in _rows(context, zip_url, text):
        if not any(row[col] in codes for col in defaults()["code_columns"]):
            continue
        url = row["SOURCEURL"].strip()
        if not url.startswith(("http://", "https://")):
            context.fail(f"{zip_url}#row-{row['_row']}", f"GDELT row {row['_row']} has no http(s) SOURCEURL")
            continue
        if context.seen(url):
            continue
        if max_articles is not None and fetched >= int(max_articles):
            break
        context.crawl_article(url, publisher=context.publisher_for(url))
        fetched += 1
