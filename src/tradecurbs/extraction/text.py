"""Sentence splitting for English, European languages and Chinese, keeping character offsets."""

from __future__ import annotations

from dataclasses import dataclass

from tradecurbs.extraction import fastre as re

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
_ABBREV_SET = frozenset(_ABBREV)
_ABBREV_LENGTHS = tuple(sorted({len(a) for a in _ABBREV}))
_ABBREV_TAILS = frozenset(a[-2:] for a in _ABBREV)  # a quick test before the full one
_HEAD = 12  # how far before a full stop an abbreviation is looked for
# One character class first, so the regex engine can skip ahead to candidate positions; the branches
# then read: Latin end marks before a capitalised word (or a Korean syllable: Korean ends its sentences
# with a full stop), Chinese end marks, runs of newlines, and a Latin end mark glued to the capitalised
# word after it.
_BOUNDARY = re.compile(
    r"[.!?。！？；\n](?:(?<=[.!?])[.!?]*[\"'”’)]*\s+(?=[\"'“‘(\[]?[A-Z0-9А-Я\uac00-\ud7af])"
    r"|(?<=[。！？；])[。！？；]*[”’」』]?|(?<=\n)\n*"
    # paragraphs run together by a scraper: "weapons programs.The Treasury Department's ..."
    r"|(?<=[a-z]{2}[.!?])[\"'”’)]*(?=[\"“]?[A-Z][a-z]))"
)


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document with its offset."""

    text: str
    start: int
    index: int
    is_title: bool = False


def _abbreviation_before(text: str, dot: int) -> bool:
    """Whether the full stop at ``dot`` ends an abbreviation ("U.S.", "Mr.") that starts the text or
    follows a space, bracket or quote, within the few characters before the stop."""
    head = max(0, dot - _HEAD)
    for n in _ABBREV_LENGTHS:
        s = dot - n
        if s < head:
            break
        if text[s:dot] in _ABBREV_SET and (s == head or text[s - 1].isspace() or text[s - 1] in "(\"'"):
            return True
    return False


# "12:01 a.m. EDT": a clock time's a.m. or p.m. before its time zone ends no sentence
_ZONE_AFTER = re.compile(r"(?:[A-Z]{1,3}T|UTC|GMT|CEST)\b")


def _clock_before_zone(text: str, dot: int, end: int) -> bool:
    """Whether the full stop ends the "a.m."/"p.m." of a clock time followed by its time zone."""
    return text[max(0, dot - 3) : dot].lower() in ("a.m", "p.m") and bool(_ZONE_AFTER.match(text, end))


_DAY_BEFORE = re.compile(r"(?:^|[\s(])\d{1,2}$")
_WORD_AFTER = re.compile(r"\w+")


def _ordinal_date(text: str, dot: int, end: int) -> bool:
    """Whether the full stop ends the day of a date written "4. Oktober" (German, Czech, Polish, Nordic)."""
    from tradecurbs.extraction.dates import month_names

    word = _WORD_AFTER.match(text, end)
    return bool(
        word and _DAY_BEFORE.search(text, max(0, dot - 3), dot) and word.group(0).lower() in month_names()
    )


# a German ordinal after an article or a contracted preposition ("das 14. Sanktionspaket", "im 3. Quartal",
# "zum 20. Mal"): its dot ends no sentence
_ORDINAL_BEFORE = re.compile(
    r"(?:^|\s)(?:der|die|das|dem|den|des|am|im|zum|zur|vom|beim|ins|seit|ab|ihr\w*|sein\w*|unser\w*)"
    r"\s+\d{1,3}$",
    re.I,
)
_LETTER_AFTER = re.compile(r"[^\W\d_]")


def _article_ordinal(text: str, dot: int, end: int) -> bool:
    """Whether the full stop ends a German ordinal that an article opens ("das 14. Sanktionspaket")."""
    return bool(_LETTER_AFTER.match(text, end) and _ORDINAL_BEFORE.search(text, max(0, dot - 14), dot))


# a numeric date written with spaces after its dots ("1. 3. 2024", Czech, Slovak, German): its dots end
# no sentence
_SPACED_DATE_AFTER = re.compile(r"\d{1,2}\.\s?(?:19|20)\d{2}\b|(?:19|20)\d{2}\b")
_SPACED_DATE_BEFORE = re.compile(r"(?:^|[\s(])\d{1,2}(?:\.\s?\d{1,2})?$")


def _spaced_date(text: str, dot: int, end: int) -> bool:
    """Whether the full stop is the first or second dot of a date "1. 3. 2024"."""
    before = _SPACED_DATE_BEFORE.search(text, max(0, dot - 7), dot)
    if not before:
        return False
    after = _SPACED_DATE_AFTER.match(text, end)
    if not after:
        return False
    # "1." before "3. 2024" (day then month), or "1. 3." before "2024" (the month's dot)
    return "." in before.group(0) or after.group(0)[:1] != "2" or "." in after.group(0)


def _may_end_date(before: str) -> bool:
    """Whether a full stop after ``before`` (one character or none) can belong to a date
    (``dates.dot_in_date``): after the abbreviation of "year" (r, г, g, р), a digit or a Thai letter; a
    cheap test before the whole."""
    return bool(before) and (before in "rRgGгГрР" or before.isdigit() or "\u0e00" <= before <= "\u0e7f")


def _date_dot(text: str, start: int, dot: int) -> bool:
    """Whether the full stop belongs to a date (``dates.dot_in_date``): "W marcu 2022 r. Unia ...",
    "11 มี.ค. 67"."""
    from tradecurbs.extraction.dates import dot_in_date

    return dot_in_date(text, start, dot)


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences; newlines always end a sentence."""
    return [Sentence(text[s:e], s, n) for n, (s, e) in enumerate(sentence_spans(text))]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of the text, surrounding white space left out; pieces shorter than
    three characters are dropped."""
    cuts: list[int] = []
    start = 0
    tails = _ABBREV_TAILS
    for m in _BOUNDARY.finditer(text):
        dot, end = m.span()
        if text[dot] == ".":  # a full stop may end an abbreviation, a date's day or year, a clock time
            before = text[dot - 1 : dot]
            if (text[max(0, dot - 2) : dot] in tails or before in tails) and _abbreviation_before(text, dot):
                continue
            if before.isdigit() and (
                _ordinal_date(text, dot, end)
                or _spaced_date(text, dot, end)
                or _article_ordinal(text, dot, end)
            ):
                continue
            if before in "mM" and _clock_before_zone(text, dot, end):
                continue
            if _may_end_date(before) and _date_dot(text, start, dot):
                continue
        cuts.append(end)
        start = end
    cuts.append(len(text))
    # each piece without its surrounding white space, if three characters or more (no call a piece: this
    # runs for every line of every page the crawl reads)
    out: list[tuple[int, int]] = []
    start = 0
    for end in cuts:
        chunk = text[start:end]
        stripped = chunk.strip()
        if len(stripped) >= 3:
            s = start + len(chunk) - len(chunk.lstrip())
            out.append((s, s + len(stripped)))
        start = end
    return out
