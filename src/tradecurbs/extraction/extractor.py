"""Turn one document into mentions of trade-restriction events, sentence by sentence."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tradecurbs.contracts import EARLIEST_DATE, latest_date, measure_class
from tradecurbs.extraction.context import DocContext
from tradecurbs.extraction.cues import blocking_cue, is_future, is_proposal, widens_scope
from tradecurbs.extraction.dates import (
    Anchor,
    DateMention,
    announced_same_day,
    find_dates,
    in_force_on_publication,
    states_effect,
    states_notice_effect,
)
from tradecurbs.extraction.document import DocSentences
from tradecurbs.extraction.fingerprint import extractor_version
from tradecurbs.extraction.gazetteer import attach_countries, find_companies, find_mentions
from tradecurbs.extraction.keywords import trigger_index
from tradecurbs.extraction.record import checked
from tradecurbs.extraction.roles import (
    Imposer,
    find_imposers,
    find_targets,
    firm_noun,
    objects_of,
    unnamed_firms_at,
)
from tradecurbs.extraction.sentfacts import SentenceFacts
from tradecurbs.extraction.text import Sentence

EXTRACTOR_VERSION = extractor_version()
_SAYS = re.compile(
    r"\b(?:said|says|announced|announces|statement|notification|notice|decree|ordinance|stated|told)\b", re.I
)
_BACKGROUND = re.compile(
    r"\b(?:since|previously|earlier|had been|already|in \d{4}|last year|first announced)\b", re.I
)
# a sentence after a listing that names where the listed entities are ("The entities are listed under
# China, Bulgaria and France", "destinations", "based in")
_DESTINATIONS = re.compile(
    r"\b(?:destinations?|listed\s+under|located\s+in|based\s+in|addresses\s+in|registered\s+in)\b", re.I
)


def _pick_dates(dates: list[DateMention], trig_start: int) -> dict[str, DateMention | None]:
    eff = next((d for d in dates if d.role == "effective"), None)
    end = next((d for d in dates if d.role == "ended"), None)
    ann = [d for d in dates if d.role == "announced"]
    ann.sort(key=lambda d: (d.precision == "year", abs(d.start - trig_start)))
    return {"announced": ann[0] if ann else None, "effective": eff, "ended": end}


def _status(mtype: str, sentence: str, trig_start: int, eff: DateMention | None, anchor: Anchor) -> str:
    if mtype == "easing":
        return "lifted"
    if eff is not None and anchor.date is not None and eff.value > anchor.date:
        return "announced"
    clause = re.split(r"[;,]\s", sentence[:trig_start])[-1] + sentence[trig_start : trig_start + 60]
    return "announced" if is_future(clause) else "in_force"


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
    picked = _pick_dates(facts.dates, trig.start)
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
    elif eff is None and anchor.date is not None and not sent.is_title and not _BACKGROUND.search(text):
        ann = DateMention(0, 0, anchor.date, anchor.precision or "day", "announced", "date.published")
        rules["announced_on"] = ann.rule
    if eff is None and facts.on_publication:
        # in force at once: from the day it was announced, else the day the notice was issued or published
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
            eff = DateMention(0, 0, day.value, day.precision, "effective", "date.on_publication")
    if end is None:
        end = facts.year_end
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
    return {
        "doc_id": doc.get("id"),
        "event_class": measure_class(trig.measure_type),
        "measure_type": trig.measure_type,
        "imposing_jurisdiction": imp.code,
        "imposing_body": imp.body,
        "imposing_body_kind": _body_kind(trig.measure_type, imp, text),
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


def _body_kind(mtype: str, imp: Any, sentence: str) -> str:
    """The imposer's kind: its body's, else a firm when unnamed firms of a country refuse a service
    ("a Turkish lender stopped ..."), else the government."""
    unnamed = imp.body is None and mtype == "service_refusal" and imp.start is not None
    return "private_company" if unnamed and unnamed_firms_at(sentence, imp.start) else imp.kind


def run(doc: dict, explain: bool = True) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Mentions of the document and, when ``explain``, the per-sentence trace.

    A document in which no trigger rule can fire is done after one keyword scan, without splitting it;
    otherwise each sentence runs only the trigger rules whose words it holds (``document.DocSentences``).
    """
    sents = DocSentences(doc)
    if not explain and (not sents.may_fire() or is_proposal(doc.get("title"))):
        return [], []
    anchor = Anchor.parse(doc.get("published"))
    title = sents.title
    ctx = DocContext(doc, title.text if title is not None else None, anchor)
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
            _carry(sent, prev_events, events, anchor, row)
            continue
        home = ctx.home[0]
        refusal = any(t.measure_type == "service_refusal" for t in trigs)
        earlier = sents.firms_before(pos) if refusal else []
        mentions = attach_countries(sent.text, find_mentions(sent.text))
        recent = previous if previous is not None and sent.index - prev_index <= 6 else None
        new_events: list[dict[str, Any]] = []
        all_imposers = []
        for n, t in enumerate(trigs):
            taken = frozenset().union(*(objects_of(sent.text, mentions, o) for o in trigs[:n]))
            all_imposers.append(
                find_imposers(sent.text, mentions, t, recent, home, official, earlier, taken, ctx.home[1])
            )
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
            targets, trule = find_targets(sent.text, mentions, trig, imposers, min(later) if later else None)
            info["kept"], info["reason"] = True, "stated as fact"
            if facts is None:
                facts = SentenceFacts(doc, sent.text, mentions, anchor, _SAYS)
            for imp in imposers:
                split = (
                    [[t] for t in targets] if trig.measure_type == "entity_listing" and targets else [targets]
                )
                for tgt in split:
                    ev = _event(doc, sent, trig, imp, tgt, trule, anchor, ctx, facts)
                    ev["_title"] = head
                    new_events.append(ev)
                    info.setdefault("events", []).append(
                        {k: ev[k] for k in ("measure_type", "imposing_jurisdiction", "target_jurisdictions")}
                        | {"rules": ev["rules"]}
                    )
            if not sent.is_title:
                previous, prev_index = imposers[0], sent.index
        if not new_events:
            _carry(sent, prev_events, events, anchor, row)
            continue
        _inherit_targets(new_events, events)
        events.extend(new_events)
        prev_events = new_events
    if official:
        _apply_notice_effect(sents, events, anchor, ctx.issued)
    return _finish(events, blocked), trace


