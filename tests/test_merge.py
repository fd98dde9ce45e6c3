"""Merging mentions into events: same measure across reports merges, different measures stay apart."""

from __future__ import annotations

import datetime as dt
import random

from tradecurbs.scoring import pairwise
from tradecurbs.warehouse import lineage
from tradecurbs.warehouse.merge import assign_events


def mention(
    doc: str,
    products: list[str],
    announced: str | None = None,
    *,
    target=(),
    official=False,
    measure="export_control",
    imposer="CN",
    published="2023-07-04",
) -> dict:
    return {
        "document_id": doc,
        "url": f"https://example.test/{doc}",
        "measure_type": measure,
        "imposing_jurisdiction": imposer,
        "target_jurisdictions": list(target),
        "products": products,
        "announced_on": dt.date.fromisoformat(announced) if announced else None,
        "effective_on": None,
        "certainty": "official" if official else "reported",
        "evidence": f"evidence in {doc}",
        "published_on": dt.date.fromisoformat(published),
    }


def test_reports_of_one_control_merge_and_keep_the_official_anchor():
    rows = assign_events(
        [
            mention("news1", ["gallium"], "2023-07-03"),
            mention("notice", ["gallium", "germanium"], "2023-07-03", official=True),
            mention("news2", [], None, published="2023-07-05"),
        ]
    )
    assert len({r["event_id"] for r in rows}) == 1
    alone = assign_events([mention("notice", ["gallium", "germanium"], "2023-07-03", official=True)])
    assert alone[0]["event_id"] == rows[0]["event_id"]


def test_different_products_or_dates_stay_apart():
    rows = assign_events(
        [
            mention("a", ["gallium", "germanium"], "2023-07-03"),
            mention("b", ["graphite"], "2023-10-20"),
            mention("c", ["gallium"], "2024-12-03"),
        ]
    )
    assert len({r["event_id"] for r in rows}) == 3


def test_different_targets_or_measures_stay_apart():
    rows = assign_events(
        [
            mention("a", ["gallium"], "2024-12-03", target=["US"]),
            mention("b", ["gallium"], "2024-12-03", target=["JP"]),
            mention("c", ["gallium"], "2024-12-03", measure="export_restriction", target=["US"]),
        ]
    )
    assert len({r["event_id"] for r in rows}) == 3


def test_a_report_naming_fewer_targets_joins_the_measure():
    rows = assign_events(
        [
            mention("a", [], "2024-02-01", target=["RU", "BY"], measure="service_refusal"),
            mention("b", [], "2024-02-20", target=["RU"], measure="service_refusal"),
            mention("c", [], "2024-02-03", measure="service_refusal"),
        ]
    )
    assert len({r["event_id"] for r in rows}) == 1


def test_ids_do_not_depend_on_input_order():
    ms = [
        mention("a", ["rice"], "2023-07-20", measure="export_restriction", imposer="IN"),
        mention("b", ["rice"], "2023-07-21", measure="export_restriction", imposer="IN"),
        mention("c", ["nickel ore"], "2019-08-30", measure="export_restriction", imposer="ID"),
    ]
    first = {r["mention_id"]: r["event_id"] for r in assign_events([dict(m) for m in ms])}
    shuffled = [dict(m) for m in ms]
    random.Random(7).shuffle(shuffled)
    assert {r["mention_id"]: r["event_id"] for r in assign_events(shuffled)} == first


def test_generic_products_are_no_evidence_of_one_event():
    ms = [
        mention("a", ["dual-use items", "gallium"], "2023-07-03"),
        mention("b", ["dual-use items", "graphite"], "2023-08-10"),
    ]
    assert len({r["event_id"] for r in assign_events([dict(m) for m in ms])}) == 1
    assert len({r["event_id"] for r in assign_events(ms, generic_products={"dual-use items"})}) == 2


def ids(rows: list[dict]) -> dict[str, str]:
    return {r["document_id"]: r["event_id"] for r in rows}


def test_two_rules_of_one_publisher_on_one_day_stay_apart_and_reports_join_one():
    register = {"source_kind": "official", "publisher": "Federal Register"}
    rows = assign_events(
        [
            mention("rule1", ["chipmaking equipment", "semiconductors"], "2023-10-17", imposer="US")
            | register,
            mention("rule2", ["semiconductors", "supercomputers"], "2023-10-17", imposer="US") | register,
            mention("news", ["supercomputers"], "2023-10-18", imposer="US", published="2023-10-18"),
        ]
    )
    found = ids(rows)
    assert found["rule1"] != found["rule2"] and found["news"] == found["rule2"]


