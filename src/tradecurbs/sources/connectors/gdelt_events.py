"""GDELT 2.0 events: the latest 15-minute export, filtered by CAMEO code and theme, as leads to articles.

lastupdate.txt names the newest ``*.export.CSV.zip``; its rows whose EventCode, EventBaseCode or
EventRootCode is in the CAMEO set (``data/gdelt.yml``; options ``cameo_codes``,
``include_threats``) and whose article carries a trade theme in the Global Knowledge Graph file
of the same update (``*.gkg.csv.zip``; option ``themes: false`` skips this) yield their SOURCEURL,
fetched once each with the same article logic as news feeds (links to ad servers are not). A page
that gives no date is dated by the row's DATEADDED. The publisher comes from the sources file's
``publishers`` map by host. A malformed row is recorded as failed under ``<export URL>#row-<n>``.
Option ``max_articles`` caps fetches.
"""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from tradecurbs.limits import limit
from tradecurbs.sources.ads import is_ad_link
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


def listed_url(lastupdate: str, suffix: str = ".export.csv.zip") -> str | None:
    """The URL of the file with this suffix in a lastupdate.txt (lines of: size md5 url)."""
    for line in lastupdate.splitlines():
        parts = line.split()
        if parts and parts[-1].lower().endswith(suffix):
            return parts[-1]
    return None


def export_url(lastupdate: str) -> str | None:
    """The events export URL in a lastupdate.txt."""
    return listed_url(lastupdate)


def article_themes(gkg_text: str) -> dict[str, set[str]]:
    """GKG themes (V1 and V2, offsets dropped) by article URL."""
    columns = defaults()["gkg_columns"]
    out: dict[str, set[str]] = {}
    for line in gkg_text.splitlines():
        cells = line.split("\t")
        if len(cells) <= max(columns.values()):
            continue
        found = out.setdefault(cells[columns["url"]].strip(), set())
        for cell in (cells[columns["themes"]], cells[columns["v2_themes"]]):
            found.update(t.split(",", 1)[0] for t in cell.split(";") if t)
    return out


@cache
def _trade_theme() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in defaults()["trade_themes"]))


def is_trade_lead(themes: set[str]) -> bool:
    """Whether an article's GKG themes say it is about trade or a restriction of it."""
    return any(_trade_theme().fullmatch(theme) for theme in themes)


def row_date(row: dict[str, str]) -> datetime | None:
    """When GDELT saw the row's article (DATEADDED, UTC)."""
    try:
        return datetime.strptime(row.get("DATEADDED", "").strip(), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def unzip_export(content: bytes) -> str:
    """The CSV text inside an export zip (its first member), refused past ``zip_max_bytes``."""
    return read_zip_member(content, int(limit("zip_max_bytes"))).decode("utf-8", errors="replace")


def _themes(context: CrawlContext, lastupdate: str) -> dict[str, set[str]] | None:
    """Themes by article URL from the update's GKG file; None (select by codes alone) without one."""
    if context.option("themes", True) is False:
        return None
    gkg_url = listed_url(lastupdate, ".gkg.csv.zip")
    try:
        return article_themes(unzip_export(context.fetch(gkg_url).content)) if gkg_url else None
    except (FetchError, zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        context.log.warning("no GKG themes (%s): selecting rows by CAMEO codes alone", exc)
        return None


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
    lastupdate = body.decode("utf-8", errors="replace")
    zip_url = export_url(lastupdate)
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
    themes = _themes(context, lastupdate)
    max_articles = context.option("max_articles")
    fetched, off_topic = 0, set()
    for row in _rows(context, zip_url, text):
        if not any(row[col] in codes for col in defaults()["code_columns"]):
            continue
        url = row["SOURCEURL"].strip()
        if not url.startswith(("http://", "https://")):
            context.fail(f"{zip_url}#row-{row['_row']}", f"GDELT row {row['_row']} has no http(s) SOURCEURL")
            continue
        if is_ad_link(url) or (themes is not None and not is_trade_lead(themes.get(url, set()))):
            off_topic.add(url)
            continue
        if context.seen(url):
            continue
        if max_articles is not None and fetched >= int(max_articles):
            break
        context.crawl_article(url, publisher=context.publisher_for(url), fallback_published_at=row_date(row))
        fetched += 1
    if off_topic:
        context.log.info(
            "%s: %d articles without a trade theme (or ads) not fetched", zip_url, len(off_topic)
        )
