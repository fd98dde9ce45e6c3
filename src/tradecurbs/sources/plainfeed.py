"""A quick reader for plain RSS 2.0 and Atom 1.0 feeds: the items feedparser gives, at a fraction of its cost.

feedparser reads every element of a feed (sanitising descriptions, resolving the links of embedded HTML)
at about 0.7 ms an item, while a crawl reads only each item's link, id, title, categories and dates.
``plain_entries`` reads those with ElementTree and makes them as feedparser makes them (with its own
URL joining and date parsing), for feeds of the plain form most outlets publish: UTF-8 (declared, no
byte-order mark, no other charset in the Content-Type), no DOCTYPE, every element one feedparser gives
no other meaning to, no ``xml:base``, and values in ASCII without markup, entities or white space
around them (feedparser would guess at HTML, undo double encodings or map cp1252 in others). Any other
feed gives None and is read by feedparser, as before (``tests/test_sources_plainfeed.py`` compares the
two on generated, fixture and real feeds, and on feeds made to leave the plain form one way at a time).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from feedparser.datetimes import _parse_date  # the date parsing feedparser applies to every item date
from feedparser.urls import _urljoin, make_safe_absolute_uri
from feedparser.util import FeedParserDict

ATOM = "{http://www.w3.org/2005/Atom}"
_MEDIA_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/xml"})
_DECLARATION = re.compile(rb"<\?xml\s[^>]*?\?>")
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
# the children a plain feed's channel (or Atom feed) and items may have, and the ones read
_RSS_CHANNEL = frozenset({"title", "link", "description", "language", "lastBuildDate", "pubDate", "item"})
_RSS_ITEM = frozenset({"title", "link", "guid", "pubDate", "description", "category"})
_ATOM_FEED = frozenset({"title", "subtitle", "link", "id", "updated", "entry"})
_ATOM_ENTRY = frozenset({"title", "link", "id", "published", "updated", "summary", "category"})
_SINGLE = ("title", "link", "guid", "id", "pubDate", "published", "updated")  # at most once in an item
_UNSAFE = re.compile(r"[<>&]|^\s|\s$")


class _NotPlain(Exception):
    """The feed is not of the plain form: feedparser must read it."""


def plain_entries(content: bytes, content_type: str, feed_url: str) -> list[FeedParserDict] | None:
    """The items of a plain feed as feedparser gives them (their link, id, title, tags and dates, with
    the parsed dates), in order; None when the feed is not plain or has no items."""
    try:
        root = _parse(content, content_type)
        base = _base(feed_url)
        if root.tag == "rss" and root.attrib == {"version": "2.0"}:
            entries = [_rss_item(item, base) for item in _children(_channel(root), _RSS_CHANNEL, "item")]
        elif root.tag == ATOM + "feed" and not root.attrib:
            entries = [
                _atom_entry(entry, base) for entry in _children(root, _ATOM_FEED, ATOM + "entry", ATOM)
            ]
        else:
            return None
    except (_NotPlain, ET.ParseError):
        return None
    return entries or None


def _parse(content: bytes, content_type: str) -> ET.Element:
    media, _, params = content_type.partition(";")
    if media.strip().lower() not in _MEDIA_TYPES or (
        params.strip() and params.strip().lower() != "charset=utf-8"
    ):
        raise _NotPlain
    declared = _DECLARATION.match(content)
    encoding = _ENCODING.search(declared.group(0)) if declared else None
    if declared is None or (encoding is not None and encoding.group(1).lower() != b"utf-8"):
        raise _NotPlain
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise _NotPlain
    return ET.fromstring(content)


def _base(feed_url: str) -> str:
    """The base URI feedparser resolves an item's links against: the feed's URL (given as its
    Content-Location), made absolute again at every element; it must settle at once."""
    base = make_safe_absolute_uri(feed_url, feed_url) or feed_url
    if (make_safe_absolute_uri(base, base) or base) != base:
        raise _NotPlain
    return base


def _channel(root: ET.Element) -> ET.Element:
    if len(root) != 1 or root[0].tag != "channel" or root[0].attrib:
        raise _NotPlain
    return root[0]


def _children(parent: ET.Element, allowed: frozenset[str], item: str, ns: str = "") -> list[ET.Element]:
    """The items of a channel or feed, once its other children are known to be plain."""
    items = []
    for child in parent:
        if not child.tag.startswith(ns):
            raise _NotPlain
        name = child.tag[len(ns) :]
        if child.tag == item:
            items.append(child)
        elif "{" in name or name not in allowed or len(child) or _foreign(child, name):
            raise _NotPlain
    return items


def _foreign(node: ET.Element, name: str) -> bool:
    """Whether a feed-level element has attributes that may change what feedparser does."""
    if name == "link":
        return not set(node.attrib) <= {"href", "rel", "type", "title", "hreflang"}
    return bool(node.attrib)


def _fields(item: ET.Element, allowed: frozenset[str], ns: str = "") -> list[tuple[str, ET.Element]]:
    out = []
    for child in item:
        if not child.tag.startswith(ns) or "{" in child.tag[len(ns) :]:
            raise _NotPlain
        name = child.tag[len(ns) :]
        if name not in allowed or len(child):
            raise _NotPlain
        out.append((name, child))
    names = [name for name, _ in out]
    if item.attrib or any(names.count(name) > 1 for name in _SINGLE):
        raise _NotPlain
    return out


def _value(text: str | None) -> str:
    """An element's text or attribute as read: it must mean the same to feedparser's every guess."""
    if not text or not text.isascii() or _UNSAFE.search(text):
        raise _NotPlain
    return text


def _text(node: ET.Element, *allowed: dict[str, str]) -> str:
    if node.attrib and node.attrib not in allowed:
        raise _NotPlain
    return _value(node.text)


def _rss_item(item: ET.Element, base: str) -> FeedParserDict:
    entry = FeedParserDict()
    for name, node in _fields(item, _RSS_ITEM):
        if name == "title":
            entry["title"] = _text(node)
        elif name == "link":
            entry["link"] = _urljoin(base, _text(node))
        elif name == "guid":
            permalink = node.get("isPermaLink", "true") == "true"
            value = _text(node, {"isPermaLink": "true"}, {"isPermaLink": "false"})
            entry["id"] = _urljoin(base, value) if permalink else value
            if permalink:
                entry.setdefault("link", entry["id"])  # a link element, before or after, wins
        elif name == "pubDate":
            entry["published"] = _text(node)
            entry["published_parsed"] = _parse_date(entry["published"])
        elif name == "category":
            _add_tag(entry, _text(node))
        elif node.attrib:  # description: read by feedparser only for its summary
            raise _NotPlain
    return entry


def _atom_entry(node: ET.Element, base: str) -> FeedParserDict:
    entry = FeedParserDict()
    link = None
    for name, child in _fields(node, _ATOM_ENTRY, ATOM):
        if name == "title":
            entry["title"] = _text(child, {"type": "text"})
        elif name == "link":
            if child.text or not set(child.attrib) <= {"href", "rel", "type"}:
                raise _NotPlain
            if child.get("rel", "alternate") != "alternate" or child.get("type", "text/html") != "text/html":
                raise _NotPlain
            link = _urljoin(base, _value(child.get("href")))
        elif name == "id":
            entry["id"] = _urljoin(base, _text(child))  # an Atom id is taken as a permalink
        elif name in ("published", "updated"):
            entry[name] = _text(child)
            entry[f"{name}_parsed"] = _parse_date(entry[name])
        elif name == "category":
            if child.text or set(child.attrib) != {"term"}:
                raise _NotPlain
            _add_tag(entry, _value(child.get("term")))
        elif child.attrib not in ({}, {"type": "text"}):  # summary
            raise _NotPlain
    if link is not None:
        entry["link"] = link
    elif "id" in entry:
        entry["link"] = entry["id"]
    return entry


def _add_tag(entry: FeedParserDict, term: str) -> None:
    """A category's term, once (feedparser drops a tag equal to one the item has)."""
    tags = entry.setdefault("tags", [])
    tag = FeedParserDict(term=term, scheme=None, label=None)
    if tag not in tags:
        tags.append(tag)