def test_one_notice_in_two_languages_is_one_event_but_two_notices_in_one_language_are_two():
    ministry = {"source_kind": "official", "publisher": "Ministry of Economy, Trade and Industry"}
    rows = assign_events(
        [
            # the Japanese page names the goods only in a later sentence; the English page names them
            mention("ja", [], "2019-07-01", imposer="JP", target=["KR"]) | ministry | {"language": "ja"},
            mention("en", ["hydrogen fluoride"], "2019-07-01", imposer="JP", target=["KR"])
            | ministry
            | {"language": "en"},
            # another notice in English the same day, about other goods, is another measure
            mention("en2", ["resist"], "2019-07-01", imposer="JP", target=["KR"])
            | ministry
            | {"language": "en"},
        ]
    )
    found = ids(rows)
    assert found["ja"] == found["en"] != found["en2"]
    # a translation that contradicts the notice (another target) stays apart
    other = assign_events(
        [
            mention("ja", [], "2019-07-01", imposer="JP", target=["KR"]) | ministry | {"language": "ja"},
            mention("en", [], "2019-07-01", imposer="JP", target=["KR", "CN"])
            | ministry
            | {"language": "en"},
        ]
    )
    assert len(set(ids(other).values())) == 2


def test_refusals_by_two_firms_are_two_events():
    rows = assign_events(
        [
            mention("a", [], "2024-03-01", measure="service_refusal", target=["RU"])
            | {"imposing_body": "Bank A"},
            mention("b", [], "2024-03-05", measure="service_refusal", target=["RU"])
            | {"imposing_body": "Bank B"},
            mention("c", [], "2024-03-06", measure="service_refusal", target=["RU"])
            | {"imposing_body": "Bank A"},
        ]
    )
    found = ids(rows)
    assert found["a"] == found["c"] != found["b"]


def test_a_later_report_keeps_the_event_id_and_published_ids_survive_a_new_anchor():
    first = [
        mention(
            "news1",
            ["rice"],
            "2023-07-20",
            measure="export_restriction",
            imposer="IN",
            published="2023-07-21",
        ),
        mention(
            "news2",
            ["rice"],
            "2023-07-20",
            measure="export_restriction",
            imposer="IN",
            published="2023-07-22",
        ),
    ]
    before = assign_events([dict(m) for m in first])
    later = mention(
        "news3", [], "2023-07-20", measure="export_restriction", imposer="IN", published="2023-07-30"
    )
    assert set(ids(assign_events([dict(m) for m in [*first, later]])).values()) == set(ids(before).values())
    # a report published before the others becomes the anchor: a fresh build would re-key the event,
    # but the ids of the latest release are kept
    earlier = mention(
        "news0", ["rice"], "2023-07-20", measure="export_restriction", imposer="IN", published="2023-07-20"
    )
    assert set(ids(assign_events([dict(m) for m in [*first, earlier]])).values()) != set(ids(before).values())
    kept = assign_events([dict(m) for m in [*first, earlier]], published=lineage.slot_map(before))
    assert set(ids(kept).values()) == set(ids(before).values())


def test_a_published_event_that_splits_keeps_its_id_on_its_larger_part():
    ms = [
        mention("notice", ["gallium"], "2023-07-03", official=True, target=["US"]),
        mention("news1", ["gallium"], "2023-07-04", target=["US"], published="2023-07-04"),
        mention("news2", ["gallium"], "2023-07-05", published="2023-07-05"),
    ]
    before = assign_events([dict(m) for m in ms])
    assert len(set(ids(before).values())) == 1
    # a re-extraction finds that the last report names Japan: it no longer fits the measure
    changed = [*ms[:2], ms[2] | {"target_jurisdictions": ["JP"]}]
    after = ids(assign_events([dict(m) for m in changed], published=lineage.slot_map(before)))
    assert after["notice"] == after["news1"] == before[0]["event_id"] != after["news2"]


# --------------------------------------------------------------------------- planted duplicates

PRODUCTS = [f"product {i}" for i in range(30)]
IMPOSERS = ["CN", "US", "IN", "EU", "JP", "ID", "RU", "TR"]
TARGETS = ["RU", "US", "JP", "UA", "BY"]


