"""Turn one document into mentions of trade-restriction events, sentence by sentence."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import replace
from functools import cache, lru_cache
from typing import Any

from tradecurbs.contracts import EARLIEST_DATE, latest_date, measure_class
from tradecurbs.extraction import fastre as re
from tradecurbs.extraction.context import DocContext, dateline_date, signoff_date
from tradecurbs.extraction.cues import (
    blocking_cue,
    is_future,
    is_proposal,
    states_separate_measure,
    widens_scope,
)
from tradecurbs.extraction.dates import (
    Anchor,
    DateMention,
    after_publication,
    announced_same_day,
    find_dates,
    is_statistic_year,
    notice_label_end,
    publication_delay,
    states_effect,
    states_notice_effect,
)
from tradecurbs.extraction.document import DocSentences
from tradecurbs.extraction.fingerprint import extractor_version
from tradecurbs.extraction.gazetteer import Mention, attach_countries, find_companies, find_mentions
from tradecurbs.extraction.keywords import trigger_index
from tradecurbs.extraction.lexicon import Gated, load
from tradecurbs.extraction.products import find_products
from tradecurbs.extraction.record import checked
from tradecurbs.extraction.roles import (
    CJK_FULL_WIDTH_CLAUSE,
    FIRM_KINDS,
    Imposer,
    cjk_clause,
    find_imposers,
    find_targets,
    firm_noun,
    is_cjk,
    is_object,
    objects_of,
    regulator_acts,
    unnamed_firms_at,
)
from tradecurbs.extraction.sentfacts import SentenceFacts
from tradecurbs.extraction.text import Sentence
from tradecurbs.extraction.triggers import Trigger

EXTRACTOR_VERSION = extractor_version()
_SAYS = re.compile(
    r"\b(?:said|says|announced|announces|statement|notification|notice|decree|ordinance|stated|told)\b", re.I
)
_BACKGROUND = re.compile(
    r"\b(?:since|previously|earlier|had been|already|in (?P<year>\d{4})|last year|first announced)\b", re.I
)


def _background(text: str, anchor: Anchor) -> bool:
    """Whether the sentence speaks of the past: a measure in it is not dated by the report. A year that is
    a figure's period ("worth $4bn in exports in 2021") or not before the report's says nothing of that."""
    for m in _BACKGROUND.finditer(text):
        year = m.group("year")
        if year is None:
            return True
        past = anchor.date is None or int(year) < anchor.date.year
        if past and not is_statistic_year(text, m.start("year")):
            return True
    return False


# a sentence after a listing that names where the listed entities are ("The entities are listed under
# China, Bulgaria and France", "destinations", "based in")
_DESTINATIONS = re.compile(
    r"\b(?:destinations?|listed\s+under|located\s+in|based\s+in|addresses\s+in|registered\s+in)\b", re.I
)


# a relative clause set off by commas ("Japan, which restricted exports ... in 2019, lifted ..."): its dates
# are its own trigger's
_ASIDE_CLAUSE = re.compile(
    r",\s+(?:which|who|that|que|qui|который|которая|которые|które|który|které|který)\s[^,;]*"
)


def _pick_dates(dates: list[DateMention], trig_start: int, text: str = "") -> dict[str, DateMention | None]:
    eff = next((d for d in dates if d.role == "effective"), None)
    end = next((d for d in dates if d.role == "ended"), None)
    ann = [d for d in dates if d.role == "announced"]
    # a date in the same comma-set relative clause as the trigger, or outside every such clause when the
    # trigger is outside them, comes first
    asides = [m.span() for m in _ASIDE_CLAUSE.finditer(text)] if ann and text else []
    own = next(((s, e) for s, e in asides if s <= trig_start < e), None)

    def apart(d: DateMention) -> bool:
        if own is not None:
            return not own[0] <= d.start < own[1]
        return any(s <= d.start < e for s, e in asides)

    ann.sort(key=lambda d: (apart(d), d.precision == "year", abs(d.start - trig_start)))
    return {"announced": ann[0] if ann else None, "effective": eff, "ended": end}


# a clause that ends in a verb of saying, right before a full-width comma ("……3日宣布，")
_CJK_SAYS_END = re.compile(
    r"(?:宣布|表示|称|稱|指出|公布|发布|發布|通报|通報|决定|決定|发表|發表)\s*[，,]\s*$"
)


_NEW_CLAUSE = re.compile(
    r"(?:,\s+and|;|,\s+while|,\s+but|,\s+whereas)\s+(?=(?:the\s+)?[A-Z])"
    # a clause of another event's time ("..., hours after new US duties took effect")
    r"|(?i:,\s+(?:(?:hours|days|weeks|a\s+day|a\s+week|shortly|just|soon|only)\s+)?(?:after|before|following)\s+)"
)
# a halt, freeze or designation stated as done (past or perfect tense of the verb that makes it), on a day
# within a week of the report: in force that day
_REPORT_DAYS = 7
# an official notice saying its authority adopted or added something, or a report that sanctions or listings
# were adopted on a stated day: in force that day (sanctions acts apply from their publication)
_ADOPTED = re.compile(
    r"(?<!\bare\s)(?<!\bis\s)(?<!\bbe\s)(?<!\bbeen\s)(?<!\bwere\s)(?<!\bwas\s)\b(?:adopted|added|imposed|listed|included|designated|agreed|a\s+adopté|ont\s+adopté|adoptó|adoptaron|"
    r"adotou|ha\s+adottato|hat\s+(?:\S+\s+){0,6}?(?:beschlossen|verabschiedet|angenommen)|приняла|принял|přijala)(?!\w)",
    re.I,
)
_DONE = re.compile(
    r"(?:stopped|halted|suspended|banned|froze|frozen|blocked|barred|ceased|cut\s+off|closed|sanctioned|"
    r"designated|blacklisted|lifted|eased|revoked|removed|waived|scrapped)\b",
    re.I,
)


def _in_force_from_announcement(
    doc: dict, text: str, trig: Any, ann: DateMention, end: DateMention | None, anchor: Anchor
) -> str | None:
    """The rule by which a measure stating no entry into force is in force from its announcement, if any."""
    if _in_force_when_reported(doc, text, trig, ann, anchor):
        return "date.done_when_reported"
    if (
        end is not None
        and ann.precision == "day"
        and end.value > ann.value
        and not is_future(text[max(0, trig.start - 80) : trig.start], text)
    ):
        # "the export policy of onions is amended to Prohibited till 31 March 2024": a measure that runs
        # until a day and names no start runs from the day it is announced
        return "date.until_from_announcement"
    return None


def _in_force_when_reported(doc: dict, text: str, trig: Any, ann: DateMention, anchor: Anchor) -> bool:
    """Whether a measure is in force on its announcement day: a halt reported as done on a day the sentence
    states ("Turkey has stopped all exports to Israel, the ministry said on Thursday"), sanctions or listings
    adopted on such a day, or an official notice saying its authority adopted or added them."""
    if ann.precision != "day" or anchor.date is None or abs((anchor.date - ann.value).days) > _REPORT_DAYS:
        return False
    if is_future(text[max(0, trig.start - 80) : trig.start], text):
        return False
    official = doc.get("source_kind") == "official"
    stated = ann.rule not in ("date.published", "date.issued")  # the sentence itself says when
    if _DONE.match(text, trig.start, trig.end):
        return stated
    if official or trig.measure_type in ("sanction", "entity_listing"):
        return bool(_ADOPTED.search(text, max(0, trig.start - 80), trig.end)) and (stated or official)
    return False


def _status(mtype: str, sentence: str, trig_start: int, eff: DateMention | None, anchor: Anchor) -> str:
    if mtype == "easing":
        return "lifted"
    if eff is not None and anchor.date is not None and eff.value > anchor.date:
        return "announced"
    clause = re.split(r"[;,]\s", sentence[:trig_start])[-1] + sentence[trig_start : trig_start + 60]
    return "announced" if is_future(clause, sentence) else "in_force"


def _event(
    doc: dict,
    sent: Sentence,
    trig: Any,
    imp: Imposer,
    targets: list[str],
    trule: str,
    anchor: Anchor,
    ctx: DocContext,
    facts: SentenceFacts,
) -> dict[str, Any]:
    text = sent.text
    products, hs, printed = facts.goods
    # a date before ", and Beijing announced ..." is the earlier clause's, not this measure's
    cut = max((m.end() for m in _NEW_CLAUSE.finditer(text, 0, trig.start)), default=0)
    own = _eased_own_dates(text, trig, facts.dates) if trig.measure_type == "easing" else []
    candidates = [d for d in facts.dates if d.start >= cut and d not in own]
    if is_cjk(trig.text):
        # "美国五日把七家企业列入清单后，昨天商务部也宣布……": in text written without spaces, the dates of
        # the trigger's own clause (between full-width commas) are its own, when it has any
        start, end = cjk_clause(text, trig, CJK_FULL_WIDTH_CLAUSE)
        clause = [d for d in candidates if start <= d.start < end]
        if clause and not any(d.role == "announced" for d in clause) and _CJK_SAYS_END.search(text, 0, start):
            # "俄罗斯政府3日宣布，将……延长至年底": the day of the saying, in the clause before, announces it
            said = text.rfind("，", 0, max(0, start - 1)) + 1
            clause += [d for d in candidates if said <= d.start < start and d.role == "announced"]
        candidates = clause or candidates
    picked = _pick_dates(candidates, trig.start, text)
    rules: dict[str, str] = {
        "measure_type": trig.rule,
        "imposing_jurisdiction": imp.rule,
        "target_jurisdictions": trule,
    }
    ann, eff, end = picked["announced"], picked["effective"], picked["ended"]
    if ann is not None:
        rules["announced_on"] = ann.rule
    elif ctx.issued is not None:
        ann, rules["announced_on"] = ctx.issued, "date.issued"
    elif eff is None and anchor.date is not None and not sent.is_title and not _background(text, anchor):
        ann = DateMention(0, 0, anchor.date, anchor.precision or "day", "announced", "date.published")
        rules["announced_on"] = ann.rule
    if eff is None and facts.on_publication is not None:
        # in force on publication (or some days after it): from the day it was announced, else the day
        # the notice was issued or published
        day = (
            ann
            or ctx.issued
            or (
                DateMention(0, 0, anchor.date, anchor.precision, "effective", "date.published")
                if anchor.date is not None
                else None
            )
        )
        if day is not None:
            eff = after_publication(day, facts.on_publication)
    if end is None:
        end = facts.year_end
    if eff is None and ann is not None:
        rule = _in_force_from_announcement(doc, text, trig, ann, end, anchor)
        if rule is not None:
            eff = DateMention(0, 0, ann.value, ann.precision, "effective", rule)
    if eff is not None:
        rules["effective_on"] = eff.rule
    if end is not None:
        rules["ended_on"] = end.rule
    if products:
        rules["products"] = "products.table"
    if hs:
        rules["hs_codes"] = "hs.printed" if printed else "hs.table"
    certainty, rules["certainty"] = facts.certainty
    status = _status(trig.measure_type, text, trig.start, eff, anchor)
    rules["status"] = "status.tense"
    entities = facts.entities if trig.measure_type in ("entity_listing", "sanction") else []
    conf = 0.55 + (0.15 if imp.body and imp.rule.startswith("imposer.before") else 0.0)
    conf += 0.1 if (ann or eff) else 0.0
    conf += 0.1 if certainty == "official" else -0.05
    conf -= 0.15 if imp.rule in ("imposer.previous", "imposer.home") else 0.0
    conf -= 0.1 if sent.is_title else 0.0
    mtype, kind = trig.measure_type, _body_kind(trig.measure_type, imp, text)
    if mtype == "export_control" and _commodity_curb(trig.rule, hs, text, trig.end):
        # "India restricted exports of sugar": a curb on goods no export control is about limits quantities
        mtype = "export_restriction"
        rules["measure_type"] += ":commodity"
    elif mtype == "export_restriction" and _controlled_curb(trig.text, hs):
        # "Le Japon restreint ses exportations de puces": a restriction of goods export controls are about
        mtype = "export_control"
        rules["measure_type"] += ":controlled"
    if mtype == "entity_listing" and imp.body in _sanctions_authorities() and not _package_story(doc):
        # "the US Treasury blacklisted two oil producers": a sanctions authority keeps sanctions lists
        mtype = "sanction"
        rules["measure_type"] += ":sanctions_authority"
    elif mtype == "entity_listing" and _sanctions_list_names().search(trig.text) and not _package_story(doc):
        # "added three Hong Kong shipping firms to the SDN list": a designation on a sanctions list is a
        # sanction; in a story about a sanctions package, the listings stay the package's listing component
        mtype = "sanction"
        rules["measure_type"] += ":sanctions_list"
    if mtype in _FLOWS and kind in FIRM_KINDS:
        # a firm that halts its own shipments or purchases refuses to deal ("Maersk halted shipments to
        # Russia", "two Swiss traders suspended purchases of Russian crude"); only a state restricts trade
        mtype = "service_refusal"
        rules["measure_type"] += ":firm_halt"
    return {
        "doc_id": doc.get("id"),
        "event_class": measure_class(mtype),
        "measure_type": mtype,
        "imposing_jurisdiction": imp.code,
        "imposing_body": imp.body,
        "imposing_body_kind": kind,
        "target_jurisdictions": targets,
        "target_entities": sorted(set(entities)),
        "products": sorted(products),
        "hs_codes": sorted(hs),
        "announced_on": ann.value if ann else None,
        "effective_on": eff.value if eff else None,
        "ended_on": end.value if end else None,
        "announced_precision": ann.precision if ann else None,
        "effective_precision": eff.precision if eff else None,
        "status": status,
        "certainty": certainty,
        "evidence": text,
        "confidence": round(max(0.05, min(0.99, conf)), 2),
        "rules": rules,
        "_sentence": sent.index,
        "_title": sent.is_title,
    }


_FLOWS = ("export_restriction", "import_restriction")


@cache
def _curbs() -> tuple[frozenset[str], tuple[str, ...]]:
    raw = load("triggers")
    return frozenset(raw["plain_curbs"]), tuple(raw["controlled_goods"])


@cache
def _dual_use() -> re.Pattern[str]:
    """The words for dual-use items (the ``dual-use items`` entry of data/products.yml)."""
    terms = next(p["terms"] for p in load("products") if p["name"] == "dual-use items")
    return re.compile("|".join(re.escape(str(t)) for t in terms), re.I)


def _commodity_curb(rule: str, hs_codes: Any, text: str, end: int) -> bool:
    """Whether a plain curb on exports (no licence, no control named) hits known goods none of which is of
    the kinds export controls are about (``controlled_goods`` in the trigger lexicon), and names no dual-use
    goods right after the trigger ending at ``end`` ("new export restrictions on dual-use goods" beside a ban
    on diamonds: the curb's own goods are controlled)."""
    rules, controlled = _curbs()
    return (
        rule in rules
        and bool(hs_codes)
        and not any(str(code).startswith(controlled) for code in hs_codes)
        and not _dual_use().search(text, end, end + 40)
    )


@cache
def _restrict_words() -> re.Pattern[str]:
    return re.compile(load("triggers")["restrict_words"], re.I)


def _controlled_curb(trigger_text: str, hs_codes: Any) -> bool:
    """Whether an export restriction worded as restricting (not banning) hits only goods of the kinds export
    controls are about (``controlled_goods``, ``restrict_words`` in the trigger lexicon)."""
    controlled = _curbs()[1]
    return (
        bool(hs_codes)
        and all(str(code).startswith(controlled) for code in hs_codes)
        and _restrict_words().search(trigger_text) is not None
    )


@cache
def _sanctions_authorities() -> frozenset[str]:
    """Names of the bodies whose lists are sanctions lists (``sanctions_authority`` in data/bodies.yml)."""
    return frozenset(b["name"] for b in load("bodies") if b.get("sanctions_authority"))


@cache
def _sanctions_list_names() -> re.Pattern[str]:
    """The names of sanctions lists (``sanctions_lists`` in the trigger lexicon)."""
    return re.compile(load("triggers")["sanctions_lists"], re.I)


@cache
def _package_words() -> re.Pattern[str]:
    """The words of a sanctions package or round (``package_words`` in the trigger lexicon)."""
    return re.compile(load("triggers")["package_words"], re.I)


def _package_story(doc: dict) -> bool:
    """Whether the document speaks of a sanctions package (its title or text names one)."""
    package = _package_words()
    return bool(package.search(doc.get("title") or "") or package.search(doc.get("text") or ""))


@cache
def _echo_words() -> re.Pattern[str]:
    """Phrases by which another actor takes the measure just reported (``echo`` in the trigger lexicon)."""
    return re.compile(load("triggers")["echo"], re.I)


_ECHO_WINDOW = 2  # sentences after a measure within which "Japan followed suit" takes it up


def _echo_triggers(sent: Sentence, events: list[dict[str, Any]]) -> list[Trigger]:
    """Triggers for a sentence that names no measure but says a country took the one just reported ("The
    Netherlands announced its own restrictions in June", "Hungary did the same"): each of the type of the
    last measure (if at most ``_ECHO_WINDOW`` sentences back), with the rule ``echo``; a phrase with no
    country before it in its clause (other than the measure's imposer or targets) takes nothing."""
    if sent.is_title or not events or not 0 <= sent.index - events[-1]["_sentence"] <= _ECHO_WINDOW:
        return []
    phrases = list(_echo_words().finditer(sent.text))
    if not phrases:
        return []
    last = events[-1]
    known = (last["imposing_jurisdiction"], *last["target_jurisdictions"])
    mentions = find_mentions(sent.text)
    found = []
    begin = 0
    for m in phrases:
        actors = (x for x in mentions if begin <= x.start and x.end <= m.start() and x.code not in known)
        if any(x.kind in ("country", "capital") for x in actors):
            rule = "echo:" + last["rules"]["measure_type"]
            found.append(Trigger(m.start(), m.end(), last["measure_type"], rule, m.group(0)))
        begin = m.end()
    return found


def _echoed_targets(events: list[dict[str, Any]], new: list[dict[str, Any]]) -> None:
    """Echoed measures that name no target of their own aim at the targets of the measure they take up (the
    last one reported, as ``_echo_triggers`` reads it)."""
    for ev in new:
        if ev["rules"]["measure_type"].startswith("echo:") and not ev["target_jurisdictions"] and events:
            aimed = events[-1]["target_jurisdictions"]
            ev["target_jurisdictions"] = [t for t in aimed if t != ev["imposing_jurisdiction"]]
            ev["rules"]["target_jurisdictions"] = "target.echo"


def _body_kind(mtype: str, imp: Any, sentence: str) -> str:
    """The imposer's kind: its body's, else a firm when unnamed firms of a country refuse a service or halt
    their trade ("a Turkish lender stopped ...", "Swiss traders halted ..."), else the government."""
    unnamed = imp.body is None and mtype in ("service_refusal", *_FLOWS) and imp.start is not None
    return "private_company" if unnamed and unnamed_firms_at(sentence, imp.start) else imp.kind


def run(doc: dict, explain: bool = True) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Mentions of the document and, when ``explain``, the per-sentence trace.

    A document in which no trigger rule can fire is done after one keyword scan, without splitting it;
    otherwise each sentence runs only the trigger rules whose words it holds (``document.DocSentences``).
    """
    sents = DocSentences(doc)
    if not explain and (not sents.may_fire() or is_proposal(doc.get("title"))):
        return [], []
    anchor = Anchor.parse(doc.get("published"), doc.get("language"))
    english = anchor.language in ("", "en")
    title = sents.title
    ctx = DocContext(doc, title.text if title is not None else None, anchor)
    signed = signoff_date(doc.get("text") or "", anchor) or dateline_date(doc.get("text") or "", anchor)
    if signed is not None and (anchor.date is None or signed.value <= anchor.date):
        # the notice's "today" (即日, 本日) is the day it was signed, wherever it was published later; a wire
        # story's "Tuesday" counts from the day in its dateline
        anchor = replace(anchor, date=signed.value, precision="day")
        ctx.anchor = anchor
    official = doc.get("source_kind") == "official"
    events: list[dict[str, Any]] = []
    blocked: list[tuple[str, str | None, bool]] = []
    trace: list[dict[str, Any]] = []
    previous: Imposer | None = None
    has_title = title is not None
    prev_events: list[dict[str, Any]] = []
    prev_index = -99
    rule_map = sents.rules()
    for pos in range(len(sents)):
        rules = rule_map.get(pos, [])
        if not (rules or explain) and (
            not prev_events or pos - sents.offset - prev_events[0]["_sentence"] > _SCOPE_GAP
        ):
            # no trigger can fire, and nothing to carry (``_carry`` completes only the events of the
            # sentence before, and widens those of a sentence at most _SCOPE_GAP before): the sentence
            # is not even made
            continue
        sent = sents[pos]
        trigs = _drop_descriptions(sent.text, _fold_list_names(sent.text, sents.triggers(pos, rules)))
        row: dict[str, Any] = {"triggers": []}
        if explain:
            row = {"sentence": sent.text, "title": sent.is_title, "triggers": [], "home": list(ctx.home)}
            trace.append(row)
        if not trigs:
            trigs = _echo_triggers(sent, events)
        if not trigs:
            _carry(sent, prev_events, events, anchor, row)
            _date_by_reference(sent, events, anchor, row)
            continue
        home = ctx.home[0]
        refusal = any(t.measure_type == "service_refusal" for t in trigs)
        earlier = sents.firms_before(pos) if refusal else []
        mentions = attach_countries(sent.text, find_mentions(sent.text))
        recent = previous if previous is not None and sent.index - prev_index <= 6 else None
        new_events: list[dict[str, Any]] = []
        all_imposers = []
        for n, t in enumerate(trigs):
            taken = frozenset().union(
                *(
                    objects_of(sent.text, mentions, o) - {i.start for i in all_imposers[k]}
                    for k, o in enumerate(trigs[:n])
                )
            )
            if taken and not english:
                # "В ответ на пакет санкций ЕС Россия запретила ввоз ...": a place right before the verb is
                # its subject, not the object of the measure named before it (English puts a comma there)
                text = sent.text
                subjects = (m for m in mentions if m.end <= t.start and not text[m.end : t.start].strip())
                taken -= {m.start for m in subjects if not is_object(text, m)}
            found = find_imposers(sent.text, mentions, t, recent, home, official, earlier, taken, ctx.home[1])
            all_imposers.append(found or _story_imposer(t.measure_type, events))
        head = sent.is_title or (not has_title and sent.index == 0)
        facts: SentenceFacts | None = None
        for n, trig in enumerate(trigs):
            info: dict[str, Any] = {"text": trig.text, "rule": trig.rule, "measure_type": trig.measure_type}
            row["triggers"].append(info)
            imposers = all_imposers[n]
            cue = blocking_cue(sent.text, trig.start, trig.end)
            if cue:
                info["kept"], info["reason"] = False, f"{cue[0]}: {cue[1]!r}"
                blocked.append((trig.measure_type, imposers[0].code if imposers else None, head))
                continue
            if not imposers:
                info["kept"], info["reason"] = False, "no imposer"
                continue
            if (
                trig.measure_type == "service_refusal"
                and not any(i.kind in ("private_company", "state_owned_enterprise") for i in imposers)
                and regulator_acts(sent.text[max(0, trig.start - 90) : trig.start])
            ):
                # "Kuwait's central bank told lenders to stop transactions with Iranian banks": the state acts
                trig = replace(trig, measure_type="sanction", rule=trig.rule + ":regulator")
            if (
                trig.measure_type == "service_refusal"
                and not any(i.kind in ("private_company", "state_owned_enterprise") for i in imposers)
                and not firm_noun(sent.text[: trig.start])
            ):
                info["kept"], info["reason"] = False, "refusal without a firm"
                continue
            later = [
                i.start
                for imps in all_imposers[n + 1 :]
                for i in imps
                if i.start is not None and i.start > trig.end
            ]
            floor = trigs[n - 1].start if n else None  # places in or after the previous measure are its
            targets, trule = find_targets(
                sent.text, mentions, trig, imposers, min(later) if later else None, floor
            )
            if (
                trig.measure_type == "export_restriction"
                and imposers
                and imposers[0].rule.startswith("imposer.passive")
                and targets
                and _exports_of_target(sent.text, mentions, trig, targets)
            ):
                # "as exportações de carne do Brasil foram proibidas pela China": another country's exports
                # barred by the agent are the agent's import ban
                trig = replace(trig, measure_type="import_restriction", rule=trig.rule + ":exports_of")
                info["measure_type"] = trig.measure_type
            info["kept"], info["reason"] = True, "stated as fact"
            if facts is None:
                facts = SentenceFacts(doc, sent.text, mentions, anchor, _SAYS)
            pair = {i.code for i in imposers}
            # "Washington and Beijing agreed to suspend most of their tariffs": each one's duties on the other
            mutual = not targets and len(pair) == 2 and bool(_MUTUAL_DUTIES.search(sent.text))
            for imp in imposers:
                aimed, why = (sorted(pair - {imp.code}), "target.mutual") if mutual else (targets, trule)
                split = [[t] for t in aimed] if trig.measure_type == "entity_listing" and aimed else [aimed]
                for tgt in split:
                    ev = _event(doc, sent, trig, imp, tgt, why, anchor, ctx, facts)
                    ev["_title"] = head
                    ev["_separate"] = states_separate_measure(sent.text)
                    ev["_other"] = bool(_OTHER.search(sent.text, max(0, trig.start - 40), trig.end + 40))
                    new_events.append(ev)
                    if trig.measure_type == "easing":
                        new_events.extend(_eased_restriction(sent.text, trig, ev, facts.dates))
                    if n == len(trigs) - 1:
                        new_events.extend(_elided_measure(sent.text, trig, ev, anchor))
                    info.setdefault("events", []).append(
                        {k: ev[k] for k in ("measure_type", "imposing_jurisdiction", "target_jurisdictions")}
                        | {"rules": ev["rules"]}
                    )
            if previous is None or not (sent.is_title or _HEADING.search(sent.text)):
                previous, prev_index = imposers[0], sent.index
                kind = new_events[-1]["imposing_body_kind"] if new_events else None
                if kind in FIRM_KINDS and previous.kind not in FIRM_KINDS:
                    # unnamed firms of a country ("a Norwegian insurer") refused: the next measure with no
                    # author is theirs only if a firm may take it
                    previous = replace(previous, kind=kind)
        if not new_events:
            _carry(sent, prev_events, events, anchor, row)
            _date_by_reference(sent, events, anchor, row)
            continue
        if pos and _ANAPHOR.match(sent.text) and not any(e["_sentence"] == sent.index - 1 for e in events):
            _take_effect_ahead(new_events, sents[pos - 1], anchor)
        _echoed_targets(events, new_events)
        _inherit_targets(new_events, events)
        _inherit_package_dates(new_events, events)
        _inherit_also_dates(new_events, events)
        events.extend(new_events)
        prev_events = new_events
    if official:
        _apply_notice_effect(sents, events, anchor, ctx.issued)
    return _finish(events, blocked, anchor, title.text if title is not None else None), trace


# a short line of the body without an end mark: a subheading or the headline of another story, whose
# imposer is not the one "the government" of the next sentences stands for (unless none came before it)
_HEADING = re.compile(r"^[^\n]{1,120}(?<![.!?。！？:;\"”’)»])\s*$")
# (a conjunction in the gap starts the next measure: "bans imports of Russian diamonds and adds 61 entities")
_LIST_NAME_GAP = re.compile(
    r"^\s*(?:(?!(?:and|or|und|oder|et|ou|y|e|и|или|ve|veya|dan|và|i|a|oraz)\b)[^\W\d_]+\s+){0,4}$"
)


_RELATIVE = re.compile(r"(?:,\s*(?:which|that)|\bwhich)\s+(?:\w+\s+)?$", re.I)
_MUTUAL_DUTIES = re.compile(
    r"\b(?:their|each\s+other[’']s|mutual|reciprocal|tit-for-tat)\s+(?:[\w-]+\s+){0,2}?(?:tariffs|duties|levies)\b"
    r"|(?:相互|互相|彼此|双方|雙方)[^，。]{0,8}(?:关税|關稅)",
    re.I,
)


def _story_imposer(measure_type: str, events: list[dict[str, Any]]) -> list[Imposer]:
    """The imposer of the story's earlier measure of the same kind, for a measure whose sentence names no
    author at all ("China adds graphite to export controls ... The announcement follows the licensing
    requirement placed on gallium exports in August")."""
    same = next(
        (
            e
            for e in reversed(events)
            if e["measure_type"] == measure_type and measure_type != "service_refusal"
        ),
        None,
    )
    if same is None:
        return []
    return [
        Imposer(
            same["imposing_jurisdiction"], same["imposing_body"], same["imposing_body_kind"], "imposer.story"
        )
    ]


def _drop_descriptions(sentence: str, trigs: list[Any]) -> list[Any]:
    """A relative clause after a measure that says what the measure does ("... to its Entity List, which
    restricts exports to ...") describes it; it is no measure of its own."""
    return [
        t
        for n, t in enumerate(trigs)
        if not (n and _RELATIVE.search(sentence[max(trigs[n - 1].end, t.start - 20) : t.start]))
    ]


def _fold_list_names(sentence: str, trigs: list[Any]) -> list[Any]:
    """A restriction that names the list a listing trigger adds to ("ihracat kısıtlamaları getirilen
    şirketler listesine ... dahil etti", the export-restrictions list) is part of the listing, not a measure
    of its own: it is dropped when a listing trigger follows it within a few words."""
    listings = [t for t in trigs if t.measure_type == "entity_listing"]
    if not listings:
        return trigs
    return [
        t
        for t in trigs
        if t.measure_type == "entity_listing"
        or not any(_LIST_NAME_GAP.match(sentence[t.end : lt.start]) for lt in listings if lt.start >= t.end)
    ]


_SCOPE_GAP = 3  # sentences after a measure within which "the measure also hits ..." widens it
_INHERIT_WINDOW = 8  # sentences over which a measure's target carries to the next measures of its imposer
_LEAD = 1  # sentences of the title and lead: the story's measure, whose target carries to the whole story


def _inherit_targets(new: list[dict[str, Any]], earlier: list[dict[str, Any]]) -> None:
    """The components of a package name their target once: a measure that names none takes the targets
    of the latest measure of the same imposer a few sentences before ("sanctions against Russia ... The
    export of energy goods is banned"); sanctions named after an easing aim at what it eased. The measure
    of the title or lead names the target for the whole story."""
    for n, ev in enumerate(new):
        if ev["target_jurisdictions"] or ev["_title"] or ev.get("_other"):
            continue  # "other controls" are not those a target was named for
        # "The US raised its tariff on Chinese EVs in May, and the EU has imposed provisional duties": a
        # measure of the same kind earlier in the sentence names the goods' origin for both
        same = next(
            (
                o
                for o in reversed(new[:n])
                if o["target_jurisdictions"]
                # an easing in the same sentence eases what the measures around it aim at ("bans on
                # Ukrainian grain, hours after the Commission let its own restrictions expire")
                and (o["measure_type"] == ev["measure_type"] or ev["measure_type"] == "easing")
            ),
            None,
        )
        shared = sorted(set(same["target_jurisdictions"]) - {ev["imposing_jurisdiction"]}) if same else []
        if shared:
            ev["target_jurisdictions"] = shared
            ev["rules"]["target_jurisdictions"] = "target.parallel"
            continue
        for prev in reversed(earlier):
            if ev["_sentence"] - prev["_sentence"] > _INHERIT_WINDOW and prev["_sentence"] > _LEAD:
                continue  # far back, only the story's lead measure still names the target
            if (
                prev["imposing_jurisdiction"] == ev["imposing_jurisdiction"]
                and prev["target_jurisdictions"]
                and (
                    prev["measure_type"] in ("sanction", "embargo", ev["measure_type"])
                    # the sanctions an easing loosens aim at the easing's target
                    or (prev["measure_type"] == "easing" and ev["measure_type"] in ("sanction", "embargo"))
                )
            ):
                ev["target_jurisdictions"] = list(prev["target_jurisdictions"])
                ev["rules"]["target_jurisdictions"] = "target.inherited"
                break


_PACKAGE = re.compile(
    r"\bpackage\b|\b(?:tranche|round|wave|raft|slew|batch|series)\s+of\s+(?:\w+\s+){0,2}sanctions\b|\bpaquet\b|\bpaquete\b|\bpacote\b|\bpacchetto\b|\bPaket\b|Sanktionspaket|\bпакет|"
    r"一揽子|一攬子|パッケージ|패키지",
    re.I,
)


@lru_cache(maxsize=1024)
def _names_package(evidence: str) -> bool:
    """Whether the evidence speaks of a package of sanctions (remembered: each later measure asks)."""
    return _PACKAGE.search(evidence) is not None


def _inherit_package_dates(new: list[dict[str, Any]], earlier: list[dict[str, Any]]) -> None:
    """The components of a sanctions package are announced and take effect with it: a measure a few
    sentences after a package of the same imposer takes the package's effective date if it states none,
    and its announcement date if it states none of its own ("The Council today adopted an 11th package ...
    The package extends the ban on exports of dual-use goods to Russia"; "a tranche of sanctions was
    introduced on 28 October ... New measures: prohibitions on the export of ...")."""
    for ev in new:
        if ev.get("_background") or ev["measure_type"] == "easing":
            continue
        if ev["effective_on"] is not None and _stated(ev, "announced_on"):
            continue
        for prev in reversed(earlier):
            if ev["_sentence"] - prev["_sentence"] > _INHERIT_WINDOW:
                break
            if prev["imposing_jurisdiction"] == ev["imposing_jurisdiction"] and _names_package(
                prev["evidence"]
            ):
                _take_dates(ev, prev, "package")
                break


def _stated(ev: dict[str, Any], field: str) -> bool:
    """Whether the mention has a date in ``field`` that the text states (not the publication's)."""
    return ev[field] is not None and ev["rules"].get(field) not in _FALLBACK


def _take_dates(ev: dict[str, Any], prev: dict[str, Any], why: str) -> None:
    """The dates of the measure ``ev`` is part of: its entry into force if ``ev`` states none, and its
    stated announcement if ``ev`` states no announcement of its own (rules "effective.<why>" and
    "announced.<why>")."""
    if ev["effective_on"] is None and prev["effective_on"] is not None:
        ev["effective_on"], ev["effective_precision"] = prev["effective_on"], prev["effective_precision"]
        ev["rules"]["effective_on"] = f"effective.{why}"
    if not _stated(ev, "announced_on") and _stated(prev, "announced_on"):
        ev["announced_on"], ev["announced_precision"] = prev["announced_on"], prev["announced_precision"]
        ev["rules"]["announced_on"] = f"announced.{why}"


# "also": the sentence adds to a measure stated before it ("The order also exempts ...", "Il a
# également interdit ...")
_ADDITIVE_OPENER = re.compile(
    r"\W*(?:in\s+addition|additionally|furthermore|moreover|besides|außerdem|zudem|darüber\s+hinaus|"
    r"en\s+outre|de\s+plus|par\s+ailleurs|además|asimismo|inoltre|além\s+disso|кроме\s+того|помимо\s+этого|"
    r"ayrıca|selain\s+itu|此外|另外|また、|또한)\b",
    re.I,
)
_ALSO = re.compile(
    r"\b(?:also|likewise|auch|ebenfalls|également|aussi|también|además|anche|inoltre|também|также|тоже|"
    r"ayrıca|da\s+de)\b|也|亦|还将|還將|同时|同時",
    re.I,
)


def _inherit_also_dates(new: list[dict[str, Any]], earlier: list[dict[str, Any]]) -> None:
    """A measure that a sentence says the same author "also" takes, a few sentences after one of its kind,
    is part of that act: it takes the act's dates where it states none."""
    for ev in new:
        if ev.get("_background") or ev["_title"]:
            continue
        # a sentence that opens by adding to what came before ("Furthermore, Bern will widen its ban on ...")
        # adds a measure of any kind to the same act; "also" inside it, one of the same kind
        adds = bool(_ADDITIVE_OPENER.match(ev["evidence"]))
        if not adds and not _ALSO.search(ev["evidence"]):
            continue
        prev = next(
            (
                p
                for p in reversed(earlier)
                if ev["_sentence"] - p["_sentence"] <= _INHERIT_WINDOW
                and not p.get("_background")
                and (adds or p["measure_type"] == ev["measure_type"])
                and p["imposing_jurisdiction"] == ev["imposing_jurisdiction"]
            ),
            None,
        )
        if prev is not None:
            _take_dates(ev, prev, "also")


def _apply_notice_effect(
    sents: DocSentences, events: list[dict[str, Any]], anchor: Anchor, issued: DateMention | None = None
) -> None:
    """An official notice's own entry-into-force sentence dates every measure it leaves undated; one that
    puts the notice in force on publication ("本公告自发布之日起实施") dates them with its date of issue."""
    if not events:
        return
    whole = sents.text + "\n" + (sents.title.text if sents.title is not None else "")
    if notice_label_end(whole) is None and not states_notice_effect(whole):
        return  # no sentence of the notice can hold either (each is part of the text): none is made
    listed = list(sents)
    for n, sent in enumerate(listed):
        label = notice_label_end(sent.text)
        if label is not None:
            # a label and its day on one line, or the label alone and the day (after an item number) below
            days = [d for d in find_dates(sent.text, anchor) if d.start >= label]
            if not days and n + 1 < len(listed) and sent.text[label:].strip() == "":
                days = find_dates(listed[n + 1].text, anchor)[:1]
            days = [d for d in days[:1] if d.role != "ended" and d.precision == "day"]
            if days:
                _date_undated(events, replace(days[0], rule="label:" + days[0].rule))
                return
        if not states_notice_effect(sent.text):
            continue
        dates = [d for d in find_dates(sent.text, anchor) if d.role != "ended" and d.precision == "day"]
        delay = publication_delay(sent.text) if not dates else None
        if delay is not None:
            day = issued.value if issued is not None else anchor.date
            if day is not None and (issued is not None or anchor.precision == "day"):
                dates = [after_publication(DateMention(0, 0, day, "day", "effective", ""), delay)]
        if not dates:
            continue
        _date_undated(events, dates[0])
        return


def _date_undated(events: list[dict[str, Any]], day: DateMention) -> None:
    """The notice's day of entry into force for each of its measures that states none."""
    for ev in events:
        if ev["effective_on"] is None and not ev.get("_background"):
            ev["effective_on"], ev["effective_precision"] = day.value, day.precision
            ev["rules"]["effective_on"] = "doc.notice_effective:" + day.rule


# a sentence that continues the one before it about the same rule ("Due to apply from 1 March, the
# decree ... It bars state firms from buying ...")
_ANAPHOR = re.compile(
    r"(?:It|They|These|This|The\s+(?:new\s+|final\s+)?(?:rules?|measures?|regulations?|order|decree|law|ban|"
    r"restrictions?|prohibitions?|curbs?|controls?))\b"
)


def _take_effect_ahead(new_events: list[dict[str, Any]], before: Sentence, anchor: Anchor) -> None:
    """Measures of a sentence that goes on about the rule the sentence before (stating no measure of its
    own) puts in force on a day take that day."""
    if before.is_title or not states_effect(before.text):
        return
    day = next(
        (d for d in find_dates(before.text, anchor) if d.role == "effective" and d.precision == "day"), None
    )
    if day is None:
        return
    for ev in new_events:
        if ev["effective_on"] is None and not ev.get("_background") and ev["measure_type"] != "easing":
            ev["effective_on"], ev["effective_precision"] = day.value, day.precision
            ev["rules"]["effective_on"] = "carry.previous_sentence:" + day.rule


# a sentence that dates a measure named before by its noun ("Beijing had first imposed that ban in May"),
# gated by its words (most sentences name no such noun)
_REFERRED = Gated(
    r"\b(?:the|this|that|these|those)\s+(?:original\s+|initial\s+|earlier\s+|first\s+)?"
    r"(?P<noun>ban|bans|embargo|curbs|restrictions|controls|tariffs|duties|sanctions|listing)\b",
    re.I,
)
_MADE = re.compile(
    r"\b(?:announced|imposed|introduced|adopted|unveiled|enacted|ordered|put\s+in\s+place|first\s+\w+ed)\b",
    re.I,
)
_REFERRED_TYPES = {
    "ban": ("export_restriction", "import_restriction", "embargo"),
    "bans": ("export_restriction", "import_restriction", "embargo"),
    "embargo": ("embargo", "import_restriction", "export_restriction"),
    "curbs": ("export_control", "export_restriction", "import_restriction"),
    "restrictions": ("export_control", "export_restriction", "import_restriction"),
    "controls": ("export_control",),
    "tariffs": ("tariff_increase",),
    "duties": ("tariff_increase",),
    "sanctions": ("sanction",),
    "listing": ("entity_listing",),
}


def _date_by_reference(
    sent: Sentence, events: list[dict[str, Any]], anchor: Anchor, row: dict[str, Any]
) -> None:
    """A sentence stating no measure of its own that says when "the ban" named before was announced dates
    the latest such measure that states no date ("... lifted its ban on timber from Canada. Beijing had
    first imposed that ban in May 2023.")."""
    ref = _REFERRED.search(sent.text)
    if ref is None or not _MADE.search(sent.text):
        return
    day = next((d for d in find_dates(sent.text, anchor) if d.role != "ended"), None)
    if day is None:
        return
    kinds = _REFERRED_TYPES[ref.group("noun").lower()]
    for ev in reversed(events):
        if sent.index - ev["_sentence"] > _INHERIT_WINDOW:
            break
        if ev["measure_type"] not in kinds:
            continue
        if not _stated(ev, "announced_on"):
            ev["announced_on"], ev["announced_precision"] = day.value, day.precision
            ev["rules"]["announced_on"] = "carry.referred:" + day.rule
            row["carried"] = "announced_on"
        return


def _carry(
    sent: Sentence,
    prev_events: list[dict[str, Any]],
    events: list[dict[str, Any]],
    anchor: Anchor,
    row: dict[str, Any],
) -> None:
    """A sentence right after an event that says when it takes effect, or lists destinations, completes it;
    one a little after it that widens its scope ("the measure also hits ...") adds targets."""
    if not prev_events:
        return
    if sent.index - prev_events[0]["_sentence"] <= _SCOPE_GAP and widens_scope(sent.text):
        _widen(sent, prev_events, events, row)
        return
    if any(e["_sentence"] != sent.index - 1 for e in prev_events):
        if sent.index - prev_events[0]["_sentence"] <= _SCOPE_GAP:
            # "... adding 37 entities to the Entity List. These entities act against ... The entities are
            # located in China (22) and Russia (15).": where listed firms are, a sentence or two on
            _carry_listing_targets(sent, prev_events, events, row)
        return
    # the next sentence says the measure takes effect, or when it starts ("... decided to impose
    # provisional duties. Starting Thursday, importers must pay deposits.")
    open_events = [ev for ev in prev_events if ev["effective_on"] is None and not ev.get("_background")]
    if not open_events and states_effect(sent.text):
        # "... has today banned the export of further goods. The measures come into force on 21 July.": a
        # day of entry into force stated next wins over the day the ban was reported done
        open_events = [
            ev
            for ev in prev_events
            if ev["rules"].get("effective_on") == "date.done_when_reported" and not ev.get("_background")
        ]
    # with no event left to complete, the dates matter only to the trace (a row with its sentence)
    stated = (open_events or "sentence" in row) and states_effect(sent.text)
    dates = (
        [d for d in find_dates(sent.text, anchor) if d.role == "effective" or (stated and d.role != "ended")]
        if open_events or "sentence" in row
        else []
    )
    dates.sort(key=lambda d: d.role != "effective")  # "公布：3月14日　施行：4月1日": the day it takes effect
    if dates:
        for ev in open_events:
            ev["effective_on"], ev["effective_precision"] = dates[0].value, dates[0].precision
            ev["rules"]["effective_on"] = "carry.next_sentence:" + dates[0].rule
        row["carried"] = "effective_on"
    elif open_events and (delay := publication_delay(sent.text)) is not None:
        # "... restricted exports of 54 products. The measures take effect immediately.": from the day
        # the measure was announced (or the stated days after it)
        for ev in open_events:
            if ev["announced_on"] is not None:
                day = DateMention(0, 0, ev["announced_on"], ev["announced_precision"], "effective", "")
                day = after_publication(day, delay)
                ev["effective_on"], ev["effective_precision"] = day.value, day.precision
                ev["rules"]["effective_on"] = "carry.next_sentence:" + day.rule
        row["carried"] = "effective_on"
    _carry_country_list(sent, prev_events, row)
    _carry_listing_targets(sent, prev_events, events, row)


def _carry_listing_targets(
    sent: Sentence, prev_events: list[dict[str, Any]], events: list[dict[str, Any]], row: dict[str, Any]
) -> None:
    """A sentence after a listing that names no target, naming the listed firms or where they are, gives
    the listing its targets."""
    # (a removal from a list is told the same way: "... removes one entity from the Entity List. The entity
    # is located in the United Arab Emirates.")
    listings = [
        e
        for e in prev_events
        if not e["target_jurisdictions"]
        and (
            e["measure_type"] == "entity_listing"
            or (e["measure_type"] == "easing" and e["rules"]["measure_type"].startswith("ease.delist"))
        )
    ]
    named = [code for _, _, code in find_companies(sent.text)]
    if listings and named:
        # "... to its unreliable entity list. The two companies are Lockheed Martin and Raytheon."
        for ev in listings:
            ev["target_jurisdictions"] = sorted(set(named) - {ev["imposing_jurisdiction"]})
            ev["target_entities"] = sorted({name for _, name, _ in find_companies(sent.text)})
            ev["rules"]["target_jurisdictions"] = "carry.listed_firms"
        row["carried"] = "listed_firms"
        return
    if listings and _DESTINATIONS.search(sent.text):
        codes = sorted(
            {m.code for m in find_mentions(sent.text) if m.code and m.kind != "body"}
            - {listings[0]["imposing_jurisdiction"]}
        )
        for code in codes:
            ev = dict(
                listings[0],
                target_jurisdictions=[code],
                rules=dict(listings[0]["rules"], target_jurisdictions="carry.destinations"),
            )
            events.append(ev)
        row["carried"] = "destinations"
        listings[0]["_expanded"] = bool(codes)


_COUNTRIES_WORD = re.compile(r"\b(?:countries|states|nations|jurisdictions)\b", re.I)
_COUNTRY_LIST = re.compile(
    r"\b(?:list|countries|states|nations)\b[^.;]{0,40}?\b(?:includes?|including|cover(?:s|ing)?|such\s+as|among\s+them|namely)\b",
    re.I,
)


def _carry_country_list(sent: Sentence, prev_events: list[dict[str, Any]], row: dict[str, Any]) -> None:
    """A measure aimed at "countries that ..." whose next sentence lists them ("Its list covers 30 states,
    including Japan and Canada") takes the listed countries as targets."""
    open_ = [
        e
        for e in prev_events
        if not e["target_jurisdictions"]
        and e["measure_type"] != "entity_listing"
        and _COUNTRIES_WORD.search(e.get("evidence") or "")
    ]
    if not open_ or not _COUNTRY_LIST.search(sent.text):
        return
    for ev in open_:
        codes = {m.code for m in find_mentions(sent.text) if m.code and m.kind != "body"}
        codes.discard(ev["imposing_jurisdiction"])
        if codes:
            ev["target_jurisdictions"] = sorted(codes)
            ev["rules"]["target_jurisdictions"] = "carry.country_list"
            row["carried"] = "country_list"


def _widen(
    sent: Sentence, prev_events: list[dict[str, Any]], events: list[dict[str, Any]], row: dict[str, Any]
) -> None:
    """Each place the sentence names becomes one more target of the measures of the sentence before."""
    codes = {m.code for m in find_mentions(sent.text) if m.code and m.kind != "body"}
    for ev in list(prev_events):
        for code in sorted(codes - {ev["imposing_jurisdiction"]} - set(ev["target_jurisdictions"])):
            rules = dict(ev["rules"], target_jurisdictions="carry.scope")
            events.append(dict(ev, target_jurisdictions=[code], rules=rules))
    row["carried"] = "scope"


# ", and for some graphite products since December": the same measure for other goods from another date
_ELLIPSIS = re.compile(r",\s+and\s+(?:for|on|to)\s+(?P<rest>[^,;.]+)", re.I)


def _elided_measure(sentence: str, trig: Any, ev: dict[str, Any], anchor: Anchor) -> list[dict[str, Any]]:
    """A clause after the measure that leaves out its verb and gives other goods and another date ("Licences
    have been required for exports of gallium since August last year, and for some graphite products since
    December") states a second measure of the same kind: its goods and date move to an event of its own."""
    m = _ELLIPSIS.search(sentence, trig.end)
    if m is None:
        return []
    rest = m.group("rest")
    found = find_products(rest, [])
    dates = [d for d in find_dates(rest, anchor) if d.role != "ended"]
    if not found or not dates:
        return []
    goods = {name for _, _, name, _ in found}
    codes = {c for _, _, _, cs in found for c in cs}
    if not set(ev["products"]) - goods:
        return []  # nothing would be left of the first measure
    ev["products"] = sorted(set(ev["products"]) - goods)
    ev["hs_codes"] = sorted(set(ev["hs_codes"]) - codes)
    other = dict(
        ev, products=sorted(goods), hs_codes=sorted(codes), rules=dict(ev["rules"]), announced_on=None
    )
    other["announced_precision"] = None
    day = dates[0]
    key = "effective" if day.role == "effective" else "announced"
    other[f"{key}_on"], other[f"{key}_precision"] = day.value, day.precision
    if key == "announced":
        other["effective_on"], other["effective_precision"] = None, None
    other["rules"][f"{key}_on"] = "date.elided:" + day.rule
    other["rules"]["products"] = "products.elided"
    return [other]


_LISTED_SUBJECT = re.compile(
    r"^\W*(?:the\s+)?(?:above-mentioned|aforementioned|listed|said|these|such|those)\s+(?:enterprises|entities|companies|"
    r"firms|parties|organi[sz]ations)\b|^\W*(?:上述|前述|该|這些|这些)(?:企业|企業|实体|實體|单位)",
    re.I,
)
_TRADE_FLOWS = ("export_restriction", "export_control", "import_restriction")
_TO_LISTED = re.compile(
    r"(?:向|对|對|与|與|从|從)(?:其|上述|该等|該等|这些|這些)"
    r"|\b(?:to|with|from)\s+(?:these|those|such|the\s+(?:above|listed|said|designated|aforementioned))\s+"
    r"(?:entities|companies|firms|parties|end[- ]users)\b",
    re.I,
)
_LICENCE = re.compile(r"\blicen[cs]e|许可|許可|허가", re.I)
_EASED_WINDOW = 80  # characters after an easing's trigger that may name what it eases


@cache
def _eased_rules() -> tuple[list[tuple[str, re.Pattern[str]]], re.Pattern[str]]:
    raw = load("eased")
    return [(m["type"], re.compile(m["re"], re.I)) for m in raw["measures"]], re.compile(raw["lifted"], re.I)


# the date of the eased measure itself, after the easing ("lifting a ban it imposed in August 2023")
_IMPOSED_BEFORE = re.compile(
    r"\b(?:it|they|that|which|had|has|have|first|originally)\s+(?:had\s+|has\s+|have\s+|first\s+)?"
    r"(?:imposed|introduced|adopted|enacted|announced|put\s+in\s+place|slapped)\s+(?:\w+\s+){0,2}?(?:in|on|since)?\s*$",
    re.I,
)


def _eased_own_dates(sentence: str, trig: Any, dates: list[DateMention]) -> list[DateMention]:
    """Dates after an easing that date the measure it eases ("lifting a ban it imposed in August 2023")."""
    return [
        d
        for d in dates
        if trig.end <= d.start <= trig.end + _EASED_WINDOW
        and _IMPOSED_BEFORE.search(sentence[max(0, d.start - 45) : d.start])
    ]


def _eased_restriction(
    sentence: str, trig: Any, easing: dict[str, Any], dates: list[DateMention] | None = None
) -> list[dict[str, Any]]:
    """The restriction an easing loosens, as a background event of the same imposer and targets ("suspended
    its ban on exports of gallium to the US": an export restriction of China on the US). It carries no date
    of its own; it is reported lifted when the easing ends or suspends it, else in force."""
    measures, lifted = _eased_rules()
    if not easing["target_jurisdictions"] or not lifted.search(trig.text):
        return []  # an easing aimed at no one, or one that only trims the restriction, says too little of it
    span = sentence[trig.start : trig.end + _EASED_WINDOW]
    mtype = next((t for t, pat in measures if pat.search(span)), None)
    if mtype is None:
        return []
    own = _eased_own_dates(sentence, trig, dates or [])
    ev = dict(easing)
    ev.update(
        measure_type=mtype,
        event_class=measure_class(mtype),
        announced_on=own[0].value if own else None,
        effective_on=None,
        ended_on=None,
        announced_precision=own[0].precision if own else None,
        effective_precision=None,
        status="lifted" if lifted.search(trig.text) else "in_force",
        confidence=round(max(0.05, easing["confidence"] - 0.15), 2),
        rules={
            k: v
            for k, v in easing["rules"].items()
            if k not in ("announced_on", "effective_on", "ended_on", "measure_type", "status")
        }
        | {"measure_type": f"eased.{mtype}:{trig.rule}", "status": "status.eased"}
        | ({"announced_on": own[0].rule + ":eased_own"} if own else {}),
        _background=True,
    )
    return [ev]


# the owner of the exports a passive phrase names ("exportações ... do Brasil", "Exporte aus Chile"), and the
# destination words that make a place where the exports go instead
_EXPORTS_OWNER_BEFORE = re.compile(
    r"(?:\b(?:de|do|da|dos|das|del|di|dal|dalla|des|du|von|aus|z|ze|из|от|dari|của)\s+(?:l[’']|la\s+|el\s+|o\s+|a\s+|der\s+)?)$",
    re.I,
)
_EXPORTS_DESTINATION = re.compile(
    r"\b(?:to|para|a|al|à|au|aux|vers|verso|nach|in|в|во|на|do|ke|sang|hacia)\s+(?:la\s+|el\s+|a\s+|o\s+|l[’']|die\s+|den\s+)?$",
    re.I,
)


def _exports_of_target(sentence: str, mentions: list[Mention], trig: Any, targets: list[str]) -> bool:
    """Whether each target is named inside a passive export phrase as the owner of the exports (after
    "de"/"do"/"aus", or as an adjective), none as their destination."""
    inside = [m for m in mentions if trig.start <= m.start < trig.end and m.code in targets]
    if not inside or {m.code for m in inside} != set(targets):
        return False
    # "do" is "of the" in Portuguese and "to" in Polish and Czech
    slavic = trig.rule.startswith(("pl.", "ru."))
    for m in inside:
        before = sentence[max(trig.start, m.start - 16) : m.start]
        owner = _EXPORTS_OWNER_BEFORE.search(before)
        if owner and owner.group(0).split()[0].lower() == "do":
            owner = None if slavic else owner
        if _EXPORTS_DESTINATION.search(before) and not owner:
            return False
        if not (m.kind == "demonym" or owner):
            return False
    return True


def _finish(
    events: list[dict[str, Any]],
    blocked: list[tuple[str, str | None, bool]],
    anchor: Anchor | None = None,
    title: str | None = None,
) -> list[dict[str, Any]]:
    """Apply the document-level rules: title consistency, collapse of target-less duplicates, dedupe.
    ``title``: the headline, whose topic may give target-less sanctions their target."""
    title_blocked = {(t, c) for t, c, is_title in blocked if is_title}
    body_blocked = {(t, c) for t, c, is_title in blocked if not is_title}
    kept = []
    for ev in events:
        key = (ev["measure_type"], ev["imposing_jurisdiction"])
        if ev.get("_expanded"):
            continue
        if ev["_title"] and key in body_blocked:
            continue
        if not ev["_title"] and key in title_blocked:
            continue
        kept.append(ev)
    kept = _drop_background_copies(
        _retype_firm_listings(
            _drop_reversed_headlines(_drop_listing_consequences(_fold_firm_restrictions(kept)))
        )
    )
    events = _fold_export_titles(_fold_bare_titles(kept))
    _document_target(events, title)
    merged: dict[tuple, list[dict[str, Any]]] = {}
    for ev in events:
        # two firms' refusals are two measures ("Two card networks, A and B, left Russia": one each)
        firm = ev["imposing_body"] if ev["imposing_body_kind"] in FIRM_KINDS else None
        key = (ev["measure_type"], ev["imposing_jurisdiction"], tuple(ev["target_jurisdictions"]), firm)
        published = anchor.date if anchor is not None and anchor.precision == "day" else None
        same = next((o for o in merged.get(key, []) if _one_measure(o, ev, published)), None)
        if same is None:
            merged.setdefault(key, []).append(ev)
        else:
            _merge(same, ev)
    out = []
    for key, group in merged.items():
        for ev in group:
            if not key[2] and not ev.get("_other"):
                # a measure the text calls separate ("Separately, ...") takes in no target-less mention,
                # and "other controls" are not the ones a target was named for
                wider = [
                    o
                    for k, g in merged.items()
                    if k[:2] == key[:2] and k[2]
                    for o in g
                    if not o.get("_separate")
                ]
                # the wider measure of the same goods, unless their stated dates set them apart ("extended the
                # ban until 2026 ... first banned imports from the EU and the US in August 2014")
                home = next(
                    (o for o in wider if set(ev["products"]) <= set(o["products"]) and _same_time(ev, o)),
                    None,
                )
                if (
                    home is None
                    and len(wider) == 1
                    and _same_time(ev, wider[0])
                    and (
                        ev["_title"]
                        or not ev["products"]
                        or not wider[0]["products"]
                        or set(ev["products"]) & set(wider[0]["products"])
                    )
                ):
                    # a headline, or a mention naming no goods, speaks of the one measure the body details
                    home = wider[0]
                if home is not None:
                    _merge(home, ev)
                    continue
                extended = next((o for o in wider if set(ev["products"]) <= set(o["products"])), None)
                if extended is not None and _EXTENDS.search(ev["evidence"]):
                    # "prolonged its curbs on dairy imports until 2027 ... first barred cheese from France
                    # and Italy in 2015": the extension, a measure of its own, hits the same places
                    ev["target_jurisdictions"] = list(extended["target_jurisdictions"])
                    ev["rules"]["target_jurisdictions"] = "target.extended"
            out.append(ev)
    for ev in out:
        if (
            ev["_title"]
            and not ev.get("_background")
            and ev["announced_on"] is None
            and ev["effective_on"] is None
            and anchor is not None
            and anchor.date is not None
        ):
            # a measure only the headline states is announced when the report is published
            ev["announced_on"], ev["announced_precision"] = anchor.date, anchor.precision or "day"
            ev["rules"]["announced_on"] = "date.published"
        _order_dates(ev)
        ev.pop("_sentence", None)
        ev.pop("_title", None)
        ev.pop("_expanded", None)
        ev.pop("_background", None)
        ev.pop("_separate", None)
        ev.pop("_other", None)
    return [checked(ev) for ev in out]


def _drop_listing_consequences(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What a listing does is the listing, not a measure of its own: the licence suppliers now need
    ("Suppliers will now need a licence to sell to SMIC") or what the listed firms may no longer do."""
    listers = {e["imposing_jurisdiction"] for e in events if e["measure_type"] == "entity_listing"}
    listing_evidence = {e["evidence"] for e in events if e["measure_type"] == "entity_listing"}
    return [
        e
        for e in events
        if not (
            not e["target_jurisdictions"]
            and e["imposing_jurisdiction"] in listers
            and (
                (e["measure_type"] == "export_control" and _LICENCE.search(e["evidence"]))
                or (e["measure_type"] != "entity_listing" and _LISTED_SUBJECT.search(e["evidence"]))
            )
        )
        # a ban on trade with "them" after a listing ("禁止向其出口两用物项", "exports to these entities are
        # prohibited") is what the listing does: of the same author, or in the listing's own sentence,
        # whoever the clause seems to name
        and not (
            e["measure_type"] != "entity_listing"
            and _TO_LISTED.search(e["evidence"])
            and (
                (e["measure_type"] in _TRADE_FLOWS and e["evidence"] in listing_evidence)
                or (not e["target_jurisdictions"] and e["imposing_jurisdiction"] in listers)
            )
        )
    ]


def _drop_reversed_headlines(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A headline that swaps who acts and who is hit, against the body ("澳洲葡萄酒徵反倾销税 中国公告终止"),
    is the body's measure misread: the body decides."""
    body = {
        (e["measure_type"], t, e["imposing_jurisdiction"])
        for e in events
        if not e["_title"]
        for t in e["target_jurisdictions"]
    }
    return [
        e
        for e in events
        if not (
            e["_title"]
            and any(
                (e["measure_type"], e["imposing_jurisdiction"], t) in body for t in e["target_jurisdictions"]
            )
        )
    ]


# firms as the object of a restriction ("curbs on exports to some firms of that place")
_FIRMS = re.compile(
    r"\b(?:compan(?:y|ies)|firms?|entit(?:y|ies)|enterprises?|şirket\w*|компани\w*|предприяти\w*|entreprises?|"
    r"empresas?|Unternehmen|aziend\w+|società)\b|公司|企业|企業|実体|实体|實體|기업",
    re.I,
)


def _fold_firm_restrictions(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Export restrictions that a sentence puts on firms, from places a listing of the same author in the
    document names, are that listing told again ("The ministry added firms from Turkey and China to its
    list ... The new export restrictions also cover some Chinese companies"): they become the listing."""
    listed: dict[str | None, set[str]] = {}
    listing_sentences = set()
    for e in events:
        if e["measure_type"] == "entity_listing":
            listed.setdefault(e["imposing_jurisdiction"], set()).update(e["target_jurisdictions"])
            listing_sentences.add(e["_sentence"])
    if not listed:
        return events
    out = []
    for e in events:
        targets = e["target_jurisdictions"]
        if (
            e["measure_type"] in ("export_restriction", "export_control")
            and targets
            and e["_sentence"] not in listing_sentences  # beside a listing, firms may be the listing's alone
            and set(targets) <= listed.get(e["imposing_jurisdiction"], set())
            and _FIRMS.search(e["evidence"])
        ):
            for code in targets:
                out.append(
                    dict(
                        e,
                        measure_type="entity_listing",
                        event_class=measure_class("entity_listing"),
                        target_jurisdictions=[code],
                        rules=dict(e["rules"], measure_type=e["rules"]["measure_type"] + ":firms_listed"),
                    )
                )
            continue
        out.append(e)
    return out


def _retype_firm_listings(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A firm's blacklist is its own refusal to deal, not a government's listing."""
    for e in events:
        if e["measure_type"] == "entity_listing" and e["imposing_body_kind"] in FIRM_KINDS:
            e["measure_type"], e["event_class"] = "service_refusal", measure_class("service_refusal")
            e["rules"]["measure_type"] += ":firm_blacklist"
    return events


def _drop_background_copies(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A restriction the document reports in its own words needs no background copy from an easing."""
    stated = {(e["measure_type"], e["imposing_jurisdiction"]) for e in events if not e.get("_background")}
    return [
        e
        for e in events
        if not (e.get("_background") and (e["measure_type"], e["imposing_jurisdiction"]) in stated)
    ]


_SAME_TIME_DAYS = 60
# a measure prolonged: an extension is a measure of its own, aimed where the measure it extends is
_EXTENDS = re.compile(
    r"\b(?:extend\w*|prolong\w*|renew\w*|продл\w*|продлев\w*|prorrog\w*|verlänger\w*|uzat\w*|延长|延長|延期)",
    re.I,
)
# measures the text sets apart from the ones it named before ("the suspension of other export controls")
_OTHER = re.compile(
    r"\bother\s+(?:\w+\s+){0,2}?(?:controls|measures|restrictions|curbs|sanctions|tariffs|duties|bans|"
    r"countermeasures)\b",
    re.I,
)


def _one_measure(a: dict[str, Any], b: dict[str, Any], published: dt.date | None = None) -> bool:
    """Whether two mentions of one document with the same type, imposer and targets are one measure: a
    headline always is; otherwise their stated dates must agree ("Licences have been required for gallium
    since August last year": not the antimony control from September 15 the story is about), and a measure
    announced a month or more before the report is background, not the news of the day that states no
    announcement ("The announcement follows the licensing requirement placed on gallium in August")."""
    if b["_title"]:
        return True
    if not _same_time(a, b):
        return False
    if a.get("_background") and b.get("_background"):
        return True  # two mentions of the same earlier measure, one of them dated
    for old, new in ((a, b), (b, a)):
        if published is not None and _background_to(old, new, published):
            return False
    return True


_BACKGROUND_DAYS = 30


def _background_to(old: dict[str, Any], new: dict[str, Any], published: dt.date) -> bool:
    """Whether ``old`` states an announcement well before the report while ``new`` states none, and does
    not take effect around the report either (a ban announced in September that comes into force the day
    before the report is the news of the day)."""
    day = old["announced_on"]
    if not _stated(old, "announced_on"):
        return False
    effective = old.get("effective_on")
    if effective is not None and abs((published - effective).days) <= _BACKGROUND_DAYS:
        return False
    if _stated(new, "announced_on"):
        return False
    precision = old.get("announced_precision")
    last = (
        dt.date(day.year, 12, 31) if precision == "year" else _month_end(day) if precision == "month" else day
    )
    return (published - last).days > _BACKGROUND_DAYS


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _same_time(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two mentions can be one measure in time: their effective dates, and their announcement
    dates, agree where both give one (within a couple of months; a year or month to its precision)."""
    for field in ("effective_on", "announced_on"):
        x, y = a.get(field), b.get(field)
        if x is None or y is None:
            continue
        if any(e["rules"].get(field) in ("date.published", "date.issued") for e in (a, b)):
            continue  # a date the sentence does not state says nothing of the measure's time
        coarse = {a.get(field.replace("_on", "_precision")), b.get(field.replace("_on", "_precision"))}
        if "year" in coarse:
            if x.year != y.year:
                return False
        elif abs((x - y).days) > _SAME_TIME_DAYS:
            return False
    return True


_GUESSED_IMPOSER = ("imposer.home", "imposer.previous", "imposer.home_notice")


_TITLE_TOPIC = re.compile(r"^\s*([^:：|]{2,60}?)\s*[:：|]\s*(.*)$")
# the regime an act of sanctions is named after ("Council Regulation ... concerning restrictive measures in
# view of the situation in Belarus", "... restrictive measures against Iran")
_REGIME_TITLE = re.compile(
    r"\brestrictive\s+measures\s+(?:in\s+view\s+of\s+the\s+situation\s+in|against|in\s+respect\s+of|"
    r"concerning|directed\s+against)\s+(?:the\s+)?([^,;:()]{3,60})",
    re.I,
)


@lru_cache(maxsize=64)  # asked once per target-less sanction of a document
def _title_topic(title: str | None) -> str | None:
    """The place a headline names as its topic: the first one before its colon ("Iran: Council lists ...",
    "Russia's war of aggression against Ukraine: EU adopts ...") or all that follows it ("Financial
    Sanctions Notice: Russia")."""
    regime = _REGIME_TITLE.search(title or "")
    if regime is not None and (place := _first_place(regime.group(1))):
        return place
    m = _TITLE_TOPIC.match(title or "")
    if m is None:
        return None
    for part in (m.group(1), m.group(2) if len(m.group(2)) <= 40 else ""):
        if place := _first_place(part):
            return place
    return None


def _first_place(text: str) -> str | None:
    """The code of the first country named in ``text`` (by its name or its demonym)."""
    return next((x.code for x in find_mentions(text) if x.code and x.kind in ("country", "demonym")), None)


_REMEDY_ORIGIN = re.compile(r"\bFrom\s+((?:the\s+)?[A-Z][^:;,]{2,50}?)(?:\s*[:;,]|\s+(?:and|Is|Are)\b|$)")


def _document_target(events: list[dict[str, Any]], title: str | None = None) -> None:
    """Sanctions (and listings) that name no target, in a document whose measures all aim at one country,
    aim at it too ("Oslo a pris des sanctions contre la Russie ... Elle reprend ainsi le paquet de
    sanctions de l'UE"): the country the author's own measures aim at, else the one all the measures do,
    else the headline's topic ("Iran: Council lists additional individuals"), or the regime an act is
    named after ("restrictive measures in view of the situation in Belarus")."""
    aimed: dict[str | None, set[str]] = {}
    every: list[set[str]] = []  # each measure's targets: the country all of them aim at is in every one
    for e in events:
        if e["target_jurisdictions"] and not e.get("_background"):
            aimed.setdefault(e["imposing_jurisdiction"], set()).update(e["target_jurisdictions"])
            every.append(set(e["target_jurisdictions"]))
    everyone = set.intersection(*every) if every else set()
    # a trade-remedy notice titled by its goods and their origin ("Certain Steel Nails From Vietnam:
    # Preliminary Determination ..."): the duties it imposes hit that origin
    origin = _REMEDY_ORIGIN.search(title or "")
    remedy_origin = _first_place(origin.group(1)) if origin is not None else None
    for e in events:
        if (
            e["measure_type"] == "tariff_increase"
            and not e["target_jurisdictions"]
            and remedy_origin not in (None, e["imposing_jurisdiction"])
        ):
            e["target_jurisdictions"] = [remedy_origin]
            e["rules"]["target_jurisdictions"] = "target.remedy_origin"
        if (
            e["target_jurisdictions"]
            or e["measure_type"] not in ("sanction", "embargo", "entity_listing")
            or e.get("_background")
        ):
            continue
        targets = aimed.get(e["imposing_jurisdiction"]) or everyone
        if len(targets) == 1 and e["imposing_jurisdiction"] not in targets:
            e["target_jurisdictions"] = sorted(targets)
            e["rules"]["target_jurisdictions"] = "target.document"
        elif not targets and (topic := _title_topic(title)) and topic != e["imposing_jurisdiction"]:
            e["target_jurisdictions"] = [topic]
            e["rules"]["target_jurisdictions"] = "target.title_topic"


_EXPORT_FAMILY = ("export_control", "export_restriction")


def _fold_export_titles(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A headline's curb on exports ("Vietnam curbs rice sales abroad") names the body's one export measure of
    its author in vaguer words: when the body states no measure of the headline's type but some of the
    other export type ("banned exports of fragrant rice"), the headline joins the first."""
    out = []
    for ev in events:
        if ev["_title"] and ev["measure_type"] in _EXPORT_FAMILY:
            body = [
                o
                for o in events
                if not o["_title"] and o["imposing_jurisdiction"] == ev["imposing_jurisdiction"]
            ]
            same = [o for o in body if o["measure_type"] == ev["measure_type"]]
            other = [
                o
                for o in body
                if o["measure_type"] in _EXPORT_FAMILY
                and o["measure_type"] != ev["measure_type"]
                and set(ev["target_jurisdictions"]) <= set(o["target_jurisdictions"])
                and not o.get("_background")
            ]
            if not same and other:
                _merge(min(other, key=lambda o: o["_sentence"]), ev)  # the story's lead measure of that kind
                continue
        out.append(ev)
    return out


def _fold_bare_titles(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A headline whose imposer is only guessed (the document's home) and names no target speaks of the
    body's measure of its type ("Fünftes Sanktionspaket steht" over "the EU adopted sanctions ..."): it
    joins that event instead of standing as a measure of the home country."""
    out = []
    for ev in events:
        guessed = ev["rules"].get("imposing_jurisdiction") in _GUESSED_IMPOSER
        if ev["_title"] and guessed and not ev["target_jurisdictions"]:
            body = [o for o in events if not o["_title"] and o["measure_type"] == ev["measure_type"]]
            if body:
                _merge(body[0], ev)
                continue
        out.append(ev)
    return out


def _merge(into: dict[str, Any], other: dict[str, Any]) -> None:
    into["products"] = sorted(set(into["products"]) | set(other["products"]))
    into["hs_codes"] = sorted(set(into["hs_codes"]) | set(other["hs_codes"]))
    into["target_entities"] = sorted(set(into["target_entities"]) | set(other["target_entities"]))
    for field in ("announced_on", "effective_on", "ended_on"):
        # a date the text states beats a fallback (the publication date), then the finer precision
        better = (
            into[field] is not None
            and other[field] is not None
            and (_reliability(other, field) > _reliability(into, field))
        )
        if other[field] is not None and (into[field] is None or better):
            into[field] = other[field]
            prec = field.replace("_on", "_precision")
            if prec in into:
                into[prec] = other.get(prec)
            into["rules"][field] = other["rules"].get(field, "merge")
    if into["imposing_body"] is None and other["imposing_body"]:
        into["imposing_body"], into["imposing_body_kind"] = (
            other["imposing_body"],
            other["imposing_body_kind"],
        )
    if other["evidence"] not in into["evidence"] and len(into["evidence"]) < 600:
        into["evidence"] = into["evidence"] + " " + other["evidence"]
    into["confidence"] = max(into["confidence"], other["confidence"])


_FALLBACK = ("date.published", "date.issued")
_PRECISION_RANK = {"day": 2, "month": 1, "year": 0}


def _reliability(ev: dict[str, Any], field: str) -> tuple[int, int]:
    """How much a date of the mention can be trusted: stated in the text over fallback, then precision."""
    rule = ev["rules"].get(field, "")
    stated = 0 if rule in _FALLBACK else 1 if rule.startswith(("carry.", "merge")) else 2
    prec = ev.get(field.replace("_on", "_precision"), "day")
    return stated, _PRECISION_RANK.get(prec or "day", 2)


def _drop(ev: dict[str, Any], field: str, reason: str) -> None:
    was = ev["rules"].get(field, "?")
    ev[field] = None
    if field.replace("_on", "_precision") in ev:
        ev[field.replace("_on", "_precision")] = None
    ev["rules"][field] = f"invariant.dropped:{reason}({was})"


def _order_dates(ev: dict[str, Any]) -> None:
    """Final invariant: announced_on <= effective_on <= ended_on, dropping the less reliable date otherwise.

    An announcement date that is only a fallback (publication or issue date) and falls after the
    effective date yields to an announcement the text states ("effective ..., the day it was
    announced") or is dropped.
    """
    for field in ("announced_on", "effective_on", "ended_on"):
        # a year misread or misprinted ("1 January 2999") is no date; releases refuse such dates
        day = ev[field]
        if day is not None and not EARLIEST_DATE <= day <= latest_date(dt.date.today()):
            _drop(ev, field, "implausible")
    ann, eff, end = ev["announced_on"], ev["effective_on"], ev["ended_on"]
    if ann is not None and eff is not None and ann > eff:
        if ev["rules"].get("announced_on") in _FALLBACK and announced_same_day(ev["evidence"]):
            ev["announced_on"], ev["announced_precision"] = eff, ev["effective_precision"]
            ev["rules"]["announced_on"] = "date.announced_same_day_as_effective"
        elif _reliability(ev, "announced_on") <= _reliability(ev, "effective_on") or (
            (ann - eff).days <= _REPORT_DAYS and _stated(ev, "effective_on")
        ):
            # a stated start a few days before the stated announcement: the day the news was told ("the
            # ministry said on Saturday ... the suspension applies from Friday"); the start is the measure's
            _drop(ev, "announced_on", "after_effective")
        else:
            _drop(ev, "effective_on", "before_announced")
    eff, end = ev["effective_on"], ev["ended_on"]
    if eff is not None and end is not None and eff > end:
        if _reliability(ev, "ended_on") <= _reliability(ev, "effective_on"):
            _drop(ev, "ended_on", "before_effective")
        else:
            _drop(ev, "effective_on", "after_ended")


def prepare() -> None:
    """Load and compile every lexicon now rather than on first use (worker start-up, benchmarks)."""
    from tradecurbs.extraction import context, cues, dates, gazetteer, products, roles, wordgates

    trigger_index()
    gazetteer._automaton()
    gazetteer._companies()
    gazetteer._bodies_of(roles.FIRM_KINDS)
    products._automaton()
    dates._lexicon()
    cues._compiled()
    roles._nouns()
    roles._cue_words()
    context._capitals()
    context._issued_cue()
    context._issued_words()
    wordgates.ready()  # after every gated regex above registered its words
