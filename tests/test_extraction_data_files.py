"""The rule data files parse as their authors meant: no entry split by an unquoted comma."""

from tradecurbs.extraction.gazetteer import find_mentions
from tradecurbs.extraction.lexicon import load

BODY_KEYS = {"name", "kind", "country", "level", "aliases", "sanctions_authority"}


def test_every_body_entry_has_only_known_keys() -> None:
    # "{name: Ministry of Economy, Trade and Industry, ...}" unquoted makes "Trade and Industry" a key
    for body in load("bodies"):
        assert set(body) <= BODY_KEYS, f"{body.get('name')!r}: unexpected keys {set(body) - BODY_KEYS}"
        assert isinstance(body["name"], str) and body["aliases"], body


def test_a_generic_ministry_of_economy_is_no_japanese_body() -> None:
    mentions = find_mentions("Ukraine's Ministry of Economy banned the export of buckwheat.")
    assert [m.code for m in mentions if m.kind == "body"] != ["JP"]
    assert all(m.code != "JP" for m in find_mentions("The Department of Trade and Industry imposed a duty."))
