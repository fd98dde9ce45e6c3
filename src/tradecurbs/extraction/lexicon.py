"""Load the extractor's data files (extraction/data/*.yml) once and compile them."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from tradecurbs.extraction import fastre as re
from tradecurbs.extraction.folding import Translation
from tradecurbs.extraction.wordgates import ClauseIndex, holds, present, register

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def load(name: str) -> Any:
    """Parsed content of ``data/<name>.yml``."""
    return yaml.safe_load((DATA_DIR / f"{name}.yml").read_text(encoding="utf-8"))


@cache
def zh_table() -> dict[int, str]:
    """str.translate table turning traditional Chinese characters into simplified ones: OpenCC's
    character table (``TSCharacters``, as packaged by opencc-python-reimplemented), then the hand-kept
    pairs of ``data/zh_variants.yml`` (Japanese forms OpenCC does not list)."""
    table: dict[int, str] = {}
    for line in _opencc_characters().splitlines():
        trad, _, simple = line.partition("\t")
        first = simple.split(" ")[0]
        if len(trad) == 1 and len(first) == 1:
            table[ord(trad)] = first
    for pair in load("zh_variants")["pairs"].split():
        if len(pair) == 2:
            table[ord(pair[0])] = pair[1]
    return table


def _opencc_characters() -> str:
    """OpenCC's traditional-to-simplified character dictionary, read from the installed package."""
    spec = importlib.util.find_spec("opencc")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the package opencc-python-reimplemented is missing: pip install it")
    root = Path(next(iter(spec.submodule_search_locations)))
    return (root / "dictionary" / "TSCharacters.txt").read_text(encoding="utf-8")


@cache
def _simplify() -> Translation:
    return Translation(zh_table())


def to_simplified(text: str) -> str:
    """Map traditional characters to simplified ones, one for one (offsets unchanged)."""
    return text if text.isascii() else _simplify()(text)


class Gated:
    """A compiled regex that first looks, in the one keyword scan of ``wordgates`` over the case-folded
    text, for the literal words it cannot match without (``literals.required``): a text that lacks them is
    never searched. The results are the regex's own."""

    def __init__(self, pattern: str, flags: int = re.IGNORECASE) -> None:
        from tradecurbs.extraction.literals import required

        self.regex = re.compile(pattern, flags)
        self.pattern = self.regex.pattern
        self.flags = self.regex.flags
        self.clauses = register(required(pattern, flags))

    def may(self, text: str) -> bool:
        """Whether the text holds the words the regex needs (if not, neither does any part of it)."""
        if not self.clauses:
            return True
        return holds(self.clauses, present(text))

    _may = may

    def search(self, text: str, *args: int) -> re.Match[str] | None:
        return self.regex.search(text, *args) if self._may(text) else None

    def search_known(self, text: str, words: frozenset[int]) -> re.Match[str] | None:
        """``search(text)`` when ``words`` is already ``wordgates.present(text)``."""
        return self.regex.search(text) if not self.clauses or holds(self.clauses, words) else None

    def match(self, text: str, *args: int) -> re.Match[str] | None:
        return self.regex.match(text, *args) if self._may(text) else None

    def search_in(self, text: str, outer: frozenset[int]) -> re.Match[str] | None:
        """``search(text)`` for a part of a text whose words are ``outer`` (``wordgates.present``): a part
        of a text that lacks the regex's words lacks them too, and is not scanned for its own."""
        if self.clauses and not holds(self.clauses, outer):
            return None
        return self.search(text)

    def match_in(self, text: str, outer: frozenset[int]) -> re.Match[str] | None:
        """``match(text)`` for a part of a text whose words are ``outer`` (see ``search_in``)."""
        if self.clauses and not holds(self.clauses, outer):
            return None
        return self.match(text)


