"""Merge mentions into events: reports of one measure, across documents and days, share an event_id.

Two mentions are of one event when they agree on the measure type and the imposer and are
compatible on everything else they state:

* targets: the same countries, or one side names a subset of the other's (a report that names no
  target, or only Russia, fits a measure against Russia and Belarus);
* products: their specific products overlap, or one side names none (generic classes such as
  "dual-use items" are no evidence); likewise the firms or persons they target (two listings of
  different firms are two listings);
* dates: within :data:`DATE_WINDOW_DAYS` (a report that gives no date counts at its publication
  date, unless it reports the measure lifted); and effective dates, where both state one, the same
  (to the precision given, give or take :data:`EFFECTIVE_SLACK_DAYS`): two measures taking effect on
  different days are two measures;
* instrument: an official publisher issues each measure in its own notice, so two different
  official documents of one publisher are two measures (two Federal Register rules of one day, two
  MOFCOM announcements of one month) unless they state the same products, targets and dates (one
  notice published twice); the same notice in two languages may leave out what the other states;
* firms: a refusal is the conduct of a firm, so two refusals by differently named firms are two events.

Clusters are built in a fixed order (official notices first, then the earliest report) and each
event_id hashes its anchor mention, so the result never depends on crawl order and a later report
that joins an event keeps its id. Ids published before win over fresh ones (see lineage.py).

Within a group, clusters are indexed by product and by date, so a mention is compared only with
the clusters it could fit: merging stays near-linear in the number of mentions.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tradecurbs.contracts import measure_class
from tradecurbs.ids import stable_id
from tradecurbs.warehouse import lineage

DATE_WINDOW_DAYS = 60
EFFECTIVE_SLACK_DAYS = 2


def mention_id(mention: dict[str, Any]) -> str:
    """Id of a mention: its document, what it states, and its evidence. A measure elided in the sentence of
    another ("..., and for some graphite products since December") shares that sentence: its goods tell the
    two apart."""
    parts = [
        mention["document_id"],
        mention["measure_type"],
        mention["imposing_jurisdiction"],
        sorted(mention.get("target_jurisdictions") or []),
        mention.get("evidence") or "",
    ]
    rules = mention.get("rules") or {}
    if "products.elided" in (rules.values() if isinstance(rules, dict) else str(rules)):
        parts.append(sorted(mention.get("products") or []))
    return stable_id("men", *parts)


def _group_key(m: dict[str, Any]) -> tuple[str, str]:
    return (m["measure_type"], m["imposing_jurisdiction"])


def is_official_document(m: dict[str, Any]) -> bool:
    """Whether the mention comes from an official notice (its document's kind; else its certainty)."""
    if m.get("source_kind"):
        return m["source_kind"] == "official"
    return m.get("certainty") == "official"


def _anchor_order(m: dict[str, Any]) -> tuple:
    """Official notices first, then the earliest report; ties broken by content, never by input order."""
    published = m.get("published_on") or dt.date.max
    return (
        not is_official_document(m),
        published,
        m.get("url") or "",
        m.get("evidence") or "",
        # mentions of one sentence differ by what they state
        sorted(m.get("target_jurisdictions") or []),
        sorted(m.get("products") or []),
        str(m.get("announced_on")),
        str(m.get("effective_on")),
        str(m.get("ended_on")),
    )


def _event_date(m: dict[str, Any]) -> dt.date | None:
    """The date a mention places its measure at; a report that gives none, at its publication, unless it
    reports the measure lifted (news of a lifting is about a measure of any age: no date then)."""
    if m.get("announced_on") or m.get("effective_on"):
        return m.get("announced_on") or m.get("effective_on")
    return None if m.get("status") == "lifted" else m.get("published_on")


def _targets(m: dict[str, Any]) -> frozenset[str]:
    return frozenset(m.get("target_jurisdictions") or [])


@dataclass
class _Cluster:
    anchor: dict[str, Any]
    generic: frozenset[str] = frozenset()
    targets: set[str] = field(default_factory=set)
    products: set[str] = field(default_factory=set)
    dates: list[dt.date] = field(default_factory=list)  # kept sorted
    notices: dict[str, tuple[str, tuple]] = field(default_factory=dict)  # publisher -> (document, what)
    firms: set[str] = field(default_factory=set)  # bodies of refusals
    effective: set[tuple[dt.date, str]] = field(default_factory=set)  # (effective_on, precision)
    entities: set[str] = field(default_factory=set)  # targeted firms or persons
    mentions: list[dict[str, Any]] = field(default_factory=list)
    event_id: str = ""

    def _specific(self, m: dict[str, Any]) -> set[str]:
        return set(m.get("products") or []) - self.generic

    def _statement(self, m: dict[str, Any]) -> tuple:
        """What a notice states: its specific products, targets and dates."""
        return (sorted(self._specific(m)), sorted(_targets(m)), m.get("announced_on"), m.get("effective_on"))

    def add(self, m: dict[str, Any]) -> None:
        self.mentions.append(m)
        self.targets |= _targets(m)
        self.products |= self._specific(m)
        if (d := _event_date(m)) is not None:
            insort(self.dates, d)
        if is_official_document(m):
            self.notices.setdefault(
                m.get("publisher") or "", (m["document_id"], self._statement(m), m.get("language"))
            )
        if _is_refusal(m) and m.get("imposing_body"):
            self.firms.add(m["imposing_body"])
        if (effective := _effective(m)) is not None:
            self.effective.add(effective)
        self.entities |= set(m.get("target_entities") or [])

    def fit(self, m: dict[str, Any]) -> tuple[int, int, int] | None:
        """How well a mention fits (same targets, product overlap, closeness in days), or None."""
        targets = _targets(m)
        if not (targets <= self.targets or self.targets <= targets):
            return None
        if is_official_document(m):
            notice = self.notices.get(m.get("publisher") or "")
            if (
                notice is not None
                and notice[0] != m["document_id"]
                and _other_notice(notice, m, self._statement(m))
            ):
                return None
        if _is_refusal(m) and m.get("imposing_body") and self.firms and m["imposing_body"] not in self.firms:
            return None
        effective = _effective(m)
        if effective and self.effective and not any(_same_day(effective, e) for e in self.effective):
            return None
        entities = set(m.get("target_entities") or [])
        if entities and self.entities and not entities & self.entities:
            return None
        products = self._specific(m)
        overlap = len(products & self.products)
        if products and self.products and not overlap:
            return None
        same_targets = int(targets == self.targets)
        date = _event_date(m)
        if date is None or not self.dates:
            return (same_targets, overlap, 0)
        distance = _nearest_days(self.dates, date)
        if distance > DATE_WINDOW_DAYS:
            return None
        return (same_targets, overlap, -distance)

    def anchor_id(self) -> str:
        """The id this cluster gets when no published event claims it: a hash of its anchor mention."""
        a = self.anchor
        return stable_id(
            "ev",
            a["document_id"],
            a["measure_type"],
            a["imposing_jurisdiction"],
            sorted(_targets(a)),
            sorted(self._specific(a)),
        )


def _other_notice(notice: tuple[str, tuple, str | None], m: dict[str, Any], statement: tuple) -> bool:
    """Whether a mention's official document is another notice than the cluster's of the same publisher.
    In the same language, any difference in what they state (products, targets, dates) makes two notices;
    the same notice in another language may leave out what the other states (a page that names the goods
    in a later sentence), but must not contradict it."""
    if (m.get("language") or "") == (notice[2] or ""):
        return notice[1] != statement
    return any(x and y and x != y for x, y in zip(notice[1], statement, strict=True))


def _effective(m: dict[str, Any]) -> tuple[dt.date, str] | None:
    day = m.get("effective_on")
    return (day, m.get("effective_precision") or "day") if day is not None else None


def _same_day(a: tuple[dt.date, str], b: tuple[dt.date, str]) -> bool:
    """Whether two stated dates can be one day, each to its precision (day, month or year)."""
    coarse = {a[1], b[1]}
    if "year" in coarse:
        return a[0].year == b[0].year
    if "month" in coarse:
        return (a[0].year, a[0].month) == (b[0].year, b[0].month)
    return abs((a[0] - b[0]).days) <= EFFECTIVE_SLACK_DAYS


def _is_refusal(m: dict[str, Any]) -> bool:
    try:
        return measure_class(m["measure_type"]) == "refusal"
    except KeyError:
        return False


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
        best: tuple[tuple[int, int, int], int] | None = None
        for i in self.candidates(m):
            fit = self.clusters[i].fit(m)
            if fit is not None and (best is None or fit > best[0]):
                best = (fit, i)
        if best is None:
            return self.clusters[self.new(m)]
        self.add(best[1], m)
        return self.clusters[best[1]]


def _name_clusters(clusters: list[_Cluster], published: lineage.SlotMap) -> None:
    """Give each cluster an event id: the published event most of its mentions belonged to, else a
    fresh hash of its anchor. When a published event split, its id stays with the part that holds most
    of its mentions (ties: the part whose anchor comes first); claims on exact slots come before claims
    on loose ones."""
    claims: list[tuple[bool, int, tuple, str, _Cluster]] = []
    for cluster in clusters:
        votes, loose = lineage.votes(cluster.mentions, published)
        for old_id, n in votes.items():
            claims.append((loose, -n, _anchor_order(cluster.anchor), old_id, cluster))
    taken: set[str] = set()
    for *_, old_id, cluster in sorted(claims, key=lambda c: c[:4]):
        if not cluster.event_id and old_id not in taken:
            cluster.event_id = old_id
            taken.add(old_id)
    for cluster in sorted(clusters, key=lambda c: _anchor_order(c.anchor)):
        if cluster.event_id:
            continue
        candidate, n = cluster.anchor_id(), 1
        while candidate in taken:  # a split-off part anchored where the published event was
            n += 1
            candidate = stable_id("ev", cluster.anchor_id(), n)
        cluster.event_id = candidate
        taken.add(candidate)


def assign_events(
    mentions: Iterable[dict[str, Any]],
    generic_products: Iterable[str] = (),
    published: lineage.SlotMap | None = None,
) -> list[dict[str, Any]]:
    """Return the mentions, each with ``mention_id`` and ``event_id`` set, in a stable order.

    ``generic_products`` (such as "dual-use items") name classes of goods: sharing one is no
    evidence that two mentions report the same event. ``published`` maps the slots of the mentions
    of the latest release to their event ids (``lineage.read_slots``), so published ids never move.

    Each mention needs measure_type, imposing_jurisdiction, target_jurisdictions, products,
    announced_on/effective_on (dates or None), certainty, document_id, url, evidence and
    published_on (the document's publication date, or None); source_kind and publisher of its
    document when known, and imposing_body.
    """
    generic = frozenset(generic_products)
    groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for m in mentions:
        groups[_group_key(m)].append(m)
    placed: list[tuple[dict[str, Any], _Cluster]] = []
    clusters: list[_Cluster] = []
    for key in sorted(groups):
        index = _GroupIndex(generic)
        ordered = sorted(groups[key], key=_anchor_order)
        placed += [(m, index.place(m)) for m in ordered]
        clusters += index.clusters
    _name_clusters(clusters, published or {})
    return [{**m, "event_id": cluster.event_id, "mention_id": mention_id(m)} for m, cluster in placed]
