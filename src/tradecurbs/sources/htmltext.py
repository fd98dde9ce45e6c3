"""Plain text of an HTML element, one line per block (paragraph, heading, list item, row)."""

from __future__ import annotations

import re

from lxml import etree

BLOCKS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "section",
        "article",
        "blockquote",
        "pre",
        "ul",
        "ol",
        "dd",
        "dt",
        "center",
    ]
)
SKIP = frozenset({"script", "style", "noscript", "template"})
_SPACES = re.compile(r"[ \t\u3000\xa0]+")


def _walk(node: etree._Element, out: list[str]) -> None:
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag.lower() in SKIP:
        if node.tail:
            out.append(node.tail)
        return
    block = tag.lower() in BLOCKS
    if block:
        out.append("\n")
    if isinstance(node.tag, str) and node.text:
        out.append(node.text)
    for child in node:
        _walk(child, out)
    if block:
        out.append("\n")
    if node.tail:
        out.append(node.tail)


def element_text(node: etree._Element) -> str:
    """The element's text, blocks on their own lines, runs of spaces collapsed, no blank lines."""
    parts: list[str] = []
    for child in [node]:
        tail, child.tail = child.tail, None  # the element's own tail is not its text
        try:
            _walk(child, parts)
        finally:
            child.tail = tail
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).splitlines())
    return "\n".join(line for line in lines if line)
