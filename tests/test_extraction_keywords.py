"""The keyword pre-filter never hides a trigger: literal analysis of regexes, case folding, the index,
sentence spans and the lazy document walk (sentences written for these tests)."""

from __future__ import annotations

import _sre
import random
import re
import sys
from re import _casefix

import pytest

from tradecurbs.extraction.dates import month_names
from tradecurbs.extraction.extractor import run
from tradecurbs.extraction.folding import Translation, fold, fold_char
from tradecurbs.extraction.keywords import keys_by_span, trigger_index
from tradecurbs.extraction.lexicon import to_simplified, triggers, zh_table
from tradecurbs.extraction.literals import exact, required
from tradecurbs.extraction.text import split_sentences

SENTENCES = [
    "Pakistan will ban sugar exports from April 2, the commerce ministry said on Monday.",
    "The Canadian government imposed a 25% surtax on steel imports from China on Friday.",
    "EXPORT CONTROLS on gallium and germanium take effect on August 1, Beijing said.",
    "The bank said it had no plans to stop lending to small exporters.",
    "Washington added 31 Chinese firms to its Entity List on Tuesday.",
    "The EU adopted its 14th package of sanctions against Russia.",
    "India lifted the ban on non-basmati white rice exports to Nepal.",
    "Sinosure will no longer insure shipments to buyers in Belarus.",
    "Visa and Mastercard suspended operations in Russia.",
    "The ministry imposed anti-dumping duties on Chinese aluminium foil.",
    "Turkey halted all trade with Israel, the trade ministry said.",
    "Indonesia stopped issuing export permits for nickel ore.",
    "商务部宣布，自2023年8月1日起对镓、锗相关物项实施出口管制。",
    "商務部決定將十家美國企業列入不可靠實體清單。",
    "海关总署宣布暂停进口日本水产品。",
    "国务院关税税则委员会决定对原产于美国的部分商品加征关税。",
    "Die Regierung hat neue Sanktionen gegen Russland beschlossen.",
    "Bulgaria няма да удължи забраната за внос на зърно от Украйна.",
    "The important thing is that business keeps growing, the chief executive said.",
    "Shares of the bank fell after it cut its outlook.",
    "ſanctions and İmport curbs were lifted (odd letters that match under IGNORECASE).",
]


def _variants(sentence: str) -> list[str]:
    return [sentence, sentence.upper(), sentence.lower(), sentence.title()]


def test_fold_agrees_with_ignorecase_on_every_character() -> None:
    fixes = {}
    for low, others in _casefix._EXTRA_CASES.items():
        rep = chr(min((low, *others)))
        for c in (low, *others):
            fixes[chr(c)] = rep
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        low = chr(_sre.unicode_tolower(code))
        assert fold_char(chr(code)) == fixes.get(low, low)
    text = "".join(chr(c) for c in range(0x20, 0x3000) if not 0xD800 <= c <= 0xDFFF)
    assert fold(text) == "".join(fold_char(c) for c in text)
    assert fold("ΟΔΟΣ ΟΔΟΣ.") == fold("οδοσ οδοσ.")  # final sigma folds like any sigma
    for a, b in [("ſ", "s"), ("ı", "i"), ("İ", "i"), ("K", "k"), ("ς", "Σ")]:
        assert re.fullmatch(re.escape(a), b, re.IGNORECASE) and fold(a) == fold(b)


def test_translation_equals_translate() -> None:
    table = zh_table()
    apply = Translation(table)
    for text in ["plain ascii", "“curly” quotes — dashes", "商務部決定", "mixed 關稅 and tariffs", ""]:
        assert apply(text) == text.translate(table)


def test_required_clauses_of_simple_patterns() -> None:
    assert required(r"\bexport[- ]controls?\b", re.I) == [frozenset({"export control", "export-control"})]
    pattern = r"\b(?:export curbs?|(?:restrictions?|curbs?|controls?)\s+on\s+(?:\w+\s+){0,4}exports?)"
    clauses = required(pattern, re.I)
    assert frozenset({"export"}) in clauses
    assert frozenset({"restriction", "curb", "control"}) in clauses
    assert required(r"\w+\s+\d+") == []  # nothing literal to rely on


def test_exact_only_for_plain_word_lists() -> None:
    assert exact(r"(?:ban|dut(?:y|ies)|licen[cs])", re.I) == {"ban", "duty", "duties", "licenc", "licens"}
    assert exact(r"\bban\b", re.I) is None
    assert exact(r"ba.", re.I) is None
    assert exact("ban|bar") is None  # case-sensitive: folding would let more through
    assert exact("(?i)ban|bar") == {"ban", "bar"}
    assert exact("ban|(?-i:bar)", re.I) is None
    assert exact("ban", re.I | re.A) is None


@pytest.mark.parametrize("sentence", [v for s in SENTENCES for v in _variants(s)])
def test_every_matching_rule_is_let_through(sentence: str) -> None:
    index = trigger_index()
    norm = to_simplified(sentence)
    folded, hits = index.scan(sentence)
    assert folded == index.fold(sentence) and hits == index.hits(folded)
    keys = {k for _, _, k in hits}
    allowed = set(index.rules(keys, folded))
    for i, (rule, _, pattern) in enumerate(triggers()):
        if pattern.search(norm):
            assert i in allowed, rule


