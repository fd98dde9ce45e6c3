"""Sentence splitting for English, European languages and Chinese, keeping character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREV = (
    "U.S",
    "U.K",
    "U.N",
    "E.U",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "St",
    "No",
    "Nos",
    "Inc",
    "Corp",
    "Co",
    "Ltd",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "vs",
    "etc",
    "Gen",
    "Gov",
    "Sen",
    "Rep",
    "S",
    "N",
    "D.C",
    "approx",
    "e.g",
    "i.e",
    "Art",
    "para",
    "Fig",
)
_ABBREV_RE = re.compile(r"(?:^|[\s(\"'])(?:" + "|".join(re.escape(a) for a in _ABBREV) + r")\.$")
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)]*\s+(?=[\"'“‘(\[]?[A-Z0-9А-Я])|[。！？；]+[”’」』]?|\n+")


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document with its offset."""

    text: str
    start: int
    index: int
    is_title: bool = False


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences; newlines always end a sentence."""
    out: list[Sentence] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        chunk = text[start:end]
        head = text[max(0, m.start() - 12) : m.start() + 1]
        if m.group(0)[0] == "." and _ABBREV_RE.search(head):
            continue
        _append(out, chunk, start)
        start = end
    _append(out, text[start:], start)
    return out


def _append(out: list[Sentence], chunk: str, start: int) -> None:
    stripped = chunk.strip()
    if len(stripped) < 3:
        return
    offset = start + chunk.index(stripped[0])
    out.append(Sentence(stripped, offset, len(out)))
