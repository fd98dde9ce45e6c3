"""Extraction speed on the development corpus, and a dump of the extractor's output to compare builds.

    python -m benchmarks.extract_speed [--passes 7] [--warm] [--profile FILE]
    python -m benchmarks.extract_speed --dump out.json [--generated 600]

Speed: the documents of ``../shared/eval/dev`` are loaded, the lexicons compiled (``prepare``), one
warm-up pass run, then ``--passes`` passes are each timed in CPU seconds (``time.process_time``); the
median is printed as documents per CPU-second, with the load average. Before each timed pass the
memos keyed on text (sentence-level ``lru_cache``s) are emptied, so that every pass reads the texts as
new documents, as a real run does; ``--warm`` keeps them.

``TRADECURBS_DEV_DOCS`` names another folder of dev documents (a checkout outside the work tree).

Dump: the output of ``extract_document`` and of ``explain_document`` for every dev document, every
text of ``tests/extraction_cases`` and ``--generated`` pages of the synthetic benchmark corpus (their
text made as the crawl makes it), as canonical JSON: two builds of the extractor that agree write the
same bytes.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROOT = Path(__file__).resolve().parents[1]
DEV_DOCS = Path(os.environ.get("TRADECURBS_DEV_DOCS", ROOT.parent / "shared" / "eval" / "dev" / "docs"))
CASES_DIR = ROOT / "tests" / "extraction_cases"
DOC_KEYS = ("id", "url", "title", "text", "published", "source_kind", "language")


def dev_documents() -> list[dict[str, Any]]:
    """The dev corpus documents, by file name, with the fields the extractor reads."""
    docs = []
    for path in sorted(DEV_DOCS.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        docs.append({k: raw.get(k) for k in DOC_KEYS})
    return docs


def case_documents() -> list[dict[str, Any]]:
    """One document per phenomenon case of the extraction tests."""
    import yaml

    docs = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        for n, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))):
            docs.append(
                {
                    "id": f"{path.stem}:{n}",
                    "url": case.get("url", "https://news.example.test/a"),
                    "title": case.get("title", ""),
                    "text": case["text"],
                    "published": str(case.get("published", "")),
                    "source_kind": case.get("kind", "news"),
                    "language": case.get("language", "en"),
                }
            )
    return docs


def generated_documents(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """Pages of the synthetic corpus turned into documents as the crawl turns them (two-pass text): every
    page that reports a measure among the first pages, and as many ordinary pages, ``n`` in all."""
    from benchmarks.generate_corpus import catalogue_size, make_document, reports_event
    from tradecurbs.sources.encoding import decode_html
    from tradecurbs.sources.pagetext import page_text

    n_events = catalogue_size(10 * n)
    picked: list[int] = []
    plain = 0
    i = 0
    while len(picked) < n:
        event = reports_event(seed, i)
        if event or plain < n // 2:
            picked.append(i)
            plain += not event
        i += 1
    docs = []
    for i in picked:
        page = make_document(seed, i, n_events)
        got = page_text(decode_html(page.body, page.content_type), page.url, hint=page.title).article
        if got is None:
            continue
        docs.append(
            {
                "id": f"gen:{i}",
                "url": page.url,
                "title": got.title or page.title,
                "text": got.text,
                "published": page.published.date().isoformat(),
                "source_kind": "official" if page.truth and page.truth["official"] else "news",
                "language": "en",
            }
        )
    return docs


def clear_text_memos() -> None:
    """Empty what the extractor remembers of the texts it read: every bounded ``lru_cache`` of the
    extraction package (memos keyed on a text) and the memos keyed on the keywords a text holds; the
    unbounded caches hold compiled lexicons and stay."""
    for name, module in list(sys.modules.items()):
        if not name.startswith("tradecurbs.extraction"):
            continue
        for obj in vars(module).values():
            params = getattr(obj, "cache_parameters", None)
            if params is not None and hasattr(obj, "cache_clear") and params().get("maxsize") is not None:
                obj.cache_clear()
    from tradecurbs.extraction import dates
    from tradecurbs.extraction.keywords import trigger_index

    trigger_index().memo.clear()
    getattr(dates._lexicon()["needs"], "memo", {}).clear()


def _explained(trace: dict[str, Any]) -> dict[str, Any]:
    """The explanation without the extractor's version (a fingerprint of its code, which a change of
    mechanism changes on purpose)."""
    return {k: v for k, v in trace.items() if k != "extractor_version"}


def dump(path: Path, generated: int) -> None:
    """Write the extractor's output for every document of the comparison corpus to ``path``."""
    from tradecurbs.extraction import explain_document, extract_document

    corpora = {"dev": dev_documents(), "cases": case_documents()}
    if generated:
        corpora["generated"] = generated_documents(generated)
    out: dict[str, Any] = {}
    for name, docs in corpora.items():
        clear_text_memos()
        out[name] = [
            {"id": d["id"], "mentions": extract_document(d), "explain": _explained(explain_document(d))}
            for d in docs
        ]
    text = json.dumps(out, ensure_ascii=False, sort_keys=True, indent=0, default=str)
    path.write_text(text + "\n", encoding="utf-8")
    print(f"{sum(len(v) for v in out.values())} documents written to {path}")


