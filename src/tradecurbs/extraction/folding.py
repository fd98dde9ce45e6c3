"""Case folding that agrees with ``re.IGNORECASE``, and fast one-for-one character translations.

``fold`` keeps every character at its offset, and two strings fold alike exactly when ``re.IGNORECASE``
(Unicode rules) takes them for equal: simple lowercase, plus the few equivalences the regex engine adds
(long s and s, dotless i and i, the Greek sigmas...).
"""

from __future__ import annotations

import _sre
import re
from collections.abc import Iterable
from functools import cache
from re import _casefix


@cache
def _canonical() -> dict[int, str]:
    """Characters that re.IGNORECASE treats as equal beyond simple lowercasing, mapped to one of them."""
    table: dict[int, str] = {}
    for low, others in _casefix._EXTRA_CASES.items():
        rep = chr(min((low, *others)))
        for c in (low, *others):
            if chr(c) != rep:
                table[c] = rep
    return table


def fold_char(ch: str) -> str:
    """One character as ``fold`` turns it (simple lowercase, then the case-fix equivalences)."""
    low = chr(_sre.unicode_tolower(ord(ch)))
    return _canonical().get(ord(low), low)


def char_class(codes: Iterable[int]) -> re.Pattern[str] | None:
    """A regex that finds any of the characters ``codes`` (None for none)."""
    runs: list[tuple[int, int]] = []
    for c in sorted(set(codes)):
        if runs and c == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], c)
        else:
            runs.append((c, c))
    if not runs:
        return None
    parts = (re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in runs)
    return re.compile(f"[{''.join(parts)}]")


_BMP_END = 0xFFFF  # the regex engine looks a character of the Basic Multilingual Plane up in one table


def coarse_class(codes: Iterable[int], gap: int = 1024) -> re.Pattern[str] | None:
    """A regex that finds any character of the ranges spanning ``codes``, runs less than ``gap`` apart
    merged: a few wide ranges search fast where thousands of narrow ones do not (it may find more). The
    codes beyond the Basic Multilingual Plane make one range: the engine tests such ranges one by one for
    every character of a text, where the others are one table look-up."""
    runs: list[list[int]] = []
    for c in sorted(set(codes)):
        if runs and (c - runs[-1][1] <= gap or runs[-1][0] > _BMP_END):
            runs[-1][1] = c
        else:
            runs.append([c, c])
    if not runs:
        return None
    parts = (re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in runs)
    return re.compile(f"[{''.join(parts)}]")


class Translation:
    """``str.translate`` with a one-for-one table, skipping texts that hold none of its characters: on a
    long non-ASCII text translate looks every character up, a character-class search does not. A large
    table (thousands of Chinese characters) is searched by the Unicode ranges it spans."""

    def __init__(self, table: dict[int, str]) -> None:
        self.table = table
        self.chars = char_class(table) if len(table) < 1000 else coarse_class(table)

    def __call__(self, text: str) -> str:
        return text.translate(self.table) if self.chars is not None and self.chars.search(text) else text


def with_case_fixes(extra: dict[int, str]) -> Translation:
    """A translation for ``fold``: ``extra`` (characters without case only) plus the case fixes."""
    return Translation({**extra, **_canonical()})


@cache
def _case_fixes() -> Translation:
    return Translation(_canonical())


def lower(text: str) -> str:
    """``text.lower()`` kept one character for one (the first step of ``fold``)."""
    low = text.lower()
    if len(low) != len(text):  # only U+0130 lowers to two characters; its simple lowercase is "i"
        low = text.replace("\u0130", "i").lower()
        if len(low) != len(text):
            low = "".join(fold_char(c) for c in text)
    return low


def fold(text: str, translate: Translation | None = None) -> str:
    """Length-preserving case fold under which two strings are equal when re.IGNORECASE says so.

    ``translate`` (from ``with_case_fixes``) adds a one-for-one translation of caseless characters
    applied after lowering, e.g. traditional to simplified Chinese.
    """
    low = lower(text)
    if low.isascii():
        return low
    return (translate or _case_fixes())(low)
