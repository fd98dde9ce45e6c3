"""Run the contract-derived plan with Great Expectations: suites, results, JSON summary, Data Docs."""

from __future__ import annotations

import json
import logging
import re
import shutil
import time
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tradecurbs.contracts import contract
from tradecurbs.validation.plan import Batch, Check, Plan, build_plan

REPORT_NAME = "validation.json"
DOCS_DIR = "data_docs"
_SITE = "tradecurbs"
_SAMPLE = 3  # offending values quoted in a failure line
_JSON_SAMPLE = 50  # longer lists are cut to this many values in the JSON summary
_INLINE_SET = 12  # value sets longer than this are passed as suite parameters


@dataclass
class ValidationOutcome:
    """What validate_release found: success, one line per failure and per warning, where the reports are."""

    success: bool
    failures: list[str]
    warnings: list[str]
    report_path: Path
    data_docs_path: Path | None
    timings: dict[str, float] = field(default_factory=dict)


def validate_release(
    tables: dict[str, pd.DataFrame],
    previous_counts: dict[str, int] | None,
    report_dir: Path,
    *,
    data_docs: bool = True,
) -> ValidationOutcome:
    """Validate the documents, mentions and events tables of a release (and the marts it holds) against
    their contracts.

    Minimums fail and maximums warn: an events table that shrank more than its contract's
    ``max_drop_share`` against ``previous_counts`` fails; a table more than twice its previous size
    only warns. Writes ``report_dir/validation.json`` and, unless ``data_docs`` is False, GX Data
    Docs under ``report_dir/data_docs``.
    """
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    plan = build_plan(tables, previous_counts)
    timings["plan_s"] = time.perf_counter() - t0

    t = time.perf_counter()
    gx, gxe = _import_gx()
    timings["import_s"] = time.perf_counter() - t

    t = time.perf_counter()
    docs_dir = (report_dir / DOCS_DIR).resolve()  # GX builds no Docs for a relative base_directory
    context = _context(gx, docs_dir)
    source = context.data_sources.add_pandas("release")
    results: list[tuple[Batch, list[tuple[Check, Any]]]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GX emits deprecation and future warnings on pandas 3
        for batch in plan.batches:
            results.append((batch, _run_batch(gx, gxe, context, source, batch)))
    timings["validate_s"] = time.perf_counter() - t

    failures = list(plan.problems)
    warn_lines: list[str] = []
    for batch, pairs in results:
        for check, res in pairs:
            if not res.success:
                line = _failure_line(batch, check, res, plan)
                (warn_lines if check.warn_only else failures).append(line)

    t = time.perf_counter()
    docs_index: Path | None = None
    if data_docs:
        docs_index, problem = _build_docs(context, docs_dir)
        if problem:
            warn_lines.append(problem)
    timings["data_docs_s"] = time.perf_counter() - t
    timings["total_s"] = time.perf_counter() - t0

    report_path = report_dir / REPORT_NAME
    summary = _summary(
        plan, results, failures, warn_lines, previous_counts, timings, gx.__version__, docs_index is not None
    )
    report_path.write_text(json.dumps(summary, indent=2, default=_json_default), encoding="utf-8")
    return ValidationOutcome(
        success=not failures,
        failures=failures,
        warnings=warn_lines,
        report_path=report_path,
        data_docs_path=docs_index,
        timings={k: round(v, 3) for k, v in timings.items()},
    )


# --------------------------------------------------------------------------- GX plumbing


def _import_gx() -> tuple[Any, Any]:
    """Import great_expectations (seconds: kept out of module import) and quiet its loggers."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    return gx, gxe


def _context(gx: Any, docs_dir: Path) -> Any:
    """An ephemeral context without progress bars whose only Data Docs site is ``docs_dir``."""
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    for name, site in dict(context.list_data_docs_sites()).items():
        context.delete_data_docs_site(name)
        default_dir = Path(site.get("store_backend", {}).get("base_directory", ""))
        if default_dir.is_absolute() and default_dir.is_dir() and not any(default_dir.iterdir()):
            default_dir.rmdir()  # the empty temporary folder GX made for its default ephemeral site
    if docs_dir.exists():
        shutil.rmtree(docs_dir)  # the docs describe this run only
    context.add_data_docs_site(
        _SITE,
        {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    return context


def _build_docs(context: Any, docs_dir: Path) -> tuple[Path | None, str | None]:
    """Build the Data Docs site; on a rendering error return a warning line instead of raising."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            context.build_data_docs(site_names=[_SITE])
    except Exception as exc:  # Data Docs are a courtesy: a rendering bug must not hide the verdict
        return None, f"data docs: could not be built: {type(exc).__name__}: {exc}"
    index = docs_dir / "index.html"
    return (index, None) if index.is_file() else (None, f"data docs: {index} was not written")


def _expectation(gxe: Any, check: Check, index: int, parameters: dict[str, Any]) -> Any:
    """The GX expectation object of a plan check.

    A long value set (jurisdiction codes, referenced ids) becomes a suite parameter, filled in at run
    time from ``parameters``: GX copies an expectation's kwargs many times while validating, and the
    Data Docs then name the set instead of listing hundreds of values.
    """
    from great_expectations.expectations.metadata_types import FailureSeverity
    from great_expectations.expectations.row_conditions import Column

    kwargs = dict(check.kwargs)
    if len(kwargs.get("value_set", ())) > _INLINE_SET:
        name = re.sub(r"\W+", "_", check.rule.split(":")[0]) + f"_{index}"
        parameters[name] = kwargs["value_set"]
        kwargs["value_set"] = {"$PARAMETER": name}
    cond = kwargs.pop("row_condition", None)
    if cond is not None:
        col = Column(cond["column"])
        kwargs["row_condition"] = col == cond["value"] if cond["op"] == "==" else col != cond["value"]
    severity = FailureSeverity.WARNING if check.warn_only else FailureSeverity.CRITICAL
    return getattr(gxe, check.expectation)(
        **kwargs, severity=severity, meta={"rule": check.rule, "check": index}, notes=check.rule
    )


def _run_batch(gx: Any, gxe: Any, context: Any, source: Any, batch: Batch) -> list[tuple[Check, Any]]:
    """Validate one batch against its suite; pair every check with its GX result."""
    definition = source.add_dataframe_asset(batch.name).add_batch_definition_whole_dataframe("whole")
    # one store write for the whole suite (suite.add_expectation re-serializes the suite each time)
    parameters: dict[str, Any] = {}
    expectations = [_expectation(gxe, check, i, parameters) for i, check in enumerate(batch.checks)]
    suite = context.suites.add(gx.ExpectationSuite(name=batch.name, expectations=expectations))
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=batch.name, data=definition, suite=suite)
    )
    result = validation.run(
        batch_parameters={"dataframe": batch.frame},
        expectation_parameters=parameters,
        result_format="SUMMARY",
    )
    by_index = {r.expectation_config.meta["check"]: r for r in result.results}
    return [(check, by_index[i]) for i, check in enumerate(batch.checks)]