def timed_passes(docs: list[dict[str, Any]], passes: int, warm: bool) -> list[float]:
    """CPU seconds of each timed pass of ``run`` over ``docs`` (after one warm-up pass)."""
    from tradecurbs.extraction.extractor import prepare, run

    prepare()
    for doc in docs:
        run(doc, explain=False)
    times = []
    for _ in range(passes):
        if not warm:
            clear_text_memos()
        gc.collect()
        t0 = time.process_time()
        for doc in docs:
            run(doc, explain=False)
        times.append(time.process_time() - t0)
    return times


def profile(docs: list[dict[str, Any]], out: Path, passes: int) -> None:
    """Profile ``passes`` passes (text memos emptied before each) after a warm-up; print the top."""
    from tradecurbs.extraction.extractor import prepare, run

    prepare()
    for doc in docs:
        run(doc, explain=False)
    prof = cProfile.Profile()
    for _ in range(passes):
        clear_text_memos()
        prof.enable()
        for doc in docs:
            run(doc, explain=False)
        prof.disable()
    prof.dump_stats(str(out))
    stats = pstats.Stats(str(out))
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(35)


def main(argv: list[str] | None = None) -> int:
    """Command line: time the extractor, profile it, or dump its output."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--passes", type=int, default=7)
    ap.add_argument("--warm", action="store_true", help="keep the per-text memos between passes")
    ap.add_argument("--dump", type=Path, help="write the output of every comparison document here")
    ap.add_argument("--generated", type=int, default=0, help="synthetic pages in the dump")
    ap.add_argument("--profile", type=Path, help="write cProfile stats here and print the top")
    args = ap.parse_args(argv)
    import tradecurbs

    print(f"tradecurbs from {Path(tradecurbs.__file__).parent}", file=sys.stderr)
    if args.dump:
        dump(args.dump, args.generated)
        return 0
    docs = dev_documents()
    if args.profile:
        profile(docs, args.profile, args.passes)
        return 0
    load_before = os.getloadavg()
    times = timed_passes(docs, args.passes, args.warm)
    load_after = os.getloadavg()
    med = statistics.median(times)
    rates = ", ".join(f"{len(docs) / t:.0f}" for t in times)
    print(f"{len(docs)} dev documents, {args.passes} passes ({'warm' if args.warm else 'memos emptied'})")
    print(f"docs/CPU-s per pass: {rates}")
    print(f"median: {len(docs) / med:.0f} documents per CPU-second ({med * 1000:.1f} ms a pass)")
    print(f"load average: {load_before[0]:.2f} before, {load_after[0]:.2f} after")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
