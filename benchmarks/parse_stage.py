"""The parse stage of ``benchmarks.run`` alone, to compare builds: pages per CPU-second, and the rows.

Usage::

    python -m benchmarks.parse_stage --corpus /tmp/corpus --rounds 3 --src /tmp/main/src --src src
    python -m benchmarks.parse_stage --corpus /tmp/corpus --rounds 0 --src /tmp/main/src --src src \
        --dump /tmp/rows

Each round runs, for each ``--src`` tree in turn (alternating, so that every tree meets the same load on
a shared machine), the parse stage as ``benchmarks.run`` times it: ``stages.crawl_corpus`` in
``--workers`` forked processes, CPU seconds of the process and its workers, in a fresh process with that
tree first on PYTHONPATH. It prints pages per CPU-second for each tree and round, the medians, and the
load average before and after each run. ``--dump DIR`` first crawls the corpus once per tree (one
process) and writes its rows (every field, text included, canonical JSON, one line a row in document
order) to ``DIR/rows-<n>.jsonl``, then says whether the files are byte for byte the same.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROOT = Path(__file__).resolve().parents[1]


def _json_value(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"no JSON form for {type(value).__name__}")


def child(corpus: Path, workers: int, dump: Path | None) -> dict[str, Any]:
    """One parse stage in this process (and its workers): pages, seconds, CPU seconds."""
    from benchmarks import stages

    stages.quiet_logs()
    t = stages.Timings()
    with t.stage("parse"):
        rows = stages.crawl_corpus(corpus, workers)
    if dump is not None:
        with dump.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, sort_keys=True, ensure_ascii=False, default=_json_value) + "\n")
    return {"pages": len(rows), "wall_s": t.seconds["parse"], "cpu_s": t.cpu["parse"]}


def _run_child(src: Path, corpus: Path, workers: int, dump: Path | None = None) -> dict[str, Any]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(src.resolve()), os.environ.get("PYTHONPATH", "")]),
    }
    command = [sys.executable, "-m", "benchmarks.parse_stage", "--child", "--corpus", str(corpus)]
    command += ["--workers", str(workers), *(["--dump", str(dump)] if dump else [])]
    load = os.getloadavg()[0]
    done = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {**result, "load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2)}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def compare(
    corpus: Path, sources: list[Path], rounds: int, workers: int, dump: Path | None
) -> dict[str, Any]:
    report: dict[str, Any] = {"corpus": str(corpus), "workers": workers, "trees": [str(s) for s in sources]}
    if dump is not None:
        dump.mkdir(parents=True, exist_ok=True)
        files = [dump / f"rows-{n}.jsonl" for n in range(len(sources))]
        for src, path in zip(sources, files, strict=True):
            _run_child(src, corpus, 1, path)
        digests = [_digest(p) for p in files]
        report["rows"] = {"files": [str(p) for p in files], "sha256": digests, "same": len(set(digests)) == 1}
        print(json.dumps(report["rows"], indent=2), flush=True)
    runs: list[list[dict[str, Any]]] = [[] for _ in sources]
    for n in range(rounds):
        for i, src in enumerate(sources):
            result = _run_child(src, corpus, workers)
            result["pages_per_cpu_s"] = round(result["pages"] / result["cpu_s"], 1)
            runs[i].append(result)
            print(f"round {n + 1} tree {i} ({src}): {json.dumps(result)}", flush=True)
    report["runs"] = runs
    report["median_pages_per_cpu_s"] = [
        statistics.median(r["pages_per_cpu_s"] for r in tree) if tree else None for tree in runs
    ]
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="a generated corpus folder")
    parser.add_argument("--src", type=Path, action="append", help="a tree's src folder (repeatable)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--dump", type=Path, help="write each tree's rows here and compare them")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.corpus, args.workers, args.dump)))
        return
    started = time.perf_counter()
    report = compare(args.corpus, args.src or [ROOT / "src"], args.rounds, args.workers, args.dump)
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps({k: report[k] for k in ("median_pages_per_cpu_s", "seconds")}))
    if args.out:
        args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
