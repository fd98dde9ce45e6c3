"""US Consolidated Screening List (trade.gov consolidated.csv): one document per Federal Register notice.

Rows of the kept lists (``data/screening_list.yml``; option ``lists`` narrows them by key) are
grouped by list, Federal Register notice and start_date. Each group becomes one document whose URL
is the notice's citation address on federalregister.gov (with ``#<list>-<date>`` when one notice
has several groups in the file), dated by the start_date, and whose text is rendered from the rows
by the YAML's templates: one sentence per country of the listed parties.

A row with the wrong number of fields, no name, or an unreadable start_date or notice is recorded as
failed under ``<csv URL>#line-<n>``; rows without a notice or a start_date are skipped by rule;
repeated rows collapse into one party. The file may be UTF-8 (with or without BOM) or Windows-1252.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
import yaml

from tradecurbs.sources.context import CrawlContext
from tradecurbs.sources.encoding import http_charset
from tradecurbs.sources.fetch import FetchError


@cache
def defaults() -> dict[str, Any]:
    """Kept lists, templates and formats (data/screening_list.yml)."""
    path = Path(__file__).resolve().parents[1] / "data" / "screening_list.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class NoticeKey:
    """What groups rows into one document: the list, the notice's volume and page, the start date."""

    list_key: str
    volume: int
    page: int
    start: date

    @property
    def citation(self) -> str:
        return f"{self.volume} FR {self.page}"


@dataclass
class Group:
    """The parties of one notice: name to the countries of its rows."""

    parties: dict[str, set[str]] = field(default_factory=dict)
    rows: set[tuple[str, frozenset[str]]] = field(default_factory=set)

    def add(self, name: str, countries: set[str]) -> bool:
        """Add a party; False when a row with the same name and countries was already added."""
        self.parties.setdefault(name, set()).update(countries)
        row = (name, frozenset(countries))
        if row in self.rows:
            return False
        self.rows.add(row)
        return True


# -- reading the file -----------------------------------------------------------------------------


def decode_csv(content: bytes, content_type: str | None = None) -> str:
    """The CSV's text: UTF-8 with a BOM, else the HTTP charset, else UTF-8, else Windows-1252."""
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    for name in (http_charset(content_type), "utf-8"):
        if name:
            try:
                return content.decode(name)
            except UnicodeDecodeError:
                continue
    return content.decode("cp1252", errors="replace")


def _records(text: str) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """(line where the record starts, fields or None, csv error or None) for each record."""
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield line, None, str(exc)
            if reader.line_num < line:  # nothing consumed: the reader cannot go on
                return
            continue
        if any(cell.strip() for cell in fields):
            yield line, fields, None


# -- reading a row --------------------------------------------------------------------------------


def list_keys(keys: list[str]) -> dict[str, str]:
    """The kept lists by how the ``source`` column spells them (normalised by ``_spelling``)."""
    return {_spelling(s): key for key in keys for s in defaults()["lists"][key]["sources"]}


def _spelling(source_value: str) -> str:
    return " ".join(source_value.split()).casefold()


def parse_start(value: str) -> date | None:
    """A start_date in one of the accepted formats, or None."""
    for fmt in defaults()["date_formats"]:
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def parse_notice(value: str, start: date) -> tuple[int, int] | None:
    """(volume, page) of the citation that goes with the start date: the volume of its year, or the
    nearest later one (a listing may be published the year after it takes effect)."""
    found = [(int(v), int(p)) for v, p in re.findall(defaults()["citation_pattern"], value)]
    if not found:
        return None
    expected = start.year - int(defaults()["first_volume_year"])
    return min(found, key=lambda vp: (abs(vp[0] - expected), vp[0] < expected))


def row_countries(row: dict[str, str]) -> set[str]:
    """ISO alpha-2 codes of a party's countries, from the first country column that gives any."""
    for column in defaults()["country_columns"]:
        codes = set()
        for part in (row.get(column) or "").split(";"):
            code = part.rsplit(",", 1)[-1].strip().upper()
            if len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None:
                codes.add(code)
        if codes:
            return codes
    return set()


# -- rendering ------------------------------------------------------------------------------------


def country_name(code: str) -> str:
    """How a country is written in a document sentence."""
    if name := defaults()["country_names"].get(code):
        return name
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def _date_text(day: date) -> str:
    month = defaults()["months"][day.month - 1]
    return defaults()["date_format"].format(day=day.day, month=month, year=day.year)


def _sentence(key: NoticeKey, country: str | None, names: list[str]) -> str:
    spec, parties = defaults()["lists"][key.list_key], defaults()["parties"]
    count = parties["one"] if len(names) == 1 else parties["many"].format(count=len(names))
    where = defaults()["where"].format(country=country_name(country)) if country else ""
    sentence = spec["sentence"].format(
        body=spec["body"],
        parties=count,
        where=where,
        list=spec["name"],
        date=_date_text(key.start),
        notice=key.citation,
        names="; ".join(names),
    )
    return sentence[:-1] if sentence.endswith("..") else sentence  # a last name ending "Ltd."


