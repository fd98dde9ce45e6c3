"""The standard ``re`` module, whose ``compile`` puts a lookahead for a match's first character in front of
a pattern the engine would otherwise try in full at every position of a text.

The engine skips ahead by itself only when a pattern opens with a literal or a character class it can
scan for. A pattern that opens with ``\\b``, a lookbehind or an alternation of case-insensitive words
(most cues and date patterns of the extractor) is entered at every position, and each of its branches
tried there. ``(?=[...])`` in front, the class holding every character a match can start with, rejects
most positions with one test. Matches are the same: the lookahead fails only where the pattern cannot
start, consumes nothing and captures no group; a pattern it cannot read is compiled as written.

Modules of the extractor import it in place of ``re`` (``from tradecurbs.extraction import fastre as re``).
"""

from __future__ import annotations

import re
from re import (
    ASCII,
    IGNORECASE,
    LOCALE,
    VERBOSE,
    I,
    Match,
    Pattern,
    _compiler,
    _parser,
    error,
    escape,
    finditer,
    fullmatch,
    match,
    search,
    split,
    sub,
)
from re._constants import (
    ASSERT,
    ASSERT_NOT,
    AT,
    ATOMIC_GROUP,
    BRANCH,
    CATEGORY,
    CATEGORY_DIGIT,
    CATEGORY_SPACE,
    IN,
    LITERAL,
    MAX_REPEAT,
    MIN_REPEAT,
    NEGATE,
    POSSESSIVE_REPEAT,
    RANGE,
    SUBPATTERN,
)

__all__ = [
    "ASCII",
    "IGNORECASE",
    "LOCALE",
    "VERBOSE",
    "I",
    "Match",
    "Pattern",
    "compile",
    "error",
    "escape",
    "finditer",
    "first_characters",
    "fullmatch",
    "match",
    "search",
    "split",
    "sub",
]

# classes worth a lookahead: digits and spaces are a small part of a text (a word character is not)
_CATEGORIES = {CATEGORY_DIGIT: r"\d", CATEGORY_SPACE: r"\s"}


class _Unreadable(Exception):
    """A part of a pattern whose first character cannot be told (any character, a negated class...)."""


def compile(pattern: str, flags: int = 0) -> Pattern[str]:
    """``re.compile(pattern, flags)``, with the lookahead of its first characters in front when the engine
    has no prefix of its own to scan for and the pattern cannot match the empty string."""
    first = first_characters(pattern, flags) if isinstance(pattern, str) else None
    if first is not None:
        closing = "\n)" if flags & VERBOSE else ")"  # a trailing comment must not swallow the bracket
        try:
            return re.compile(f"(?={first})(?:{pattern}{closing}", flags)
        except error:  # e.g. global inline flags, which must open the pattern
            pass
    return re.compile(pattern, flags)


def first_characters(pattern: str, flags: int = 0) -> str | None:
    """A character class holding the first character of every match of the pattern, or None when the
    engine scans for a prefix itself, a match may be empty, or the class cannot be told or would hold
    nearly every character."""
    try:
        tree = _parser.parse(pattern, flags)
        if _engine_scans(tree, tree.state.flags):
            return None
        items, empty = _first_of_sequence(list(tree))
    except (_Unreadable, error, RecursionError):
        return None
    if empty or not items:
        return None
    return _as_class(items)


def _engine_scans(tree: _parser.SubPattern, flags: int) -> bool:
    """Whether the engine skips ahead to a literal prefix or a first-character set of its own (as
    ``re._compiler._compile_info`` decides)."""
    if flags & IGNORECASE and flags & LOCALE:
        return False
    prefix = _compiler._get_literal_prefix(tree, flags)[0]
    return bool(prefix) or bool(_compiler._get_charset_prefix(tree, flags))


def _first_of_sequence(items: list) -> tuple[list, bool]:
    """(class items of the first characters, whether the sequence can match the empty string)."""
    out: list = []
    for op, av in items:
        first, empty = _first_of_item(op, av)
        out += first
        if not empty:
            return out, False
    return out, True


def _first_of_item(op: object, av: object) -> tuple[list, bool]:
    if op is LITERAL:
        return [(LITERAL, av)], False
    if op is IN:
        if any(o is NEGATE for o, _ in av):
            raise _Unreadable
        return list(av), False
    if op in (AT, ASSERT, ASSERT_NOT):
        return [], True  # zero width: the next item's first character is the match's
    if op is BRANCH:
        out: list = []
        empty = False
        for alternative in av[1]:
            first, alt_empty = _first_of_sequence(list(alternative))
            out += first
            empty = empty or alt_empty
        return out, empty
    if op is SUBPATTERN:
        _, add_flags, del_flags, body = av
        if add_flags or del_flags:
            raise _Unreadable  # scoped flags change what its characters match
        return _first_of_sequence(list(body))
    if op is ATOMIC_GROUP:
        return _first_of_sequence(list(av))
    if op in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT):
        lo, _, body = av
        first, empty = _first_of_sequence(list(body))
        return first, empty or lo == 0
    raise _Unreadable


def _as_class(items: list) -> str | None:
    """The class of ``items`` (literals, ranges and categories of a parse tree), every character
    escaped by its code point."""
    parts: dict[str, None] = {}
    for op, av in items:
        if op is LITERAL:
            parts[f"\\U{av:08x}"] = None
        elif op is RANGE:
            parts[f"\\U{av[0]:08x}-\\U{av[1]:08x}"] = None
        elif op is CATEGORY and av in _CATEGORIES:
            parts[_CATEGORIES[av]] = None
        else:
            return None  # a word character, or anything but a digit or space: most positions pass
    return "[" + "".join(parts) + "]"