# --------------------------------------------------------------------------- reporting


def _fmt(value: Any) -> str:
    """A value as it should read in a failure line (dates without midnight times, nulls as null)."""
    if isinstance(value, tuple | list):
        return "(" + ", ".join(_fmt(v) for v in value) + ")"
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "null"
    if isinstance(value, np.datetime64 | pd.Timestamp | datetime):
        if pd.isna(value):
            return "null"
        ts = pd.Timestamp(value)
        return ts.date().isoformat() if ts == ts.normalize() and ts.tzinfo is None else ts.isoformat()
    return repr(value.item() if isinstance(value, np.generic) else value)


def _exception(res: Any) -> str | None:
    """The first line of the exception GX caught for an expectation, or None.

    ``exception_info`` is either one record or, for errors while computing metrics, a mapping of
    metric ids to records.
    """
    info = res.exception_info or {}
    records = [info] if "raised_exception" in info else [v for v in info.values() if isinstance(v, dict)]
    for record in records:
        if record.get("raised_exception"):
            lines = str(record.get("exception_message") or "").strip().splitlines()
            return lines[0] if lines else "exception raised"
    return None


def _failure_line(batch: Batch, check: Check, res: Any, plan: Plan) -> str:
    """One readable line: batch, expectation, columns, rule, and a few offending values with their keys."""
    cols = ", ".join(check.columns)
    head = f"{batch.name}: {res.expectation_config.type}({cols}) [{check.rule}]"
    error = _exception(res)
    if error is not None:
        return f"{head}: error: {error}"
    r = res.result or {}
    if check.expectation == "ExpectTableColumnsToMatchSet":
        observed = set(r.get("observed_value") or [])
        expected = set(check.kwargs["column_set"])
        return (
            f"{head}: missing {sorted(expected - observed) or '[]'}, "
            f"unexpected {sorted(observed - expected) or '[]'}"
        )
    if "unexpected_count" in r:
        values = r.get("partial_unexpected_list") or []
        index = r.get("partial_unexpected_index_list") or []
        pk = contract(batch.table).primary_key
        shown: list[str] = []
        for i, value in enumerate(values):
            key = batch.key_of(index[i], plan.tables) if i < len(index) and pk not in check.columns else None
            text = f"{_fmt(value)} ({pk} {key})" if key is not None else _fmt(value)
            if text not in shown:
                shown.append(text)
            if len(shown) == _SAMPLE:
                break
        return (
            f"{head}: {r['unexpected_count']} of {r.get('element_count')} unexpected, e.g. {'; '.join(shown)}"
        )
    return f"{head}: observed {_fmt(r.get('observed_value'))}"


