"""The ``tradecurbs extract`` command: documents in JSONL, one event per output line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tradecurbs.extraction.dates import format_date

OUTPUT_FIELDS = (
    "doc_id",
    "event_class",
    "measure_type",
    "imposing_jurisdiction",
    "imposing_body",
    "target_jurisdictions",
    "products",
    "hs_codes",
    "announced_on",
    "effective_on",
    "evidence",
    "confidence",
)


def to_record(event: dict[str, Any]) -> dict[str, Any]:
    """The JSONL record of one event, dates written at their precision."""
    rec = {k: event.get(k) for k in OUTPUT_FIELDS}
    rec["announced_on"] = format_date(event.get("announced_on"), event.get("announced_precision"))
    rec["effective_on"] = format_date(event.get("effective_on"), event.get("effective_precision"))
    return rec


def extract_jsonl(input_path: str | Path, output_path: str | Path) -> int:
    """Extract every document of input_path into output_path; returns the number of events written."""
    from tradecurbs.extraction import extract_document

    count = 0
    with open(input_path, encoding="utf-8") as src, open(output_path, "w", encoding="utf-8") as dst:
        for line in src:
            if not line.strip():
                continue
            doc = json.loads(line)
            for event in extract_document(doc):
                dst.write(json.dumps(to_record(event), ensure_ascii=False) + "\n")
                count += 1
    return count
