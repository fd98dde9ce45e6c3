"""Extraction cases: generic-noun coreference, hearsay certainty, negated lists, topic modifiers."""

from tradecurbs.extraction.cues import blocking_cue, reported_cue
from tradecurbs.extraction.extractor import run
from tradecurbs.extraction.gazetteer import attach_countries, find_mentions
from tradecurbs.extraction.roles import find_imposers, named_firms
from tradecurbs.extraction.triggers import find_triggers


def _doc(text: str, kind: str = "news") -> dict:
    return {
        "id": "t",
        "url": "https://example.test/a",
        "title": "",
        "text": text,
        "published": "2024-05-02",
        "source_kind": kind,
        "language": "en",
    }


def _imposers(sentence: str, earlier_text: str = ""):
    trig = find_triggers(sentence)[0]
    mentions = attach_countries(sentence, find_mentions(sentence))
    return find_imposers(sentence, mentions, trig, None, "CN", False, named_firms(earlier_text))


def test_generic_insurer_resolves_to_firm_named_earlier():
    earlier = "Exporters in Ningbo are losing credit insurance from Sinosure, the state insurer."
    imps = _imposers("Dealers say the insurer would no longer cover deals with buyers in Belarus.", earlier)
    assert [(i.code, i.body, i.kind) for i in imps] == [("CN", "Sinosure", "state_owned_enterprise")]
    assert imps[0].rule.startswith("imposer.coref")


def test_generic_lender_resolves_to_most_recent_bank():
    earlier = "Bank of Communications tightened checks. Later, Agricultural Bank of China followed."
    imps = _imposers("Clients said the lender had stopped processing payments from Kazakhstan.", earlier)
    assert imps[0].body == "Agricultural Bank of China"


def test_generic_noun_without_fitting_antecedent_falls_back():
    imps = _imposers(
        "Clients said the lender had stopped processing payments from Kazakhstan.", "Sinosure grew."
    )
    assert all(i.body != "Sinosure" for i in imps)


def test_generic_noun_resolves_within_sentence():
    text = (
        "Buyers in Minsk were told the insurer would no longer cover orders, and limits Sinosure "
        "had granted to Belarusian firms were cancelled."
    )
    events, _ = run(_doc(text))
    refusals = [e for e in events if e["measure_type"] == "service_refusal"]
    assert refusals and refusals[0]["imposing_body"] == "Sinosure"


def test_hearsay_in_news_is_reported():
    assert reported_cue("Importers in Kazan said the bank had refused to process their transfers.")
    assert reported_cue("Their suppliers had been told the insurer would stop cover.")
    assert reported_cue("The lender halted payments, according to several exporters.")
    assert reported_cue("The ministry said it would halt exports of urea.") is None
    assert reported_cue("The cabinet press service said fuel exports are halted.") is None
    text = "Importers in Kazan said Chouzhou Commercial Bank had stopped processing payments from Russia."
    events, _ = run(_doc(text))
    assert events and all(e["certainty"] == "reported" for e in events)


def test_negation_spreads_over_a_coordinated_list():
    s = (
        "The bulletin is for information: it does not change the tariff schedule, revoke any permit, "
        "or impose any license requirement."
    )
    for trig in find_triggers(s):
        assert blocking_cue(s, trig.start, trig.end)[0] == "negation"
    events, _ = run(_doc("The Department of Commerce published a bulletin. " + s, "official"))
    assert events == []


def test_plain_statement_after_a_negated_clause_is_kept():
    s = "The ministry did not give reasons, but it will impose a license requirement on drone exports."
    trig = next(t for t in find_triggers(s) if "licen" in t.text)
    assert blocking_cue(s, trig.start, trig.end) is None


def test_legislation_inside_a_trigger_span_hedges_it():
    s = "Two lawmakers introduced legislation on Friday that would impose a 300% tariff on Vietnamese steel."
    trig = find_triggers(s)[0]
    assert blocking_cue(s, trig.start, trig.end) is not None


def test_trigger_as_topic_modifier_is_not_a_measure():
    s = "The panel advises the Department of Commerce on export control questions about lasers."
    trig = next(t for t in find_triggers(s) if t.measure_type == "export_control")
    assert blocking_cue(s, trig.start, trig.end) is not None


def test_norway_is_a_country_code_not_a_yaml_boolean():
    from tradecurbs.extraction import extract_document

    doc = {
        "id": "no1",
        "url": "https://example.org/no1",
        "title": "",
        "text": "The Bureau of Industry and Security added 3 parties in Norway to the Entity List, "
        "effective 16 May 2019.",
        "published": "2019-05-16",
        "source_kind": "official",
        "language": "en",
    }
    (event,) = extract_document(doc)
    assert event["target_jurisdictions"] == ["NO"]


def test_the_month_may_is_not_a_hedge_but_the_modal_is():
    from tradecurbs.extraction import extract_document

    def events(text: str) -> list[dict]:
        doc = {
            "id": "m",
            "url": "https://example.org/m",
            "title": "",
            "text": text,
            "published": "2012-05-09",
            "source_kind": "news",
            "language": "en",
        }
        return extract_document(doc)

    dated = events("Indonesia's trade ministry announced on 9 May 2012 a ban on exports of nickel ore.")
    assert [e["imposing_jurisdiction"] for e in dated] == ["ID"]
    assert events("Indonesia may ban exports of nickel ore next year, officials said.") == []


def test_hong_kong_is_a_target_of_its_own():
    from tradecurbs.extraction import extract_document

    doc = {
        "id": "hk1",
        "url": "https://example.org/hk1",
        "title": "",
        "text": "The Bureau of Industry and Security added 2 parties in Hong Kong to the Entity List, "
        "effective 16 May 2019.",
        "published": "2019-05-16",
        "source_kind": "official",
        "language": "en",
    }
    assert [e["target_jurisdictions"] for e in extract_document(doc)] == [["HK"]]
