"""Which published events the mentions of a new build descend from: ids that never move, merges, splits.

A mention's *slots* are what it states in one document, independent of its wording: (document,
measure type, imposer, target), one per target country (target None when it names none). A slot
seen in the latest release points to the event it belonged to there, so:

* merging gives a new cluster the published id most of its mentions held (``votes``); a cluster none
  of whose slots was published falls back on its documents and imposer alone, so an event the
  extractor now classifies differently (or aims at another target) keeps its id;
* the release delta links each published event to the new events that hold its slots
  (``links``): one old id reaching several new ids is a SPLIT, several old ids reaching one new id
  a MERGE.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from tradecurbs.warehouse.build import read_parquet

Slot = tuple[str, str, str, str | None]
SlotMap = Mapping[Slot, frozenset[str]]
ANY = "*"  # the measure type and target of a loose slot: (document, *, imposer, *)


def slots(mention: Mapping[str, Any]) -> list[Slot]:
    """The slots of one mention."""
    head = (mention["document_id"], mention["measure_type"], mention["imposing_jurisdiction"])
    return [(*head, t) for t in sorted(mention.get("target_jurisdictions") or []) or [None]]


def loose_slot(mention: Mapping[str, Any]) -> Slot:
    """The slot of a mention that ignores its measure type and targets."""
    return (mention["document_id"], ANY, mention["imposing_jurisdiction"], ANY)


def slot_map(mentions: Iterable[Mapping[str, Any]]) -> dict[Slot, frozenset[str]]:
    """Each slot (and loose slot) of the mentions, with the event ids it belongs to."""
    out: dict[Slot, set[str]] = defaultdict(set)
    for m in mentions:
        for slot in [*slots(m), loose_slot(m)]:
            out[slot].add(m["event_id"])
    return {k: frozenset(v) for k, v in out.items()}


def table_slots(mentions: pa.Table | None) -> dict[Slot, frozenset[str]]:
    """The slot map of a mentions table (empty for None)."""
    if mentions is None:
        return {}
    columns = ["document_id", "measure_type", "imposing_jurisdiction", "target_jurisdictions", "event_id"]
    return slot_map(mentions.select(columns).to_pylist())


def read_slots(release_dir: Path | None) -> dict[Slot, frozenset[str]]:
    """The slot map of a release folder's mentions (empty when there is no release)."""
    path = Path(release_dir) / "mentions.parquet" if release_dir is not None else None
    if path is None or not path.is_file():
        return {}
    return table_slots(read_parquet(path))


def votes(mentions: Iterable[Mapping[str, Any]], published: SlotMap) -> tuple[Counter[str], bool]:
    """How many slots of the mentions each published event held, and whether these are loose slots
    (counted only when no slot of the mentions was published)."""
    mentions = list(mentions)
    counted: Counter[str] = Counter()
    for m in mentions:
        for slot in slots(m):
            counted.update(published.get(slot, ()))
    if counted:
        return counted, False
    for m in mentions:
        counted.update(published.get(loose_slot(m), ()))
    return counted, True


def links(previous: SlotMap, current: SlotMap) -> dict[str, set[str]]:
    """Each published event id and the new event ids that hold any of its slots."""
    out: dict[str, set[str]] = defaultdict(set)
    for slot, old_ids in previous.items():
        if slot[1] == ANY:
            continue
        for old_id in old_ids:
            out[old_id] |= current.get(slot, frozenset())
    return dict(out)
