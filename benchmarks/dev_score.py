"""Score the extractor on the shared development corpus (``../shared/eval/dev``), by language group.

    python benchmarks/dev_score.py [--split work|holdout|opened|sealed|all] [--errors] [--json]

The corpus is read at run time and never copied. ``--split`` keeps a fixed quarter of the documents
(chosen by a hash of their id) aside while rules are written, so that the figures on the part never
looked at tell whether the rules generalise. Once the rules had been written on the first three
quarters, half of that quarter (``opened``) was opened to study the errors rules make on documents
they were not written for; the other half (``sealed``) stays unread and gives the final check.
``--errors`` lists each missed and spurious key by kind.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


def _scorer() -> Any:
    spec = importlib.util.spec_from_file_location("score", EVAL / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def in_holdout(doc_id: str) -> bool:
    """A fixed quarter of the corpus, by a hash of the document id."""
    return int(hashlib.sha256(doc_id.encode()).hexdigest(), 16) % 4 == 0


def group_of(language: str | None) -> str:
    lang = (language or "").lower()
    return "English" if lang == "en" else "Chinese" if lang.startswith("zh") else "other"


def in_sealed(doc_id: str) -> bool:
    """Half of the holdout, by a second hash: never read while rules are written."""
    return in_holdout(doc_id) and int(hashlib.sha256(f"sealed:{doc_id}".encode()).hexdigest(), 16) % 2 == 0


def _wanted(split: str, doc_id: str) -> bool:
    held, sealed = in_holdout(doc_id), in_sealed(doc_id)
    return {
        "all": True,
        "work": not held,
        "holdout": held,
        "opened": held and not sealed,
        "sealed": sealed,
    }[split]


def load_docs(split: str) -> dict[str, dict[str, Any]]:
    docs = {}
    for f in sorted((EVAL / "dev" / "docs").glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        if _wanted(split, str(d["id"])):
            docs[f.stem] = d
    return docs


def score_group(score: Any, stems: list[str], preds: list[dict[str, Any]], tmp: Path) -> dict[str, Any]:
    for part in ("docs", "gold"):
        (tmp / part).mkdir(parents=True, exist_ok=True)
        for s in stems:
            (tmp / part / f"{s}.json").write_text(
                (EVAL / "dev" / part / f"{s}.json").read_text(encoding="utf-8"), encoding="utf-8"
            )
    pred_file = tmp / "pred.jsonl"
    pred_file.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in preds), encoding="utf-8")
    return score.score(tmp, pred_file)


def main() -> None:
    import tempfile

    from tradecurbs.extraction import extract_document
    from tradecurbs.extraction.jsonio import to_record

    ap = argparse.ArgumentParser()
    ap.add_argument("--split", choices=("work", "holdout", "opened", "sealed", "all"), default="work")
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if not EVAL.exists():
        sys.exit(f"no evaluation corpus at {EVAL}")
    score = _scorer()
    docs = load_docs(args.split)
    keys = ("id", "url", "title", "text", "published", "source_kind", "language")
    t0 = time.process_time()
    preds: dict[str, list[dict[str, Any]]] = {}
    for stem, d in docs.items():
        preds[stem] = [to_record(e) for e in extract_document({k: d.get(k) for k in keys})]
    cpu = time.process_time() - t0
    groups: dict[str, list[str]] = {"English": [], "Chinese": [], "other": [], "all": list(docs)}
    for stem, d in docs.items():
        groups[group_of(d.get("language"))].append(stem)
    report = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, stems in groups.items():
            flat = [p for s in stems for p in preds[s]]
            report[name] = score_group(score, stems, flat, Path(tmp) / name)
    if args.json:
        print(
            json.dumps(
                {
                    k: {m: v[m] for m in ("strict", "relaxed", "detect", "date_accuracy")}
                    for k, v in report.items()
                },
                indent=1,
            )
        )
        return
    if args.errors:
        _print_errors(score, docs, preds)
    for name, r in report.items():
        print(
            f"{name:8s} {len(groups[name]):4d} docs  strict F1 {r['strict']['f1']:.3f} "
            f"(P {r['strict']['precision']:.3f} R {r['strict']['recall']:.3f})  "
            f"relaxed {r['relaxed']['f1']:.3f}"
            f"  detect {r['detect']['f1']:.3f}  date {r['date_accuracy']}"
        )
    print(f"{len(docs) / cpu:.0f} documents per CPU-second")


def _print_errors(
    score: Any, docs: dict[str, dict[str, Any]], preds: dict[str, list[dict[str, Any]]]
) -> None:
    kinds: Counter[str] = Counter()
    for stem, d in docs.items():
        gold = json.loads((EVAL / "dev" / "gold" / f"{stem}.json").read_text(encoding="utf-8"))
        g = set().union(*(score.gold_keys(e, False) for e in gold)) if gold else set()
        p = set().union(*(score.pred_keys(e, False) for e in preds[stem])) if preds[stem] else set()
        pairs = score.match(p, g)
        missed = g - {b for _, b in pairs}
        extra = p - {a for a, _ in pairs}
        for k in missed:
            kinds[f"missed {k[0]}"] += 1
        for k in extra:
            kinds[f"extra {k[0]}"] += 1
        if missed or extra:
            print(f"{stem} [{d.get('language')}] {(d.get('title') or '')[:90]!r}")
            for k in sorted(missed, key=str):
                print(f"   - missed {k}")
            for k in sorted(extra, key=str):
                print(f"   + extra  {k}")
    print(kinds.most_common())


if __name__ == "__main__":
    main()
