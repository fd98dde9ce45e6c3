"""Merge mentions into events: reports of one measure, across documents and days, share an event_id.

Two mentions are of one event when they agree on the measure type, the imposer and the targets,
their products overlap (or one of them names none) and their dates, where both give one, lie within
a window. Clusters are built in a fixed order (official notices first, then the earliest report),
and each event_id hashes its anchor mention's identity, so the result never depends on crawl order.

Within a group, clusters are indexed by product and by date, so a mention is compared only with
the clusters it could fit (those sharing a product or naming none, and those with a date inside the
window or none): merging stays near-linear in the number of mentions.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right, insort
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
    dates: list[dt.date] = field(default_factory=list)  # kept sorted
    _event_id: str | None = None

    def _specific(self, m: dict[str, Any]) -> set[str]:
        return set(m.get("products") or []) - self.generic

    def add(self, m: dict[str, Any]) -> None:
        self.products |= self._specific(m)
        if (d := _event_date(m)) is not None:
            insort(self.dates, d)

    def fit(self, m: dict[str, Any]) -> tuple[int, int] | None:
        """How well a mention fits (product overlap, closeness in days), or None when it cannot."""
        products = self._specific(m)
        overlap = len(products & self.products)
        if products and self.products and not overlap:
            return None
        date = _event_date(m)
        if date is None or not self.dates:
            return (overlap, 0)
        distance = _nearest_days(self.dates, date)
        if distance > DATE_WINDOW_DAYS:
            return None
        return (overlap, -distance)

    @property
    def event_id(self) -> str:
        if self._event_id is None:
            a = self.anchor
            date = _event_date(a) or a.get("published_on")
            self._event_id = stable_id(
                "ev",
                a["measure_type"],
                a["imposing_jurisdiction"],
                sorted(a.get("target_jurisdictions") or []),
                sorted(a.get("products") or []),
                date.strftime("%Y-%m") if date else None,
            )
        return self._event_id


def _nearest_days(dates: list[dt.date], date: dt.date) -> int:
    """Days from ``date`` to the nearest of the sorted ``dates`` (not empty)."""
    i = bisect_left(dates, date)
    near = [abs((dates[j] - date).days) for j in (i - 1, i) if 0 <= j < len(dates)]
    return min(near)


class _GroupIndex:
    """The clusters of one group, indexed by specific product and by date."""

    def __init__(self, generic: frozenset[str]) -> None:
        self.generic = generic
        self.clusters: list[_Cluster] = []
        self.by_product: dict[str, set[int]] = defaultdict(set)
        self.productless: set[int] = set()
        self.dated: list[tuple[dt.date, int]] = []  # (date, cluster) pairs, sorted
        self.undated: set[int] = set()

    def candidates(self, m: dict[str, Any]) -> list[int]:
        """Clusters the mention might fit, in creation order: a superset of those whose fit is not None."""
        date = _event_date(m)
        found: set[int] | None = None
        if date is not None:
            low = bisect_left(self.dated, (date - dt.timedelta(days=DATE_WINDOW_DAYS), -1))
            high = bisect_right(self.dated, (date + dt.timedelta(days=DATE_WINDOW_DAYS), len(self.clusters)))
            found = {i for _, i in self.dated[low:high]} | self.undated
        products = set(m.get("products") or []) - self.generic
        if products:
            sharing = set(self.productless)
            for product in products:
                sharing |= self.by_product.get(product, set())
            found = sharing if found is None else found & sharing
        if found is None:
            return list(range(len(self.clusters)))
        return sorted(found)

    def add(self, i: int, m: dict[str, Any]) -> None:
        """Add a mention to cluster ``i`` and keep the indexes in step."""
        cluster = self.clusters[i]
        cluster.add(m)
        for product in cluster._specific(m):
            self.by_product[product].add(i)
        if cluster.products:
            self.productless.discard(i)
        if (d := _event_date(m)) is not None:
            insort(self.dated, (d, i))
            self.undated.discard(i)

    def new(self, m: dict[str, Any]) -> int:
        """Open a cluster anchored on ``m``; return its number."""
        i = len(self.clusters)
        self.clusters.append(_Cluster(anchor=m, generic=self.generic))
        self.productless.add(i)
        self.undated.add(i)
        self.add(i, m)
        return i

    def place(self, m: dict[str, Any]) -> _Cluster:
        """Put the mention in the cluster it fits best (ties to the oldest), or in a new one."""
        best: tuple[tuple[int, int], int] | None = None
        for i in self.candidates(m):
            fit = self.clusters[i].fit(m)
            if fit is not None and (best is None or fit > best[0]):
                best = (fit, i)
        if best is None:
            return self.clusters[self.new(m)]
        self.add(best[1], m)
        return self.clusters[best[1]]


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
        index = _GroupIndex(generic)
        ordered = sorted(groups[key], key=_anchor_order)
        placed = [index.place(m) for m in ordered]
        for m, cluster in zip(ordered, placed, strict=True):
            out.append({**m, "event_id": cluster.event_id, "mention_id": mention_id(m)})
    return out
