"""Find trigger phrases in a sentence and keep the ones that do not overlap a stronger one."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

from tradecurbs.extraction import fastre as re
from tradecurbs.extraction.dates import day_words
from tradecurbs.extraction.keywords import trigger_index
from tradecurbs.extraction.lexicon import Gated, load, to_simplified, trigger_needs, triggers


@dataclass(frozen=True)
class Trigger:
    """A trigger phrase: its span in the sentence, the measure_type it states and the rule id."""

    start: int
    end: int
    measure_type: str
    rule: str
    text: str


def find_triggers(sentence: str) -> list[Trigger]:
    """Triggers of the sentence; an easing swallows the restriction it names, longer spans win.

    Only the rules whose keywords the sentence holds are run (``keywords.trigger_index``).
    """
    index = trigger_index()
    folded, hits = index.scan(sentence)
    keys = {k for _, _, k in hits}
    return run_rules(sentence, index.rules(keys, folded))


@cache
def _listing_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    raw = load("triggers")
    # goods words in lower case only: "Huawei Technologies" is a firm
    return re.compile(raw["listed_goods"]), re.compile(raw["listed_parties"], re.IGNORECASE)


def _goods_listing(t: Trigger) -> Trigger:
    """A listing that adds goods, and no parties, to a control list is an export control."""
    goods, parties = _listing_words()
    if goods.search(t.text) and not parties.search(t.text):
        return replace(t, measure_type="export_control", rule=t.rule + ":goods")
    return t


@cache
def _insertion() -> re.Pattern[str]:
    heads = load("triggers")["insertion_heads"]
    return re.compile(r",\s*(?:" + heads + r")[^,;:!?。，]{0,60}?,", re.IGNORECASE)


@cache
def _day_words() -> Gated:
    """A weekday or a "yesterday"/"today" word, with the article or preposition before it (gated by the
    words themselves: most sentences name no day and skip the regex)."""
    return Gated(r"\b(?:" + load("triggers")["day_word_lead"] + r"\s+)?(?:" + day_words() + r")\b")


def _without_insertions(norm: str) -> str:
    """The sentence with each comma-delimited time or manner adverbial, and each day named between a verb
    and its object ("ont suspendu mardi les réservations"), blanked (same length, so spans stay those of the
    sentence): the words of a trigger phrase around one are matched across it."""
    blank = lambda m: " " * len(m.group())  # noqa: E731
    if norm.count(",") >= 2:
        norm = _insertion().sub(blank, norm)
    days = _day_words()
    return days.regex.sub(blank, norm) if days.may(norm) else norm


def run_rules(sentence: str, rules: list[int], norm: str | None = None) -> list[Trigger]:
    """Triggers that the given rules (indexes into ``lexicon.triggers()``) find in the sentence."""
    if not rules:
        return []
    norm = norm or _without_insertions(to_simplified(sentence))
    table = triggers()
    found = []
    for i in rules:
        rule, mtype, pattern = table[i]
        for m in pattern.finditer(norm):
            found.append(Trigger(m.start(), m.end(), mtype, rule, sentence[m.start() : m.end()]))
    found = [_goods_listing(t) if t.measure_type == "entity_listing" else t for t in found]
    found = _with_needed_places(sentence, found)
    found.sort(key=lambda t: (t.measure_type != "easing", -(t.end - t.start), t.start))
    kept: list[Trigger] = []
    for t in found:
        clashes = [k for k in kept if not (t.end <= k.start or t.start >= k.end)]
        if not clashes or (
            # the measure an easing names, stated with its own participle ("blocks the tariffs imposed
            # against Canada", "suspended the controls imposed on Oct 9"), is a measure of its own
            t.measure_type != "easing"
            and all(k.measure_type == "easing" for k in clashes)
            and _OWN_PARTICIPLE.match(sentence[t.end : t.end + 30])
            and not any(k.measure_type == t.measure_type for k in kept if k not in clashes and _near(k, t))
        ):
            kept.append(t)
    kept += _coordinated_flows(sentence, norm, kept)
    return sorted(kept, key=lambda t: t.start)


_FLOW_TYPES = {
    "export_restriction": ("import", "import_restriction"),
    "import_restriction": ("export", "export_restriction"),
}


@cache
def _flow_patterns() -> dict[str, re.Pattern[str]]:
    """For each flow, the conjunction and the noun of that flow after a ban of the other one."""
    spec = load("triggers")["coordinated_flows"]
    return {
        flow: re.compile(rf"{spec['conjunction']}(?P<flow>{spec[flow]})\b(?!{spec['figure_after']})", re.I)
        for flow in ("import", "export")
    }


_CLAUSE_LIMIT = 160  # characters after a ban within which a second flow is looked for
_CLAUSE_END = re.compile(r"[.;:] ")


def _coordinated_flows(sentence: str, norm: str, kept: list[Trigger]) -> list[Trigger]:
    """The other trade flow a ban names after a conjunction, in the same clause, as a measure of its own
    ("bars exports of drones to Iran and imports of Iranian oil")."""
    out: list[Trigger] = []
    for t in kept:
        if t.measure_type not in _FLOW_TYPES:
            continue
        flow, mtype = _FLOW_TYPES[t.measure_type]
        clause_end = _CLAUSE_END.search(norm, t.end, t.end + _CLAUSE_LIMIT)
        stop = clause_end.start() if clause_end else min(len(norm), t.end + _CLAUSE_LIMIT)
        m = _flow_patterns()[flow].search(norm, t.end, stop)
        if m is None:
            continue
        s, e = m.span("flow")
        if any(not (e <= k.start or s >= k.end) for k in kept + out):
            continue
        rule = "ir.coordinated" if mtype == "import_restriction" else "xr.coordinated"
        out.append(Trigger(s, e, mtype, rule, sentence[s:e]))
    return out


_OWN_PARTICIPLE = re.compile(
    r"^\s*(?:\w+\s+)?(?:imposed|introduced|unveiled|announced|adopted|levied)\b", re.I
)


def _near(a: Trigger, b: Trigger) -> bool:
    return abs(a.start - b.start) < 40


def _with_needed_places(sentence: str, found: list[Trigger]) -> list[Trigger]:
    """Drop the matches whose rule needs a place of some kind (or a product) inside its span and has none ("a
    ban on Russian diamonds" is an import ban; "an embargo on Cuba" is not), before overlaps are resolved."""
    needs = trigger_needs()
    if not any(t.rule in needs for t in found):
        return found
    from tradecurbs.extraction.gazetteer import find_companies, find_mentions
    from tradecurbs.extraction.products import find_products

    mentions = find_mentions(sentence)
    return [
        t
        for t in found
        if t.rule not in needs
        or (needs[t.rule] == "product" and find_products(sentence[t.start : t.end]))
        # "demonym_product": a demonym and a product of the table ("bans Russian seafood")
        or (
            needs[t.rule] == "demonym_product"
            and find_products(sentence[t.start : t.end])
            and any(t.start <= m.start < t.end and _is_kind(m.kind, "demonym") for m in mentions)
        )
        # "origin": a place, or a named firm whose home is known ("Kaspersky Lab's antivirus software")
        or (needs[t.rule] == "origin" and any(t.start <= at < t.end for at, _, _ in find_companies(sentence)))
        or any(t.start <= m.start < t.end and _is_kind(m.kind, needs[t.rule]) for m in mentions)
    ]


def _is_kind(kind: str, needed: str) -> bool:
    """Whether a mention of ``kind`` is what a rule needs: a kind, or "place" for any place (not a body)."""
    return kind != "body" if needed in ("place", "origin") else kind == needed
