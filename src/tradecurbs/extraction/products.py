"""Products named in text (from the product table) and HS codes printed in it."""

from __future__ import annotations

import re
from functools import cache

import ahocorasick

from tradecurbs.extraction.lexicon import load, to_simplified

_HS_CUE = re.compile(
    r"\b(?:HS|H\.S\.|harmoni[sz]ed (?:system|tariff))(?:\s+(?:codes?|headings?|subheadings?|nos?\.?))?"
    r"|税则号|商品编号|海关商品编号",
    re.IGNORECASE,
)
_HS_NUM = re.compile(r"\b(\d{4}(?:\.?\d{2}){0,3})\b")


@cache
def _automaton() -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for entry in load("products"):
        for term in entry["terms"]:
            key = to_simplified(str(term)).lower()
            auto.add_word(key, (key, entry["name"], tuple(entry.get("hs", ()))))
    auto.make_automaton()
    return auto


def _lower(text: str) -> str:
    low = text.lower()
    return low if len(low) == len(text) else "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def find_products(text: str) -> list[tuple[int, int, str, tuple[str, ...]]]:
    """Longest non-overlapping product hits: (start, end, canonical name, HS codes)."""
    norm = _lower(to_simplified(text))
    hits = []
    for end_idx, (key, name, hs) in _automaton().iter(norm):
        start, end = end_idx - len(key) + 1, end_idx + 1
        if key[0].isascii() and start > 0 and norm[start - 1].isalnum():
            continue
        if key[-1].isascii() and end < len(norm) and norm[end].isalnum():
            continue
        hits.append((start, end, name, hs))
    hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
    out: list[tuple[int, int, str, tuple[str, ...]]] = []
    for h in hits:
        if all(h[1] <= o[0] or h[0] >= o[1] for o in out):
            out.append(h)
    return sorted(out)


def printed_hs_codes(text: str) -> list[str]:
    """HS codes printed after an HS cue, cut to 6 digits (national 8-10 digit lines keep their HS6)."""
    codes: set[str] = set()
    for cue in _HS_CUE.finditer(text):
        window = text[cue.end() : cue.end() + 160]
        stop = re.search(r"[)\]\n]|\.\s", window)
        window = window[: stop.start()] if stop else window
        for m in _HS_NUM.finditer(window):
            digits = m.group(1).replace(".", "")
            if len(digits) % 2:
                digits = digits[:-1]
            codes.add(digits[:6])
    return sorted(codes)
