"""Named firms of listings and sanctions land in target_entities, known or not."""

from __future__ import annotations

from tradecurbs.extraction import extract_document
from tradecurbs.extraction.entities import find_entities


def _doc(text: str, language: str = "en") -> dict:
    return {"id": "e", "title": "", "text": text, "published": "2023-10-17", "source_kind": "news",
            "language": language}  # fmt: skip


def test_firms_are_found_by_their_legal_form() -> None:
    text = "Washington added Alpha Optics Co., Ltd. and Beta Marine Holdings to the Entity List."
    assert find_entities(text) == ["Alpha Optics Co., Ltd.", "Beta Marine Holdings"]


def test_a_firm_written_with_its_legal_form_first() -> None:
    assert find_entities("The Treasury sanctioned JSC Northern Star Bank on Friday.") == [
        "JSC Northern Star Bank"
    ]


def test_chinese_and_russian_firm_names() -> None:
    assert find_entities("商务部将美国某某航空系统公司列入不可靠实体清单") == ["美国某某航空系统公司"]
    assert find_entities("Минфин США внес ООО «Северный ветер» в санкционный список") == ["Северный ветер"]


def test_the_longer_name_wins_over_a_known_short_one() -> None:
    text = "Semiconductor Manufacturing International Corporation was listed."
    assert find_entities(text) == ["Semiconductor Manufacturing International Corporation"]


def test_listed_firms_are_the_targets_entities_of_the_listing() -> None:
    events = extract_document(
        _doc(
            "The Commerce Department added Gamma Drone Technologies and Delta Sensors Corp. "
            "to the Entity List."
        )
    )
    listing = [e for e in events if e["measure_type"] == "entity_listing"]
    assert listing and listing[0]["target_entities"] == ["Delta Sensors Corp.", "Gamma Drone Technologies"]


def test_every_body_has_a_known_kind_and_a_jurisdiction_code_or_none():
    """YAML reads an unquoted NO (Norway) as false: every body's country must stay a code."""
    from tradecurbs.extraction.lexicon import load
    from tradecurbs.validation.plan import jurisdiction_codes

    kinds = {"government", "regulator", "state_owned_enterprise", "private_company", "multilateral"}
    codes = set(jurisdiction_codes())
    bad = [
        b["name"] for b in load("bodies") if b["kind"] not in kinds or b.get("country") not in codes | {None}
    ]
    assert not bad, bad


def test_unnamed_firms_of_a_country_that_refuse_a_service_are_firms_not_its_government():
    """A firm's own refusal is a service refusal; a government directing the banks to refuse acts for its
    state, a sanction (``../shared/eval/README.md`` conventions)."""
    texts = {
        "A Turkish lender stopped accepting payments from Russian clients, bankers said.": (
            "service_refusal",
            "private_company",
        ),
        "The Turkish government told banks to stop processing payments from Russia.": (
            "sanction",
            "government",
        ),
        "Gard P&I said it would stop covering tankers that carry Russian oil.": (
            "service_refusal",
            "private_company",
        ),
    }
    for text, (mtype, kind) in texts.items():
        found = [e["imposing_body_kind"] for e in extract_document(_doc(text)) if e["measure_type"] == mtype]
        assert found == [kind], text