def render(key: NoticeKey, group: Group) -> tuple[str, str]:
    """(title, text) of a notice's document: one sentence per country, parties without one last."""
    by_country: dict[str | None, list[str]] = {}
    for name, countries in group.parties.items():
        for code in sorted(countries) or [None]:
            by_country.setdefault(code, []).append(name)
    order = sorted(by_country, key=lambda c: (c is None, country_name(c) if c else ""))
    lines = [_sentence(key, c, sorted(set(by_country[c]), key=str.casefold)) for c in order]
    title = defaults()["title"].format(list=defaults()["lists"][key.list_key]["name"], notice=key.citation)
    return title, "\n".join(lines)


def notice_url(key: NoticeKey, shared: bool) -> str:
    """The notice's public address; ``shared`` (several groups for one notice) adds list and date."""
    url = defaults()["notice_url"].format(volume=key.volume, page=key.page)
    return f"{url}#{key.list_key}-{key.start.isoformat()}" if shared else url


# -- the crawl ------------------------------------------------------------------------------------


@dataclass
class _Tally:
    rows: int = 0
    other_lists: int = 0
    no_notice: int = 0
    duplicates: int = 0
    failed: int = 0


def _row_notice(row: dict[str, str], key: str, where: str) -> NoticeKey | str | None:
    """The notice a kept row belongs to, an error saying why it cannot be read, or None to skip it."""
    if not row["name"]:
        notice = row["federal_register_notice"] or "none"
        return f"row at {where} ({row['source']}, notice {notice}) has no name"
    if not row["federal_register_notice"] or not row["start_date"]:
        return None
    if (start := parse_start(row["start_date"])) is None:
        return f"row at {where} ({row['name']!r}) has an unreadable start_date {row['start_date']!r}"
    if (citation := parse_notice(row["federal_register_notice"], start)) is None:
        notice = row["federal_register_notice"]
        return f"row at {where} ({row['name']!r}) has no Federal Register citation in {notice!r}"
    return NoticeKey(key, *citation, start)


def _read(
    context: CrawlContext, url: str, text: str, keys: list[str], tally: _Tally
) -> dict[NoticeKey, Group]:
    """Group the kept rows by notice; record malformed rows as failed."""
    records = _records(text)
    _, header, error = next(records, (0, None, None))
    if header is None:
        context.fail(url, f"no CSV header in {url}" + (f": {error}" if error else ""))
        return {}
    columns = [c.strip().lstrip("\ufeff") for c in header]
    if missing := [c for c in defaults()["required_columns"] if c not in columns]:
        context.fail(url, f"CSV header of {url} lacks column(s): {', '.join(missing)}")
        return {}
    kept = list_keys(keys)
    groups: dict[NoticeKey, Group] = {}
    for line, fields, error in records:
        tally.rows += 1
        where = f"line {line} of {url}"
        if fields is None or len(fields) != len(columns):
            problem = error or f"{len(fields or [])} fields, expected {len(columns)}"
            _fail_row(context, url, line, f"malformed CSV row at {where}: {problem}", tally)
            continue
        row = {c: v.strip() for c, v in zip(columns, fields, strict=True)}
        if (key := kept.get(_spelling(row["source"]))) is None:
            tally.other_lists += 1
            continue
        notice = _row_notice(row, key, where)
        if isinstance(notice, str):
            _fail_row(context, url, line, notice, tally)
        elif notice is None:
            tally.no_notice += 1
        elif not groups.setdefault(notice, Group()).add(" ".join(row["name"].split()), row_countries(row)):
            tally.duplicates += 1
    return groups


def _fail_row(context: CrawlContext, url: str, line: int, error: str, tally: _Tally) -> None:
    tally.failed += 1
    context.fail(f"{url}#line-{line}", error)


def _kept_lists(context: CrawlContext) -> list[str]:
    known = list(defaults()["lists"])
    wanted = context.option("lists") or known
    if unknown := [k for k in wanted if k not in known]:
        raise ValueError(f"unknown screening list key(s) {unknown}; known: {', '.join(known)}")
    return list(wanted)


def crawl(context: CrawlContext) -> None:
    """Fetch the CSV and emit one document per (list, notice, start date)."""
    url = context.source.url
    keys = _kept_lists(context)
    try:
        result = context.fetch(url)
    except FetchError as exc:
        context.fail(url, str(exc))
        return
    tally = _Tally()
    groups = _read(context, url, decode_csv(result.content, result.content_type), keys, tally)
    citations = Counter((k.volume, k.page) for k in groups)
    for key in sorted(groups, key=lambda k: (k.start, k.volume, k.page, k.list_key)):
        title, text = render(key, groups[key])
        published = datetime(key.start.year, key.start.month, key.start.day, tzinfo=UTC)
        shared = citations[key.volume, key.page] > 1
        context.ok(
            notice_url(key, shared), text, title=title, published_at=published, fetched_at=result.fetched_at
        )
    context.log.info(
        "%s: %d rows read, %d notices; skipped by rule: %d without a notice or start_date, %d of other "
        "lists, %d duplicates; %d malformed",
        url,
        tally.rows,
        len(groups),
        tally.no_notice,
        tally.other_lists,
        tally.duplicates,
        tally.failed,
    )
