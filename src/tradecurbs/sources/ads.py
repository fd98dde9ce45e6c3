"""Advertisements among leads: sponsored feed items and links to ad servers (data/ads.yml)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from urllib.parse import urlsplit

from tradecurbs.sources.profiles import data_file


@cache
def _markers() -> tuple[re.Pattern[str], tuple[str, ...]]:
    data = data_file("ads.yml")
    words = "|".join(re.escape(str(w)) for w in sorted(data["words"], key=len, reverse=True))
    return re.compile(rf"^\W*(?:{words})(?!\w)", re.IGNORECASE), tuple(data["hosts"])


def is_ad_link(url: str) -> bool:
    """Whether a link goes to an ad server."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in _markers()[1])


def is_advertisement(labels: Iterable[str], url: str) -> bool:
    """Whether a lead is sponsored or paid content: a label (category, title) says so, or its link
    goes to an ad server."""
    words = _markers()[0]
    return any(words.match(label or "") for label in labels) or is_ad_link(url)
