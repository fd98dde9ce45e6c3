"""Publication dates as sources give them, to tz-aware UTC datetimes.

A value with a time but no zone is read in the source's time zone (option ``timezone``); a bare
date becomes midnight UTC of that day, so its calendar date never shifts. Month names in the
languages of ``data/date_names.yml`` are read (RFC 822 dates written in Portuguese, Turkish, ...),
as are CJK dates (2024年3月5日, 2024년 3월 5일) and day-first dotted dates (05.03.2024).
"""

from __future__ import annotations

import calendar
import email.utils
import re
import time
from datetime import UTC, date, datetime, tzinfo
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from tradecurbs.contracts import EARLIEST_DATE, latest_date

_DATE_ONLY = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
# 2024-03-05-10:30:00 (gov.cn meta), 2024/03/05 10:30, 2024.03.05
_NUMERIC = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[-T\s]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_CHINESE = re.compile(
    r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]"
    r"(?:\s*(?:\([^)]*\)|（[^）]*）)?\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?"
)
# 05.03.2024 or 05.03.2024 10:30 (German, Russian, Turkish pages): day first
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_WORD = re.compile(r"[^\W\d_]+\.?", re.UNICODE)
_LEADING_DAY_NAME = re.compile(r"^\s*[^\W\d_]+\.?,\s*")
_ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# locales dateparser tries, in order, for free-form dates (languages would pull in every regional
# locale, en-001, en-150, ..., and cost seconds per string that is no date)
FREEFORM_LOCALES = ["en", "fr", "de", "es", "ru"]


@cache
def month_names() -> dict[str, int]:
    """Month number by lowercased name, over every language of data/date_names.yml."""
    path = Path(__file__).resolve().parent / "data" / "date_names.yml"
    names: dict[str, int] = {}
    for month, spellings in yaml.safe_load(path.read_text(encoding="utf-8"))["months"].items():
        for name in spellings:
            if names.setdefault(str(name).casefold(), int(month)) != int(month):
                raise ValueError(f"{path}: month name {name!r} stands for two months")
    return names


def english_months(text: str) -> str | None:
    """``text`` with its day name dropped and month names in English (None if it names no month)."""
    names = month_names()
    found = False

    def swap(match: re.Match[str]) -> str:
        nonlocal found
        month = names.get(match.group(0).rstrip(".").casefold())
        if month is None:
            return match.group(0)
        found = True
        return _ENGLISH_MONTHS[month - 1]

    swapped = _WORD.sub(swap, _LEADING_DAY_NAME.sub("", text))
    return swapped if found else None


@cache
def zone(name: str | None) -> tzinfo:
    """The tzinfo for an IANA name (UTC when None)."""
    return ZoneInfo(name) if name else UTC


def _from_parts(parts: tuple[str | None, ...], tz: tzinfo) -> datetime | None:
    year, month, day, hour, minute, second = (int(p) if p else None for p in parts)
    try:
        if hour is None:
            return datetime(year, month, day, tzinfo=UTC)  # type: ignore[arg-type]
        local = datetime(year, month, day, hour, minute or 0, second or 0, tzinfo=tz)  # type: ignore[arg-type]
    except ValueError:
        return None
    return local.astimezone(UTC)


def _aware(value: datetime, tz: tzinfo) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=tz)).astimezone(UTC)


def _parse_string(text: str, tz: tzinfo) -> datetime | None:
    if _DATE_ONLY.match(text):
        return _from_parts((*text.split("-"), None, None, None), tz)
    try:
        return _aware(datetime.fromisoformat(text.replace("Z", "+00:00")), tz)
    except ValueError:
        pass
    for pattern in (_NUMERIC, _CHINESE):
        if match := pattern.search(text) if pattern is _CHINESE else pattern.match(text):
            return _from_parts(match.groups(), tz)
    if match := _DOTTED.match(text):
        day, month, year, *clock = match.groups()
        return _from_parts((year, month, day, *clock), tz)
    if (rfc822 := _rfc822(text, tz)) is not None:
        return rfc822
    if (english := english_months(text)) is not None and (rfc822 := _rfc822(english, tz)) is not None:
        return rfc822
    return _dateparser(text, tz)


def _rfc822(text: str, tz: tzinfo) -> datetime | None:
    try:
        return _aware(email.utils.parsedate_to_datetime(text), tz)
    except (TypeError, ValueError, IndexError):
        return None


def _dateparser(text: str, tz: tzinfo) -> datetime | None:
    import dateparser  # slow to import; only for free-form dates

    settings = {"RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first"}
    parsed = None
    for locale in FREEFORM_LOCALES:  # one at a time, first hit wins
        if parsed := dateparser.parse(text, locales=[locale], settings=settings):
            break
    if parsed is None:
        return None
    if not re.search(r"\d[:：]\d", text):  # no time of day given: keep the calendar date
        return datetime(parsed.year, parsed.month, parsed.day, tzinfo=UTC)
    return _aware(parsed, tz)


def parse_datetime(value: object, tz_name: str | None = None) -> datetime | None:
    """A tz-aware UTC datetime from a string, date, datetime or struct_time; None if not a date."""
    tz = zone(tz_name)
    result: datetime | None
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        result = _aware(value, tz)
    elif isinstance(value, date):
        result = datetime(value.year, value.month, value.day, tzinfo=UTC)
    elif isinstance(value, time.struct_time):  # feedparser's *_parsed values are UTC
        result = datetime.fromtimestamp(calendar.timegm(value), UTC)
    elif isinstance(value, str):
        result = _parse_string(value.strip(), tz)
    else:
        return None
    if result is None or not EARLIEST_DATE <= result.date() <= latest_date(datetime.now(UTC).date()):
        return None  # a page "published" in 1850 or in 2999 gives no publication date
    return result
