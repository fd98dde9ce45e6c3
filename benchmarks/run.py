"""Benchmark tradecurbs: corpus sizes through every stage, HTML-to-text overhead, incremental runs, marts.

Usage::

    python -m benchmarks.run --sizes 10000 100000 --workers 2 --out results.json

For each size N: a corpus of N pages (cached under ``--work`` by seed and N) and a batch of N/100
new pages; then, each in a fresh process so that memory peaks are per run, a full run (raw archive
to release), an incremental run adding the new pages, and the parse-overhead measurement. Then a 1M
row events table and the mart queries. Prints a table and writes a JSON record (see README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(ROOT))

from benchmarks.machine import TreeMemory, machine_info, maxrss_mib  # noqa: E402

STAGES = ("parse", "extract", "merge", "build", "validate", "publish")
TARGETS = {  # issue 15 ("Five minutes for 100,000 pages"), then the earlier ones still held
    "full_run_100k_s": 300,
    "full_run_10k_vs_trafilatura": 0.35,
    "parse_pages_per_cpu_s": 400,
    "extraction_docs_per_cpu_s": 2500,
    "peak_memory_100k_mib": 2048,
    "mart_query_ms": 200,
    "linearity_100k_over_10k": 11,
    "html_to_text_ratio": 1.25,
    "incremental_share": 0.05,
}


# -- the measurements, each run in a child process -------------------------------------------------


def child_full(corpus: Path, data: Path, workers: int, data_docs: bool = True) -> dict[str, Any]:
    """Raw archive to release over a whole corpus; stage times, counts, quality, memory."""
    from benchmarks import quality, stages

    stages.quiet_logs()
    with TreeMemory() as mem:
        t0 = time.perf_counter()
        result = stages.full_run(corpus, data, workers, data_docs)
        wall = time.perf_counter() - t0
    return {
        **_stage_report(result, wall, workers),
        "quality": quality.check_run(corpus, result.rows, result.mentions),
        "memory": {**maxrss_mib(), "tree_peak_mib": _round(mem.peak_mib)},
    }


def child_incremental(delta: Path, data: Path, workers: int, data_docs: bool = True) -> dict[str, Any]:
    """The new pages into the state a full run left; stage times, counts, memory."""
    from benchmarks import stages

    stages.quiet_logs()
    with TreeMemory() as mem:
        t0 = time.perf_counter()
        result = stages.incremental_run(delta, data, workers, data_docs)
        wall = time.perf_counter() - t0
    return {
        **_stage_report(result, wall, workers),
        "memory": {**maxrss_mib(), "tree_peak_mib": _round(mem.peak_mib)},
    }


def child_overhead(corpus: Path, pages: int) -> dict[str, Any]:
    """Our page parse against trafilatura on the same pages."""
    from benchmarks import overhead

    return overhead.measure(corpus / "raw", pages)


def child_marts(work: Path, rows: int, repeats: int, seed: int) -> dict[str, Any]:
    """The events table of ``rows`` rows and the mart query times."""
    from benchmarks import marts

    path = work / f"events-s{seed}-{rows}.parquet"
    return {"table": marts.write_events(path, rows, seed), "queries": marts.run_queries(path, repeats)}


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _stage_report(result: Any, wall: float, workers: int) -> dict[str, Any]:
    t = result.timings
    docs = t.counts.get("documents", 0)
    ok = t.counts.get("ok_documents", 0)
    per_stage = {}
    for name in STAGES:
        seconds, cpu = t.seconds.get(name, 0.0), t.cpu.get(name, 0.0)
        handled = ok if name == "extract" else docs
        per_stage[name] = {
            "wall_s": round(seconds, 3),
            "cpu_s": round(cpu, 3),
            "docs": handled,
            "docs_per_s": _round(handled / seconds if seconds else None),
            "docs_per_cpu_s": _round(handled / cpu if cpu else None),
        }
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(sum(t.cpu.values()), 2),
        "workers": workers,
        "stages": per_stage,
        "counts": t.counts,
        "validation_ok": bool(result.outcome.success),
        "validation_timings": {
            k: round(v, 2) for k, v in (getattr(result.outcome, "timings", None) or {}).items()
        },
        "validation_failures": list(getattr(result.outcome, "failures", []) or [])[:10],
        "data_test_failures": [f[:600] for f in result.data_test_failures],
    }


CHILDREN = {
    "full": child_full,
    "incremental": child_incremental,
    "overhead": child_overhead,
    "marts": child_marts,
}


def in_child(mode: str, **params: Any) -> dict[str, Any]:
    """Run one measurement in a fresh Python process; return what it reported."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = Path(fh.name)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH", "")]).rstrip(
        os.pathsep
    )
    args = [
        sys.executable,
        "-m",
        "benchmarks.run",
        "--child",
        mode,
        "--params",
        json.dumps(params, default=str),
        "--result",
        str(out),
    ]
    t0 = time.perf_counter()
    proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child {mode} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    out.unlink(missing_ok=True)
    report["process_wall_s"] = round(time.perf_counter() - t0, 2)
    return report


