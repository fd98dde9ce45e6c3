"""The extractor's cheap gates before its regexes: each may only skip work whose result would be nothing.

Checked against the plain regexes on the phenomenon texts of ``extraction_cases`` and on sentences
written here, so that a gate that drops a real match fails a test, not a release.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import yaml

from tradecurbs.extraction import dates, wordgates
from tradecurbs.extraction.extractor import prepare
from tradecurbs.extraction.keywords import trigger_index
from tradecurbs.extraction.lexicon import AnyOf, Gated
from tradecurbs.extraction.literals import digit_run
from tradecurbs.extraction.text import split_sentences

CASES_DIR = Path(__file__).resolve().parent / "extraction_cases"
# libyaml's parser when PyYAML has it: the same data as yaml.safe_load, read about 8 times faster
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
OWN = [
    "The ban takes effect on 1 March 2024, the ministry said on Friday.",
    "Les droits de douane entrent en vigueur le 5 mai 2023 à minuit.",
    "自2023年8月1日起，对部分镓、锗相关物项实施出口管制。",
    "Il divieto si applica dal 12.03.2022 fino alla fine dell'anno.",
    "Exports of rice were halted in May; officials may lift the ban next month.",
    "Ab Montag, dem 4. März, gilt das Embargo der EU.",
    "Запрет действует с 1 января 2024 года до 31 декабря.",
    "令和6年4月1日から輸出規制を強化する。",
    "Since 2019, tariffs of 25% have applied to $200bn of goods; in 2021 they rose.",
    "The market closed higher on Tuesday the 5th of July, marking a summary decline.",
]


def _sentences() -> list[str]:
    out = list(OWN)
    for path in sorted(CASES_DIR.glob("*.yml")):
        for case in yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER):
            out += [s.text for s in split_sentences(case["text"])]
    return out


SENTENCES = _sentences()


@pytest.fixture(scope="module", autouse=True)
def _compiled() -> None:
    prepare()


@pytest.mark.parametrize(
    ("pattern", "run"),
    [
        (r"\d{4}-\d{2}-\d{2}", 4),
        (r"(?:19|20)\d{2}", 4),
        (r"\b\d{1,2}\s*日", 1),
        (r"\d?x", 0),
        (r"[0-9]\d(?=\D)\d", 3),
        (r"(?:\d\d|x)\d", 1),
        (r"(?:\d\d|\d\d\d)-", 2),
        (r"[0-9a]\d", 1),
        (r"\w+", 0),
    ],
)
def test_digit_run_reads_the_digits_every_match_holds(pattern: str, run: int) -> None:
    assert digit_run(pattern) == run


def test_digit_run_of_date_patterns_never_exceeds_a_match() -> None:
    """Every match of every date pattern holds a run of digits as long as the one derived from it."""
    longest = re.compile(r"\d+")
    for kind, pat in dates._lexicon()["patterns"]:
        need = digit_run(pat.pattern, pat.flags)
        for sentence in SENTENCES:
            for m in pat.finditer(sentence):
                runs = [len(r) for r in longest.findall(m.group(0))]
                assert max(runs, default=0) >= need, (kind, m.group(0))


def test_present_reports_every_overlapping_word() -> None:
    ids = wordgates.register([frozenset({"ushers", "she", "hers"})])
    found = wordgates.present("The Ushers came")
    assert ids[0] <= found


def test_words_registered_later_are_seen_by_later_scans() -> None:
    before = wordgates.present("a zyxwvutword here")
    (clause,) = wordgates.register([frozenset({"zyxwvutword"})])
    assert clause.isdisjoint(before)
    assert clause <= wordgates.present("a zyxwvutword here")


def test_gated_search_equals_the_plain_regex() -> None:
    from tradecurbs.extraction import cues

    matchers = [m for m in cues._compiled().values() if isinstance(m, AnyOf)]
    for near, anywhere in cues._compiled()["block"].values():
        matchers += [m for m in (near, anywhere) if m is not None]
    lex = dates._lexicon()
    gated = [g for g in lex.values() if isinstance(g, Gated)]
    for sentence in SENTENCES:
        for matcher in matchers:
            plain = re.compile(matcher.pattern, matcher.parts[0].flags).search(sentence)
            got = matcher.search(sentence)
            known = matcher.search_known(sentence, wordgates.present(sentence))
            assert (got is None) == (plain is None) == (known is None), (matcher.pattern[:60], sentence)
            assert got is None or got.span() == known.span()
        for g in gated:
            assert (g.search(sentence) is None) == (g.regex.search(sentence) is None), g.pattern[:60]


def test_date_candidates_hold_every_pattern_that_matches() -> None:
    gates = dates._lexicon()["needs"]
    for sentence in SENTENCES:
        may, may_relative = gates.candidates(sentence)
        for kind, pat in dates._lexicon()["patterns"]:
            if pat.search(sentence):
                assert (kind, pat) in may, (kind, sentence)
        for rel in dates._lexicon()["relative"]:
            if rel[0].search(sentence):
                assert rel in may_relative, (rel[0].pattern[:40], sentence)


def test_rule_tables_agree_with_the_gates() -> None:
    """``_gated`` (per-keyword tables) and ``may_fire`` agree with checking every rule's gate."""
    index = trigger_index()
    keys = sorted(index.gate_keys)
    rng = random.Random(7)
    for _ in range(400):
        chosen = frozenset(rng.sample(keys, rng.randint(0, 6)))
        naive = tuple(i for i, gate in enumerate(index.gates) if all(not c.isdisjoint(chosen) for c in gate))
        index.memo.clear()
        assert index._gated(chosen) == naive
        assert index.may_fire(set(chosen)) == bool(index.rules(set(chosen)))


