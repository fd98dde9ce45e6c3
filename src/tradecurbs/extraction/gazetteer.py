"""Find jurisdictions (countries, capitals, demonyms) and imposing bodies in text with Aho-Corasick."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from operator import itemgetter
from typing import Any

import ahocorasick

from tradecurbs.extraction import fastre as re
from tradecurbs.extraction.countries import case_forms, country_names, english_adjectives
from tradecurbs.extraction.folding import fold
from tradecurbs.extraction.lexicon import load, to_simplified, trie_regex


@dataclass(frozen=True)
class Mention:
    """A gazetteer hit: a place (kind country/capital/demonym) or a body (kind body)."""

    start: int
    end: int
    kind: str
    code: str | None
    text: str
    body: dict[str, Any] | None = None


def _is_word_char(ch: str) -> bool:
    """Whether ch is part of a word that a name must not start or end inside (scripts written without
    spaces between words, Chinese, Japanese, Korean and Thai, have no such boundaries)."""
    return ch.isalnum() and not (
        "\u4e00" <= ch <= "\u9fff"
        or "\u3040" <= ch <= "\u30ff"
        or "\uac00" <= ch <= "\ud7af"
        or "\u0e00" <= ch <= "\u0e7f"
    )


# characters that make a word with a following 对 ("反对" oppose, "绝对" absolutely, "相对" relatively): a
# "对美" (toward the US) key cannot start there
_OPENS_TOWARD_WORD = frozenset("反绝相")
_MAX_ENDING = 6  # letters of a case ending after an open name ("Росси" + "йской")


def _places() -> list[tuple[str, dict[str, list[str]]]]:
    """(code, spec) of the hand-kept place data: English and Chinese first, then other languages."""
    return [*load("places").items(), *load("places_intl").items()]


_OPEN: set[str] = set()  # keys that accept a case ending (filled by ``_automaton``)


# Scripts by the first character of a name: one automaton each, so a text is scanned only by the
# automata of the scripts it is written in (an automaton's root looks its children up one by one, and a
# root with every script's first letters makes each step slow).
_SCRIPTS: dict[str, re.Pattern[str]] = {
    "cyrillic": re.compile("[\u0400-\u04ff]"),
    "cjk": re.compile("[\u3040-\u30ff\u4e00-\u9fff]"),
    "hangul": re.compile("[\uac00-\ud7af]"),
    "thai": re.compile("[\u0e00-\u0e7f]"),
    "arabic": re.compile("[\u0600-\u06ff]"),
}


def _script(key: str) -> str:
    return next((name for name, chars in _SCRIPTS.items() if chars.match(key)), "latin")


@cache
def _automata() -> dict[str, ahocorasick.Automaton]:
    """One automaton per script, over the gazetteer's keys whose first character is of that script."""
    by_script: dict[str, ahocorasick.Automaton] = {}
    for key, values in _entries().items():
        auto = by_script.setdefault(_script(key), ahocorasick.Automaton())
        auto.add_word(key, (key, values))
    for auto in by_script.values():
        auto.make_automaton()
    return by_script


def _automaton() -> dict[str, ahocorasick.Automaton]:
    """Every automaton of the gazetteer, built (worker start-up)."""
    return _automata()


@cache
def _entries() -> dict[str, list[tuple[str, str | None, dict[str, Any] | None]]]:
    """Gazetteer key -> (kind, code, body) of each entry it names."""
    entries: dict[str, list[tuple[str, str | None, dict[str, Any] | None]]] = {}

    def add(
        key: str, kind: str, code: str | None, body: dict[str, Any] | None = None, open_end: bool = False
    ) -> None:
        key = to_simplified(str(key))
        if key.endswith("*"):
            key, open_end = key[:-1], True
        entries.setdefault(key, []).append((kind, code, body))
        if open_end:
            _OPEN.add(key)

    for place in country_names():
        add(place.text, "country", place.code, open_end=place.open_end)
        if " " in place.text and not place.text.isascii():
            for form in case_forms(place.text):  # CLDR's two-word names in their other cases
                add(form, "country", place.code)
    for code, spec in _places():
        for name in spec.get("names", []) + spec.get("abbrev", []):
            add(name, "country", code)
            if " " in name:  # "Южная Корея" in its other cases ("Южную Корею"), as CLDR names get them
                for form in case_forms(name):
                    add(form, "country", code)
        for name in spec.get("capitals", []):
            add(name, "capital", code)
        for name in spec.get("demonyms", []):
            add(name, "demonym", code)
            if name[:1].islower():  # an adjective also starts a sentence ("Белорусское правительство")
                add(name[0].upper() + name[1:], "demonym", code)
    for text in load("gazetteer").get("not_places", []):
        add(text, "none", None)  # the longest match wins: the name inside names nothing here
    hand_kept = set(entries)
    for text, code, kind in english_adjectives():
        if to_simplified(text) not in hand_kept:  # the hand-kept data decides a name it lists
            add(text, kind, code)
    for body in load("bodies"):
        for alias in body["aliases"]:
            alias = str(alias)
            variants = {alias}
            if " " in alias or alias.islower():
                variants |= {alias.lower(), alias[0].upper() + alias[1:]}
            for v in variants:
                add(v, "body", body.get("country"), body)
    return entries


