"""A copy of the embedded sample with one more Trade Wire report: its feed item and its page."""

from __future__ import annotations

import shutil
from pathlib import Path

from tradecurbs.resources import bundled

SITE = "www.tradewire.example"


def sample_with_report(dest: Path, item: str, page_path: str, page: str) -> Path:
    """Copy the sample to ``dest``; put ``item`` first in the Trade Wire feed and ``page`` at ``page_path``
    (a path on the site, such as ``news/2023/05/x.html``). Returns the copy's folder."""
    shutil.copytree(bundled("sample"), dest)
    feed = dest / "web" / SITE / "rss" / "trade.xml"
    text = feed.read_text(encoding="utf-8")
    feed.write_text(text.replace("    <item>\n", item + "    <item>\n", 1), encoding="utf-8")
    target = dest / "web" / SITE / page_path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    return dest