def _short(value: Any) -> Any:
    """Long lists (value sets, samples) cut to a sample and their length, for the JSON summary."""
    if isinstance(value, list) and len(value) > _JSON_SAMPLE:
        return {"n": len(value), "first": value[:_JSON_SAMPLE]}
    return value


def _summary(
    plan: Plan,
    results: list[tuple[Batch, list[tuple[Check, Any]]]],
    failures: list[str],
    warn_lines: list[str],
    previous_counts: dict[str, int] | None,
    timings: dict[str, float],
    gx_version: str,
    docs_built: bool,
) -> dict[str, Any]:
    """The JSON summary: overall verdict, then per batch (table) and expectation the result."""
    batches: dict[str, Any] = {}
    for batch, pairs in results:
        entries = []
        for check, res in pairs:
            r = res.to_json_dict().get("result") or {}
            observed = {
                k: _short(v)
                for k, v in r.items()
                if k
                in (
                    "observed_value",
                    "element_count",
                    "unexpected_count",
                    "unexpected_percent",
                    "missing_count",
                    "partial_unexpected_list",
                    "details",
                )
            }
            entries.append(
                {
                    "expectation": res.expectation_config.type,
                    "columns": check.columns,
                    "kwargs": {k: _short(v) for k, v in check.kwargs.items()},
                    "rule": check.rule,
                    "severity": "warning" if check.warn_only else "critical",
                    "success": bool(res.success),
                    "observed": observed,
                    "exception": _exception(res),
                }
            )
        batches[batch.name] = {
            "table": batch.table,
            "list_column": batch.column,
            "rows": len(batch.frame),
            "success": all(e["success"] or e["severity"] == "warning" for e in entries),
            "expectations": entries,
        }
    return {
        "success": not failures,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "great_expectations_version": gx_version,
        "row_counts": {t: len(df) for t, df in plan.tables.items()},
        "previous_counts": previous_counts,
        "failures": failures,
        "warnings": warn_lines,
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
        "data_docs": f"{DOCS_DIR}/index.html" if docs_built else None,
        "batches": batches,
    }


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp | datetime | np.datetime64):
        return _fmt(value).strip("'")
    return str(value)
