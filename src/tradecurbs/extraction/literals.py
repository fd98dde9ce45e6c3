"""Literal strings a regular expression cannot match without, read from its parse tree.

``required(pattern)`` gives clauses (sets of strings): every match of the pattern contains at least one
string of every clause, compared after ``folding.fold`` (case-insensitive, as ``re.IGNORECASE`` does).
``exact(pattern)`` gives the finite set of strings a pattern matches, when it is a plain alternation.
``digit_run(pattern)`` gives the length of a run of digits every match holds ("\\d{4}-\\d{2}": 4).
All err on the safe side: a part of a pattern they cannot read yields no clause, never a wrong one.
"""

from __future__ import annotations

import re
from re import _parser
from re._constants import (
    ASSERT,
    ASSERT_NOT,
    AT,
    ATOMIC_GROUP,
    BRANCH,
    CATEGORY,
    CATEGORY_DIGIT,
    IN,
    LITERAL,
    MAX_REPEAT,
    MAXREPEAT,
    MIN_REPEAT,
    POSSESSIVE_REPEAT,
    RANGE,
    SUBPATTERN,
)

from tradecurbs.extraction.folding import fold_char

_CAP = 256  # most strings a run of literals may expand to before it is closed
_MAX_RANGE = 12  # widest character range expanded into single characters
_MAX_REPEAT_EXPAND = 3  # highest bounded repeat count of a literal part expanded into strings
_BRANCH_OPTIONS = 3  # clauses of each branch of an alternation combined into clauses of the whole
_BRANCH_COMBOS = 12  # most clauses an alternation yields

Clause = frozenset[str]
Parts = tuple[frozenset[str] | None, list[Clause]]  # (exact strings or None, clauses)


def _seq(items: list) -> Parts:
    """Exact strings of a sequence of parse-tree items (None when not finite), and its clauses."""
    clauses: list[Clause] = []
    run: set[str] = {""}
    whole = True
    for op, av in items:
        ex, cl = _item(op, av)
        clauses.extend(cl)
        if ex is not None:
            grown = {a + b for a in run for b in ex}
            if len(grown) <= _CAP:
                run = grown
                continue
            _close(run, clauses)
            run, whole = set(ex), False
            continue
        _close(run, clauses)
        run, whole = {""}, False
    if whole:
        return frozenset(run), clauses
    _close(run, clauses)
    return None, clauses


def _close(run: set[str], clauses: list[Clause]) -> None:
    if "" not in run:
        clauses.append(frozenset(run))


def _as_clauses(parts: Parts) -> list[Clause]:
    ex, cl = parts
    return cl + [ex] if ex is not None and "" not in ex else list(cl)


def _score(clause: Clause) -> tuple[bool, int, int]:
    return _useful(clause), min(len(s) for s in clause), -len(clause)


def _in_set(av: list) -> frozenset[str] | None:
    chars: set[str] = set()
    for op, v in av:
        if op is LITERAL:
            chars.add(fold_char(chr(v)))
        elif op is RANGE and v[1] - v[0] < _MAX_RANGE:
            chars.update(fold_char(chr(c)) for c in range(v[0], v[1] + 1))
        else:
            return None
    return frozenset(chars)


def _branch(alternatives: list) -> Parts:
    """An alternation: its exact strings when every branch has them, else clauses that hold whichever
    branch matched, (a1 | b1) & (a1 | b2) & ..., from a few of the best clauses of each branch."""
    parts = [_seq(list(alt)) for alt in alternatives]
    if all(ex is not None for ex, _ in parts):
        return frozenset().union(*(ex for ex, _ in parts if ex is not None)), []
    options = []
    for p in parts:
        ranked = sorted(set(_as_clauses(p)), key=_score, reverse=True)[:_BRANCH_OPTIONS]
        if not ranked:
            return None, []
        options.append(ranked)
    combos: list[list[Clause]] = [[]]
    for ranked in options:
        combos = [c + [o] for c in combos for o in ranked]
        if len(combos) > _BRANCH_COMBOS:
            combos = [c[:-1] + [ranked[0]] for c in combos[:: len(ranked)]]
    return None, [frozenset().union(*c) for c in combos]


def _repeat(lo: int, hi: int, body: list) -> Parts:
    inner = _seq(list(body))
    if lo == hi == 1:
        return inner
    ex = inner[0]
    if ex is not None and hi != MAXREPEAT and hi <= _MAX_REPEAT_EXPAND:
        out: set[str] = set()
        layer = {""}
        for k in range(hi + 1):
            if k >= lo:
                out |= layer
            layer = {a + b for a in layer for b in ex}
            if len(out) + len(layer) > _CAP:
                break
        else:
            return frozenset(out), []
    return None, (_as_clauses(inner) if lo >= 1 else [])


