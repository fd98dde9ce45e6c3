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


class _Registry:
    """Registered words (id by word) and the automaton over them, rebuilt when words were added."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.automaton: ahocorasick.Automaton | None = None

    def add(self, clauses: Iterable[Iterable[str]]) -> WordClauses:
        out = []
        for clause in clauses:
            ids = []
            for word in clause:
                if word not in self.ids:
                    self.ids[word] = len(self.ids)
                    self.automaton = None
                ids.append(self.ids[word])
            out.append(frozenset(ids))
        return tuple(out)

    def built(self) -> ahocorasick.Automaton:
        if self.automaton is None:
            auto = ahocorasick.Automaton()
            for word, n in self.ids.items():
                auto.add_word(word, n)
            auto.make_automaton()
            self.automaton = auto
            _present.cache_clear()  # answers of the former automaton may lack the new words
        return self.automaton


_REGISTRY = _Registry()


def register(clauses: Iterable[Iterable[str]]) -> WordClauses:
    """Ids of the words of each clause (folded words, as ``literals.required`` gives them)."""
    return _REGISTRY.add(clauses)


def present(text: str) -> frozenset[int]:
    """Ids of the registered words that ``folding.fold(text)`` holds."""
    _REGISTRY.built()
    return _present(text)


@lru_cache(maxsize=8192)
def _present(text: str) -> frozenset[int]:
    """``present``, remembered: the same sentence or clause is asked about by many regexes."""
    auto = _REGISTRY.automaton
    if auto is None or not len(auto):
        return frozenset()
    return frozenset(map(_ID, auto.iter(fold(text))))


def holds(clauses: WordClauses, found: frozenset[int]) -> bool:
    """Whether a text whose word ids are ``found`` meets every clause."""
    return not any(map(found.isdisjoint, clauses))
