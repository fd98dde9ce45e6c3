"""The event catalogue of a synthetic corpus and the sentences that report an event.

Each event is drawn from a seed and its number alone, so any document can report event ``k`` without
the catalogue being held in memory. Reports of one event share its facts (imposer, measure, targets,
goods, dates) but not their wording: every kind of measure has several phrasings for news pages and
one for official notices.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from benchmarks.corpus import vocab

KIND_WEIGHTS = (
    ("export_control", 20),
    ("export_restriction", 15),
    ("import_restriction", 15),
    ("sanction", 14),
    ("entity_listing", 12),
    ("service_refusal", 10),
    ("tariff_increase", 14),
)
FIRST_DAY = dt.date(2012, 1, 1)
SPAN_DAYS = 14 * 365


@dataclass(frozen=True)
class EventSpec:
    """One real-world-like measure: who imposed what on whom, on which goods, when."""

    key: int
    kind: str
    imposer: str
    body: str
    targets: tuple[str, ...]
    goods: tuple[str, ...]
    firm: str | None
    announced: dt.date
    effective: dt.date


def _pick_kind(rng: random.Random) -> str:
    kinds, weights = zip(*KIND_WEIGHTS, strict=True)
    return rng.choices(kinds, weights=weights)[0]


def _some(rng: random.Random, items: tuple[str, ...], most: int = 2) -> tuple[str, ...]:
    return tuple(rng.sample(items, k=min(len(items), rng.randint(1, most))))


def event_spec(seed: int, key: int) -> EventSpec:
    """Event number ``key`` of the catalogue drawn from ``seed``."""
    rng = random.Random(f"{seed}:event:{key}")
    kind = _pick_kind(rng)
    targets: tuple[str, ...] = ()
    firm = None
    if kind == "export_control":
        imposer = rng.choice(("CN", "CN", "US", "US", "JP", "NL"))
        goods = {
            "CN": vocab.CRITICAL_MINERALS,
            "US": vocab.CHIP_GOODS,
            "JP": vocab.JP_CHIP_INPUTS,
            "NL": vocab.CHIP_GOODS[1:],
        }[imposer]
        goods = _some(rng, goods)
        if imposer == "US":
            targets = ("CN",)
        elif imposer == "JP":
            targets = ("KR",)
    elif kind == "export_restriction":
        imposer = rng.choice(sorted(vocab.FOOD_EXPORTS))
        goods = _some(rng, vocab.FOOD_EXPORTS[imposer], 1)
    elif kind == "import_restriction":
        imposer = rng.choice(sorted(vocab.IMPORT_BANS))
        target, options = rng.choice(vocab.IMPORT_BANS[imposer])
        targets, goods = (target,), _some(rng, options)
    elif kind == "sanction":
        imposer = rng.choice(sorted(vocab.SANCTIONS))
        targets, goods = (rng.choice(vocab.SANCTIONS[imposer]),), ()
    elif kind == "entity_listing":
        imposer = rng.choice(sorted(vocab.LISTED_FIRMS))
        firm = rng.choice(vocab.LISTED_FIRMS[imposer][1])
        targets, goods = ("CN",) if imposer == "US" else ("US",), ()
    elif kind == "service_refusal":
        imposer, firm, _service = rng.choice(sorted(vocab.REFUSERS))
        targets, goods = (rng.choice(vocab.REFUSERS[(imposer, firm, _service)]),), ()
    else:  # tariff_increase
        imposer = rng.choice(sorted(vocab.TARIFFS))
        target, options = rng.choice(vocab.TARIFFS[imposer])
        targets, goods = (target,), _some(rng, options)
    announced = FIRST_DAY + dt.timedelta(days=rng.randrange(SPAN_DAYS))
    effective = announced + dt.timedelta(days=rng.choice((0, 0, 1, 7, 14, 30, 45, 60)))
    body = rng.choice(vocab.BODIES.get(imposer, (vocab.COUNTRIES[imposer].name,)))
    return EventSpec(key, kind, imposer, body, targets, goods, firm, announced, effective)


def _date(day: dt.date, style: int) -> str:
    if style == 0:
        return f"{day:%B} {day.day}, {day.year}"
    return f"{day.day} {day:%B} {day.year}"


def _join(items: tuple[str, ...]) -> str:
    if len(items) <= 1:
        return items[0] if items else ""
    return ", ".join(items[:-1]) + " and " + items[-1]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fields(spec: EventSpec, rng: random.Random) -> dict[str, str]:
    imp = vocab.COUNTRIES[spec.imposer]
    tgt = vocab.COUNTRIES[spec.targets[0]] if spec.targets else None
    style = rng.randrange(2)
    return {
        "body": spec.body,
        "Body": _cap(spec.body),
        "country": imp.name,
        "Country": _cap(imp.name),
        "adj": imp.adjective,
        "capital": imp.capital,
        "goods": _join(spec.goods),
        "good": spec.goods[0] if spec.goods else "",
        "ann": _date(spec.announced, style),
        "eff": _date(spec.effective, style),
        "target": tgt.name if tgt else "",
        "Target": _cap(tgt.name) if tgt else "",
        "target_adj": tgt.adjective if tgt else "",
        "firm": spec.firm or "",
        "pct": str(rng.choice((10, 15, 20, 25, 35, 50, 100))),
        "list": vocab.LISTED_FIRMS.get(spec.imposer, ("sanctions list",))[0],
    }


# Lead sentences for news pages, by measure type; every phrasing states the same facts.
NEWS_LEADS: dict[str, tuple[str, ...]] = {
    "export_control": (
        "{Body} said on {ann} that it would impose export controls on {goods}{to_target} from {eff}.",
        "{Country} will require export licences for {goods}{to_target} starting {eff}, "
        "{body} announced on {ann}.",
        "On {ann}, {body} announced export controls on {goods}{to_target}, effective {eff}.",
    ),
    "export_restriction": (
        "{Country} banned exports of {goods} on {ann}, {body} said.",
        "{Body} announced on {ann} a ban on exports of {goods}, effective {eff}.",
        "{Country} will halt {goods} exports from {eff}, {body} said in a statement on {ann}.",
    ),
    "import_restriction": (
        "{Country} suspended all imports of {target_adj} {goods} on {ann}, {body} said.",
        "{Body} announced on {ann} a ban on imports of {goods} from {target}, effective {eff}.",
        "{Country} will stop imports of {goods} from {target} from {eff}, {body} said on {ann}.",
    ),
    "sanction": (
        "{Body} adopted a new package of sanctions against {target} on {ann}.",
        "{Country} imposed sweeping new sanctions on {target} on {ann}, {body} said.",
        "On {ann}, {body} announced a fresh sanctions package against {target}, effective {eff}.",
    ),
    "entity_listing": (
        "{Body} added {firm} to the {list} on {ann}.",
        "{Country} placed {firm} on its {list} on {ann}, {body} said.",
        "On {ann}, {body} said it had added {target_adj} company {firm} to the {list}.",
    ),
    "service_refusal": (
        "{firm} has stopped processing payments from {target} since {eff_month}, people familiar "
        "with the matter said.",
        "{firm} halted cross-border transactions with clients in {target} in {eff_month}, "
        "according to traders.",
        "{firm} stopped accepting payments from {target} in {eff_month}, exporters said.",
    ),
    "tariff_increase": (
        "{Country} will impose additional {pct}% tariffs on {goods} from {target} from {eff}, "
        "{body} announced on {ann}.",
        "{Body} said on {ann} it would impose new duties of {pct}% on {goods} imported from {target}, "
        "effective {eff}.",
        "On {ann}, {body} announced extra tariffs of {pct}% on {target_adj} {goods}, starting {eff}.",
    ),
}
# Refusals by insurers and card networks are phrased for their service.
REFUSAL_LEADS: dict[str, tuple[str, ...]] = {
    "insurance": (
        "{firm} stopped insurance coverage for shipments to {target} in {eff_month}, exporters said.",
        "{firm} has declined to insure shipments to {target} since {eff_month}, traders said.",
    ),
    "operations": (
        "{firm} suspended all operations in {target} in {eff_month}, the company said.",
        "{firm} halted its services in {target} in {eff_month}, the company said in a statement.",
    ),
}
TITLES: dict[str, tuple[str, ...]] = {
    "export_control": (
        "{Country} announces export controls on {good}{to_target}",
        "{Country} sets export controls on {good}{to_target}",
    ),
    "export_restriction": ("{Country} bans exports of {good}", "{Country} to halt {good} exports"),
    "import_restriction": (
        "{Country} bans imports of {target_adj} {good}",
        "{Country} halts imports of {good} from {target}",
    ),
    "sanction": (
        "{Country} adopts new sanctions on {target}",
        "{Country} unveils sanctions package against {target}",
    ),
    "entity_listing": ("{Country} adds {firm} to {list}", "What the {list} means for {firm}"),
    "service_refusal": ("{firm} pulls back from {target} business", "Exporters report {firm} retreat"),
    "tariff_increase": (
        "{Country} raises tariffs on {target_adj} {good}",
        "{Country} slaps new duties on {good} from {target}",
    ),
}
NOTICE_LEADS: dict[str, str] = {
    "export_control": "{Body} has decided to implement export controls on {goods}{to_target}. "
    "This announcement takes effect on {eff}.",
    "export_restriction": "{Body} has decided to prohibit the export of {goods}. "
    "The prohibition takes effect on {eff}.",
    "import_restriction": "{Body} has decided to suspend imports of {goods} originating in {target}. "
    "The suspension takes effect on {eff}.",
    "sanction": "{Body} has adopted a package of sanctions against {target}. "
    "The measures take effect on {eff}.",
    "entity_listing": "{Body} has decided to add {firm} to the {list}. This decision takes effect on {eff}.",
    "service_refusal": "{firm} will no longer process payments from {target} as of {eff}.",
    "tariff_increase": "{Body} has decided to impose additional tariffs of {pct}% on {goods} originating "
    "in {target}. The tariffs take effect on {eff}.",
}


def _refusal_service(spec: EventSpec) -> str:
    for (imposer, firm, service), _targets in vocab.REFUSERS.items():
        if imposer == spec.imposer and firm == spec.firm:
            return service
    return "payments"


def _render(template: str, fields: dict[str, str], spec: EventSpec) -> str:
    to_target = f" bound for {fields['target']}" if spec.targets and spec.kind == "export_control" else ""
    month = f"{spec.effective:%B} {spec.effective.year}"
    return template.format(**fields, to_target=to_target, eff_month=month)


def news_lead(spec: EventSpec, rng: random.Random) -> tuple[str, str]:
    """(title, lead sentence) of a news report of the event, in one of several wordings."""
    fields = _fields(spec, rng)
    leads = NEWS_LEADS[spec.kind]
    if spec.kind == "service_refusal" and (service := _refusal_service(spec)) in REFUSAL_LEADS:
        leads = REFUSAL_LEADS[service]
    return _render(rng.choice(TITLES[spec.kind]), fields, spec), _render(rng.choice(leads), fields, spec)


def notice_text(spec: EventSpec, rng: random.Random, number: int) -> tuple[str, list[str]]:
    """(title, paragraphs) of the imposer's official notice of the event."""
    fields = _fields(spec, rng)
    year = spec.announced.year
    title = f"Announcement No. {number} of {year} of {vocab.GAZETTES[spec.imposer].name}"
    paragraphs = [
        f"Date of issue: {_date(spec.announced, 0)}",
        "In accordance with the relevant laws and regulations, and in order to safeguard national "
        "interests and fulfil international obligations, the following is hereby announced.",
        _render(NOTICE_LEADS[spec.kind], fields, spec),
        "Operators concerned shall complete the relevant procedures with the competent authority. "
        "Enquiries may be sent to the contact office listed at the end of this announcement.",
    ]
    return title, paragraphs
