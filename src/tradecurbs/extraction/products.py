"""Products named in text (from the product table) and HS codes printed in it."""

from __future__ import annotations

from functools import cache

import ahocorasick

from tradecurbs.extraction import fastre as re
from tradecurbs.extraction.hs import normalise
from tradecurbs.extraction.lexicon import load, to_simplified
from tradecurbs.extraction.literals import digit_run

_HS_CUE = re.compile(
    r"\b(?:HS|H\.S\.|harmoni[sz]ed (?:system|tariff))(?:\s+(?:codes?|headings?|subheadings?|nos?\.?))?"
    r"|税则号|商品编号|海关商品编号",
    re.IGNORECASE,
)
# a code, its pairs of digits written together, after full stops or after single spaces ("1006 30 90")
_HS_NUM = re.compile(r"\b(\d{4}(?:[. ]?\d{2}(?!\d)){0,3})\b")
_YEAR_BEFORE = re.compile(r"\b(?:in|since|from|by|until|year|fiscal|FY)\s+$", re.I)
# a text without the run of digits every code holds prints no code: its cues are not sought
_HS_DIGITS = re.compile(rf"\d{{{digit_run(_HS_NUM.pattern)}}}")


@cache
def _automaton() -> ahocorasick.Automaton:
    """Product names; a name written with a trailing * (a stem) may be followed by any ending."""
    auto = ahocorasick.Automaton()
    for entry in load("products"):
        for term in entry["terms"]:
            key = to_simplified(str(term)).lower()
            open_end = key.endswith("*")
            key = key.rstrip("*")
            auto.add_word(key, (key, entry["name"], tuple(entry.get("hs", ())), open_end))
    auto.make_automaton()
    return auto


def _lower(text: str) -> str:
    low = text.lower()
    return low if len(low) == len(text) else "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def find_products(
    text: str, names: list[tuple[int, int]] = ()
) -> list[tuple[int, int, str, tuple[str, ...]]]:
    """Longest non-overlapping product hits: (start, end, canonical name, HS codes). ``names``: spans of
    firm or body names, inside which a product word is part of the name ("Semiconductor Manufacturing
    International Corporation"), not a product."""
    norm = _lower(to_simplified(text))
    hits = []
    for end_idx, (key, name, hs, open_end) in _automaton().iter(norm):
        start, end = end_idx - len(key) + 1, end_idx + 1
        if key[0].isalnum() and not _spaceless(key[0]) and start > 0 and norm[start - 1].isalnum():
            continue
        if key[-1].isalnum() and not _spaceless(key[-1]) and end < len(norm) and norm[end].isalnum():
            if not open_end:
                continue
            while end < len(norm) and norm[end].isalnum():
                end += 1
        if any(s <= start < e or s < end <= e for s, e in names):
            continue
        hits.append((start, end, name, hs))
    hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
    out: list[tuple[int, int, str, tuple[str, ...]]] = []
    for h in hits:
        if all(h[1] <= o[0] or h[0] >= o[1] for o in out):
            out.append(h)
    # a phrase the table names with no product ("arms embargo") hides the product word inside it
    return sorted(h for h in out if h[2] is not None)


def _spaceless(ch: str) -> bool:
    """Characters of scripts written without spaces (CJK, kana, hangul, Thai): no word boundaries."""
    return "\u0e00" <= ch <= "\u0e7f" or "\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af"


def printed_hs_codes(text: str) -> list[str]:
    """HS codes printed after an HS cue that the nomenclature knows, cut to 6 digits (national 8-10 digit
    lines keep their HS6); a number the nomenclature does not know is no code."""
    codes: set[str] = set()
    if not _HS_DIGITS.search(text):
        return []
    for cue in _HS_CUE.finditer(text):
        window = text[cue.end() : cue.end() + 160]
        stop = re.search(r"[)\]\n]|\.\s", window)
        window = window[: stop.start()] if stop else window
        for m in _HS_NUM.finditer(window):
            if _YEAR_BEFORE.search(window, 0, m.start()):
                continue  # "HS 1006 in 2023": a year, not a code
            code = normalise(m.group(1))
            if code:
                codes.add(code)
    return sorted(codes)