def _item(op: object, av: object) -> Parts:
    if op is LITERAL:
        return frozenset({fold_char(chr(av))}), []
    if op is IN:
        return _in_set(av), []
    if op in (AT, ASSERT, ASSERT_NOT):
        return frozenset({""}), []  # zero width: matches no characters
    if op is SUBPATTERN:
        return _seq(list(av[3]))
    if op is ATOMIC_GROUP:
        return _seq(list(av))
    if op is BRANCH:
        return _branch(av[1])
    if op in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT):
        return _repeat(av[0], av[1], av[2])
    return None, []  # any character, classes, back-references: nothing literal to rely on


def _minimal(clause: Clause) -> Clause:
    """Drop strings that contain another string of the clause (the shorter one is present anyway)."""
    short = sorted(clause, key=len)
    kept: list[str] = []
    for s in short:
        if not any(k in s for k in kept):
            kept.append(s)
    return frozenset(kept)


def _useful(clause: Clause) -> bool:
    """Whether a clause is selective enough to be worth checking (no one- or two-letter Latin strings)."""
    return all(len(s) >= 3 or (len(s) >= 1 and not s.isascii()) for s in clause)


def required(pattern: str, flags: int = 0) -> list[Clause]:
    """Clauses every match of the pattern satisfies (empty when nothing useful can be said)."""
    try:
        tree = _parser.parse(pattern, flags)
    except (re.error, RecursionError):
        return []
    parts = _seq(list(tree))
    seen: list[Clause] = []
    for clause in (_minimal(c) for c in _as_clauses(parts)):
        if _useful(clause) and clause not in seen:
            seen.append(clause)
    return seen


def _plain(items: list) -> bool:
    """Whether a parse tree holds only literals, character sets, plain groups, alternations and greedy
    or lazy repeats (no assertion, no inline flag, no possessive or atomic part)."""
    for op, av in items:
        if op is SUBPATTERN:
            ok = not av[1] and not av[2] and _plain(list(av[3]))
        elif op is BRANCH:
            ok = all(_plain(list(alt)) for alt in av[1])
        elif op in (MAX_REPEAT, MIN_REPEAT):
            ok = _plain(list(av[2]))
        else:
            ok = op is LITERAL or op is IN
        if not ok:
            return False
    return True


def exact(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """The folded strings the pattern matches, when it is a plain alternation of non-empty literals,
    matched ignoring case (Unicode rules) and with no assertion such as ``\\b``: then "the folded text
    holds one of them" is exactly "the pattern is found". Else None."""
    try:
        tree = _parser.parse(pattern, flags)
    except (re.error, RecursionError):
        return None
    mode = tree.state.flags
    if not mode & re.IGNORECASE or mode & (re.ASCII | re.LOCALE) or not _plain(list(tree)):
        return None
    ex, _ = _seq(list(tree))
    if ex is None or "" in ex:
        return None
    return ex


def _digit_set(av: list) -> bool:
    """Whether a character set matches decimal digits only."""
    for op, v in av:
        if op is LITERAL and chr(v).isdecimal():
            continue
        if op is RANGE and v[1] - v[0] < 10 and all(chr(c).isdecimal() for c in range(v[0], v[1] + 1)):
            continue
        if op is CATEGORY and v is CATEGORY_DIGIT:
            continue
        return False
    return True


def _digit_item(op: object, av: object) -> tuple[int, int | None]:
    """(run of digits every match of the item holds, its least length when it matches digits only, else
    None); zero-width items match digits only, with length 0."""
    if op is LITERAL:
        return (1, 1) if chr(av).isdecimal() else (0, None)
    if op is IN:
        return (1, 1) if _digit_set(av) else (0, None)
    if op in (AT, ASSERT, ASSERT_NOT):
        return 0, 0
    if op is SUBPATTERN:
        return _digit_seq(list(av[3]))
    if op is ATOMIC_GROUP:
        return _digit_seq(list(av))
    if op is BRANCH:
        parts = [_digit_seq(list(alt)) for alt in av[1]]
        lengths = [n for _, n in parts if n is not None]
        return min(b for b, _ in parts), (min(lengths) if len(lengths) == len(parts) else None)
    if op in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT):
        lo, _, body = av
        best, only = _digit_seq(list(body))
        if only is not None:
            return lo * only, lo * only
        return (best if lo >= 1 else 0), None
    return 0, None


def _digit_seq(items: list) -> tuple[int, int | None]:
    """``_digit_item`` of a sequence: runs of digit-only items join, any other item ends a run."""
    best = run = 0
    only: int | None = 0
    for op, av in items:
        inner, length = _digit_item(op, av)
        if length is None:
            best, run, only = max(best, inner), 0, None
            continue
        run += length
        best = max(best, run)
        if only is not None:
            only += length
    return best, only


def digit_run(pattern: str, flags: int = 0) -> int:
    """The length of a run of decimal digits (``\\d``) that every match of the pattern holds (0 when
    none can be told): a text with no such run cannot match."""
    try:
        tree = _parser.parse(pattern, flags)
    except (re.error, RecursionError):
        return 0
    return _digit_seq(list(tree))[0]
