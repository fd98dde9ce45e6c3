"""Cues around a trigger: negation, threats and hedges that block it; reported speech; tense."""

from __future__ import annotations

from functools import cache, lru_cache

from tradecurbs.extraction import fastre as re
from tradecurbs.extraction.lexicon import Gated, compile_any, load
from tradecurbs.extraction.wordgates import present

# Negation over a coordinated list of verbs: "does not amend X, add Y, or impose Z" negates every member.
_NEG_HEAD = re.compile(
    r"\b(?:does|do|did|will|would|shall|can|could|may|must|is|are|was|were|has|have|had)(?:\s+not|n[’']t)\s+"
    r"(?:\w+\s+){0,2}?[a-z]\w*\b[^.;:!?]*$",
)
_LIST_OR = re.compile(r"(?:,\s*|\s)(?:or|nor)\s+(?:[\w-]+\s+){0,3}$")
_LIST_COMMA = re.compile(r",\s*(?:[\w-]+\s+){0,3}$")
_LIST_OR_AFTER = re.compile(r"^[^.;:!?]*?(?:,\s*|\s)(?:or|nor)\s")
_LIST_WINDOW = 260
# Cue kinds also sought inside a long trigger span ("introduced legislation ... that would impose a tariff").
_INNER_KINDS = ("negation", "hedge")


def _negated_list(sentence: str, start: int, end: int) -> str | None:
    """The negated verb phrase whose coordinated list the trigger belongs to, if any."""
    before = sentence[max(0, start - _LIST_WINDOW) : start]
    before = re.split(r";|, (?:but|while|although|though|whereas)\b", before)[-1]
    head = _NEG_HEAD.search(before)
    if head is None:
        return None
    if _LIST_OR.search(before) or (_LIST_COMMA.search(before) and _LIST_OR_AFTER.match(sentence[start:])):
        return head.group(0).split()[0] + " not"
    return None


@cache
def _compiled() -> dict:
    raw = load("cues")
    block = {
        kind: (compile_any(spec.get("before", [])), compile_any(spec.get("sentence", [])))
        for kind, spec in raw["block"].items()
    }
    return {
        "window": int(raw["window"]),
        "after": Gated(raw["after"], re.I),
        "block": block,
        "reported": compile_any(raw["reported"]),
        "future": compile_any(raw["future"]),
        "in_force": compile_any(raw["in_force"]),
        "scope_extension": compile_any(raw["scope_extension"]),
        "proposal_title": compile_any(raw["proposal_title"], 0),
        "executed_threat": Gated(raw["executed_threat"], re.I),
        "prohibition": re.compile(raw["prohibition_modal"], re.I),
    }


# an opening phrase of cause or ground before the main clause ("As a result of ..., ", "Following ...,")
_INTRODUCTORY = re.compile(
    r"\s*(?:as\s+a\s+result\s+of|following|because\s+of|in\s+light\s+of|based\s+on|pursuant\s+to|"
    r"in\s+response\s+to|in\s+view\s+of|owing\s+to|due\s+to)\b",
    re.I,
)
# "if"/"unless" after the sentence's main clause (not opening it): what follows is conditional
_CONDITION_AFTER_VERB = re.compile(r"[a-z]\s+(if|unless)\s+(?!not\b)", re.I)


# clauses end at semicolons, colons, Chinese commas (and commas written without a space after them, as Chinese
# text often has), and at English commas before a new clause
_CLAUSE_BREAK = re.compile(r"[;:；，。]|,(?![\s\d])|(?<![A-Z])\.\s|, (?:but|while|as|after|and then)\b")
# "after" and the subject of a clause whose verb, in the past, is the trigger ("Nvidia expected a charge after
# the government required licences": what happened is no one's expectation)
_AFTER_SUBJECT = re.compile(r"\bafter\s+(?:[\w.’'-]+\s+){1,4}$")
_PAST_VERB = re.compile(r"(?:\w+ed|was|were|had|has|have|put|set|cut)\b")


