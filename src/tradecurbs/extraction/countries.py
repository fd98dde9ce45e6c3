"""Names of every jurisdiction in many languages, from maintained data (pycountry and Babel's CLDR),
and English demonyms and capitals from countryinfo (REST Countries data).

Hand-kept additions (demonyms and capitals in other languages, metonyms) live in ``data/places.yml``;
this module supplies what maintained data has, so that a country no one thought to list is still
recognised ("imported Nicaraguan goods", "Managua").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pycountry
from babel import Locale

from tradecurbs.extraction import fastre as re
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
# case forms of a one-word name ending in -a, in Czech, Slovak and Polish
_LATIN_A_ENDINGS = ("y", "ě", "e", "u", "ou", "i", "ie", "ę", "ą", "je", "ji")
# case forms of a one-word name ending in a consonant (a masculine noun), in Latin and in Cyrillic script
_LATIN_MASC_ENDINGS = ("u", "a", "e", "em", "ie", "owi", "ovi")
_CYRILLIC_MASC_ENDINGS = ("а", "у", "е", "ом", "ем")
# case forms of a Czech, Slovak or Polish adjective by its nominative ending ("Południowa": "Południowej")
_LATIN_ADJ_ENDINGS = {"a": ("ej", "iej", "ą"), "á": ("ej", "ú", "ou"), "í": ("í",)}
_SLAVIC_ADJ = re.compile(r"(?:ska|cka|owa|[áí])$")


def case_forms(name: str) -> list[str]:
    """Case forms of a short one-word Slavic name in -a, too short for a stem ("Куба": "Кубы", "Кубе";
    "Čína": "Číny", "Číně"), of a Russian two-word name of a feminine adjective and noun, and of a Czech,
    Slovak or Polish one of a noun in -a and an adjective."""
    words = name.split(" ")
    if len(words) == 2 and words[0].endswith("ая") and words[1][-1:] in ("а", "я"):
        # "Южная Корея": the adjective and the noun take their case together ("Южную Корею", "Южной Кореи")
        adj, noun = words[0][:-2], words[1][:-1]
        return [f"{adj}{a} {noun}{n}" for a in ("ую", "ой") for n in _A_ENDINGS]
    if len(words) == 2 and all(w[:1].isupper() for w in words) and any(map(_SLAVIC_ADJ.search, words)):
        # "Korea Południowa" ("Korei Południowej"), "Južná Kórea" ("Južnej Kórei"), "Jižní Korea" ("Jižní
        # Koreje"): a Latin-script Slavic name of a noun in -a and an adjective, in either order
        first, second = words
        if first[-1] == "a" and second[-1] in _LATIN_ADJ_ENDINGS:
            noun, adj = first, second
        elif second[-1] == "a" and first[-1] in _LATIN_ADJ_ENDINGS:
            noun, adj = second, first
        else:
            return []
        nouns = [noun[:-1] + e for e in _LATIN_A_ENDINGS]
        adjs = [adj[:-1] + e for e in _LATIN_ADJ_ENDINGS[adj[-1]]]
        return [f"{n} {a}" if noun == first else f"{a} {n}" for n in nouns for a in adjs]
    if " " in name or len(name) < 3:
        return []
    if name[-1] in "ая":
        return [name[:-1] + ending for ending in _A_ENDINGS]
    if name[-1] == "a" and not name.isascii():
        return [name[:-1] + ending for ending in _LATIN_A_ENDINGS]
    if len(name) >= 4 and name[-1].isalpha() and name[-1].lower() not in _STEM_ENDINGS:
        # a name that ends in a consonant takes the case endings of a masculine noun ("Izrael": "do
        # Izraele", "z Izraela"; "Irák": "z Iráku"; "Иран": "из Ирана")
        cyrillic = "а" <= name[-1].lower() <= "я"
        return [name + ending for ending in (_CYRILLIC_MASC_ENDINGS if cyrillic else _LATIN_MASC_ENDINGS)]
    return []


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
    for text, code in _bracketed_parts(out):
        add(text, code)
    return tuple(out.values())


def _bracketed_parts(names: dict[tuple[str, str], PlaceName]) -> list[tuple[str, str]]:
    """The parts of CLDR names written "A (B)" ("Myanmar (Burma)", "เมียนมา (พม่า)"), each a name of its own
    when it names one jurisdiction only and is no country's name already (so "(China)" in "RAE de Hong
    Kong (China)" and the "Congo" of two Congos are left out)."""
    known = {text for text, _ in names}
    parts: dict[str, set[str]] = {}
    for text, code in names:
        m = re.fullmatch(r"(.+?)\s*[(（](.+?)[)）]", text)
        if m:
            for part in (m.group(1).strip(), m.group(2).strip()):
                if len(part) >= 2 and "." not in part and part not in known:
                    parts.setdefault(part, set()).add(code)
    return [(text, next(iter(codes))) for text, codes in sorted(parts.items()) if len(codes) == 1]


def _plural(demonym: str) -> str | None:
    """The plural noun of an English demonym that takes one ("Kuwaiti" -> "Kuwaitis")."""
    return demonym + "s" if demonym.endswith(("an", "i", "er")) else None


@cache
def english_adjectives() -> tuple[tuple[str, str, str], ...]:
    """(text, code, kind) of every English demonym ("Nicaraguan", "Nicaraguans") and capital ("Managua").

    A demonym that several jurisdictions share ("Congolese", "Dominican") names none of them, and a
    capital listed in ``gazetteer.yml`` as no metonym for its government (a common word, a given name,
    a city that is not the seat of government) is left out.
    """
    import countryinfo  # its country files are read here only, once, when the gazetteer is built

    cfg = load("gazetteer")
    not_government = set(cfg.get("capitals_not_government", []))
    iso = {c.alpha_2 for c in pycountry.countries}
    demonyms: dict[str, set[str]] = {}
    capitals: dict[str, set[str]] = {}
    for info in countryinfo.all_countries():
        try:
            code = info.iso(2)
        except Exception:  # an entry without ISO codes (a dependency or a historical entity)
            continue
        if code not in iso:
            continue
        names = {info.name()}
        for raw in str(info.demonym() or "").replace("/", ",").split(","):
            word = raw.strip()
            if word and word not in names:
                for form in (word, _plural(word)):
                    if form:
                        demonyms.setdefault(form, set()).add(code)
        capital = info.capital()
        for name in capital if isinstance(capital, list) else [capital]:
            if name and "/" not in name and name not in not_government and name not in names:
                capitals.setdefault(str(name), set()).add(code)
    out = [(text, next(iter(codes)), "demonym") for text, codes in demonyms.items() if len(codes) == 1]
    out += [(text, next(iter(codes)), "capital") for text, codes in capitals.items() if len(codes) == 1]
    return tuple(sorted(out))
