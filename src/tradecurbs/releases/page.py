"""``index.html`` of a release: one self-contained page (inline CSS, script and SVG; no request leaves it).

It says what the dataset is, shows counts by class, imposer and month, the events with a search box,
the changes, the validation results, the data dictionary from schemas/, the files with their sizes
and sha256, and a schema.org ``Dataset`` record (JSON-LD) for search engines.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from html import escape
from pathlib import Path
from typing import Any

import pyarrow as pa

from tradecurbs.contracts import contract
from tradecurbs.releases.charts import column_chart, hbar_chart
from tradecurbs.releases.datapackage import dataset_metadata
from tradecurbs.releases.delta import Delta
from tradecurbs.releases.files import release_files
from tradecurbs.releases.page_stats import EventStats, event_stats

PAGE = "index.html"
VALIDATION_REPORT = "validation/validation.json"
MAX_EVENT_ROWS = 2000
MAX_CHANGE_ROWS = 500
TOP_IMPOSERS = 15
_ASSETS = Path(__file__).resolve().parents[1] / "data"


def _e(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return escape(", ".join(str(v) for v in value))
    return escape(str(value))


def _table(
    headers: list[str], rows: list[list[str]], table_id: str | None = None, numeric: Collection[str] = ()
) -> str:
    """An HTML table of already escaped cells; ``numeric`` columns are right-aligned."""
    ident = f' id="{table_id}"' if table_id else ""
    head = "".join(f'<th class="num">{h}</th>' if h in numeric else f"<th>{h}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{c}</td>' if h in numeric else f"<td>{c}</td>"
            for h, c in zip(headers, r, strict=True)
        )
        + "</tr>"
        for r in rows
    )
    return f"<table{ident}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _events_section(stats: EventStats) -> str:
    rows = []
    for r in stats.recent:
        url = r.get("first_source_url") or ""
        web = url.startswith(("http://", "https://"))
        link = f'<a href="{escape(url)}" rel="nofollow noreferrer">source</a>' if web else ""
        rows.append(
            [
                _e(r.get("event_date")),
                _e(r.get("imposing_jurisdiction")),
                _e(r.get("event_class")),
                _e(r.get("measure_type")),
                _e(r.get("target_jurisdictions")),
                _e(r.get("products")),
                _e(r.get("hs_codes")),
                _e(r.get("status")),
                _e(r.get("n_mentions")),
                _e(r.get("summary")) + " " + link,
            ]
        )
    more = (
        f'<p class="meta">The {len(rows)} most recent of {stats.n} events are shown; '
        "query the files for all.</p>"
        if stats.n > len(rows)
        else ""
    )
    headers = ["date", "imposer", "class", "measure", "targets", "products", "HS", "status", "mentions"]
    return (
        '<h2 id="events">Events</h2>'
        '<input type="search" placeholder="Search events (all words)" aria-label="Search events" '
        'data-table="events-table" data-count="events-shown">'
        f'<p class="meta"><span id="events-shown">{len(rows)}</span> events shown.</p>{more}'
        f'<div class="scroll">{_table([*headers, "summary"], rows, "events-table", {"mentions"})}</div>'
    )


def _changes_section(delta: Delta | None) -> str:
    if delta is None:
        return ""
    n = delta.counts
    since = f"Since release {delta.previous_version}" if delta.previous_version else "First release"
    rows = [
        [c.change, f"<code>{_e(c.event_id)}</code>", _e(", ".join(c.fields)), _e(c.row.get("summary"))]
        for c in delta.changes[:MAX_CHANGE_ROWS]
    ]
    return (
        '<h2 id="changes">Changes</h2>'
        f"<p>{escape(since)}: {n['added']} added, {n['modified']} modified, {n['removed']} removed "
        '(details in <a href="CHANGES.md">CHANGES.md</a> and <code>changes.parquet</code>).</p>'
        f'<div class="scroll">{_table(["change", "event", "changed fields", "summary"], rows)}</div>'
    )


def _validation_section(report: dict[str, Any] | None) -> str:
    if report is None:
        return '<h2 id="validation">Validation</h2><p class="empty">No validation report in this release.</p>'
    verdict = '<span class="ok">passed</span>' if report.get("success") else '<span class="bad">failed</span>'
    rows = []
    details = []
    for name, batch in report.get("batches", {}).items():
        entries = batch.get("expectations", [])
        passed = sum(1 for e in entries if e.get("success"))
        rows.append([_e(name), _e(batch.get("rows")), f"{passed} / {len(entries)}"])
        items = "".join(
            f"<li>{'✓' if e.get('success') else '✗'} <code>{_e(e.get('expectation'))}</code> "
            f"{_e(', '.join(e.get('columns') or []))} — {_e(e.get('rule'))}</li>"
            for e in entries
        )
        details.append(f"<details><summary>{_e(name)}</summary><ul>{items}</ul></details>")
    lines = "".join(f'<li class="bad">{_e(f)}</li>' for f in report.get("failures", []))
    lines += "".join(f'<li class="warn">{_e(w)}</li>' for w in report.get("warnings", []))
    return (
        '<h2 id="validation">Validation</h2>'
        f"<p>Great Expectations {_e(report.get('great_expectations_version'))} checked every table against "
        f"its contract on {_e(report.get('generated_at'))}: {verdict}. "
        f'Full report: <a href="{VALIDATION_REPORT}">{VALIDATION_REPORT}</a>'
        + (
            f'; Great Expectations\' own <a href="validation/{report["data_docs"]}">Data Docs</a> '
            "(they load their styles and scripts from the internet)"
            if report.get("data_docs")
            else ""
        )
        + ".</p>"
        + (f"<ul>{lines}</ul>" if lines else "")
        + _table(["table or list column", "rows", "expectations met"], rows, numeric={"rows"})
        + "".join(details)
    )


def _dictionary_section(names: list[str]) -> str:
    parts = ['<h2 id="dictionary">Data dictionary</h2>']
    for name in names:
        try:
            c = contract(name)
        except FileNotFoundError:
            continue
        rows = [
            [
                f"<code>{_e(col.name)}</code>",
                _e(col.type),
                "yes" if col.required else "",
                _e(col.references),
                _e(col.description),
            ]
            for col in c.columns
        ]
        parts.append(
            f'<h3 id="table-{name}"><code>{name}</code></h3><p>{_e(c.description.strip())} '
            f"Key: <code>{_e(c.primary_key)}</code>.</p>"
            + _table(["column", "type", "required", "references", "description"], rows)
        )
    return "".join(parts)


def _files_section(files: list[dict[str, Any]]) -> str:
    rows = [
        [
            f'<a href="{escape(f["path"])}">{_e(f["path"])}</a>',
            f"{f['bytes']:,}",
            f"<code>{f['sha256']}</code>",
        ]
        for f in files
    ]
    return (
        '<h2 id="files">Files</h2><p>Check a download with <code>sha256sum FILE</code>.</p>'
        + _table(["file", "bytes", "sha256"], rows, numeric={"bytes"})
    )


def _json_ld(package: dict[str, Any], stats: EventStats) -> str:
    meta = dataset_metadata()
    record: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": package["title"],
        "description": package["description"],
        "version": package["version"],
        "dateCreated": package["created"],
        "url": package["homepage"],
        "keywords": package["keywords"],
        "license": package["licenses"][0]["path"],
        "isAccessibleForFree": True,
        "creator": [{"@type": "Organization", "name": c["title"]} for c in meta.get("contributors", [])],
        "distribution": [
            {
                "@type": "DataDownload",
                "name": r["name"],
                "contentUrl": r["path"],
                "encodingFormat": r.get("mediatype", ""),
                "contentSize": str(r["bytes"]),
                "sha256": r["hash"].removeprefix("sha256:"),
            }
            for r in package["resources"]
        ],
        "variableMeasured": [r["name"] for r in package["resources"] if r.get("type") == "table"],
    }
    if stats.first and stats.last:
        record["temporalCoverage"] = f"{stats.first.isoformat()}/{stats.last.isoformat()}"
    text = json.dumps(record, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def _citation(package: dict[str, Any]) -> str:
    who = ", ".join(c["title"] for c in dataset_metadata().get("contributors", []))
    year = package["created"][:4]
    return f"{who} ({year}). {package['title']}, release {package['version']} [Data set]. CC BY 4.0."


def render_page(
    folder: Path, package: dict[str, Any], tables: dict[str, pa.Table], delta: Delta | None
) -> str:
    """The HTML of the release page (the folder's files must be written)."""
    folder = Path(folder)
    stats = event_stats(tables.get("events"), TOP_IMPOSERS, MAX_EVENT_ROWS)
    documents = tables.get("documents")
    has_status = documents is not None and "status" in documents.schema.names
    docs = documents.column("status").to_pylist() if has_status else []
    report_path = folder / VALIDATION_REPORT
    report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.is_file() else None
    files = [f for f in release_files(folder) if f["path"] != PAGE]
    cards = [
        ("events", stats.n),
        ("mentions", tables["mentions"].num_rows if "mentions" in tables else 0),
        ("documents", len(docs)),
        ("of which failed", docs.count("failed")),
    ]
    title = escape(package["title"])
    css = (_ASSETS / "page.css").read_text(encoding="utf-8")
    script = (_ASSETS / "page.js").read_text(encoding="utf-8")
    licence = package["licenses"][0]
    body = [
        f"<h1>{title}</h1>",
        f'<p class="meta">Release <b>{escape(package["version"])}</b>, built {escape(package["created"])} '
        f"by {escape(package['generator'])}.</p>",
        '<nav><a href="#charts">charts</a><a href="#events">events</a><a href="#changes">changes</a>'
        '<a href="#validation">validation</a><a href="#dictionary">data dictionary</a>'
        '<a href="#files">files</a><a href="#use">use</a></nav>',
        f"<p>{escape(package['description'])}</p>",
        '<div class="cards">'
        + "".join(f'<div class="card"><b>{n:,}</b>{escape(k)}</div>' for k, n in cards)
        + "</div>",
        f'<p>Data licence: <a href="{escape(licence["path"])}">{escape(licence["title"])}</a> '
        '(see <a href="LICENSE-DATA.md">LICENSE-DATA.md</a>; the evidence sentences stay their publishers\', '
        'quoted with their link). Code: <a href="LICENSE">MIT</a>. '
        f'Cite as: {escape(_citation(package))} (<a href="CITATION.cff">CITATION.cff</a>)</p>',
        '<h2 id="charts">Counts</h2><div class="charts">',
        hbar_chart(stats.classes, "Events by class"),
        hbar_chart(stats.imposers, f"Events by imposer (top {TOP_IMPOSERS})"),
        column_chart(stats.months, "Events by month of their date"),
        "</div>",
        _events_section(stats),
        _changes_section(delta),
        _validation_section(report),
        _dictionary_section([r["name"] for r in package["resources"] if r.get("type") == "table"]),
        _files_section(files),
        '<h2 id="use">Use</h2><pre>tradecurbs sql --release . "SELECT * FROM events"\n'
        "duckdb -c '.read views.sql' -c 'SELECT measure_type, count(*) FROM events GROUP BY ALL'\n"
        "python -c \"import tradecurbs; print(tradecurbs.load('events', version='.'))\"</pre>",
    ]
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title} {escape(package['version'])}</title><style>{css}</style>"
        f"{_json_ld(package, stats)}</head><body>{''.join(body)}<script>{script}</script></body></html>\n"
    )


def write_page(
    folder: Path, package: dict[str, Any], tables: dict[str, pa.Table], delta: Delta | None
) -> Path:
    """Write ``index.html`` into the release ``folder``."""
    path = Path(folder) / PAGE
    path.write_text(render_page(folder, package, tables, delta), encoding="utf-8")
    return path
