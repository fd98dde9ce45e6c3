"""Score a release against labelled truth: per document, on (measure type, imposer, target).

The truth is a folder of YAML files (tests/sample_truth/): documents by canonical URL, each
``negative``, ``malformed`` or with ``events``. Each truth event counts once per target country (once
when it names none), and each released mention likewise, so a measure aimed at China and Macau is
two items. The score says:

* ``found``: truth items some mention of the same document states (same measure type, imposer and
  target);
* ``extra``: mention items of a labelled document that no truth item of that document matches;
* ``split``: truth measures (``key_event`` x item, across documents) whose matching mentions went
  to more than one released event;
* ``effective_right``: truth items that state an effective date and are found, whose released event
  has that date (to the precision the truth gives: a day, or a month);
* pairwise precision and recall of "same event" over the mention items that match the truth: a pair
  of units with the same item is truly one measure when both match the same ``key_event`` (a mention
  lumping two measures matches both), and predicted one when both belong to the same released event.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb
import yaml

Item = tuple[str, str, str | None]  # measure type, imposer, target (None when the event names none)


def load_truth(truth_dir: Path) -> dict[str, dict[str, Any]]:
    """Every labelled document of the truth folder, by URL."""
    docs: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(truth_dir).glob("*.yml")):
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in loaded.get("documents", []):
            docs[entry["url"]] = entry
    return docs


def items(row: dict[str, Any]) -> list[Item]:
    """A truth event or a mention as (measure type, imposer, target) items, one per target."""
    targets = sorted(row.get("target_jurisdictions") or []) or [None]
    return [(row["measure_type"], row["imposing_jurisdiction"], t) for t in targets]


@dataclass(frozen=True)
class PairScore:
    """Pairwise precision and recall of "same event" (1.0 when there is no pair to judge)."""

    true_pairs: int
    predicted_pairs: int
    agreed_pairs: int

    @property
    def precision(self) -> float:
        return self.agreed_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.agreed_pairs / self.true_pairs if self.true_pairs else 1.0


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, frozenset) and isinstance(b, frozenset):
        return bool(a & b)
    return a == b


def pairwise(assignments: Iterable[tuple[Any, Any]]) -> PairScore:
    """Score (true cluster, predicted cluster) labels of the same units, pair by pair.

    A true label may be a frozenset of clusters (a unit that matches several truth measures, such as
    one mention lumping two measures): two units are truly one measure when their sets share one.
    """
    labels = list(assignments)
    true = predicted = agreed = 0
    for (t1, p1), (t2, p2) in itertools.combinations(labels, 2):
        is_true, is_predicted = _same(t1, t2), p1 == p2
        true += is_true
        predicted += is_predicted
        agreed += is_true and is_predicted
    return PairScore(true, predicted, agreed)


@dataclass(frozen=True)
class Score:
    """What the release gets right against the truth (see the module docstring)."""

    truth_items: int
    found: int
    extra: int
    measures_reported_twice: int
    split: int
    effective_stated: int
    effective_right: int
    pairs: PairScore
    missing: tuple[str, ...]
    extras: tuple[str, ...]
    splits: tuple[str, ...]
    wrong_effective: tuple[str, ...]

    @property
    def found_share(self) -> float:
        return self.found / self.truth_items if self.truth_items else 1.0

    @property
    def effective_share(self) -> float:
        return self.effective_right / self.effective_stated if self.effective_stated else 1.0

    def figures(self) -> dict[str, Any]:
        """The counts and shares, without the detail lists."""
        out = {k: v for k, v in asdict(self).items() if not isinstance(v, tuple | dict)}
        out.update(
            found_share=round(self.found_share, 4),
            effective_share=round(self.effective_share, 4),
            pair_precision=round(self.pairs.precision, 4),
            pair_recall=round(self.pairs.recall, 4),
        )
        return out


def _released_mentions(release_dir: Path) -> list[dict[str, Any]]:
    folder = Path(release_dir)
    con = duckdb.connect()
    try:
        rel = con.sql(
            f"""SELECT d.url, m.event_id, m.measure_type, m.imposing_jurisdiction, m.target_jurisdictions,
                       m.products, m.announced_on, m.effective_on, e.effective_on AS event_effective_on
                FROM read_parquet('{folder / "mentions.parquet"}') m
                JOIN read_parquet('{folder / "documents.parquet"}') d USING (document_id)
                JOIN read_parquet('{folder / "events.parquet"}') e USING (event_id)"""
        )
        names = rel.columns
        return [dict(zip(names, row, strict=True)) for row in rel.fetchall()]
    finally:
        con.close()


def _date_matches(stated: str, released: Any) -> bool:
    return released is not None and str(released)[: len(stated)] == stated


def _narrowed(event: dict[str, Any], matching: list[dict[str, Any]], rivals: int) -> list[dict[str, Any]]:
    """The mentions that speak of this truth event: when a document states several measures with the same
    item (an antimony control and, as background, the gallium and graphite ones), the mentions whose goods
    overlap the event's; all of them when the document states one such measure, or none overlap."""
    if rivals <= 1:
        return matching
    goods = [str(p).lower() for p in event.get("products") or []]

    def names(m: dict[str, Any]) -> bool:  # a released product name within a truth description, or back
        return any(str(p).lower() in g or g in str(p).lower() for p in m.get("products") or [] for g in goods)

    overlapping = [m for m in matching if names(m)] or matching
    if len({m.get("event_id") for m in overlapping}) <= 1:
        return overlapping
    # goods that do not tell apart mentions released as different events ("rice" for white rice banned now
    # and broken rice a year before): the mentions whose own dates agree with the event's, if any
    stated = [str(event[f]) for f in ("announced_on", "effective_on") if event.get(f)]

    def agrees(m: dict[str, Any]) -> bool:
        return any(_date_matches(d, m.get(f)) for d in stated for f in ("announced_on", "effective_on"))

    return [m for m in overlapping if agrees(m)] or overlapping


