"""Text from sources made safe for the formats it is written to: spreadsheets (CSV), Markdown/HTML,
and the terminal. Evidence sentences, titles and summaries come from pages anyone can write."""

from __future__ import annotations

import html
import re
from typing import Any

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# inside a list item's text, these start code spans, emphasis or links (``_`` inside words does not)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]]|\b_|_\b)")


def spreadsheet_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: text that would start a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def html_text(value: Any) -> Any:
    """Text for HTML (GX Data Docs), escaped; other values unchanged."""
    return html.escape(value, quote=True) if isinstance(value, str) else value


def markdown_text(value: str) -> str:
    """Text for a Markdown line: HTML escaped, Markdown syntax and line breaks neutralised."""
    flat = " ".join(value.split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))
