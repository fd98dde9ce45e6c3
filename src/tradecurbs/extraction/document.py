"""A document as the extractor walks it: its sentences, made on first use, and the trigger rules each may
fire, from one keyword scan of the whole text (``keywords.trigger_index``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from tradecurbs.extraction.gazetteer import Mention, body_names
from tradecurbs.extraction.keywords import keys_by_span, trigger_index
from tradecurbs.extraction.lexicon import rules_for_language
from tradecurbs.extraction.roles import FIRM_KINDS, named_firms
from tradecurbs.extraction.text import Sentence, sentence_spans
from tradecurbs.extraction.triggers import Trigger, run_rules


def title_sentence(doc: dict[str, Any]) -> Sentence | None:
    """The title as a sentence of its own, unless the text starts with it."""
    text = doc.get("text") or ""
    title = (doc.get("title") or "").strip()
    if title and not text.lstrip().startswith(title[:60]):
        return Sentence(title, -1, -1, is_title=True)
    return None


class DocSentences:
    """The sentences of a document, the title first when it stands apart from the text.

    The text is split only when some trigger rule can fire in it (``may_fire``), and a sentence object
    is made only when asked for: most sentences of most documents are never read beyond the scan.
    """

    def __init__(self, doc: dict[str, Any]) -> None:
        self.index = trigger_index()
        self.allowed = rules_for_language(doc.get("language"))
        self.text = doc.get("text") or ""
        self.title = title_sentence(doc)
        self.folded, self.hits = self.index.scan(self.text)
        self.title_folded, title_hits = self.index.scan(self.title.text if self.title is not None else "")
        self.title_keys = {k for _, _, k in title_hits}
        self.offset = 1 if self.title is not None else 0
        self._spans: list[tuple[int, int]] | None = None
        self._keys: dict[int, set[int]] = {}
        self._len = 0
        self._made: dict[int, Sentence] = {}
        self._firms: list[list[Mention]] = []
        self._firm_at: set[int] | None = None

    def may_fire(self) -> bool:
        """Whether any trigger rule can fire in the text or the title (if not, no sentence can)."""
        index = self.index
        if index.prefilter is None:
            return True
        if index.may_fire({k for _, _, k in self.hits}):
            return True
        return bool(self.title_keys) and bool(index.rules(self.title_keys, self.title_folded))

    @property
    def spans(self) -> list[tuple[int, int]]:
        """(start, end) of the sentences of the text (the title left out)."""
        if self._spans is None:
            self._spans = sentence_spans(self.text)
            self._keys = keys_by_span(self.hits, self._spans)
            self._len = len(self._spans) + self.offset
        return self._spans

    def __len__(self) -> int:
        return len(self.spans) + self.offset

    def __iter__(self) -> Iterator[Sentence]:
        return (self[pos] for pos in range(len(self)))

    def __getitem__(self, pos: int) -> Sentence:
        sent = self._made.get(pos)
        if sent is None:
            spans = self.spans
            if pos < 0:
                pos += self._len
            if not 0 <= pos < self._len:
                raise IndexError(pos)
            if pos < self.offset:
                sent = self.title
            else:
                start, end = spans[pos - self.offset]
                sent = Sentence(self.text[start:end], start, pos - self.offset)
            self._made[pos] = sent
        return sent

    def rules(self) -> dict[int, list[int]]:
        """Position -> the trigger rules (indexes into ``lexicon.triggers()``) the sentence may fire, for
        every sentence that may fire one."""
        index, offset, folded, allowed = self.index, self.offset, self.folded, self.allowed
        out: dict[int, list[int]] = {}
        if self.title is not None and (self.title_keys or index.ungated):
            found = index.rules(self.title_keys, self.title_folded, allowed)
            if found:
                out[0] = found
        # without ungated rules, a sentence needs a keyword of some gate (most sentences hold none)
        gate_keys = index.gate_keys if not index.ungated else None
        spans = self.spans
        keyed: Iterable[tuple[int, set[int]]] = self._keys.items()
        if index.ungated:  # a rule without keywords may fire in any sentence
            keyed = ((n, self._keys.get(n, set())) for n in range(len(spans)))
        for n, keys in keyed:
            if gate_keys is not None and gate_keys.isdisjoint(keys):
                continue
            start, end = spans[n]
            found = index.rules(keys, folded[start:end], allowed)
            if found:
                out[n + offset] = found
        return out

    def triggers(self, pos: int, rules: list[int]) -> list[Trigger]:
        """The triggers that ``rules`` (from ``rules()``) find in sentence ``pos``."""
        return run_rules(self[pos].text, rules) if rules else []

    def firms_before(self, pos: int) -> list[Mention]:
        """Named firms of the sentences before ``pos``, in order (antecedents of "the insurer")."""
        if self._firm_at is None:
            # one scan for firm names: only the sentences that hold one are read for mentions
            held = keys_by_span(body_names(self.text, FIRM_KINDS), self.spans)
            self._firm_at = {n + self.offset for n in held}
            if self.title is not None:
                self._firm_at.add(0)
        while len(self._firms) < pos:
            n = len(self._firms)
            self._firms.append(named_firms(self[n].text) if n in self._firm_at else [])
        return [m for firms in self._firms[:pos] for m in firms]
