"""Cues around a trigger: negation, threats and hedges that block it; reported speech; tense."""

from __future__ import annotations

import re
from functools import cache

from tradecurbs.extraction.lexicon import compile_any, load


@cache
def _compiled() -> dict:
    raw = load("cues")
    block = {
        kind: (compile_any(spec.get("before", [])), compile_any(spec.get("sentence", [])))
        for kind, spec in raw["block"].items()
    }
    return {
        "window": int(raw["window"]),
        "after": re.compile(raw["after"], re.I),
        "block": block,
        "reported": compile_any(raw["reported"]),
        "future": compile_any(raw["future"]),
        "in_force": compile_any(raw["in_force"]),
    }


def blocking_cue(sentence: str, start: int, end: int) -> tuple[str, str] | None:
    """(kind, cue text) of the first cue that stops the trigger at ``start``, or None."""
    c = _compiled()
    after = c["after"].match(sentence[end : end + 20])
    if after:
        return "hedge", after.group(0).strip()
    before = sentence[max(0, start - c["window"]) : start]
    clause = re.split(r"[;:]|\.\s|, (?:but|while|as|after|and then)\b", before)[-1]
    for kind, (near, anywhere) in c["block"].items():
        if near is not None:
            m = near.search(clause)
            if m:
                return kind, m.group(0).strip()
        if anywhere is not None:
            m = anywhere.search(sentence)
            if m:
                return kind, m.group(0).strip()
    return None


def reported_cue(text: str) -> str | None:
    """The cue that marks the statement as reported (hearsay), if any."""
    m = _compiled()["reported"].search(text)
    return m.group(0) if m else None


def is_future(clause: str) -> bool:
    """Whether the clause speaks of a measure still to come."""
    c = _compiled()
    return bool(c["future"].search(clause)) and not c["in_force"].search(clause)
