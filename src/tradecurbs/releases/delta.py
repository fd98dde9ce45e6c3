"""What changed in the events table since the previous release: ``changes.parquet`` and ``CHANGES.md``.

Events are matched on ``event_id``. An id only in the new release is an ADD, an id only in the
previous one a DEL, and an id in both whose compared fields differ a MOD, listing each changed field
with its old and new value (as JSON text).

Given both releases' mentions, events are also traced through what their mentions state
(warehouse/lineage.py): when published events turn out to be one, a MERGE row names the old ids and
the id they became (instead of a DEL of the ids that went); when one turns out to be several, a
SPLIT row names the old id and the ids it became (instead of an ADD of the new ones). Every row
names its old and new ids (``old_event_ids``, ``new_event_ids``).

Which differences count:

* Only columns present in both releases are compared; a column added to or dropped from the schema
  is reported once in CHANGES.md, not as a change of every event.
* Columns in :data:`IGNORED_FIELDS` say when or how the pipeline ran, not what the event is, so they
  never make a MOD (the events table has none today; the list guards against future run stamps).
* List columns (targets, products, HS codes...) are compared as sorted lists: a new order of the
  same values is no change.
* Floats are compared rounded to :data:`FLOAT_DIGITS` decimals, so summation noise is no change.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from tradecurbs.escaping import markdown_text
from tradecurbs.warehouse import lineage
from tradecurbs.warehouse.build import read_parquet

KEY = "event_id"
CHANGES_PARQUET = "changes.parquet"
CHANGES_MD = "CHANGES.md"
ADD, MOD, DEL, MERGE, SPLIT = "ADD", "MOD", "DEL", "MERGE", "SPLIT"
_ORDER = {ADD: 0, MOD: 1, DEL: 2, MERGE: 3, SPLIT: 4}
_COUNT_NAMES = {ADD: "added", MOD: "modified", DEL: "removed", MERGE: "merged", SPLIT: "split"}

#: Columns that describe a run rather than an event; never a reason for a MOD.
IGNORED_FIELDS = frozenset(
    {"fetched_at", "run_id", "run_at", "built_at", "generated_at", "extractor_version"}
)
#: Decimals kept when comparing floats (confidence scores).
FLOAT_DIGITS = 6
#: Descriptive columns copied from the event into each change row (from the old row for a DEL).
DESCRIPTIVE = ("imposing_jurisdiction", "measure_type", "target_jurisdictions", "effective_on", "summary")

CHANGES_SCHEMA = pa.schema(
    [
        pa.field(
            "change", pa.string(), nullable=False, metadata={"description": "ADD, MOD, DEL, MERGE or SPLIT."}
        ),
        pa.field(
            KEY,
            pa.string(),
            nullable=False,
            metadata={
                "description": "The event that changed (for a MERGE the id kept, for a SPLIT the old id)."
            },
        ),
        pa.field(
            "old_event_ids",
            pa.list_(pa.string()),
            nullable=False,
            metadata={"description": "Ids in the previous release (MERGE: every id merged; ADD: none)."},
        ),
        pa.field(
            "new_event_ids",
            pa.list_(pa.string()),
            nullable=False,
            metadata={"description": "Ids in this release (SPLIT: every id the event became; DEL: none)."},
        ),
        pa.field(
            "changed_fields",
            pa.list_(pa.string()),
            nullable=False,
            metadata={"description": "Fields whose value changed (MOD only; empty otherwise)."},
        ),
        pa.field(
            "old_values",
            pa.list_(pa.string()),
            nullable=False,
            metadata={"description": "Previous value of each changed field, as JSON text."},
        ),
        pa.field(
            "new_values",
            pa.list_(pa.string()),
            nullable=False,
            metadata={"description": "New value of each changed field, as JSON text."},
        ),
        pa.field("imposing_jurisdiction", pa.string(), metadata={"description": "Imposer of the event."}),
        pa.field("measure_type", pa.string(), metadata={"description": "Type of the measure."}),
        pa.field(
            "target_jurisdictions", pa.list_(pa.string()), metadata={"description": "Targeted countries."}
        ),
        pa.field("effective_on", pa.date32(), metadata={"description": "Day the measure takes effect."}),
        pa.field("summary", pa.string(), metadata={"description": "One line on the event."}),
    ],
    metadata={"description": "Events added, modified and removed since the previous release."},
)


@dataclass(frozen=True)
class Change:
    """One changed event."""

    change: str
    event_id: str
    row: Mapping[str, Any]
    fields: tuple[str, ...] = ()
    old: tuple[Any, ...] = ()
    new: tuple[Any, ...] = ()
    old_ids: tuple[str, ...] = ()
    new_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Delta:
    """Every change between two versions of the events table."""

    changes: list[Change]
    previous_version: str | None
    n_events: int
    n_previous: int
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()
    counts: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        counts = dict.fromkeys(_COUNT_NAMES.values(), 0)
        for c in self.changes:
            counts[_COUNT_NAMES[c.change]] += 1
        object.__setattr__(self, "counts", counts)


def _normalise(value: Any) -> Any:
    """A value in the form used for comparison (sorted lists, rounded floats)."""
    if isinstance(value, float):
        return round(value, FLOAT_DIGITS)
    if isinstance(value, list):
        items = [_normalise(v) for v in value]
        try:
            return sorted(items, key=lambda v: (v is None, v))
        except TypeError:
            return items
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    return value


def _rows_by_key(table: pa.Table, what: str) -> dict[str, dict[str, Any]]:
    if KEY not in table.column_names:
        raise ValueError(f"the {what} events table has no {KEY} column")
    rows: dict[str, dict[str, Any]] = {}
    for row in table.to_pylist():
        key = row[KEY]
        if key in rows:
            raise ValueError(f"the {what} events table has {KEY} {key!r} more than once")
        rows[key] = row
    return rows


def _lineage(
    old: dict[str, dict[str, Any]],
    new: dict[str, dict[str, Any]],
    previous_mentions: pa.Table | None,
    current_mentions: pa.Table | None,
) -> list[Change]:
    """MERGE rows (several old ids became one, some of them gone) and SPLIT rows (one old id became
    several, some of them new), traced through the slots of both releases' mentions."""
    links = lineage.links(lineage.table_slots(previous_mentions), lineage.table_slots(current_mentions))
    sources: dict[str, set[str]] = {}
    for old_id, new_ids in links.items():
        for new_id in new_ids:
            sources.setdefault(new_id, set()).add(old_id)
    changes = []
    for new_id, old_ids in sources.items():
        if len(old_ids) > 1 and any(o not in new for o in old_ids):
            changes.append(
                Change(MERGE, new_id, new[new_id], old_ids=tuple(sorted(old_ids)), new_ids=(new_id,))
            )
    for old_id, new_ids in links.items():
        if len(new_ids) > 1 and any(n not in old for n in new_ids):
            row = new.get(old_id, old[old_id])
            changes.append(Change(SPLIT, old_id, row, old_ids=(old_id,), new_ids=tuple(sorted(new_ids))))
    return changes


