"""Products and HS codes: the product table against the HS 2022 nomenclature, printed codes, firm names,
longer product names."""

from __future__ import annotations

from tradecurbs.extraction import extract_document
from tradecurbs.extraction.hs import EDITION, describe, is_known, normalise
from tradecurbs.extraction.lexicon import load
from tradecurbs.extraction.products import find_products, printed_hs_codes


def test_every_code_of_the_product_table_is_in_the_nomenclature() -> None:
    unknown = [(e["name"], c) for e in load("products") for c in e.get("hs", []) if not is_known(c)]
    assert unknown == [], f"codes not in {EDITION}: {unknown}"


def test_the_nomenclature_describes_chapters_headings_and_subheadings() -> None:
    assert "rice" in describe("1006").lower()
    assert describe("100630") and describe("10")
    assert describe("880600") is None  # drones are 8806 and its own subheadings, never 8806.00


def test_printed_national_lines_keep_their_international_six_digits() -> None:
    assert normalise("2805.30.1910") == "280530"
    assert normalise("8541.10") == "854110"
    assert normalise("123") is None


def test_a_number_after_an_hs_cue_that_is_no_code_is_dropped() -> None:
    assert printed_hs_codes("HS codes 1006.30 and 0000.11 are covered") == ["100630"]


def test_a_code_printed_in_pairs_of_digits_with_spaces_is_read_whole() -> None:
    assert printed_hs_codes("non-basmati white rice (HS 1006 30 90)") == ["100630"]


def test_a_year_after_an_hs_cue_is_no_code() -> None:
    assert printed_hs_codes("HS 1006, restricted since 2023") == ["1006"]


def test_a_longer_product_name_wins() -> None:
    found = [name for _, _, name, _ in find_products("exports of crude palm oil and cooking oil")]
    assert found == ["palm oil", "cooking oil"]
    assert "crude oil" not in found


def test_a_product_word_inside_a_firm_name_is_no_product() -> None:
    text = "Semiconductor Manufacturing International Corporation was added to the list"
    assert find_products(text, [(0, 53)]) == []


def test_stems_find_inflected_product_names() -> None:
    found = [
        name
        for _, _, name, _ in find_products("запрет на экспорт азотных удобрений и редкоземельных металлов")
    ]
    assert "rare earths" in found and "fertilizer" in found


def test_codes_printed_in_a_notice_win_over_codes_inferred_from_names() -> None:
    doc = {
        "id": "hs",
        "title": "",
        "text": "China banned exports of gallium (HS code 8112.92) to the United States on Tuesday.",
        "published": "2024-12-03",
        "source_kind": "news",
        "language": "en",
    }
    [event] = extract_document(doc)
    assert event["products"] == ["gallium"]
    assert event["hs_codes"] == ["811292"]
    assert event["rules"]["hs_codes"] == "hs.printed"


def test_a_listed_firm_named_after_a_product_yields_no_product() -> None:
    doc = {
        "id": "smic",
        "title": "",
        "text": (
            "The Commerce Department added Semiconductor Manufacturing International Corporation "
            "to the Entity List."
        ),
        "published": "2020-12-18",
        "source_kind": "news",
        "language": "en",
    }
    [event] = extract_document(doc)
    assert event["products"] == []
    assert event["target_jurisdictions"] == ["CN"]
