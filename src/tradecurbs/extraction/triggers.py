"""Find trigger phrases in a sentence and keep the ones that do not overlap a stronger one."""

from __future__ import annotations

from dataclasses import dataclass

from tradecurbs.extraction.keywords import trigger_index
from tradecurbs.extraction.lexicon import to_simplified, triggers


@dataclass(frozen=True)
class Trigger:
    """A trigger phrase: its span in the sentence, the measure_type it states and the rule id."""

    start: int
    end: int
    measure_type: str
    rule: str
    text: str


def find_triggers(sentence: str, keys: set[int] | None = None, folded: str | None = None) -> list[Trigger]:
    """Triggers of the sentence; an easing swallows the restriction it names, longer spans win.

    ``keys`` and ``folded`` are the ids of the trigger keywords the sentence holds and its folded text
    (``keywords.trigger_index``), when the caller scanned a whole document at once. Only the rules
    whose words the sentence holds are run.
    """
    index = trigger_index()
    if folded is None:
        folded = index.fold(sentence)
    if keys is None:
        keys = {k for _, _, k in index.hits(folded)}
    norm = to_simplified(sentence) if index.prefilter is None else None
    rules = index.rules(keys, folded, norm)
    if not rules:
        return []
    norm = norm or to_simplified(sentence)
    table = triggers()
    found = []
    for i in rules:
        rule, mtype, pattern = table[i]
        for m in pattern.finditer(norm):
            found.append(Trigger(m.start(), m.end(), mtype, rule, sentence[m.start() : m.end()]))
    found.sort(key=lambda t: (t.measure_type != "easing", -(t.end - t.start), t.start))
    kept: list[Trigger] = []
    for t in found:
        if all(t.end <= k.start or t.start >= k.end for k in kept):
            kept.append(t)
    return sorted(kept, key=lambda t: t.start)
