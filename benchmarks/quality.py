"""Checks that a run on a synthetic corpus did what the corpus was made for, against its truth file.

Not timings: the share of pages whose reported measure the extractor found, the share of pages with
any mention at all, whether reports of one catalogue event ended up in one event, and the pairwise
precision and recall of "same event" over the matching mentions (the corpus plants many reports of
each catalogue event, so this measures merging).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from tradecurbs.scoring import pairwise


def read_truth(corpus_dir: Path) -> dict[str, dict[str, Any]]:
    """The truth file of a corpus: for each page reporting a measure, by URL."""
    truth: dict[str, dict[str, Any]] = {}
    with (corpus_dir / "truth.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                truth[row["url"]] = row
    return truth


def _matches(mention: dict[str, Any], row: dict[str, Any]) -> bool:
    return (
        mention["measure_type"] == row["kind"]
        and mention["imposing_jurisdiction"] == row["imposer"]
        and sorted(mention.get("target_jurisdictions") or []) == sorted(row["targets"])
    )


def check_run(
    corpus_dir: Path, documents: list[dict[str, Any]], mentions: list[dict[str, Any]]
) -> dict[str, Any]:
    """Quality figures of one run: recall of the planted measures and how their reports merged."""
    truth = read_truth(corpus_dir)
    url_of = {d["document_id"]: d["url"] for d in documents}
    by_url: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in mentions:
        by_url[url_of.get(m["document_id"], "")].append(m)
    found: dict[int, set[str]] = defaultdict(set)  # catalogue event: event ids of its matching mentions
    reports: dict[int, int] = defaultdict(int)
    labels: dict[tuple, list[tuple[int, str]]] = defaultdict(list)  # per (kind, imposer, targets)
    hit = 0
    for url, row in truth.items():
        matching = [m for m in by_url.get(url, []) if _matches(m, row)]
        reports[row["event"]] += 1
        if matching:
            hit += 1
            found[row["event"]].update(m["event_id"] for m in matching)
            item = (row["kind"], row["imposer"], tuple(sorted(row["targets"])))
            labels[item] += [(row["event"], m["event_id"]) for m in matching]
    repeated = [k for k, n in reports.items() if n > 1 and k in found]
    merged = sum(1 for k in repeated if len(found[k]) == 1)
    owners: dict[str, set[int]] = defaultdict(set)
    for k, ids in found.items():
        for event_id in ids:
            owners[event_id].add(k)
    scores = [pairwise(units) for units in labels.values()]
    true_pairs, predicted_pairs, agreed = (
        sum(getattr(p, f) for p in scores) for f in ("true_pairs", "predicted_pairs", "agreed_pairs")
    )
    n_docs = max(1, len(documents))
    return {
        "documents": len(documents),
        "planted_event_pages": len(truth),
        "planted_share": round(len(truth) / n_docs, 4),
        "pages_with_mentions": len([u for u in by_url if u]),
        "pages_with_mentions_share": round(len([u for u in by_url if u]) / n_docs, 4),
        "ordinary_pages_with_mentions": len([u for u in by_url if u and u not in truth]),
        "planted_found_share": round(hit / max(1, len(truth)), 4),
        "reported_more_than_once": len(repeated),
        "merged_into_one_event_share": round(merged / max(1, len(repeated)), 4),
        "events_joining_several_planted": sum(1 for ks in owners.values() if len(ks) > 1),
        "pair_precision": round(agreed / predicted_pairs, 4) if predicted_pairs else 1.0,
        "pair_recall": round(agreed / true_pairs, 4) if true_pairs else 1.0,
    }
