"""The release scorer: truth measures sharing an item in one document are told apart by their goods, then
by their dates."""

from __future__ import annotations

from tradecurbs.scoring import _narrowed


def test_mentions_are_narrowed_to_the_goods_of_the_truth_measure_when_a_document_states_several():
    antimony = {"products": ["antimony ores and raw materials", "antimony oxides"]}
    gallium = {"products": ["gallium", "germanium"]}
    mentions = [{"products": ["antimony"]}, {"products": ["gallium", "germanium"]}, {"products": []}]
    assert _narrowed(antimony, mentions, rivals=2) == [mentions[0]]
    assert _narrowed(gallium, mentions, rivals=2) == [mentions[1]]
    # one measure of that item in the document: every mention of the item speaks of it
    assert _narrowed(gallium, mentions, rivals=1) == mentions
    # no mention names the goods: all of them still count, the item being found
    assert _narrowed({"products": ["graphite"]}, mentions, rivals=2) == mentions


def test_mentions_released_as_different_events_are_told_apart_by_their_dates_when_goods_cannot():
    white = {"products": ["white rice"], "announced_on": "2023-07-20", "effective_on": "2023-07-20"}
    broken = {"products": ["broken rice"], "announced_on": "2022-09"}
    now = {"event_id": "a", "products": ["rice"], "announced_on": "2023-07-20", "effective_on": "2023-07-20"}
    before = {"event_id": "b", "products": ["rice"], "announced_on": "2022-09-01", "effective_on": None}
    assert _narrowed(white, [now, before], rivals=2) == [now]
    assert _narrowed(broken, [now, before], rivals=2) == [before]
    # mentions of one released event: the dates do not split them
    same = [now, before | {"event_id": "a"}]
    assert _narrowed(broken, same, rivals=2) == same
