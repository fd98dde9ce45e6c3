"""Find trigger phrases in a sentence and keep the ones that do not overlap a stronger one."""

from __future__ import annotations

from dataclasses import dataclass

from tradecurbs.extraction.lexicon import to_simplified, trigger_prefilter, triggers


@dataclass(frozen=True)
class Trigger:
    """A trigger phrase: its span in the sentence, the measure_type it states and the rule id."""

    start: int
    end: int
    measure_type: str
    rule: str
    text: str


def find_triggers(sentence: str) -> list[Trigger]:
    """Triggers of the sentence; an easing swallows the restriction it names, longer spans win."""
    norm = to_simplified(sentence)
    if not trigger_prefilter().search(norm):
        return []
    found = []
    for rule, mtype, pattern in triggers():
        for m in pattern.finditer(norm):
            found.append(Trigger(m.start(), m.end(), mtype, rule, sentence[m.start() : m.end()]))
    found.sort(key=lambda t: (t.measure_type != "easing", -(t.end - t.start), t.start))
    kept: list[Trigger] = []
    for t in found:
        if all(t.end <= k.start or t.start >= k.end for k in kept):
            kept.append(t)
    return sorted(kept, key=lambda t: t.start)
