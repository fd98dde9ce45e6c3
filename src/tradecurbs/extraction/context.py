"""Document-level context: the home jurisdiction of a document and its date of issue."""

from __future__ import annotations

from functools import cache, cached_property
from typing import Any
from urllib.parse import urlparse

import pycountry

from tradecurbs.extraction import fastre as re
from tradecurbs.extraction.dates import Anchor, DateMention, dateline, find_dates
from tradecurbs.extraction.folding import fold
from tradecurbs.extraction.gazetteer import Mention, attach_countries, find_mentions
from tradecurbs.extraction.lexicon import load
from tradecurbs.extraction.literals import required
from tradecurbs.extraction.roles import is_object, official_noun_after

_DATELINE_WINDOW = 400  # characters at the top of a notice where its dateline stands
_DATELINE = re.compile(r"^\W{0,3}([A-Z][A-Z .'-]{2,30}?)\s*(?:\]|,|\(|\.|\s-|\s—)")


@cache
def _capitals() -> dict[str, str]:
    out = {}
    for code, spec in load("places").items():
        for name in spec.get("capitals", []) + spec.get("names", []):
            out[str(name).upper()] = code
    return out


def _first_lines(text: str, n: int) -> list[str]:
    """``text.splitlines()[:n]``, without splitting the whole text when its start holds enough lines."""
    lines = text[:2000].splitlines()
    return lines[:n] if len(lines) > n else text.splitlines()[:n]


def home_jurisdiction(doc: dict, title_mentions: list[Mention]) -> tuple[str | None, str]:
    """(code, rule) of the jurisdiction a document speaks from: its official domain, dateline, title."""
    text = doc.get("text") or ""
    host = urlparse(doc.get("url") or "").netloc.lower() if doc.get("source_kind") == "official" else ""
    if host:
        for domain, code in load("sources")["domains"].items():
            if host == domain or host.endswith("." + domain):
                return code, f"default.domain:{domain}"
    for line in _first_lines(text.lstrip(), 3):
        m = _DATELINE.match(line)
        if m and m.group(1).strip().upper() in _capitals():
            return _capitals()[m.group(1).strip().upper()], "default.dateline"
    tag = (doc.get("language") or "").lower()
    by_language = load("sources").get("languages", {})
    for language in (tag, tag.split("-")[0]):
        if language in by_language:
            return by_language[language], f"default.language:{language}"
    code = _cctld_country(doc.get("url") or "") if tag and not tag.startswith("en") else None
    if code is not None:
        return code, "default.cctld"
    title = doc.get("title") or ""
    for m in title_mentions:
        # the place a headline aims at is not where it speaks from ("Fresh curbs on tool sales to Iran")
        if m.code and m.kind != "demonym" and not is_object(title, m) and not _topic_possessive(title, m):
            return m.code, "default.title"
    head = text[:600]
    for m in attach_countries(head, find_mentions(head)):
        # a place the text aims at, or the demonym of what it aims at, is not where it speaks from
        # ("sanctioned five Chinese firms", "imports of Russian oil")
        aimed = (
            is_object(head, m)
            or _topic_possessive(head, m)
            or (
                m.kind == "demonym"
                and (
                    _AIMED_AFTER.match(head, m.end)
                    or _TRADED_BEFORE.search(head, max(0, m.start - 24), m.start)
                )
            )
        )
        if m.code and not aimed:
            return m.code, "default.first_mention"
    return None, "default.none"


# what a measure aims at, after a demonym
_AIMED_AFTER = re.compile(
    r"\s+(?:[\w-]+\s+){0,2}?(?:firms?|compan(?:y|ies)|entit(?:y|ies)|individuals|nationals|citizens|"
    r"goods|products|imports|exports|banks?|lenders|vessels|ships|oil|crude|gas|coal|grain|steel)\b",
    re.I,
)
# goods traded, before a demonym ("stop buying Russian crude", "imports of Chinese steel")
_TRADED_BEFORE = re.compile(
    r"\b(?:buying|selling|purchases?\s+of|imports?\s+of|exports?\s+of|shipments?\s+of|supplies\s+of)\s+$",
    re.I,
)


# a measure a place in the possessive owns ("London's latest package", "China's new export curbs",
# "Beijing's new rare earth rules")
_OWN_MEASURE = re.compile(
    r"\s+(?:[\w-]+\s+){0,3}?(?:package|sanctions|tariffs?|duties|ban|bans|embargo|measures|curbs|restrictions|"
    r"controls|quotas?|list|decision|move|retaliation|countermeasures|rules|regulations|licensing)\b",
    re.I,
)


