"""Merge mentions into events: reports of one measure, across documents and days, share an event_id.

Two mentions are of one event when they agree on the measure type, the imposer and the targets,
their products overlap (or one of them names none) and their dates, where both give one, lie within
a window. Clusters are built in a fixed order (official notices first, then the earliest report),
and each event_id hashes its anchor mention's identity, so the result never depends on crawl order.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tradecurbs.ids import stable_id

DATE_WINDOW_DAYS = 45


def mention_id(mention: dict[str, Any]) -> str:
    """Id of a mention: its document, what it states, and its evidence."""
    return stable_id(
        "men",
        mention["document_id"],
        mention["measure_type"],
        mention["imposing_jurisdiction"],
        sorted(mention.get("target_jurisdictions") or []),
        mention.get("evidence") or "",
    )


def _group_key(m: dict[str, Any]) -> tuple:
    return (m["measure_type"], m["imposing_jurisdiction"], tuple(sorted(m.get("target_jurisdictions") or [])))


def _anchor_order(m: dict[str, Any]) -> tuple:
    """Official notices first, then the earliest report; ties broken by content, never by input order."""
    published = m.get("published_on") or dt.date.max
    return (m.get("certainty") != "official", published, m.get("url") or "", m.get("evidence") or "")


def _event_date(m: dict[str, Any]) -> dt.date | None:
    return m.get("announced_on") or m.get("effective_on")


@dataclass
class _Cluster:
    anchor: dict[str, Any]
    generic: frozenset[str] = frozenset()
    products: set[str] = field(default_factory=set)
    dates: list[dt.date] = field(default_factory=list)

    def _specific(self, m: dict[str, Any]) -> set[str]:
        return set(m.get("products") or []) - self.generic

    def add(self, m: dict[str, Any]) -> None:
        self.products |= self._specific(m)
        if (d := _event_date(m)) is not None:
            self.dates.append(d)

    def fit(self, m: dict[str, Any]) -> tuple[int, int] | None:
        """How well a mention fits (product overlap, closeness in days), or None when it cannot."""
        products = self._specific(m)
        overlap = len(products & self.products)
        if products and self.products and not overlap:
            return None
        date = _event_date(m)
        if date is None or not self.dates:
            return (overlap, 0)
        distance = min(abs((date - d).days) for d in self.dates)
        if distance > DATE_WINDOW_DAYS:
            return None
        return (overlap, -distance)

    @property
    def event_id(self) -> str:
        a = self.anchor
        date = _event_date(a) or a.get("published_on")
        return stable_id(
            "ev",
            a["measure_type"],
            a["imposing_jurisdiction"],
            sorted(a.get("target_jurisdictions") or []),
            sorted(a.get("products") or []),
            date.strftime("%Y-%m") if date else None,
        )


def assign_events(
    mentions: Iterable[dict[str, Any]], generic_products: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """Return the mentions, each with ``mention_id`` and ``event_id`` set, in a stable order.

    ``generic_products`` (such as "dual-use items") name classes of goods: sharing one is no
    evidence that two mentions report the same event.

    Each mention needs measure_type, imposing_jurisdiction, target_jurisdictions, products,
    announced_on/effective_on (dates or None), certainty, document_id, url, evidence and
    published_on (the document's publication date, or None).
    """
    generic = frozenset(generic_products)
    groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for m in mentions:
        groups[_group_key(m)].append(m)
    out: list[dict[str, Any]] = []
    for key in sorted(groups, key=repr):
        clusters: list[_Cluster] = []
        for m in sorted(groups[key], key=_anchor_order):
            fits = [(fit, i) for i, c in enumerate(clusters) if (fit := c.fit(m)) is not None]
            if fits:
                best = max(fits, key=lambda f: (f[0], -f[1]))[1]
                clusters[best].add(m)
                cluster = clusters[best]
            else:
                cluster = _Cluster(anchor=m, generic=generic)
                cluster.add(m)
                clusters.append(cluster)
            m["_cluster"] = cluster
        for m in sorted(groups[key], key=_anchor_order):
            cluster = m.pop("_cluster")
            out.append({**m, "event_id": cluster.event_id, "mention_id": mention_id(m)})
    return out
