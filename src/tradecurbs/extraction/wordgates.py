"""One keyword scan of a text for every gated regex of the extractor.

Many regexes (cues, date patterns, date phrases) are run only when the text holds the literal words they
cannot match without (``literals.required``). Each such regex registers its clauses of words here; a
text is then case-folded once and scanned once by one Aho-Corasick automaton over every registered word,
and each regex asks whether its clauses are met by the ids found. The answer is the same as looking for
each clause's words on its own, because the automaton reports every occurrence of every word.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from operator import itemgetter

import ahocorasick

from tradecurbs.extraction.folding import fold

_ID = itemgetter(1)  # the word id of an automaton hit (end, id)
WordClauses = tuple[frozenset[int], ...]  # each clause: ids of words of which the text must hold one


_LETTER_ORDER = " etaoinsrhldcumfpgwybvkxjqz"  # English letters, most frequent first


def _trie_order(word: str) -> tuple[int, ...]:
    """A key that inserts words so that every node of the automaton meets its most frequent letters
    first (a node looks its children up one by one, in the order they were added)."""
    return tuple(_RANK.get(c, len(_RANK) + ord(c)) for c in word)


_RANK = {c: n for n, c in enumerate(_LETTER_ORDER)}


def _automaton(words: dict[str, int]) -> ahocorasick.Automaton | None:
    if not words:
        return None
    auto = ahocorasick.Automaton()
    for word in sorted(words, key=_trie_order):
        auto.add_word(word, words[word])
    auto.make_automaton()
    return auto


class _Registry:
    """Registered words (id by word) and the automata over them, rebuilt when words were added: one over
    the words written in ASCII, one over the others, which only a text that is not ASCII can hold."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.built = False
        self.ascii: ahocorasick.Automaton | None = None
        self.other: ahocorasick.Automaton | None = None

    def add(self, clauses: Iterable[Iterable[str]]) -> WordClauses:
        out = []
        for clause in clauses:
            ids = []
            for word in clause:
                if word not in self.ids:
                    self.ids[word] = len(self.ids)
                    if self.built:
                        self.built = False
                        present.cache_clear()  # answers of the built automata lack the new words
                ids.append(self.ids[word])
            out.append(frozenset(ids))
        return tuple(out)

    def build(self) -> None:
        self.ascii = _automaton({w: n for w, n in self.ids.items() if w.isascii()})
        self.other = _automaton({w: n for w, n in self.ids.items() if not w.isascii()})
        self.built = True


_REGISTRY = _Registry()


def register(clauses: Iterable[Iterable[str]]) -> WordClauses:
    """Ids of the words of each clause (folded words, as ``literals.required`` gives them)."""
    return _REGISTRY.add(clauses)


@lru_cache(maxsize=8192)
def present(text: str) -> frozenset[int]:
    """Ids of the registered words that ``folding.fold(text)`` holds (remembered: the same sentence or
    clause is asked about by many regexes)."""
    reg = _REGISTRY
    if not reg.built:
        reg.build()
    folded = fold(text)
    found = set(map(_ID, reg.ascii.iter(folded))) if reg.ascii is not None else set()
    if reg.other is not None and not folded.isascii():
        found.update(map(_ID, reg.other.iter(folded)))
    return frozenset(found)


def ready() -> None:
    """Build the automata now (worker start-up) rather than on the first scan."""
    if not _REGISTRY.built:
        _REGISTRY.build()


def holds(clauses: WordClauses, found: frozenset[int]) -> bool:
    """Whether a text whose word ids are ``found`` meets every clause (a plain loop: most gates have one
    or two clauses, for which ``any(map(...))`` costs more than the tests)."""
    for clause in clauses:  # noqa: SIM110 - all() of a generator is the slower form
        if found.isdisjoint(clause):
            return False
    return True


class ClauseIndex:
    """Which of a list of entries (each the word clauses of a regex) a set of words meets, found from the
    words present rather than by testing every entry: an entry none of whose words is present is met
    only if it has no clause."""

    def __init__(self, entries: list[WordClauses]) -> None:
        self.entries = entries
        self.free = [i for i, clauses in enumerate(entries) if not clauses]
        self.by_word: dict[int, list[int]] = {}
        for i, clauses in enumerate(entries):
            for word in sorted({w for clause in clauses for w in clause}):
                self.by_word.setdefault(word, []).append(i)
        self.words = frozenset(self.by_word)  # a text with none meets only the entries without clauses

    def met(self, words: frozenset[int]) -> list[int]:
        """Indexes of the entries whose every clause holds one of ``words``, in order."""
        common = self.words.intersection(words)
        if not common:
            return list(self.free)
        touched = set(self.free)
        by_word = self.by_word
        for word in common:
            touched.update(by_word[word])
        entries = self.entries
        return [i for i in sorted(touched) if holds(entries[i], words)]