def _topic_possessive(title: str, m: Mention) -> bool:
    """A place in the possessive before anything but its government or its measure is the topic ("Notice
    on Brazil's Trade Practices"), not where the text speaks from ("China's commerce ministry", "London's
    latest package")."""
    after = title[m.end : m.end + 2]
    if after not in ("'s", "’s"):
        return False
    return not (official_noun_after(title, m.end + 2) or _OWN_MEASURE.match(title, m.end + 2))


def _cctld_country(url: str) -> str | None:
    """The country of a site's country-code top-level domain (``.com.br``, ``.fr``), if it names one."""
    tld = (urlparse(url).hostname or "").rsplit(".", 1)[-1]
    sources = load("sources")
    if len(tld) != 2 or not tld.isalpha() or tld in sources["generic_cctlds"]:
        return None
    code = sources["cctld_codes"].get(tld, tld.upper())
    return code if code == "EU" or pycountry.countries.get(alpha_2=code) else None


@cache
def _issued_cue() -> re.Pattern[str]:
    return re.compile(load("sources")["issued_cue"], re.IGNORECASE)


@cache
def _issued_words() -> list[frozenset[str]]:
    return required(load("sources")["issued_cue"], re.IGNORECASE)


@cache
def _signoff() -> re.Pattern[str]:
    return re.compile(load("sources")["signoff_cue"])


def signoff_date(text: str, anchor: Anchor) -> DateMention | None:
    """The date a notice is signed with after its closing formula ("……特此公告。 商务部 2024年5月8日")."""
    if "特此" not in text:
        return None
    m = _signoff().search(text)
    if not m:
        return None
    dates = [d for d in find_dates(m.group(0), anchor) if d.precision == "day"]
    if not dates:
        return None
    return DateMention(m.start(), m.end(), dates[-1].value, "day", "announced", "date.signoff")


# how many days before its publication a wire story may have been filed
_FILED_DAYS = 7


def dateline_date(text: str, anchor: Anchor) -> DateMention | None:
    """The day a wire story was filed, from its dateline ("NEW DELHI, March 13 (Reuters) - ..."): the day
    its "Tuesday" and "yesterday" count from, when it falls within a week before the publication."""
    d = dateline(text, anchor)
    if d is None or anchor.date is None or not 0 <= (anchor.date - d.value).days <= _FILED_DAYS:
        return None
    return DateMention(d.start, d.end, d.value, "day", "announced", "date.dateline")


def issue_date(text: str, anchor: Anchor) -> DateMention | None:
    """The date a notice gives as its date of issue, if it prints one (after an issue cue, or in the
    signature after its closing formula)."""
    signed = signoff_date(text, anchor)
    if signed is not None:
        return signed
    folded = fold(text)
    if not all(any(w in folded for w in clause) for clause in _issued_words()):
        return None  # the cue's words are absent: no need to run its regex over the whole text
    cue = _issued_cue().search(text)
    if not cue:
        return None
    window = text[cue.end() : cue.end() + 40]
    dates = [d for d in find_dates(window, anchor) if d.precision == "day" and d.start < 6]
    return dates[0] if dates else None


class DocContext:
    """The document-level facts a sentence may need, each worked out on first use."""

    def __init__(self, doc: dict[str, Any], title: str | None, anchor: Anchor) -> None:
        self.doc, self.title, self.anchor = doc, title, anchor

    @cached_property
    def home(self) -> tuple[str | None, str]:
        """(code, rule) of the home jurisdiction (see ``home_jurisdiction``)."""
        return home_jurisdiction(self.doc, find_mentions(self.title) if self.title else [])

    @cached_property
    def issued(self) -> DateMention | None:
        """The date of issue the document prints, if any: after an issue cue ("Date of Issuance"), else,
        for an official notice whose publication date is not known to the day, the first full date of its
        opening lines (the dateline of a resolution: "Lima, 9 de febrero de 2018")."""
        text = self.doc.get("text") or ""
        found = issue_date(text, self.anchor)
        if found is not None or self.doc.get("source_kind") != "official" or self.anchor.precision == "day":
            return found
        head = text[:_DATELINE_WINDOW]
        days = [d for d in find_dates(head, self.anchor) if d.precision == "day" and d.role == "announced"]
        return days[0] if days else None
