"""News feeds (RSS 2.0, Atom): each item's article page becomes a document.

Options: ``max_items`` (default all), ``timezone`` (for page dates without a zone).
The feed's bytes go to feedparser as fetched, so the encoding the feed declares (GB2312, ...)
decodes right. An item's date wins over the page's; a page without one falls back to its metadata.
Item dates in the feed's own language ("Seg, 24 Set 2018 19:42:40 -0300") are read by
``sources.dates``. Items marked as advertisements (``data/ads.yml``) are skipped, not fetched.
A plain feed is read by ``sources.plainfeed``, which gives its items as feedparser would, more cheaply.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urljoin

import feedparser

from tradecurbs.sources.ads import is_advertisement
from tradecurbs.sources.context import CrawlContext
from tradecurbs.sources.dates import parse_datetime
from tradecurbs.sources.fetch import FetchError
from tradecurbs.sources.plainfeed import plain_entries


def _item_date(entry: feedparser.FeedParserDict, tz_name: str | None) -> datetime | None:
    """The item's date: its own text read first (a time without a zone is in the source's zone,
    where feedparser would read UTC), then what feedparser made of it."""
    for key in ("published", "updated", "dc_date"):
        if entry.get(key) and (when := parse_datetime(entry[key], tz_name)):
            return when
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        if entry.get(key):
            return parse_datetime(entry[key])
    return None


def crawl(context: CrawlContext) -> None:
    """Fetch the feed, then every item's article page."""
    feed_url = context.source.url
    try:
        result = context.fetch(feed_url)
    except FetchError as exc:
        context.fail(feed_url, str(exc))
        return
    entries = plain_entries(result.content, result.content_type, feed_url)
    if entries is None:  # not a plain feed (or no items): feedparser reads it, and says what is wrong
        feed = feedparser.parse(
            result.content,
            response_headers={"content-type": result.content_type, "content-location": feed_url},
        )
        entries = feed.entries
    if not entries:
        if feed.bozo or not feed.version:
            reason = feed.get("bozo_exception") or "not an RSS or Atom document"
            context.fail(feed_url, f"malformed feed: {reason}", fetched_at=result.fetched_at)
        else:
            context.log.warning("feed %s has no items", feed_url)
        return
    max_items = context.option("max_items")
    for number, entry in enumerate(entries[:max_items], start=1):
        link = entry.get("link") or (entry.get("id") if str(entry.get("id", "")).startswith("http") else None)
        if not link:
            context.fail(
                f"{feed_url}#item-{number}", f"feed item {number} has no link", title=entry.get("title")
            )
            continue
        url = urljoin(feed_url, link.strip())
        labels = [t.get("term") or "" for t in entry.get("tags") or []] + [entry.get("title") or ""]
        if is_advertisement(labels, url):
            context.log.info("skipping advertisement item %d of %s: %s", number, feed_url, url)
            continue
        context.crawl_article(
            url,
            title=(entry.get("title") or "").strip() or None,
            published_at=_item_date(entry, context.timezone),
        )
