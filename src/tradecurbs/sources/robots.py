"""robots.txt rules per origin (RFC 9309): 4xx allows all, 5xx or unreachable disallows all."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego


@dataclass(frozen=True)
class RobotsRules:
    """The robots.txt verdict for one origin."""

    parser: Protego | None  # None: no rules, everything allowed
    unavailable: str | None = None  # why the whole origin is off limits, if it is

    def allows(self, url: str, agent: str) -> bool:
        """Whether ``agent`` may fetch ``url``."""
        if self.unavailable:
            return False
        return self.parser is None or self.parser.can_fetch(url, agent)

    def crawl_delay(self, agent: str) -> float | None:
        """The Crawl-delay asked of ``agent``, if any."""
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(agent)
        return float(delay) if delay is not None else None


def robots_url(url: str) -> str:
    """The robots.txt URL for the origin of ``url``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def rules_from_response(status: int | None, body: bytes, error: str | None = None) -> RobotsRules:
    """Rules from a robots.txt fetch outcome (``status`` None when the fetch itself failed)."""
    if status is None:
        return RobotsRules(None, unavailable=f"robots.txt unreachable ({error})")
    if 200 <= status < 300:
        return RobotsRules(Protego.parse(body.decode("utf-8", errors="replace")))
    if 400 <= status < 500:
        return RobotsRules(None)
    return RobotsRules(None, unavailable=f"robots.txt answered HTTP {status}")