def compute_delta(
    previous: pa.Table | None,
    current: pa.Table,
    previous_version: str | None = None,
    ignore: Iterable[str] = IGNORED_FIELDS,
    previous_mentions: pa.Table | None = None,
    current_mentions: pa.Table | None = None,
) -> Delta:
    """Changes from ``previous`` to ``current`` (both events tables); all ADD when there is no previous.

    With both releases' mentions, merged and split events are MERGE and SPLIT rows, not DEL and ADD.
    """
    new = _rows_by_key(current, "new")
    old = _rows_by_key(previous, "previous") if previous is not None else {}
    ignored = set(ignore) | {KEY}
    new_cols = [c for c in current.column_names if c not in ignored]
    old_cols = set(previous.column_names) if previous is not None else set(current.column_names)
    compared = [c for c in new_cols if c in old_cols]
    traced = _lineage(old, new, previous_mentions, current_mentions) if previous is not None else []
    merged_away = {o for c in traced if c.change == MERGE for o in c.old_ids}
    split_off = {n for c in traced if c.change == SPLIT for n in c.new_ids}
    changes = [Change(ADD, k, new[k], new_ids=(k,)) for k in new if k not in old and k not in split_off]
    changes += [Change(DEL, k, old[k], old_ids=(k,)) for k in old if k not in new and k not in merged_away]
    changes += traced
    for key in new.keys() & old.keys():
        fields = [c for c in compared if _normalise(old[key].get(c)) != _normalise(new[key].get(c))]
        if fields:
            changes.append(
                Change(
                    MOD,
                    key,
                    new[key],
                    tuple(fields),
                    tuple(old[key].get(c) for c in fields),
                    tuple(new[key].get(c) for c in fields),
                    (key,),
                    (key,),
                )
            )
    changes.sort(key=lambda c: (_ORDER[c.change], c.event_id))
    added = removed = ()
    if previous is not None:
        added = tuple(c for c in current.column_names if c not in old_cols and c not in ignored)
        removed = tuple(
            c for c in previous.column_names if c not in current.column_names and c not in ignored
        )
    return Delta(changes, previous_version, len(new), len(old), added, removed)