class AnyOf:
    """Several patterns searched as one. Each pattern with literal words is a gated regex of its own, and a
    text runs only those whose words it holds (``wordgates.ClauseIndex``); the rest (a bare "if", a short
    negation) are one regex run on every text. A match is the earliest, and at equal starts the one of the
    pattern listed first with literal words, as when the patterns with words were one alternation."""

    def __init__(self, patterns: list[str], flags: int) -> None:
        from tradecurbs.extraction.literals import required

        with_words = [p for p in patterns if required(p, flags)]
        without = [p for p in patterns if p not in with_words]
        self.gated = [Gated(p, flags) for p in with_words]
        self.index = ClauseIndex([g.clauses for g in self.gated])
        self.rest = Gated("|".join(f"(?:{p})" for p in without), flags) if without else None
        self.parts = [*self.gated, *([self.rest] if self.rest is not None else [])]
        self.pattern = "|".join(f"(?:{p})" for p in patterns)

    def _met(self, words: frozenset[int]) -> list[Gated]:
        """The parts a text holding ``words`` may match, in order."""
        met = [self.gated[i] for i in self.index.met(words)]
        return met + [self.rest] if self.rest is not None else met

    def search(self, text: str, *args: int) -> re.Match[str] | None:
        return self.search_known(text, present(text), *args)

    def search_known(self, text: str, words: frozenset[int], *args: int) -> re.Match[str] | None:
        """``search(text)`` when ``words`` is already ``wordgates.present(text)``."""
        first = None
        for part in self._met(words):
            m = part.regex.search(text, *args)
            if m is not None and (first is None or m.start() < first.start()):
                first = m
        return first

    def match(self, text: str, *args: int) -> re.Match[str] | None:
        return next((m for m in (p.regex.match(text, *args) for p in self._met(present(text))) if m), None)

    def search_in(self, text: str, outer: frozenset[int]) -> re.Match[str] | None:
        """``search(text)`` for a part of a text whose words are ``outer`` (see ``Gated.search_in``)."""
        if self.index.words.isdisjoint(outer):  # only the patterns without words may match
            return self.rest.regex.search(text) if self.rest is not None else None
        return self.search(text)


def compile_any(patterns: list[str], flags: int = re.IGNORECASE) -> AnyOf | None:
    """One matcher for any of the patterns (None for an empty list), gated by their literal words."""
    if not patterns:
        return None
    return AnyOf(patterns, flags)


@cache
def triggers() -> list[tuple[str, str, re.Pattern[str]]]:
    """(rule id, measure_type, compiled regex) for every trigger entry: triggers.yml (English and Chinese)
    first, then triggers_intl.yml (other languages)."""
    out = []
    for name in ("triggers", "triggers_intl"):
        raw = load(name)
        verbs = raw.get("verbs", {})
        for entry in raw["triggers"]:
            pattern = entry["re"]
            for key, value in verbs.items():
                pattern = pattern.replace("{" + key + "}", value)
            # sentences are matched with traditional Chinese simplified (Japanese kanji such as 輸 too)
            out.append((entry["id"], entry["type"], re.compile(to_simplified(pattern), re.IGNORECASE)))
    return out


@cache
def trigger_needs() -> dict[str, str]:
    """Rule id -> the kind of place its span must hold (``needs`` in the lexicon; ``product``: a product of
    the product table; ``origin``: a place or a named firm of known home; ``demonym_product``: a demonym and
    a product), for the rules with one."""
    return {
        entry["id"]: entry["needs"]
        for name in ("triggers", "triggers_intl")
        for entry in load(name)["triggers"]
        if entry.get("needs")
    }


@cache
def rules_for_language(language: str | None) -> frozenset[int] | None:
    """Indexes (into ``triggers()``) of the rules a document in this language is searched with: every rule
    of triggers.yml and the rules of triggers_intl.yml whose group reads the language. None when the
    language is unknown (every rule applies)."""
    tag = (language or "").lower()
    if not tag:
        return None
    groups = load("triggers_intl").get("languages", {})
    readers = {g for g, langs in groups.items() if tag in langs or tag.split("-")[0] in langs}
    english_and_chinese = len(load("triggers")["triggers"])
    return frozenset(
        i
        for i, (rule, _, _) in enumerate(triggers())
        if i < english_and_chinese or rule.split(".")[0] in readers
    )


def trie_regex(words: list[str]) -> str:
    """A regex alternation of the words with shared prefixes factored out ("jan(?:uary|vier)"), which the
    regex engine tries far faster than a flat alternation of hundreds of words; the longest word first at
    each branch, so it matches what the flat alternation sorted by length would."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + walk(child) for ch, child in sorted(node.items()) if ch != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
        return body + "?" if ends and body else body

    return walk(trie)
