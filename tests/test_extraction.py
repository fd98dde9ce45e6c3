"""Unit tests of the rule-based extractor, on sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from tradecurbs.extraction import EXTRACTOR_VERSION, explain_document, extract_document
from tradecurbs.extraction.jsonio import to_record


def doc(
    text: str, published: str | None = "2024-03-14", title: str = "", kind: str = "news", url: str = ""
) -> dict:
    return {
        "id": "t1",
        "url": url,
        "title": title,
        "text": text,
        "published": published,
        "source_kind": kind,
        "language": "en",
    }


def keys(events: list[dict]) -> set[tuple]:
    return {(e["measure_type"], e["imposing_jurisdiction"], tuple(e["target_jurisdictions"])) for e in events}


def test_version_is_a_string() -> None:
    assert isinstance(EXTRACTOR_VERSION, str) and EXTRACTOR_VERSION


@pytest.mark.parametrize(
    "text",
    [
        "The farm minister said the cabinet is not considering a ban on onion exports this season.",
        "Officials in Jakarta denied that a ban on coal exports was being prepared.",
        "Canada could impose import curbs on Chinese steel, a trade official told lawmakers.",
        "Vietnam plans to restrict rice exports if domestic prices keep rising.",
        "The president threatened to impose a 50% tariff on European wine.",
        "Brazil mulls an export ban on corn to protect feed supplies.",
        "Growers urged the government to ban imports of frozen chicken from Brazil.",
        "There is no plan to halt wheat exports, the Egyptian trade ministry said.",
    ],
)
def test_negated_hedged_and_threatened_measures_give_nothing(text: str) -> None:
    assert extract_document(doc(text)) == []


def test_export_ban_with_relative_effective_date() -> None:
    events = extract_document(
        doc("Pakistan will ban sugar exports from April 2, the commerce ministry said on Monday.")
    )
    assert keys(events) == {("export_restriction", "PK", ())}
    ev = events[0]
    assert ev["effective_on"] == dt.date(2024, 4, 2) and ev["effective_precision"] == "day"
    assert ev["announced_on"] == dt.date(2024, 3, 11)
    assert ev["products"] == ["sugar"] and ev["status"] == "announced"
    assert ev["event_class"] == "restriction"


def test_month_precision_is_kept() -> None:
    events = extract_document(
        doc("Thailand said export controls on durian seedlings will take effect in June.")
    )
    ev = events[0]
    assert ev["effective_on"] == dt.date(2024, 6, 1) and ev["effective_precision"] == "month"


def test_last_month_resolves_to_month_precision() -> None:
    events = extract_document(doc("Kenya banned maize imports from Tanzania last month."))
    assert keys(events) == {("import_restriction", "KE", ("TZ",))} or keys(events) == {
        ("import_restriction", "KE", ())
    }
    assert events[0]["announced_on"] == dt.date(2024, 2, 1) and events[0]["announced_precision"] == "month"


def test_capital_as_metonym_and_target() -> None:
    events = extract_document(
        doc("Ankara imposed an additional 40% tariff on cars imported from China on Tuesday.")
    )
    assert keys(events) == {("tariff_increase", "TR", ("CN",))}
    assert events[0]["announced_on"] == dt.date(2024, 3, 12)


def test_demonym_with_bank_is_a_refusal() -> None:
    events = extract_document(
        doc("Several Turkish banks have stopped processing payments from Russian clients, traders said.")
    )
    assert keys(events) == {("service_refusal", "TR", ("RU",))}
    assert events[0]["event_class"] == "refusal"


def test_named_insurer_refusal_has_body_and_kind() -> None:
    events = extract_document(
        doc("Sinosure has stopped insuring shipments to Iran, exporters in Ningbo told us.")
    )
    events = events or extract_document(doc("Sinosure refused to insure shipments to Iran, exporters said."))
    ev = events[0]
    assert (ev["imposing_jurisdiction"], ev["imposing_body"], ev["imposing_body_kind"]) == (
        "CN",
        "Sinosure",
        "state_owned_enterprise",
    )
    assert ev["target_jurisdictions"] == ["IR"]


def test_list_of_products_and_table_hs_codes() -> None:
    events = extract_document(
        doc("China's Ministry of Commerce placed export controls on tungsten, graphite and antimony.")
    )
    ev = events[0]
    assert ev["products"] == ["antimony", "graphite", "tungsten"]
    assert "8101" in ev["hs_codes"] and ev["imposing_body"] == "Ministry of Commerce of China"


def test_printed_hs_codes_are_captured() -> None:
    events = extract_document(
        doc("Japan introduced export controls on photoresist (HS code 3707.90) on Friday.")
    )
    assert "370790" in events[0]["hs_codes"]


def test_easing_is_not_tightening() -> None:
    events = extract_document(doc("India lifted its ban on wheat exports to Nepal on Wednesday."))
    by_type = {e["measure_type"]: e for e in events}
    assert keys(events) == {("easing", "IN", ("NP",)), ("export_restriction", "IN", ("NP",))}
    assert by_type["easing"]["status"] == "lifted" and by_type["easing"]["event_class"] == "easing"
    assert by_type["easing"]["effective_on"] is not None
    # the ban it lifts is stated as background: reported lifted, with no date of its own
    ban = by_type["export_restriction"]
    assert ban["status"] == "lifted" and ban["announced_on"] is None and ban["effective_on"] is None
    assert ban["rules"]["measure_type"] == "eased.export_restriction:ease.verb_restriction"


def test_entity_listing_splits_per_destination() -> None:
    text = (
        "The Bureau of Industry and Security added 20 parties to the Entity List, listed under the "
        "destinations of China (15), Iran (3) and Pakistan (2)."
    )
    events = extract_document(doc(text, kind="official"))
    assert keys(events) == {("entity_listing", "US", (c,)) for c in ("CN", "IR", "PK")}


def test_several_imposers_coordinated() -> None:
    events = extract_document(doc("Latvia and Lithuania imposed an import ban on Russian grain on Friday."))
    assert keys(events) == {("import_restriction", "LV", ("RU",)), ("import_restriction", "LT", ("RU",))}


def test_duplicates_collapse_within_a_document() -> None:
    text = (
        "Argentina suspended beef exports for two weeks. "
        "The government suspended beef exports to curb prices, "
        "officials said."
    )
    assert len(extract_document(doc(text))) == 1


def test_chinese_dates_and_triggers() -> None:
    text = "商务部、海关总署3月1日发布公告，决定对钨相关物项实施出口管制。公告自2024年5月1日起正式实施。"
    events = extract_document(doc(text, kind="official", url="http://www.mofcom.gov.cn/x.html"))
    ev = events[0]
    assert (ev["measure_type"], ev["imposing_jurisdiction"]) == ("export_control", "CN")
    assert ev["announced_on"] == dt.date(2024, 3, 1)
    assert ev["effective_on"] == dt.date(2024, 5, 1)
    assert ev["products"] == ["tungsten"]


def test_traditional_chinese_listing_targets_firm_nationality() -> None:
    text = "不可靠實體清單工作機制決定將美國某某航空公司列入不可靠實體清單。"
    events = extract_document(doc(text, kind="official"))
    assert keys(events) == {("entity_listing", "CN", ("US",))}


def test_chinese_negation() -> None:
    assert extract_document(doc("发言人表示，这些措施不是禁止出口。")) == []


def test_reported_certainty() -> None:
    events = extract_document(
        doc("Mexico has reportedly halted imports of Brazilian chicken, according to sources.")
    )
    assert events and events[0]["certainty"] == "reported"


def test_year_only_is_never_given_a_day() -> None:
    events = extract_document(
        doc("The Dutch government has barred exports of lithography machines to China since 2019.")
    )
    ev = events[0]
    # "since 2019": in force from that year, known to the year only
    assert ev["effective_on"] == dt.date(2019, 1, 1) and ev["effective_precision"] == "year"
    assert to_record(ev)["effective_on"] == "2019"


def test_explain_gives_reasons() -> None:
    out = explain_document(
        doc("Peru could ban copper exports. Chile banned copper exports to Peru on Monday.")
    )
    reasons = [t["reason"] for s in out["sentences"] for t in s["triggers"]]
    assert any(r.startswith("hedge") for r in reasons) and "stated as fact" in reasons
    assert len(out["mentions"]) == 1


def test_weekday_next_to_an_explicit_date_takes_the_date() -> None:
    events = extract_document(
        doc("Norway imposed a 25% tariff on Chilean salmon, applying from Friday, July 5.", "2024-07-04")
    )
    ev = events[0]
    assert ev["effective_on"] == dt.date(2024, 7, 5) and ev["rules"]["effective_on"] == "date.mdy"
    events = extract_document(
        doc("India banned onion exports on 1 July (Monday), the trade ministry said.", "2024-07-04")
    )
    assert events[0]["announced_on"] == dt.date(2024, 7, 1)


def test_bare_weekday_follows_tense() -> None:
    # Published on a Thursday: the effective Friday is the coming one, the statement's Thursday is today.
    events = extract_document(
        doc("Peru will ban fishmeal exports from Friday, the ministry said on Thursday.", "2024-07-04")
    )
    ev = events[0]
    assert ev["effective_on"] == dt.date(2024, 7, 5) and ev["announced_on"] == dt.date(2024, 7, 4)
    # A past Friday within the last seven days when the sentence tells what already happened.
    events = extract_document(doc("Peru halted fishmeal exports on Friday.", "2024-07-04"))
    assert events[0]["announced_on"] == dt.date(2024, 6, 28)
    # A start "from Sunday" is the coming Sunday, or that very day when written on a Sunday.
    for published in ("2024-07-04", "2024-07-07"):
        events = extract_document(doc("Peru will ban sugar exports from Sunday.", published))
        assert events[0]["effective_on"] == dt.date(2024, 7, 7)


def test_fallback_announcement_after_effective_date_yields() -> None:
    # An issue-date fallback that falls after the effective date is replaced by the stated announcement.
    text = (
        "Issue date: January 9, 2023. The Bureau of Industry and Security added 12 entities to the "
        "Entity List, "
        "effective January 5, 2023, the day the additions were announced."
    )
    ev = extract_document(doc(text, "2023-01-09", kind="official"))[0]
    assert ev["effective_on"] == ev["announced_on"] == dt.date(2023, 1, 5)
    assert ev["rules"]["announced_on"] == "date.announced_same_day_as_effective"
    # Without such a statement the fallback is dropped, with the reason in the rules.
    text = (
        "Issue date: January 9, 2023. The Bureau of Industry and Security added 12 entities to the "
        "Entity List, "
        "effective January 5, 2023."
    )
    ev = extract_document(doc(text, "2023-01-09", kind="official"))[0]
    assert ev["effective_on"] == dt.date(2023, 1, 5) and ev["announced_on"] is None
    assert ev["rules"]["announced_on"].startswith("invariant.dropped:after_effective")


@pytest.mark.parametrize(
    "text",
    [
        "Chile said on Monday it would restrict copper exports from March 1 until February 20.",
        "Chile restricted copper exports from June 3, the ministry said on 10 June.",
        "Chile will restrict copper exports from next month, officials said. It takes effect on Monday.",
    ],
)
def test_dates_are_always_in_order(text: str) -> None:
    for ev in extract_document(doc(text, "2024-06-12")):
        ann, eff, end = ev["announced_on"], ev["effective_on"], ev["ended_on"]
        assert ann is None or eff is None or ann <= eff, ev["rules"]
        assert eff is None or end is None or eff <= end, ev["rules"]


def test_official_notice_entry_into_force_dates_its_measures():
    doc = {
        "id": "n1",
        "url": "https://ministry.example/notice",
        "title": "关于对某金属相关物项实施出口管制的公告",
        "text": "商务部决定对镓相关物项实施出口管制。\n本公告自2025年3月1日起正式实施。"
        "\n商务部\n2025年1月15日",
        "published": "2025-01-15",
        "source_kind": "official",
        "language": "zh-Hans",
    }
    (event,) = [e for e in extract_document(doc) if e["measure_type"] == "export_control"]
    assert event["effective_on"] == dt.date(2025, 3, 1)
    assert event["rules"]["effective_on"].startswith("doc.notice_effective")
    assert event["announced_on"] == dt.date(2025, 1, 15)


def test_a_headline_with_only_a_guessed_imposer_joins_the_body_measure():
    doc = {
        "id": "h1",
        "url": "https://zeitung.example/a",
        "title": "Neues Sanktionspaket beschlossen",
        "text": "Die EU-Staaten haben am Freitag ein neues Paket mit Sanktionen gegen Russland beschlossen.",
        "published": "2022-04-08",
        "source_kind": "news",
        "language": "de",
    }
    events = [
        (e["measure_type"], e["imposing_jurisdiction"], e["target_jurisdictions"])
        for e in extract_document(doc)
    ]
    assert events == [("sanction", "EU", ["RU"])]