def test_the_prefilter_is_derived_from_the_rules() -> None:
    """A new trigger fires on its own words: no hand-kept list of stems has to name them."""
    index = trigger_index()
    assert index.prefilter is not None
    for i, (rule, _, _) in enumerate(triggers()):
        gate_words = {w for w, k in _keyword_ids(index).items() if i in index.by_key.get(k, ())}
        assert gate_words, f"{rule} has no keyword of its own"


def _keyword_ids(index) -> dict[str, int]:
    words: dict[str, int] = {}
    for auto in (index.latin, index.other):
        if auto is not None:
            for word, (k, _) in auto.items():
                words[word] = k
    return words


def test_keys_by_span_keeps_hits_inside_each_span() -> None:
    hits = [(0, 3, 1), (2, 6, 2), (5, 8, 3), (9, 12, 4), (12, 14, 5)]
    assert keys_by_span(hits, [(0, 4), (4, 9), (9, 14)]) == {0: {1}, 1: {3}, 2: {4, 5}}


def _reference_split(text: str) -> list[tuple[str, int, int]]:
    """The sentence splitter written plainly: the behaviour the fast one must keep."""
    abbrev = [
        "U.S", "U.K", "U.N", "E.U", "Mr", "Mrs", "Ms", "Dr", "St", "No", "Nos", "Inc", "Corp", "Co", "Ltd",
        "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "vs", "etc",
        "Gen", "Gov", "Sen", "Rep", "S", "N", "D.C", "approx", "e.g", "i.e", "Art", "para", "Fig",
    ]  # fmt: skip
    abbrev_re = re.compile(r"(?:^|[\s(\"'])(?:" + "|".join(re.escape(a) for a in abbrev) + r")\.$")
    boundary = re.compile(
        r"[.!?]+[\"'”’)]*\s+(?=[\"'“‘(\[]?[A-Z0-9А-Я가-힣])|[。！？；]+[”’」』]?|\n+"
        r"|(?<=[a-z]{2})[.!?][\"'”’)]*(?=[\"“]?[A-Z][a-z])"  # "programs.The Treasury": glued sentences
    )
    months = month_names()
    out: list[tuple[str, int, int]] = []

    def add(chunk: str, start: int) -> None:
        stripped = chunk.strip()
        if len(stripped) >= 3:
            out.append((stripped, start + chunk.index(stripped[0]), len(out)))

    start = 0
    for m in boundary.finditer(text):
        if m.group(0)[0] == "." and abbrev_re.search(text[max(0, m.start() - 12) : m.start() + 1]):
            continue
        word = re.match(r"\w+", text[m.end() :])
        if (
            m.group(0)[0] == "."
            and re.search(r"(?:^|[\s(])\d{1,2}$", text[: m.start()])
            and word
            and word.group(0).lower() in months
        ):
            continue  # "am 30. Oktober": the day of a date
        if (
            m.group(0)[0] == "."
            and re.search(
                r"(?:^|\s)(?:der|die|das|dem|den|des|am|im|zum|zur|vom|beim|ins|seit|ab|ihr\w*|sein\w*|unser\w*)"
                r"\s+\d{1,3}$",
                text[max(0, m.start() - 14) : m.start()],
                re.I,
            )
            and re.match(r"[^\W\d_]", text[m.end() :])
        ):
            continue  # "das 14. Sanktionspaket": a German ordinal after an article
        add(text[start : m.end()], start)
        start = m.end()
    add(text[start:], start)
    return out


def test_sentence_split_matches_the_plain_algorithm() -> None:
    pieces = list("aU.S Mr. x? !\n。！？；”’」』\"'()[AZ09Яe") + [
        " U.S. ", " Inc. ", "approx. ", "No. 5", " D.C. ", "Sept. ", "  ", "\t", "\u3000", "“", "S.",
        "(Co.", "'etc.", "xapprox.", "\u2028", "\x85", "Jan.", "plan. ", "Mar. T", " said. The", "ab.The",
        " 30. Oktober", "x.Ab", "ed.”The", " 4. Mai", "다. 개정", "한", " das 14. S", "im 3. q", " ab 2. ",
    ]  # fmt: skip
    rnd = random.Random(6)
    texts = SENTENCES + [" ".join(SENTENCES)]
    texts += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30))) for _ in range(20000)]
    for text in texts:
        assert [(s.text, s.start, s.index) for s in split_sentences(text)] == _reference_split(text)


def test_fast_path_gives_the_explained_mentions() -> None:
    text = " ".join(SENTENCES[:12])
    for kind in ("news", "official"):
        doc = {"id": "k", "url": "https://example.test/x", "title": "Measures", "text": text,
               "published": "2024-05-02", "source_kind": kind, "language": "en"}  # fmt: skip
        assert run(doc, explain=False)[0] == run(doc, explain=True)[0]