@cache
def _bodies_of(kinds: frozenset[str]) -> ahocorasick.Automaton | None:
    """The gazetteer keys whose mention is a body of one of ``kinds`` (a key may also name places)."""
    auto = ahocorasick.Automaton()
    for key, values in _entries().items():
        body = next((b for k, _, b in values if k == "body"), None)
        if body is not None and body.get("kind") in kinds:
            auto.add_word(key, key)
    if len(auto) == 0:
        return None
    auto.make_automaton()
    return auto


def may_name_body(text: str, kinds: frozenset[str]) -> bool:
    """Whether text holds a name of a body of one of ``kinds``: a quick test before ``find_mentions``
    (False means no such body can be among its mentions)."""
    auto = _bodies_of(kinds)
    return auto is not None and next(auto.iter(to_simplified(text)), None) is not None


def body_names(text: str, kinds: frozenset[str]) -> list[tuple[int, int, int]]:
    """(start, end, 0) of every name of a body of one of ``kinds`` in text, ordered by end."""
    auto = _bodies_of(kinds)
    if auto is None:
        return []
    return [(e + 1 - len(key), e + 1, 0) for e, key in auto.iter(to_simplified(text))]


@cache
def _cjk_subject_abbreviations(
    prefix: str = "cjk_subject",
) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """The one-character country names of Chinese headlines, matched only where one opens a clause
    before a measure word (``cjk_subject_abbreviations`` in data/gazetteer.yml); with ``prefix="ja_subject"``
    those of Japanese ones ("米、中国製EVに関税")."""
    cfg = load("gazetteer")
    codes = {to_simplified(k): v for k, v in cfg.get(f"{prefix}_abbreviations", {}).items()}
    if not codes:
        return None
    chars = "".join(sorted(codes))
    opener = r"(?:^|(?<=[\s，。：:；;！？!?、“”‘’「」『』《》（）()|·—-]))"
    return re.compile(f"{opener}[{chars}](?={cfg[f'{prefix}_next']})"), codes


_KANA = re.compile("[\u3040-\u30ff]")


def find_mentions(text: str) -> list[Mention]:
    """Longest non-overlapping gazetteer hits in text, bodies preferred over places of equal length."""
    return list(_find_mentions(text))


@lru_cache(maxsize=2048)
def _find_mentions(text: str) -> tuple[Mention, ...]:
    """``find_mentions``, remembered: one sentence is asked for its places by several rules."""
    norm = to_simplified(text)
    automata = _automata()
    scripts = [] if norm.isascii() else [name for name, chars in _SCRIPTS.items() if chars.search(norm)]
    # (an ASCII text holds only names that start with an ASCII character)
    scanned = [automata["latin"]] + [automata[name] for name in scripts if name in automata]
    found = [hit for auto in scanned for hit in auto.iter(norm)]
    size = len(norm)
    # (sort key..., start, end, kind, code, body): longest first; at equal spans a word written out in
    # full beats a stem with an ending ("Ukrainian" the English adjective, not the Polish stem "Ukrain" +
    # "ian"), and a body beats a place; then the order found
    hits: list[tuple] = []
    for end_idx, (key, values) in found:
        start = end_idx - len(key) + 1
        end = end_idx + 1
        if start > 0 and _is_word_char(key[0]) and _is_word_char(norm[start - 1]):
            continue
        if end < size and norm[end] == "$":
            continue  # "US$ 50", "HK$ 2 billion": a currency, not the country
        if key[0] == "对" and start > 0 and norm[start - 1] in _OPENS_TOWARD_WORD:
            continue  # "反对美方": the 对 of "oppose", not "toward the US"
        if end < size and _is_word_char(key[-1]) and _is_word_char(norm[end]):
            if key not in _OPEN:
                continue
            ending = end
            while ending < size and _is_word_char(norm[ending]) and ending - end <= _MAX_ENDING:
                ending += 1
            if ending - end > _MAX_ENDING:
                continue
            end = ending
        kind, code, body = next(((k, c, b) for k, c, b in values if k == "body"), values[0])
        hits.append(
            (start - end, start, end != end_idx + 1, kind != "body", len(hits), end, kind, code, body)
        )
    if "cjk" in scripts:
        # "美对华加征关税", and in Japanese text "米、…": a one-character name opening a clause
        for prefix in ("cjk_subject", "ja_subject") if _KANA.search(norm) else ("cjk_subject",):
            if (subjects := _cjk_subject_abbreviations(prefix)) is None:
                continue
            pattern, codes = subjects
            for m in pattern.finditer(norm):
                code = codes[m.group()]
                hits.append((-1, m.start(), False, True, len(hits), m.end(), "country", code, None))
    hits.sort()
    kept: list[tuple] = []
    for h in hits:
        start, end = h[1], h[5]
        if all(end <= o[1] or start >= o[5] for o in kept):
            kept.append(h)
    kept.sort(key=itemgetter(1))
    return tuple(Mention(h[1], h[5], h[6], h[7], text[h[1] : h[5]], h[8]) for h in kept)