def read_events(folder: Path) -> pa.Table | None:
    """The events table of a release folder, or None when it has none."""
    path = Path(folder) / "events.parquet"
    return read_parquet(path) if path.is_file() else None


def _json(value: Any) -> str:
    return json.dumps(value, default=str, ensure_ascii=False, sort_keys=True)


def _descriptive(row: Mapping[str, Any], name: str) -> Any:
    """A descriptive column of an event, coerced to its type in :data:`CHANGES_SCHEMA` (None if unusable)."""
    value = row.get(name)
    if value is None:
        return None
    if name == "effective_on":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            return None
    if name == "target_jurisdictions":
        return [str(v) for v in value] if isinstance(value, list | tuple) else None
    return str(value)


def changes_table(delta: Delta) -> pa.Table:
    """The delta as a table with :data:`CHANGES_SCHEMA`."""
    rows = [
        {
            "change": c.change,
            KEY: c.event_id,
            "old_event_ids": list(c.old_ids),
            "new_event_ids": list(c.new_ids),
            "changed_fields": list(c.fields),
            "old_values": [_json(v) for v in c.old],
            "new_values": [_json(v) for v in c.new],
            **{name: _descriptive(c.row, name) for name in DESCRIPTIVE},
        }
        for c in delta.changes
    ]
    table = pa.Table.from_pylist(rows, schema=CHANGES_SCHEMA)
    meta = {**(CHANGES_SCHEMA.metadata or {}), b"previous_version": (delta.previous_version or "").encode()}
    return table.replace_schema_metadata(meta)


def _short(value: Any, limit: int = 60) -> str:
    text = _json(value) if isinstance(value, list | dict) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe(row: Mapping[str, Any]) -> str:
    imposer = row.get("imposing_jurisdiction") or "?"
    measure = row.get("measure_type") or "?"
    targets = row.get("target_jurisdictions") or []
    text = f"{imposer} {measure}"
    if targets:
        text += " on " + ", ".join(str(t) for t in targets)
    if row.get("effective_on"):
        text += f", effective {row['effective_on']}"
    return text


def _line(c: Change) -> str:
    head = f"- `{c.event_id}` {_describe(c.row)}"
    if c.change == MERGE:
        return f"{head}: merged from " + ", ".join(f"`{i}`" for i in c.old_ids)
    if c.change == SPLIT:
        return f"{head}: split into " + ", ".join(f"`{i}`" for i in c.new_ids)
    if c.change != MOD:
        summary = c.row.get("summary")
        return f"{head}: {markdown_text(_short(summary, 120))}" if summary else head
    parts = [
        f"{f}: {markdown_text(_short(o))} → {markdown_text(_short(n))}"
        for f, o, n in zip(c.fields, c.old, c.new, strict=True)
    ]
    return f"{head} — " + "; ".join(parts)


def changes_markdown(delta: Delta, version: str, max_lines: int = 50) -> str:
    """A short human summary: counts, then one line per change, ``max_lines`` per kind at most."""
    n = delta.counts
    lines = [f"# Changes in release {version}", ""]
    if delta.previous_version is None:
        lines.append(f"First release: all {delta.n_events} events are new.")
    else:
        traced = "".join(f", {n[k]} {k}" for k in ("merged", "split") if n[k])
        lines.append(
            f"Compared with release {delta.previous_version}: {n['added']} added, {n['modified']} modified, "
            f"{n['removed']} removed{traced} ({delta.n_events} events, previously {delta.n_previous})."
        )
    if delta.columns_added:
        lines.append(f"New columns: {', '.join(delta.columns_added)}.")
    if delta.columns_removed:
        lines.append(f"Columns no longer published: {', '.join(delta.columns_removed)}.")
    for kind, title in (
        (ADD, "Added"),
        (MOD, "Modified"),
        (DEL, "Removed"),
        (MERGE, "Merged"),
        (SPLIT, "Split"),
    ):
        items = [c for c in delta.changes if c.change == kind]
        if not items:
            continue
        lines += ["", f"## {title} ({len(items)})", ""]
        lines += [_line(c) for c in items[:max_lines]]
        if len(items) > max_lines:
            lines.append(f"- ... and {len(items) - max_lines} more")
    return "\n".join(lines) + "\n"


def write_delta(delta: Delta, folder: Path, version: str, max_lines: int = 50) -> tuple[Path, Path]:
    """Write ``changes.parquet`` and ``CHANGES.md`` into ``folder``."""
    folder = Path(folder)
    parquet, markdown = folder / CHANGES_PARQUET, folder / CHANGES_MD
    pq.write_table(changes_table(delta), parquet, compression="zstd")
    markdown.write_text(changes_markdown(delta, version, max_lines), encoding="utf-8")
    return parquet, markdown
