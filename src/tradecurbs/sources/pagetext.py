"""Two-pass article text: a fast main-text pass for every page, the careful one where it matters.

The fast pass (resiliparse, about a millisecond a page) reads the page's main text and all its visible
text. When no trigger of the extractor matches in the visible text or the page's titles (the keyword
index of ``extraction.keywords`` picks the rules, their regexes decide), the page can report no
measure whatever its exact text: it keeps the fast main text. Every other page, and every page whose
fast main text is empty, gets the careful text of ``article.extract_article`` (trafilatura).

Any main text of a page is drawn from its visible text, block by block; the extractor reads a text
sentence by sentence, a line break ending a sentence. A trigger that would match in a sentence of the
careful text therefore matches in one sentence of the visible text, or two consecutive ones (when the
careful text joins two blocks), and both are tried: the events are those of the careful-only path
(``tests/test_pages_two_pass.py`` checks it on the sample, generated pages and real news pages).
"""

from __future__ import annotations

from dataclasses import dataclass

from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.html import HTMLTree
from trafilatura.utils import load_html

from tradecurbs.extraction.keywords import Hit, keys_by_span, trigger_index
from tradecurbs.extraction.lexicon import to_simplified, triggers
from tradecurbs.extraction.text import sentence_spans
from tradecurbs.sources.article import Article, extract_article, head_metadata, page_metadata

CAREFUL = "careful"
TWO_PASS = "two-pass"
MODES = (TWO_PASS, CAREFUL)
# sentence pairs already tested (text, folded text, keyword ids) -> whether a trigger matches: the
# menus, teasers and footers of an outlet's pages repeat, and most pairs tested are theirs
_PAIR_MEMO: dict[tuple[str, str, frozenset[int]], bool] = {}
_PAIR_MEMO_SIZE = 50_000
# keyword ids of a sentence pair -> whether every keyword clause of some rule is met (key sets repeat
# far more than pairs do; the extractor's rules are fixed for the life of a process)
_GATED: dict[frozenset[int], bool] = {}


@dataclass(frozen=True)
class PageText:
    """What one page yields, and whether the careful extractor made its text."""

    article: Article | None
    careful: bool


def may_report(text: str, titles: tuple[str | None, ...] = ()) -> bool:
    """Whether some trigger rule of the extractor may fire in a sentence of ``text`` or in a title.

    Each pair of consecutive sentences of ``text`` is tested as one: a sentence of another extraction
    of the same page that joins two of its blocks (where this text breaks the line) is still seen.
    """
    index = trigger_index()
    if index.prefilter is None or index.ungated:
        return True
    for title in titles:
        if title and _matches(title, *_keyed(index.scan(title))):
            return True
    folded, hits = index.scan(text)
    if not hits:
        return False
    spans = sentence_spans(text)
    keyed = keys_by_span(hits, spans)
    memo, gated, none = _PAIR_MEMO, _GATED, frozenset()
    # the pairs (n, n + 1) that hold a keyword: those of each keyed sentence with the one before and after
    firsts = sorted({*keyed, *(n - 1 for n in keyed if n)})
    last = len(spans) - 1
    for n in firsts:
        both = frozenset(keyed.get(n, none) | keyed.get(n + 1, none))
        passes = gated.get(both)
        if passes is None:
            if len(gated) >= _PAIR_MEMO_SIZE:
                gated.clear()
            passes = gated[both] = bool(index.rules(both))
        if not passes:  # no rule's keywords are all here, whatever the words around them
            continue
        start, end = spans[n][0], spans[n + 1][1] if n < last else len(text)
        key = (text[start:end], folded[start:end], both)
        found = memo.get(key)
        if found is None:
            found = _matches(key[0], key[1], both)
            if len(memo) >= _PAIR_MEMO_SIZE:
                memo.clear()
            memo[key] = found
        if found:
            return True
    return False


def _matches(sentence: str, folded: str, keys: set[int]) -> bool:
    """Whether a trigger regex whose words ``keys`` hold matches in ``sentence`` (as the extractor
    matches them, before it drops triggers for want of a place)."""
    rules = trigger_index().rules(keys, folded)
    if not rules:
        return False
    norm, table = to_simplified(sentence), triggers()
    return any(table[i][2].search(norm) for i in rules)


def _keyed(scanned: tuple[str, list[Hit]]) -> tuple[str, set[int]]:
    return scanned[0], {k for _, _, k in scanned[1]}


def fast_texts(tree: HTMLTree) -> tuple[str, str]:
    """(main text, all visible text) of a page, by resiliparse."""
    main = extract_plain_text(tree, main_content=True, list_bullets=False, alt_texts=False).strip()
    return main, extract_plain_text(tree, list_bullets=False, noscript=True)


def page_text(
    html: str, url: str, tz_name: str | None = None, hint: str | None = None, mode: str = TWO_PASS
) -> PageText:
    """The article of a page; ``hint``: other text that goes with the page into the extractor (a feed
    item's title). ``mode`` CAREFUL always runs the careful extractor."""
    if mode == CAREFUL or not url:
        return PageText(extract_article(html, url, tz_name), careful=True)
    main, visible = fast_texts(HTMLTree.parse(html))
    if not main:
        return PageText(extract_article(html, url, tz_name), careful=True)
    declared = head_metadata(html, tz_name)
    if declared is None:
        tree = load_html(html)
        if tree is None:
            return PageText(extract_article(html, url, tz_name), careful=True)
        declared = page_metadata(tree, url, tz_name)
    title, published = declared
    if may_report(visible, (title, hint)):
        return PageText(extract_article(html, url, tz_name), careful=True)
    return PageText(Article(text=main, title=title, published_at=published), careful=False)
