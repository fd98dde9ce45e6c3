"""What the events of one sentence share, worked out once for all of them.

A sentence that states a measure with several imposers, or a listing split by target, yields several
events; their goods, dates, certainty and named entities depend on the sentence alone, so each is found
on first use and kept for the sentence's other events.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from tradecurbs.extraction.cues import reported_cue
from tradecurbs.extraction.dates import (
    Anchor,
    DateMention,
    find_dates,
    publication_delay,
    until_year_end,
)
from tradecurbs.extraction.entities import find_entities
from tradecurbs.extraction.gazetteer import Mention, find_companies
from tradecurbs.extraction.products import find_products, printed_hs_codes


class SentenceFacts:
    """Facts of one sentence (``text``) of a document, each computed when first asked for."""

    def __init__(
        self, doc: dict[str, Any], text: str, mentions: list[Mention], anchor: Anchor, says: Any
    ) -> None:
        self.doc, self.text, self.mentions, self.anchor, self.says = doc, text, mentions, anchor, says

    @cached_property
    def goods(self) -> tuple[set[str], set[str], bool]:
        """(products, HS codes, whether the codes are printed): codes the notice prints win over codes
        inferred from product names; a product word inside a firm's or body's name is no product."""
        text = self.text
        products: set[str] = set()
        hs: set[str] = set()
        names = [(m.start, m.end) for m in self.mentions if m.kind == "body"]
        names += [(s, s + len(name)) for s, name, _ in find_companies(text)]
        for _, _, name, codes in find_products(text, names):
            products.add(name)
            hs.update(codes)
        printed = printed_hs_codes(text)
        if printed:
            hs = set(printed)
        return products, hs, bool(printed)

    @cached_property
    def dates(self) -> list[DateMention]:
        """The sentence's dates (``dates.find_dates``)."""
        return find_dates(self.text, self.anchor)

    @cached_property
    def on_publication(self) -> int | None:
        """The days after publication the sentence puts the measure in force (0: on the day itself), if
        it says so (``dates.publication_delay``)."""
        return publication_delay(self.text)

    @cached_property
    def year_end(self) -> DateMention | None:
        """December 31 of the publication year, when the sentence says the measure lasts until then."""
        return until_year_end(self.text, self.anchor)

    @cached_property
    def certainty(self) -> tuple[str, str]:
        """(certainty, rule): an official source, hearsay, a statement, else reported."""
        if self.doc.get("source_kind") == "official":
            return "official", "certainty.source_kind"
        if reported_cue(self.text):
            return "reported", "certainty.reported_cue"
        if self.says.search(self.text):
            return "official", "certainty.statement"
        return "reported", "certainty.default"

    @cached_property
    def entities(self) -> list[str]:
        """Names of the firms and organisations the sentence names (``entities.find_entities``)."""
        return find_entities(self.text)