_OF_COUNTRY = re.compile(
    r"^\s+(?:(?:of|in)\s+(?:the\s+)?|(?:de|da|do|del|di|della|du)\s+(?:la\s+|l[’']\s*)?|de\s+l[’']\s*)$"
)
# (a headline's topic before a colon is no body's country: "Iran: Council lists ...")
_ADJ_GAP = re.compile(r"^(?:'s|’s)?\s*(?:the\s+)?(?:[A-Z][\w-]*\s+){0,2}$|^[^\w:：|]{0,2}$")


def attach_countries(text: str, mentions: list[Mention]) -> list[Mention]:
    """Give generic bodies the country written next to them ("Turkish trade ministry", "Government of
    Malaysia", "Japan's trade ministry"); returns the mentions with those bodies resolved."""
    out = list(mentions)
    for i, m in enumerate(mentions):
        if m.kind != "body" or m.code is not None:
            continue
        code = None
        if i > 0 and mentions[i - 1].kind in ("country", "demonym", "capital"):
            prev = mentions[i - 1]
            if _ADJ_GAP.match(text[prev.end : m.start]):
                code = prev.code
        elif i > 0 and mentions[i - 1].kind == "body" and mentions[i - 1].code:
            # "Modi's government", "Trump's administration": a leader's (or a named body's) own body
            prev = mentions[i - 1]
            if text[prev.end : m.start] in ("'s ", "’s "):
                code = prev.code
        nxt_kinds = ("country", "demonym", "capital")
        if code is None and i + 1 < len(mentions) and mentions[i + 1].kind in nxt_kinds:
            nxt = mentions[i + 1]
            gap = text[m.end : nxt.start]
            if nxt.kind == "capital" and gap == " in ":
                code = nxt.code  # "the commerce ministry in Beijing": the body of the capital's state
            # "Government of Malaysia"; the adjective after the noun in Romance languages ("el Gobierno
            # boliviano", "le gouvernement français")
            # and the genitive after the noun in Slavic languages ("правительство Казахстана")
            elif (nxt.kind == "country" and (_OF_COUNTRY.match(gap) or gap == " ")) or (
                nxt.kind == "demonym" and gap == " "
            ):
                code = nxt.code
        if code is not None:
            out[i] = Mention(m.start, m.end, m.kind, code, m.text, m.body)
    return out


@cache
def _companies() -> tuple[re.Pattern[str], dict[str, str], ahocorasick.Automaton | None]:
    """The regex of known firm names, each name's home jurisdiction, and an automaton over the names as
    ``fold`` writes them: a text whose folded form holds no name cannot match the regex (which ignores
    case as ``fold`` does), so it is not searched."""
    owners: dict[str, str] = {}
    for code, names in load("firms")["companies"].items():
        for name in names:
            owners[to_simplified(name).lower()] = code
    auto = ahocorasick.Automaton()
    for name in owners:
        auto.add_word(fold(name), 0)
    if len(auto):
        auto.make_automaton()
    return re.compile(trie_regex(list(owners)), re.IGNORECASE), owners, auto if len(auto) else None


@lru_cache(maxsize=1024)
def find_companies(text: str) -> list[tuple[int, str, str]]:
    """(offset, name, home jurisdiction) of known firms named in text (remembered: a sentence is asked
    for its firms by several rules)."""
    pattern, owners, names = _companies()
    norm = to_simplified(text)
    if names is None or next(names.iter(fold(norm)), None) is None:
        return []
    out = []
    for m in pattern.finditer(norm):
        s, e = m.start(), m.end()
        if s > 0 and text[s - 1].isascii() and text[s - 1].isalnum():
            continue
        if e < len(text) and text[e].isascii() and text[e].isalnum():
            continue
        out.append((s, text[s:e], owners[m.group(0).lower()]))
    return out