def _run_child_mode(mode: str, params: dict[str, Any], result: Path) -> None:
    fn = CHILDREN[mode]
    kwargs = {k: Path(v) if k in ("corpus", "data", "delta", "work") else v for k, v in params.items()}
    result.write_text(json.dumps(fn(**kwargs), default=str), encoding="utf-8")


# -- corpora --------------------------------------------------------------------------------------


def ensure_corpus(work: Path, n: int, seed: int) -> tuple[Path, Path, dict[str, Any]]:
    """The corpus of N pages and its batch of N/100 new pages, generated unless cached."""
    from benchmarks.generate_corpus import corpus_complete, generate_corpus

    corpus = work / f"corpus-s{seed}-n{n}"
    delta = corpus / "delta"
    if not corpus_complete(corpus, n, seed):
        generate_corpus(corpus, n, seed)
    extra = max(1, n // 100)
    if not corpus_complete(delta, extra, seed, start=n):
        generate_corpus(delta, extra, seed, start=n, catalogue_n=n, tag="new")
    info = json.loads((corpus / "corpus.json").read_text(encoding="utf-8"))
    return corpus, delta, info


def rebuild_available() -> bool:
    """Whether the project has the ``tradecurbs rebuild`` command."""
    from tradecurbs import cli

    return hasattr(cli, "rebuild")


def time_rebuild(corpus: Path, data: Path, workers: int) -> dict[str, Any]:
    """Wall time and memory of ``tradecurbs rebuild`` end to end (a Prefect flow, its server included)
    over a data folder whose raw/ is the corpus's archive."""
    import importlib.util
    import shutil

    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    (data / "raw").symlink_to(corpus / "raw")
    if importlib.util.find_spec("tradecurbs.extraction.parallel") is None:
        workers = 1  # the flow's parallel extraction needs tradecurbs.extraction.parallel
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT / "src"),
        PREFECT_LOGGING_LEVEL="WARNING",
        DO_NOT_TRACK="1",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="120",
    )
    args = [
        sys.executable,
        "-m",
        "tradecurbs.cli",
        "rebuild",
        "--sources",
        str(corpus / "sources.yml"),
        "--data-dir",
        str(data),
        "--workers",
        str(workers),
    ]
    t0 = time.perf_counter()
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
        with TreeMemory(pid=proc.pid) as mem:
            returncode = proc.wait()
        log.seek(0)
        tail = log.read()[-800:]
    return {
        "wall_s": round(time.perf_counter() - t0, 2),
        "workers": workers,
        "returncode": returncode,
        "tree_peak_mib": _round(mem.peak_mib),
        "output_tail": tail,
    }


# -- the record -----------------------------------------------------------------------------------