def planted_corpus(seed: int, n_pairs: int = 48) -> tuple[list[dict], dict[str, int]]:
    """Mentions of generated measures, planted in twins: two measures of one imposer, type, month and
    targets on different products. Each is reported 1-4 times (by its publisher's official notice at
    most once); a report may drop some products (all of them one time in six), name only one of the
    targets, give no date, or move the date by a few days."""
    rng = random.Random(seed)
    out: list[dict] = []
    truth: dict[str, int] = {}
    for j in range(n_pairs):
        imposer = IMPOSERS[j % len(IMPOSERS)]
        month = dt.date(2021 + (j // len(IMPOSERS)) // 2, 1 + 5 * ((j // len(IMPOSERS)) % 2), 1)
        targets = sorted(rng.sample(TARGETS, rng.choice([0, 1, 2])))
        picked = rng.sample(PRODUCTS, 4)
        for k, products in ((2 * j, picked[:2]), (2 * j + 1, picked[2:])):
            day = month + dt.timedelta(days=rng.randrange(25))
            for r in range(rng.randint(1, 4)):
                official = r == 0 and rng.random() < 0.4
                date = day + dt.timedelta(days=rng.randint(0, 6))
                named = [] if rng.random() < 1 / 6 else rng.sample(products, rng.randint(1, len(products)))
                row = mention(
                    f"m{k}r{r}",
                    products if official else named,
                    None if not official and rng.random() < 0.15 else date.isoformat(),
                    target=targets if official or rng.random() < 0.7 else targets[:1],
                    official=official,
                    imposer=imposer,
                    published=(date + dt.timedelta(days=rng.randint(0, 3))).isoformat(),
                )
                if official:
                    row |= {"source_kind": "official", "publisher": f"gazette of {imposer}"}
                out.append(row)
                truth[row["document_id"]] = k
    return out, truth


def test_merging_planted_duplicates_has_high_pairwise_precision_and_recall():
    # A report naming no product cannot tell twins apart (one report in six): scored over all reports
    # the floors are lower than over the reports that name a product. Figures reached (seeds 1-5):
    # all reports 0.83-0.93 / 0.85-0.90, reports naming a product 1.0 / 0.90-0.95.
    for seed in (1, 2, 3):
        rows, truth = planted_corpus(seed)
        predicted = ids(assign_events(rows, generic_products={"dual-use items"}))
        overall = pairwise((truth[doc], predicted[doc]) for doc in truth)
        assert overall.true_pairs > 100
        assert overall.precision >= 0.8 and overall.recall >= 0.8, (seed, overall)
        named = {r["document_id"] for r in rows if r["products"]}
        sharp = pairwise((truth[doc], predicted[doc]) for doc in named)
        assert sharp.precision >= 0.97 and sharp.recall >= 0.88, (seed, sharp)


def test_measures_taking_effect_on_different_days_stay_apart():
    def dated(doc: str, effective: str, precision: str = "day") -> dict:
        row = mention(doc, ["chipmaking equipment"], "2019-10-14", imposer="US", target=["CN"])
        return row | {"effective_on": dt.date.fromisoformat(effective), "effective_precision": precision}

    found = ids(
        assign_events(
            [
                dated("a", "2019-11-28"),
                dated("b", "2019-09-17"),
                dated("c", "2019-11-01", "month"),
                dated("d", "2019-11-29"),
            ]
        )
    )
    assert found["a"] == found["c"] == found["d"] != found["b"]


def test_listings_of_different_firms_stay_apart():
    def listing(doc: str, firms: list[str], day: str) -> dict:
        row = mention(doc, [], day, measure="entity_listing", target=["US"], published=day)
        return row | {"target_entities": firms}

    found = ids(
        assign_events(
            [
                listing("a", ["PVH"], "2013-01-24"),
                listing("b", ["General Atomics"], "2013-01-30"),
                listing("c", ["PVH", "Skydio"], "2013-01-25"),
                listing("d", [], "2013-01-31"),
            ]
        )
    )
    assert found["a"] == found["c"] != found["b"]


def test_an_event_the_extractor_classifies_anew_keeps_its_published_id():
    before = assign_events([mention("notice", ["gallium"], "2023-07-03", official=True)])
    again = mention("notice", ["gallium"], "2023-07-03", official=True, measure="export_restriction")
    after = assign_events([again], published=lineage.slot_map(before))
    assert after[0]["event_id"] == before[0]["event_id"]
    # a second measure of that document does not take the same id
    other = mention("notice", ["graphite"], "2023-07-03", official=True, measure="export_restriction")
    found = [r["event_id"] for r in assign_events([dict(again), other], published=lineage.slot_map(before))]
    assert len(set(found)) == 2 and before[0]["event_id"] in found


def test_a_measure_elided_in_the_sentence_of_another_keeps_a_mention_of_its_own():
    sentence = "Licences are required for gallium exports since August, and for graphite since December."
    gallium = mention("doc", ["gallium"], "2023-08-01") | {"evidence": sentence, "rules": {}}
    graphite = mention("doc", ["graphite"], None) | {
        "evidence": sentence,
        "rules": {"products": "products.elided"},
        "effective_on": dt.date(2023, 12, 1),
    }
    rows = assign_events([gallium, graphite])
    assert len({r["mention_id"] for r in rows}) == 2
