"""Walk a site's index pages (a list of notices and the links to further pages of it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from lxml import etree

from tradecurbs.sources.article import parse_html
from tradecurbs.sources.context import CrawlContext
from tradecurbs.sources.fetch import FetchError

# (page URL, its HTML, its tree) to the URLs of further index pages it links to
FurtherPages = Callable[[str, str, etree._Element], list[str]]


def walk_index(
    context: CrawlContext, max_pages: int, further: FurtherPages
) -> Iterator[tuple[str, etree._Element]]:
    """The index pages (URL, tree) from the source's URL on, breadth first, each once, up to
    ``max_pages``; a page that fails is recorded under its URL and the walk goes on."""
    queue, visited = [context.source.url], set()
    while queue and len(visited) < max_pages:
        page_url = queue.pop(0)
        if page_url in visited:
            continue
        visited.add(page_url)
        try:
            result = context.fetch(page_url)
        except FetchError as exc:
            context.fail(page_url, str(exc))
            continue
        with context.item(page_url, fetched_at=result.fetched_at):
            html = context.page_html(result)
            tree = parse_html(html)
            if tree is None:
                context.fail(page_url, "index page is empty or not HTML", fetched_at=result.fetched_at)
                continue
            yield page_url, tree
            queue += [url for url in further(page_url, html, tree) if url not in visited]