def evaluate(record: dict[str, Any]) -> dict[str, Any]:
    """Each target with the measured figure and whether it is met (None when not measured)."""
    sizes = {int(k): v for k, v in record["sizes"].items()}
    out: dict[str, Any] = {}

    def put(name: str, value: float | None, ok: bool | None, note: str = "") -> None:
        out[name] = {"target": TARGETS[name], "measured": value, "met": ok, "note": note}

    largest = sizes[max(sizes)] if sizes else None
    if largest:
        ext = largest["full"]["stages"]["extract"]
        per_core = ext["docs_per_cpu_s"]
        put(
            "extraction_docs_per_cpu_s",
            per_core,
            per_core is not None and per_core >= TARGETS["extraction_docs_per_cpu_s"],
            f"ok documents per CPU-second of the extract stage, N={max(sizes)}",
        )
        parse = largest["full"]["stages"]["parse"]["docs_per_cpu_s"]
        put(
            "parse_pages_per_cpu_s",
            parse,
            parse is not None and parse >= TARGETS["parse_pages_per_cpu_s"],
            f"pages per CPU-second of the parse stage (its workers included), N={max(sizes)}",
        )
        ratio = largest["overhead"]["ratio_cpu"]
        put(
            "html_to_text_ratio",
            ratio,
            ratio <= 1.25,
            "our parse CPU time / trafilatura.extract, same options",
        )
        share = largest["incremental_share"]
        put("incremental_share", share, share < 0.05, "incremental wall / full wall (both fresh processes)")
    if 100000 in sizes:
        full = sizes[100000]["full"]
        put("full_run_100k_s", full["wall_s"], full["wall_s"] <= 300, "raw archive to release, wall")
        peak = full["memory"]["tree_peak_mib"] or full["memory"]["self_mib"]
        put("peak_memory_100k_mib", peak, peak < 2048, "resident memory of the run's process tree")
    if 10000 in sizes:
        small = sizes[10000]
        alone = small["overhead"]["per_page"]["trafilatura"]["cpu_ms"] * 10000 / 1000
        ratio = round(small["full"]["wall_s"] / alone, 3)
        put(
            "full_run_10k_vs_trafilatura",
            ratio,
            ratio <= TARGETS["full_run_10k_vs_trafilatura"],
            f"10k run wall / trafilatura.extract alone on one core for 10k pages ({alone:.0f} s, from its"
            " CPU ms per page in this run)",
        )
    if 10000 in sizes and 100000 in sizes:
        big, small = sizes[100000]["full"], sizes[10000]["full"]
        lin = big["wall_s"] / small["wall_s"]
        cpu = big.get("cpu_s", 0) / small["cpu_s"] if small.get("cpu_s") else None
        note = "full-run wall time ratio" + (f"; CPU time ratio {cpu:.2f}" if cpu else "")
        put("linearity_100k_over_10k", round(lin, 2), lin <= 11, note)
    if record.get("marts"):
        queries = dict(record["marts"]["queries"]["parquet"])
        for name in list(queries):  # a query the mart answers counts with its answer from the mart
            if f"{name}_from_mart" in queries:
                queries[name] = queries.pop(f"{name}_from_mart")
        worst = max(q["median_ms"] for q in queries.values())
        put("mart_query_ms", worst, worst < 200, "slowest median over the release's Parquet files")
    return out