def score_release(release_dir: Path, truth_dir: Path) -> Score:
    """Score the release folder's mentions and events against the truth folder."""
    truth = load_truth(truth_dir)
    by_doc: dict[str, dict[Item, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for m in _released_mentions(release_dir):
        for item in items(m):
            by_doc[m["url"]][item].append(m)
    found = stated = right = 0
    n_items = 0
    missing: list[str] = []
    wrong: list[str] = []
    events_of: dict[tuple, set[str]] = defaultdict(set)
    reports: dict[tuple, int] = defaultdict(int)
    keys_of: dict[int, set[tuple]] = defaultdict(set)  # mention (by identity) -> truth measures it states
    for url, doc in sorted(truth.items()):
        same_item: dict[Item, int] = defaultdict(int)
        for event in doc.get("events") or []:
            for item in items(event):
                same_item[item] += 1
        for event in doc.get("events") or []:
            for item in items(event):
                n_items += 1
                key = (event.get("key_event") or url, *item)
                reports[key] += 1
                matching = _narrowed(event, by_doc.get(url, {}).get(item, []), same_item[item])
                if not matching:
                    missing.append(f"{url} {item}")
                    continue
                found += 1
                events_of[key] |= {m["event_id"] for m in matching}
                for m in matching:
                    keys_of[id(m)].add(key)
                effective = event.get("effective_on")
                if effective:
                    stated += 1
                    if any(_date_matches(str(effective), m["event_effective_on"]) for m in matching):
                        right += 1
                    else:
                        got = sorted({str(m["event_effective_on"]) for m in matching})
                        wrong.append(f"{url} {item}: {effective} vs {got}")
    extras = [
        f"{url} {item}"
        for url, doc in sorted(truth.items())
        for item in sorted(by_doc.get(url, {}), key=repr)
        if item not in {i for e in doc.get("events") or [] for i in items(e)}
    ]
    labels: dict[Item, list[tuple[frozenset, str]]] = defaultdict(list)
    for url in sorted(by_doc):
        for item, mentions in sorted(by_doc[url].items(), key=repr):
            labels[item] += [
                (frozenset(keys_of[id(m)]), m["event_id"]) for m in mentions if keys_of.get(id(m))
            ]
    per_item = [pairwise(units) for units in labels.values()]
    splits = [f"{key}: {sorted(ids)}" for key, ids in sorted(events_of.items(), key=repr) if len(ids) > 1]
    return Score(
        truth_items=n_items,
        found=found,
        extra=len(extras),
        measures_reported_twice=sum(1 for k, n in reports.items() if n > 1 and k in events_of),
        split=len(splits),
        effective_stated=stated,
        effective_right=right,
        pairs=PairScore(*(sum(getattr(p, f) for p in per_item) for f in PairScore.__dataclass_fields__)),
        missing=tuple(missing),
        extras=tuple(extras),
        splits=tuple(splits),
        wrong_effective=tuple(wrong),
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m tradecurbs.scoring RELEASE_DIR [TRUTH_DIR]``: print the figures, then what is wrong."""
    import json
    import sys

    args = sys.argv[1:] if argv is None else argv
    if not args or len(args) > 2:
        print("usage: python -m tradecurbs.scoring RELEASE_DIR [TRUTH_DIR]", file=sys.stderr)
        return 2
    release, truth = Path(args[0]), Path(args[1] if len(args) > 1 else "tests/sample_truth")
    if not (release / "mentions.parquet").is_file() or not truth.is_dir():
        print(f"error: {release} is not a release folder, or {truth} is no truth folder", file=sys.stderr)
        return 2
    score = score_release(release, truth)
    print(json.dumps(score.figures(), indent=1))
    for name in ("missing", "extras", "splits", "wrong_effective"):
        print(f"\n{name}:")
        print("\n".join(f"  {line}" for line in getattr(score, name)) or "  (none)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
