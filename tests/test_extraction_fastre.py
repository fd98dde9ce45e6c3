"""``fastre.compile`` finds exactly what ``re.compile`` finds: its first-character lookahead only skips
positions where no match can start.

Checked on patterns written to probe the edges (case folding beyond ASCII, lookbehinds, optional openings,
scoped and global flags) and on the trigger, cue and date lexicons over the phenomenon texts of
``extraction_cases``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tradecurbs.extraction import fastre
from tradecurbs.extraction.lexicon import load
from tradecurbs.extraction.literals import digit_run, required

CASES_DIR = Path(__file__).resolve().parent / "extraction_cases"
TEXTS = [
    "The ban takes effect from 1 March 2024, the ministry said on Friday.",
    "KELVIN: \u212a and k; long s \u017fince; dotless \u0131n and \u0130N; Σίσυφος ς σ",
    "Ab Montag gilt das Embargo; ab dem 4. März, STARTING from Monday",
    "自2023年8月1日起，对部分镓、锗相关物项实施出口管制。",
    "  \t\n 2024-03-01 x1y 12 34 ",
]
PROBES = [
    (r"\bfrom|\bsince|\bstarting(?:\s+from)?", re.I),
    (r"(?<!\bnot\s)\b(?:ban|bans)\b", re.I),
    (r"(?:the\s+)?(?:kelvin|k)\b", re.I),
    (r"\b(?:s|i)\w*", re.I),
    (r"(?:\d{4})?-\d{2}", 0),
    (r"\s*\d+", 0),
    (r"(?-i:[A-Z])\w+|ab\b", re.I),
    (r"(?i)ab\s+\w+", 0),
    (r"\bσ\w*|ς", re.I),
    (r"[^a-z]+x", 0),
    (r"a?", 0),
    (r"(?:起|自)\d+", 0),
    (r"\b(?P<word>from|ab)  # a comment at the end", re.I | re.X),
]


def _texts() -> list[str]:
    out = list(TEXTS)
    for path in sorted(CASES_DIR.glob("*.yml")):
        out += [case["text"] for case in yaml.safe_load(path.read_text(encoding="utf-8"))]
    return out


def _same(pattern: str, flags: int, texts: list[str]) -> None:
    plain, fast = re.compile(pattern, flags), fastre.compile(pattern, flags)
    for text in texts:
        got = [(m.span(), m.groups()) for m in fast.finditer(text)]
        assert got == [(m.span(), m.groups()) for m in plain.finditer(text)], (pattern[:60], text[:60])
        for pos in (0, 1, len(text) // 2):
            want = plain.match(text, pos)
            assert (want and want.span()) == ((m := fast.match(text, pos)) and m.span())


@pytest.mark.parametrize(("pattern", "flags"), PROBES)
def test_probe_patterns_match_as_compiled_plainly(pattern: str, flags: int) -> None:
    _same(pattern, flags, TEXTS)


def test_lookahead_only_where_the_engine_has_no_prefix() -> None:
    assert fastre.first_characters(r"\bfrom|\bto", re.I) is not None
    assert fastre.first_characters("起|自", 0) is None  # the engine scans for these itself
    assert fastre.first_characters("a?", 0) is None  # may match the empty string
    assert fastre.first_characters(r"\b\w+", 0) is None  # nearly every position could start one
    assert fastre.compile(r"(?i)ab", 0).pattern == "(?i)ab"  # global flags must open the pattern


def test_lexicon_patterns_match_as_compiled_plainly() -> None:
    texts = _texts()
    patterns = [e["re"] for name in ("triggers", "triggers_intl") for e in load(name)["triggers"]]
    patterns = [p for p in patterns if "{" not in p]  # verb slots are filled in by ``lexicon.triggers``
    patterns += [p for pats in load("roles").values() for p in pats]
    dates = load("dates")
    patterns += [
        dates[k] for k in ("effective_before", "end_before", "statistic_before", "object_date_before")
    ]
    for pattern in patterns:
        _same(pattern, re.I, texts)


def test_literal_analysis_reads_through_the_lookahead() -> None:
    for pattern in [p for pats in load("roles").values() for p in pats] + [p for p, _ in PROBES]:
        accelerated = fastre.compile(pattern, re.I).pattern
        assert required(accelerated, re.I) == required(pattern, re.I)
        assert digit_run(accelerated, re.I) == digit_run(pattern, re.I)