def print_table(record: dict[str, Any]) -> None:
    """The record as rich tables on the console."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    m = record["machine"]
    console.print(
        f"[bold]tradecurbs benchmark[/] {m['cores']} cores, {m['ram_gib']} GiB, Python {m['python']}, "
        f"load {m['load_average']} (start) {record.get('load_average_end')} (end)"
    )
    for n, size in sorted(record["sizes"].items(), key=lambda kv: int(kv[0])):
        table = Table(title=f"N = {int(n):,} pages (mean {size['corpus']['mean_page_bytes'] / 1024:.0f} KiB)")
        for col in ("stage", "wall s", "CPU s", "docs/s", "docs/CPU-s", "incr. wall s"):
            table.add_column(col, justify="right" if col != "stage" else "left")
        full, inc = size["full"], size["incremental"]
        for stage in STAGES:
            f, i = full["stages"][stage], inc["stages"][stage]
            table.add_row(
                stage,
                f"{f['wall_s']:.1f}",
                f"{f['cpu_s']:.1f}",
                str(f["docs_per_s"]),
                str(f["docs_per_cpu_s"]),
                f"{i['wall_s']:.1f}",
            )
        table.add_row(
            "[bold]whole run", f"{full['wall_s']:.1f}", f"{full['cpu_s']:.1f}", "", "", f"{inc['wall_s']:.1f}"
        )
        console.print(table)
        over, mem = size["overhead"], full["memory"]
        console.print(
            f"  memory: tree peak {mem['tree_peak_mib']} MiB, parent {mem['self_mib']} MiB, "
            f"largest worker {mem['largest_child_mib']} MiB | "
            f"incremental share {size['incremental_share']:.1%} | "
            f"HTML-to-text ratio {over['ratio_cpu']} (CPU), {over['ratio_wall']} (wall) | "
            f"quality {size['full']['quality']}"
        )
    if record.get("marts"):
        table = Table(title=f"mart queries over {record['marts']['table']['rows']:,} events (ms)")
        for col in ("query", "parquet median", "parquet cold", "event_id order median", "in-memory median"):
            table.add_column(col, justify="right" if col != "query" else "left")
        queries = record["marts"]["queries"]
        pq_q, mem_q = queries["parquet"], queries["in_memory"]
        by_id_q = queries.get("parquet_by_event_id", {})
        for name, q in pq_q.items():
            small = by_id_q.get(name, {}).get("median_ms", "-")
            table.add_row(
                name, str(q["median_ms"]), str(q["cold_ms"]), str(small), str(mem_q[name]["median_ms"])
            )
        console.print(table)
    table = Table(title="targets")
    for col in ("target", "goal", "measured", "met"):
        table.add_column(col)
    for name, t in record["targets"].items():
        table.add_row(
            name, str(t["target"]), str(t["measured"]), {True: "yes", False: "NO", None: "-"}[t["met"]]
        )
    console.print(table)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Every measurement the arguments ask for; the JSON record."""
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    record: dict[str, Any] = {
        "machine": machine_info(),
        "settings": {
            "sizes": args.sizes,
            "workers": args.workers,
            "seed": args.seed,
            "work": str(work),
            "overhead_pages": args.overhead_pages,
            "mart_rows": args.mart_rows,
            "mart_repeats": args.mart_repeats,
            "data_docs": not args.no_data_docs,
            "rebuild": not args.no_rebuild,
        },
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "sizes": {},
    }
    for n in args.sizes:
        t0 = time.perf_counter()
        corpus, delta, info = ensure_corpus(work, n, args.seed)
        generate_s = time.perf_counter() - t0
        data = work / f"data-s{args.seed}-n{n}"
        common = {"workers": args.workers, "data_docs": not args.no_data_docs}
        full = in_child("full", corpus=str(corpus), data=str(data), **common)
        inc = in_child("incremental", delta=str(delta), data=str(data), **common)
        over = in_child("overhead", corpus=str(corpus), pages=min(args.overhead_pages, n))
        size = {
            "corpus": info,
            "corpus_ready_s": round(generate_s, 1),
            "full": full,
            "incremental": inc,
            "overhead": over,
            "incremental_share": round(inc["process_wall_s"] / full["process_wall_s"], 4),
            "incremental_share_in_process": round(inc["wall_s"] / full["wall_s"], 4),
        }
        if rebuild_available() and not args.no_rebuild:
            size["rebuild"] = time_rebuild(corpus, work / f"rebuild-s{args.seed}-n{n}", args.workers)
        record["sizes"][str(n)] = size
        _save(record, args.out)
    if args.mart_rows:
        record["marts"] = in_child(
            "marts", work=str(work), rows=args.mart_rows, repeats=args.mart_repeats, seed=args.seed
        )
    record["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    record["targets"] = evaluate(record)
    _save(record, args.out)
    return record


def combine(paths: list[Path]) -> dict[str, Any]:
    """One record from several (e.g. a 10k and a 100k run made apart): sizes and marts merged, the
    machine and settings of the first, targets evaluated again."""
    records = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    out = {**records[0], "sizes": {}, "combined_from": [str(p) for p in paths]}
    for record in records:
        out["sizes"].update(record.get("sizes", {}))
        if record.get("marts"):
            out["marts"] = record["marts"]
    out["settings"] = {**records[0]["settings"], "sizes": sorted(int(n) for n in out["sizes"])}
    out["targets"] = evaluate(out)
    return out


def _save(record: dict[str, Any], out: Path) -> None:
    out.write_text(json.dumps(record, indent=2, default=str) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description="Benchmark the tradecurbs pipeline.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--workers", type=int, default=2, help="processes for parsing (and extraction)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "tradecurbs-bench")
    parser.add_argument("--out", type=Path, default=Path("results.json"))
    parser.add_argument("--overhead-pages", type=int, default=1000)
    parser.add_argument("--mart-rows", type=int, default=1_000_000, help="0 skips the mart queries")
    parser.add_argument("--mart-repeats", type=int, default=5)
    parser.add_argument("--no-data-docs", action="store_true", help="validate without writing GX Data Docs")
    parser.add_argument("--no-rebuild", action="store_true", help="skip timing `tradecurbs rebuild`")
    parser.add_argument("--combine", type=Path, nargs="+", help="merge earlier JSON records into --out")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _run_child_mode(args.child, json.loads(args.params), args.result)
        return 0
    if args.combine:
        record = combine(args.combine)
        _save(record, args.out)
    else:
        record = run(args)
    print_table(record)
    print(f"JSON record: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
