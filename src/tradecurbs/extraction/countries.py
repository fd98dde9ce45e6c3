"""Names of every jurisdiction in many languages, from maintained data (pycountry and Babel's CLDR).

Hand-kept additions (demonyms, capitals, metonyms) live in ``data/places.yml``; this module supplies
the names themselves, so that a country no one thought to list is still recognised.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pycountry
from babel import Locale

from tradecurbs.extraction.lexicon import load

_STEM_ENDINGS = "аяыиоеуюьйaeiouyě"
_MIN_STEM = 4


@dataclass(frozen=True)
class PlaceName:
    """A way of writing a jurisdiction: ``open_end`` names accept a case ending after them."""

    text: str
    code: str
    open_end: bool = False


def stem(name: str) -> str | None:
    """The stem of a one-word name of an inflecting language ("Россия" -> "Росси"), or None."""
    if " " in name or "-" in name:
        return None
    base = name[:-1] if name[-1].lower() in _STEM_ENDINGS else name
    return base if len(base) >= _MIN_STEM and base != name else None


_A_ENDINGS = ("ы", "и", "е", "у", "ю", "ой", "ей")  # case forms of a one-word name ending in -а or -я


def case_forms(name: str) -> list[str]:
    """Case forms of a short one-word Slavic name in -а/-я, too short for a stem ("Куба": "Кубы", "Кубе")."""
    if " " in name or len(name) < 3 or name[-1] not in "ая":
        return []
    return [name[:-1] + ending for ending in _A_ENDINGS]


@cache
def country_names() -> tuple[PlaceName, ...]:
    """Every ISO 3166-1 country (and EU) under its pycountry names and its CLDR name in each locale."""
    cfg = load("gazetteer")
    ambiguous = set(cfg.get("ambiguous", []))
    codes = {c.alpha_2 for c in pycountry.countries} | set(cfg.get("extra_codes", []))
    out: dict[tuple[str, str], PlaceName] = {}

    def add(text: str | None, code: str, open_end: bool = False) -> None:
        if not text or text in ambiguous or len(text) < 2:
            return
        out.setdefault((text, code), PlaceName(text, code, open_end))

    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            add(getattr(c, attr, None), c.alpha_2)
    inflecting = set(cfg.get("inflecting", []))
    for loc in cfg["cldr_locales"]:
        territories = Locale.parse(loc).territories
        for code in codes:
            name = territories.get(code)
            add(name, code)
            if loc in inflecting and name and name not in ambiguous:
                s = stem(name)
                if s:
                    add(s, code, open_end=True)
                for form in case_forms(name):
                    add(form, code)
    return tuple(out.values())