def blocking_cue(sentence: str, start: int, end: int) -> tuple[str, str] | None:
    """(kind, cue text) of the first cue that stops the trigger at ``start``, or None."""
    c = _compiled()
    sentence = _threats_blanked(sentence)
    # the cue words of the sentence: the text after the trigger, the clause and the trigger are scanned for
    # their own words only when the sentence holds a cue's words
    in_sentence = present(sentence)
    after = c["after"].match_in(sentence[end : end + 70], in_sentence)  # every branch is anchored, bounded
    if after:
        return "hedge", after.group(0).strip()
    before = sentence[max(0, start - c["window"]) : start]
    clause = _CLAUSE_BREAK.split(before)[-1]
    if (after_clause := _AFTER_SUBJECT.search(clause)) and _PAST_VERB.match(sentence, start):
        clause = clause[after_clause.start() :]
    if _INTRODUCTORY.match(sentence) and ", " in clause:
        # "As a result of the finding that revocation is not likely to ..., Commerce is revoking ...": the
        # cues of an opening phrase are its own; the main clause starts after its comma
        clause = clause.rsplit(", ", 1)[1]
    listed = _negated_list(sentence, start, end)
    if listed:
        return "negation", listed
    conditional = _CONDITION_AFTER_VERB.search(sentence, 0, start)
    if conditional:
        # "Washington said it could reverse the relief if Caracas failed to meet ..., including steps
        # towards lifting bans": a condition after the main clause governs the rest of the sentence
        return "threat", conditional.group(1)
    inner = sentence[start:end]
    prohibition = bool(c["prohibition"].search(clause) or c["prohibition"].search(inner))
    for kind, (near, anywhere) in c["block"].items():
        if kind == "negation" and prohibition:
            continue  # "dürfen nicht mehr exportiert werden": a prohibition, the measure itself
        if near is not None:
            m = near.search_in(clause, in_sentence)
            if not m and kind in _INNER_KINDS:
                m = near.search_in(inner, in_sentence)
            if m:
                return kind, m.group(0).strip()
        if anywhere is not None:
            found = _anywhere(kind, sentence)
            if found and not (
                found[1] >= end
                and (
                    _REASON_AFTER.search(sentence, end, found[1])
                    # "After Washington banned ..., Beijing said it would respond": the threat answers it
                    or (_LEADING_REASON.match(sentence) and "," in sentence[end : found[1]])
                )
            ):
                return kind, found[0]
    return None


# a clause after the measure that gives its cause: a threat told there is why the measure came ("stopped
# processing payments from Russia after the US threatened secondary sanctions"), not a threat of it
# a sentence that opens with the measure as its cause, in a clause of its own
_LEADING_REASON = re.compile(r"\s*(?:after|following|since|because|as|once|when)\b", re.I)
_REASON_AFTER = re.compile(
    r"\b(?:after|amid|because|following|fearing|for\s+fear|over\s+fears|since|due\s+to|in\s+response\s+to)\b",
    re.I,
)


@lru_cache(maxsize=2048)
def _threats_blanked(sentence: str) -> str:
    """The sentence with each threat carried out blanked out, every offset kept (a threat carried out is
    no threat); remembered, as every trigger of a sentence asks."""
    threat = _compiled()["executed_threat"]
    if not threat.may(sentence):
        return sentence
    return threat.regex.sub(lambda m: " " * len(m.group(0)), sentence)


@lru_cache(maxsize=2048)
def _anywhere(kind: str, sentence: str) -> tuple[str, int] | None:
    """The cue of ``kind`` that blocks every trigger of the sentence wherever it stands, and where it
    starts, if any (remembered: a sentence with several triggers is searched once)."""
    m = _compiled()["block"][kind][1].search(sentence)
    return (m.group(0).strip(), m.start()) if m else None


@lru_cache(maxsize=2048)
def reported_cue(text: str) -> str | None:
    """The cue that marks the statement as reported (hearsay), if any."""
    m = _compiled()["reported"].search(text)
    return m.group(0) if m else None


def is_future(clause: str, sentence: str | None = None) -> bool:
    """Whether the clause (a part of ``sentence``, when given) speaks of a measure still to come."""
    c = _compiled()
    if sentence is None:
        return bool(c["future"].search(clause)) and not c["in_force"].search(clause)
    words = present(sentence)
    return bool(c["future"].search_in(clause, words)) and not c["in_force"].search_in(clause, words)


def widens_scope(sentence: str) -> bool:
    """Whether the sentence extends the measure before it to more places ("the measure also hits ...")."""
    return bool(_compiled()["scope_extension"].search(sentence))


def is_proposal(title: str | None) -> bool:
    """Whether the title makes the document a proposal (a bill, a proposed rule), which imposes nothing."""
    return bool(title) and bool(_compiled()["proposal_title"].search(title))


@cache
def _separate() -> re.Pattern[str]:
    return re.compile(load("cues")["separate"], re.IGNORECASE)


def states_separate_measure(sentence: str) -> bool:
    """Whether the sentence opens by saying its measure is a separate one ("Separately, ...")."""
    return bool(_separate().match(sentence))
