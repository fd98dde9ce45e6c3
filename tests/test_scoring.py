"""The release scorer: truth measures sharing an item in one document are told apart by their goods."""

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
