"""Sanctions lists (XML or CSV files): one document per listing action, configured by a profile.

A profile (``data/sanctions_lists.yml``, chosen by option ``profile``; any of its keys may be
overridden in the source entry) says where the records are and which fields give a party's name,
regime, listing date and country. Records are grouped by (regime, listing date); each group becomes
one document, dated by the listing date, whose text has one sentence per country of its parties
("The United Nations Security Council added 2 parties in ... to the DPRK sanctions list, effective
30 November 2016: A; B."), as the screening-list connector does for US lists.

A list in which the profile finds no record is recorded as failed under its URL (its layout no
longer fits the profile). A record without a name or with an unreadable listing date is recorded
as failed under ``<list URL>#record-<n>``; a record without a listing date is skipped by rule; a
repeated party collapses into one. XML is decoded by its own declaration; CSV as UTF-8, else Windows-1252.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from lxml import etree

from tradecurbs.sources import profiles
from tradecurbs.sources.connectors.screening_list import decode_csv
from tradecurbs.sources.context import CrawlContext
from tradecurbs.sources.fetch import FetchError

FIELDS = ("name", "regime", "listed_on", "country")


def wording() -> dict[str, Any]:
    """How documents are worded, shared by the profiles (data/sanctions_lists.yml)."""
    return profiles.data_file("sanctions_lists.yml")["wording"]


def settings(options: dict[str, Any]) -> dict[str, Any]:
    """The profile named by option ``profile`` (data/sanctions_lists.yml), with the entry's options."""
    return profiles.settings(profiles.data_file("sanctions_lists.yml")["profiles"], options)


@dataclass(frozen=True)
class Listing:
    """What groups records into one document: the regime and the listing date."""

    regime: str
    listed_on: date


# -- reading records ------------------------------------------------------------------------------


def _fields(spec: dict[str, Any], get: Callable[[str], str]) -> dict[str, list[str]]:
    """Per field, the value of each alternative (its paths' non-empty values joined by spaces)."""
    return {
        field: [" ".join(v for v in map(get, alt) if v) for alt in spec["fields"][field]] for field in FIELDS
    }


def _xml_records(content: bytes, spec: dict[str, Any]) -> Iterator[dict[str, list[str]]]:
    root = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    for xpath in spec["records"]:
        for node in root.xpath(xpath):
            yield _fields(spec, lambda path, node=node: _xml_value(node, path))


def _xml_value(node: etree._Element, path: str) -> str:
    values = [" ".join("".join(n.itertext()).split()) for n in node.findall(path)]
    return "; ".join(v for v in values if v)


def _csv_records(content: bytes, content_type: str, spec: dict[str, Any]) -> Iterator[dict[str, list[str]]]:
    reader = csv.DictReader(io.StringIO(decode_csv(content, content_type), newline=""))
    for row in reader:
        yield _fields(spec, lambda column, row=row: (row.get(column) or "").strip())


def _first(values: list[str]) -> str:
    return next((" ".join(v.split()) for v in values if v.strip()), "")


def parse_listed_on(value: str, formats: list[str]) -> date | None:
    """A listing date in one of the profile's formats, or None."""
    for fmt in formats:
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


# -- rendering ------------------------------------------------------------------------------------


def _date_text(day: date) -> str:
    month = wording()["months"][day.month - 1]
    return wording()["date_format"].format(day=day.day, month=month, year=day.year)


def _fill(template: str, spec: dict[str, Any], listing: Listing, **extra: str) -> str:
    return template.format(
        body=spec["body"],
        regime=(spec.get("regimes") or {}).get(listing.regime, listing.regime),
        regime_key="".join(c if c.isalnum() else "-" for c in listing.regime).strip("-").lower(),
        date=_date_text(listing.listed_on),
        iso_date=listing.listed_on.isoformat(),
        **extra,
    )


def render(spec: dict[str, Any], listing: Listing, parties: dict[str, set[str]]) -> tuple[str, str]:
    """(title, text) of a listing action: one sentence per country, parties without one last."""
    by_country: dict[str, list[str]] = {}
    for name, countries in parties.items():
        for country in sorted(countries) or [""]:
            by_country.setdefault(country, []).append(name)
    lines = []
    for country in sorted(by_country, key=lambda c: (c == "", c)):
        names = sorted(set(by_country[country]), key=str.casefold)
        number = wording()["parties"]
        count = number["one"] if len(names) == 1 else number["many"].format(count=len(names))
        where = wording()["where"].format(country=country) if country else ""
        sentence = _fill(spec["sentence"], spec, listing, parties=count, where=where, names="; ".join(names))
        lines.append(sentence[:-1] if sentence.endswith("..") else sentence)
    return _fill(spec["title"], spec, listing), "\n".join(lines)


# -- the crawl ------------------------------------------------------------------------------------


def _records(context: CrawlContext, spec: dict[str, Any], content: bytes, content_type: str) -> list[dict]:
    url = context.source.url
    try:
        if spec["format"] == "xml":
            return list(_xml_records(content, spec))
        return list(_csv_records(content, content_type, spec))
    except (etree.XMLSyntaxError, csv.Error) as exc:
        context.fail(url, f"malformed {spec['format'].upper()} list: {exc}")
        return []


def _group(context: CrawlContext, spec: dict[str, Any], records: list[dict]) -> dict[Listing, dict]:
    url, groups, skipped = context.source.url, {}, 0
    for number, record in enumerate(records, start=1):
        name, regime, listed = (_first(record[f]) for f in ("name", "regime", "listed_on"))
        if not name:
            context.fail(f"{url}#record-{number}", f"record {number} of {url} has no name")
            continue
        if not listed or not regime:
            skipped += 1
            continue
        if (day := parse_listed_on(listed, spec["date_formats"])) is None:
            error = f"record {number} of {url} ({name!r}) has an unreadable listing date {listed!r}"
            context.fail(f"{url}#record-{number}", error)
            continue
        countries = {c for c in (_first(record["country"]).split("; ")) if c}
        groups.setdefault(Listing(regime, day), {}).setdefault(name, set()).update(countries)
    context.log.info(
        "%s: %d records, %d listing actions, %d without a regime or date",
        url,
        len(records),
        len(groups),
        skipped,
    )
    return groups


def crawl(context: CrawlContext) -> None:
    """Fetch the list and emit one document per listing action."""
    spec = settings(context.source.options)
    try:
        result = context.fetch(context.source.url)
    except FetchError as exc:
        context.fail(context.source.url, str(exc))
        return
    records = _records(context, spec, result.content, result.content_type)
    if not records:
        where = f"records {spec['records']!r}" if spec["format"] == "xml" else "CSV header"
        context.fail(context.source.url, f"no records in the list: the profile's {where} gave none")
        return
    groups = _group(context, spec, records)
    for listing in sorted(groups, key=lambda g: (g.listed_on, g.regime)):
        url = _fill(spec["document_url"], spec, listing)
        with context.item(url):
            title, text = render(spec, listing, groups[listing])
            day = listing.listed_on
            context.ok(
                url,
                text,
                title=title,
                published_at=datetime(day.year, day.month, day.day, tzinfo=UTC),
                fetched_at=result.fetched_at,
            )
