"""Keyword index of the trigger lexicon: one Aho-Corasick pass tells which trigger rules can fire.

Every trigger regex needs some literal words (read from the regex by ``literals.required``), and a
sentence is searched at all only when it holds a keyword of some rule (the prefilter, derived from the
rules). Scanning a text once for those words lets a sentence run only the regexes whose words it
holds; the result is the same as running every regex, because a regex cannot match where its
required words are absent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter

import ahocorasick

from tradecurbs.extraction import fastre as re
from tradecurbs.extraction.folding import Translation, coarse_class, fold, lower, with_case_fixes
from tradecurbs.extraction.lexicon import triggers, zh_table
from tradecurbs.extraction.literals import Clause, required

Gate = tuple[frozenset[int], ...]  # clauses of keyword ids: each clause needs one of its ids present
Check = tuple[int, ...]  # ids of word clauses (``TriggerIndex.words``) tested by substring
Hit = tuple[int, int, int]  # (start, end, keyword id) in the folded text
_SHORT = 4  # Latin words shorter than this ("the", "ban", "end") are too common to be worth indexing
_MAX_CLAUSES = 2
_MEMO_SIZE = 4096


@dataclass(frozen=True)
class TriggerIndex:
    """Keyword automata and, per trigger rule (in lexicon order), the keywords and words it needs.

    Keywords that start with an ASCII character live in ``latin``; the others (Chinese, Cyrillic) in
    ``other``, which is run only over text that holds one of their first characters.
    """

    latin: ahocorasick.Automaton | None
    other: ahocorasick.Automaton | None
    other_first: re.Pattern[str] | None
    translate: Translation  # traditional to simplified Chinese and the case fixes, for ``fold``
    rare: re.Pattern[str] | None  # characters of ``translate`` or first characters of ``other`` keywords
    prefilter: frozenset[int] | None  # None: the prefilter is not a plain word list; its regex decides
    gates: tuple[Gate, ...]  # indexed clauses, checked against the keyword ids of a text
    checks: tuple[Check, ...]  # further clauses, checked by substring once the gate passes
    words: tuple[tuple[str, ...], ...]  # the word clauses of ``checks``, each held once
    by_key: dict[int, tuple[int, ...]]  # keyword id -> rules whose gate mentions it
    ungated: tuple[int, ...]  # rules with no indexed clause: run whenever the prefilter passes
    gate_keys: frozenset[int]  # keyword ids some gate needs: a text with none of them fires no gated rule
    memo: dict[frozenset[int], tuple[int, ...]] = field(default_factory=dict, compare=False, repr=False)
    # keyword id -> rules whose gate is one clause holding it (met whenever the keyword is present), and
    # -> rules of several clauses, one of which holds it (met when every clause is)
    met_by_key: dict[int, tuple[int, ...]] = field(default_factory=dict, compare=False, repr=False)
    part_by_key: dict[int, tuple[int, ...]] = field(default_factory=dict, compare=False, repr=False)

    def fold(self, text: str) -> str:
        """The text as keywords are sought in it: case-folded, traditional Chinese simplified."""
        return fold(text, self.translate)

    def hits(self, folded: str) -> list[Hit]:
        """Every keyword occurrence in a folded text, ordered by end."""
        out = [(e + 1 - n, e + 1, k) for e, (k, n) in self.latin.iter(folded)] if self.latin else []
        if self.other and self.other_first and not folded.isascii() and self.other_first.search(folded):
            out += [(e + 1 - n, e + 1, k) for e, (k, n) in self.other.iter(folded)]
            out.sort(key=itemgetter(1))
        return out

    def scan(self, text: str) -> tuple[str, list[Hit]]:
        """``fold(text)`` and its ``hits``, with one character-class search for a non-ASCII text that
        needs neither translation nor the ``other`` automaton (English with curly quotes)."""
        low = lower(text)
        if low.isascii() or self.rare is None or not self.rare.search(low):
            hits = [(e + 1 - n, e + 1, k) for e, (k, n) in self.latin.iter(low)] if self.latin else []
            return low, hits
        folded = self.translate(low)
        return folded, self.hits(folded)

    def keys_in(self, text: str) -> set[int]:
        """Ids of the keywords the text holds."""
        return {k for _, _, k in self.scan(text)[1]} if text else set()

    def rules(
        self, keys: set[int], folded: str | None = None, allowed: frozenset[int] | None = None
    ) -> list[int]:
        """Indexes (into ``lexicon.triggers()``) of the rules that may fire in a text with these keywords,
        in lexicon order. ``folded`` (the folded text) lets the further word clauses be tested; without it
        the answer is looser, never tighter. ``allowed``: only these rules are wanted (the rules of the
        text's language), so no other rule's words are tested."""
        if self.prefilter is not None and self.prefilter.isdisjoint(keys):
            return []
        gated = self._gated(frozenset(keys))
        if allowed is not None:
            gated = [i for i in gated if i in allowed]
        if folded is None or not gated:
            return list(gated)
        checks, words = self.checks, self.words
        holds_word = folded.__contains__
        seen: dict[int, bool] = {}
        out = []
        for i in gated:
            for c in checks[i]:
                ok = seen.get(c)
                if ok is None:
                    ok = seen[c] = any(map(holds_word, words[c]))
                if not ok:
                    break
            else:
                out.append(i)
        return out

    def may_fire(self, keys: set[int]) -> bool:
        """Whether ``rules(keys)`` is not empty, found without listing the rules (and without filling the
        memo with a whole document's keyword set, which no other text shares)."""
        if self.prefilter is not None and self.prefilter.isdisjoint(keys):
            return False
        if self.ungated:
            return True
        gates, by_key = self.gates, self.by_key
        for k in keys:
            for i in by_key.get(k, ()):
                for clause in gates[i]:
                    if clause.isdisjoint(keys):
                        break
                else:
                    return True
        return False

    def _gated(self, keys: frozenset[int]) -> tuple[int, ...]:
        """The rules whose indexed clauses these keywords satisfy (memoised: key sets repeat a lot)."""
        memo = self.memo
        found = memo.get(keys)
        if found is None:
            found_set = set(self.ungated)
            to_check: set[int] = set()
            met_by_key, part_by_key = self.met_by_key, self.part_by_key
            for k in keys:
                rules = met_by_key.get(k)
                if rules is not None:
                    found_set.update(rules)
                rules = part_by_key.get(k)
                if rules is not None:
                    to_check.update(rules)
            gates = self.gates
            for i in to_check - found_set:
                for clause in gates[i]:
                    if clause.isdisjoint(keys):
                        break
                else:
                    found_set.add(i)
            found = tuple(sorted(found_set))
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            memo[keys] = found
        return found


def keys_by_span(hits: list[Hit], spans: list[tuple[int, int]]) -> dict[int, set[int]]:
    """Index of each (start, end) span (sorted, not overlapping) that holds keywords wholly inside it ->
    their ids, in span order; spans without any are left out (most sentences of a page hold none)."""
    out: dict[int, set[int]] = {}
    j, n = 0, len(spans)
    for start, end, k in hits:
        while j < n and spans[j][1] < end:
            j += 1
        if j == n:
            break
        if spans[j][0] <= start:
            found = out.get(j)
            if found is None:
                out[j] = {k}
            else:
                found.add(k)
    return out


def _strong(clause: Clause) -> bool:
    return all(len(w) >= _SHORT or not w.isascii() for w in clause)


def _score(clause: Clause) -> tuple[int, float]:
    return min(len(w) for w in clause), sum(len(w) for w in clause) / len(clause)


def _split(clauses: list[Clause]) -> tuple[list[Clause], list[Clause]]:
    """(indexed, checked) clauses: up to two without short Latin words are indexed, the longest words
    first (else the single best clause); the rest are tested by substring. Leaving a clause out would
    only make a gate looser, never tighter."""
    ranked = sorted(clauses, key=_score, reverse=True)
    indexed = [c for c in ranked if _strong(c)][:_MAX_CLAUSES] or ranked[:1]
    return indexed, [c for c in ranked if c not in indexed]


_LETTER_ORDER = "etaoinsrhldcumfpgwybvkxjqz"  # English letters, most frequent first


def _automaton(words: dict[str, int]) -> ahocorasick.Automaton | None:
    if not words:
        return None
    auto = ahocorasick.Automaton()
    # a node looks its children up one by one in the order they were added: common letters first
    rank = {c: n for n, c in enumerate(_LETTER_ORDER)}
    for word in sorted(words, key=lambda w: (rank.get(w[0], len(rank)), w)):
        auto.add_word(word, (words[word], len(word)))
    auto.make_automaton()
    return auto


@cache
def trigger_index() -> TriggerIndex:
    """Build the keyword index from the trigger lexicon (once per process)."""
    ids: dict[str, int] = {}

    def key_ids(clause: Clause) -> frozenset[int]:
        return frozenset(ids.setdefault(word, len(ids)) for word in clause)

    gates, checks = [], []
    words: dict[tuple[str, ...], int] = {}
    for _, _, pattern in triggers():
        indexed, checked = _split(required(pattern.pattern, pattern.flags))
        gates.append(tuple(key_ids(c) for c in indexed))
        checks.append(tuple(words.setdefault(tuple(sorted(c, key=len)), len(words)) for c in checked))
    by_key: dict[int, list[int]] = {}
    for i, gate in enumerate(gates):
        for k in {k for clause in gate for k in clause}:
            by_key.setdefault(k, []).append(i)
    other = {w: k for w, k in ids.items() if not w[0].isascii()}
    firsts = "".join(sorted({w[0] for w in other}))
    translate = with_case_fixes(zh_table())
    return TriggerIndex(
        latin=_automaton({w: k for w, k in ids.items() if w[0].isascii()}),
        other=_automaton(other),
        other_first=re.compile(f"[{re.escape(firsts)}]") if firsts else None,
        translate=translate,
        rare=coarse_class([*translate.table, *map(ord, firsts)], gap=64),
        # derived from the rules: a text holding no keyword of any gate cannot fire a gated rule
        prefilter=frozenset(by_key) if all(gates) else None,
        gates=tuple(gates),
        checks=tuple(checks),
        words=tuple(words),
        by_key={k: tuple(v) for k, v in by_key.items()},
        ungated=tuple(i for i, gate in enumerate(gates) if not gate),
        gate_keys=frozenset(by_key),
        met_by_key=_rules_by_key(gates, single=True),
        part_by_key=_rules_by_key(gates, single=False),
    )


def _rules_by_key(gates: list[Gate], single: bool) -> dict[int, tuple[int, ...]]:
    """Keyword id -> the rules whose gate mentions it, among the gates of one clause (``single``) or of
    several."""
    out: dict[int, list[int]] = {}
    for i, gate in enumerate(gates):
        if gate and (len(gate) == 1) == single:
            for k in sorted({k for clause in gate for k in clause}):
                out.setdefault(k, []).append(i)
    return {k: tuple(v) for k, v in out.items()}