_LIST_NAME_GAP = re.compile(r"^\s*(?:[^\W\d_]+\s+){0,4}$")


_RELATIVE = re.compile(r"(?:,\s*(?:which|that)|\bwhich)\s+(?:\w+\s+)?$", re.I)


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


def _inherit_targets(new: list[dict[str, Any]], earlier: list[dict[str, Any]]) -> None:
    """The components of a package name their target once: a measure that names none takes the targets
    of the latest measure of the same imposer a few sentences before ("sanctions against Russia ... The
    export of energy goods is banned"); sanctions named after an easing aim at what it eased."""
    for ev in new:
        if ev["target_jurisdictions"] or ev["_title"]:
            continue
        for prev in reversed(earlier):
            if ev["_sentence"] - prev["_sentence"] > _INHERIT_WINDOW:
                break
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


def _apply_notice_effect(
    sents: DocSentences, events: list[dict[str, Any]], anchor: Anchor, issued: DateMention | None = None
) -> None:
    """An official notice's own entry-into-force sentence dates every measure it leaves undated; one that
    puts the notice in force on publication ("本公告自发布之日起实施") dates them with its date of issue."""
    if not events:
        return
    for sent in sents:
        if not states_notice_effect(sent.text):
            continue
        dates = [d for d in find_dates(sent.text, anchor) if d.role != "ended" and d.precision == "day"]
        if not dates and in_force_on_publication(sent.text):
            day = issued.value if issued is not None else anchor.date
            if day is not None and (issued is not None or anchor.precision == "day"):
                dates = [DateMention(0, 0, day, "day", "effective", "date.on_publication")]
        if not dates:
            continue
        for ev in events:
            if ev["effective_on"] is None:
                ev["effective_on"], ev["effective_precision"] = dates[0].value, dates[0].precision
                ev["rules"]["effective_on"] = "doc.notice_effective:" + dates[0].rule
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
        return
    if states_effect(sent.text):
        dates = [d for d in find_dates(sent.text, anchor) if d.role != "ended"]
        if dates:
            for ev in prev_events:
                if ev["effective_on"] is None:
                    ev["effective_on"], ev["effective_precision"] = dates[0].value, dates[0].precision
                    ev["rules"]["effective_on"] = "carry.next_sentence:" + dates[0].rule
            row["carried"] = "effective_on"
    listings = [
        e for e in prev_events if e["measure_type"] == "entity_listing" and not e["target_jurisdictions"]
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


def _finish(
    events: list[dict[str, Any]], blocked: list[tuple[str, str | None, bool]]
) -> list[dict[str, Any]]:
    """Apply the document-level rules: title consistency, collapse of target-less duplicates, dedupe."""
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
    events = _fold_bare_titles(kept)
    merged: dict[tuple, dict[str, Any]] = {}
    for ev in events:
        key = (ev["measure_type"], ev["imposing_jurisdiction"], tuple(ev["target_jurisdictions"]))
        if key not in merged:
            merged[key] = ev
            continue
        _merge(merged[key], ev)
    out = []
    for key, ev in merged.items():
        if not key[2]:
            wider = [o for k, o in merged.items() if k[:2] == key[:2] and k[2]]
            home = next((o for o in wider if set(ev["products"]) <= set(o["products"])), None)
            if home is None and len(wider) == 1 and (ev["_title"] or not ev["products"]):
                # a headline, or a mention naming no goods, speaks of the one measure the body details
                home = wider[0]
            if home is not None:
                _merge(home, ev)
                continue
        out.append(ev)
    for ev in out:
        _order_dates(ev)
        ev.pop("_sentence", None)
        ev.pop("_title", None)
        ev.pop("_expanded", None)
    return [checked(ev) for ev in out]


_GUESSED_IMPOSER = ("imposer.home", "imposer.previous", "imposer.home_notice")


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
        elif _reliability(ev, "announced_on") <= _reliability(ev, "effective_on"):
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
    context._capitals()
    context._issued_cue()
    context._issued_words()
    wordgates.ready()  # after every gated regex above registered its words