def _doc(text: str) -> dict[str, str]:
    return {
        "id": "carry",
        "url": "https://news.example.test/b",
        "title": "",
        "text": text,
        "published": "2024-02-20",
        "source_kind": "news",
        "language": "en",
    }


def test_place_role_cues_gated_by_their_sentence_equal_the_plain_regexes() -> None:
    """A place-role cue is skipped only in a sentence that lacks its words: on every window of a sentence,
    the gated cue finds what the plain regex finds (and the gates pass real matches)."""
    from tradecurbs.extraction import roles

    gated = [kind for kind, words in roles._cue_words().items() if words]
    assert {"victim_before", "origin_before"} <= set(gated)
    own = [
        "Russia banned imports of fruit from Poland, citing the aggression against Ukraine.",
        "China halted imports of seafood originating from Japan.",
        "Banks based in the United Arab Emirates stopped payments to firms located in Iran.",
    ]
    matched = set()
    for sentence in own + SENTENCES:
        for kind in gated:
            plain = roles._role_cues()[kind]
            cue = roles._cue(kind, sentence)
            for end in range(0, len(sentence) + 1, 3):
                for width in (6, 24, 60):
                    window = sentence[max(0, end - width) : end]
                    want = plain.search(window)
                    got = cue.search(window)
                    assert (got is None) == (want is None), (kind, window)
                    assert (cue.match(window) is None) == (plain.match(window) is None), (kind, window)
                    if want is not None:
                        matched.add(kind)
    assert {"victim_before", "origin_before"} <= matched


def test_a_victim_cue_still_drops_the_victim_through_its_gate() -> None:
    """The victim of an invasion named after a sanction is no target: the cue is found through its gate
    (closing the gate would add Ukraine)."""
    from tradecurbs.extraction import extract_document

    doc = _doc(
        "Ministři zemí Evropské unie schválili nový balík sankcí proti Bělorusku po ruské invazi na Ukrajinu."
    )
    doc["language"] = "cs"
    (mention,) = extract_document(doc)
    assert (mention["imposing_jurisdiction"], mention["target_jurisdictions"]) == ("EU", ["BY"])


def test_the_next_sentence_still_completes_an_open_event_and_the_trace() -> None:
    """The sentence after an event is read for dates when an event lacks its entry into force, or has only the
    day it was reported done (and for the trace): the mentions and the explanation are those of reading it
    always."""
    from tradecurbs.extraction import explain_document, extract_document

    doc = _doc("India will ban exports of rice. The ban takes effect on 1 March 2024.")
    (mention,) = extract_document(doc)
    assert mention["effective_on"].isoformat() == "2024-03-01"
    assert mention["rules"]["effective_on"] == "carry.next_sentence:date.dmy"
    done = _doc("India banned exports of rice on Monday. The ban takes effect on 1 March 2024.")
    (mention,) = extract_document(done)
    # the entry into force stated next wins over the day the ban was reported done
    assert mention["effective_on"].isoformat() == "2024-03-01"
    assert mention["rules"]["effective_on"] == "carry.next_sentence:date.dmy"
    explained = explain_document(done)
    assert explained["mentions"] == extract_document(done)
    assert [row.get("carried") for row in explained["sentences"]] == [None, "effective_on"]


def test_checked_mentions_still_name_the_field_outside_its_column() -> None:
    from tradecurbs.extraction import extract_document
    from tradecurbs.extraction.record import ContractViolation, checked

    text = "India will ban exports of rice. The ban takes effect on 1 March 2024."
    (mention,) = extract_document(_doc(text))
    assert checked(dict(mention)) == mention
    for field, value, words in [
        ("measure_type", "embargo_of_sorts", "not an accepted value"),
        ("target_jurisdictions", ["india"], "not a jurisdiction code"),
        ("confidence", "high", "is str, not float64"),
        ("surplus", 1, "outside the contract"),
    ]:
        with pytest.raises(ContractViolation, match=words):
            checked({**mention, field: value})
    with pytest.raises(ContractViolation, match="lacks the column 'status'"):
        checked({k: v for k, v in mention.items() if k != "status"})


def test_search_in_a_part_of_a_sentence_equals_the_plain_search() -> None:
    """Cues sought in a clause or window with the sentence's words as a first gate find what a search of
    the clause alone finds."""
    from tradecurbs.extraction import cues

    compiled = cues._compiled()
    matchers = [compiled["future"], compiled["in_force"]]
    for near, _ in compiled["block"].values():
        matchers += [near] if near is not None else []
    found = 0
    for sentence in SENTENCES:
        words = wordgates.present(sentence)
        for end in range(0, len(sentence) + 1, 5):
            for width in (40, 80, 200):
                part = sentence[max(0, end - width) : end]
                for matcher in matchers:
                    want = matcher.search(part)
                    got = matcher.search_in(part, words)
                    assert (got is None) == (want is None), (matcher.pattern[:60], part)
                    assert got is None or got.span() == want.span()
                    found += want is not None
                assert cues.is_future(part, sentence) == cues.is_future(part)
    assert found
