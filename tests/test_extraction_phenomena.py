"""Each phenomenon of tests/extraction_cases/*.yml, run through the whole extractor.

A case names the rule it is about, the phenomenon, a short text written for the test, the events the
text must yield (``expect: []``: none at all) and, optionally, events it must not yield (``absent``).
Every trigger rule of the lexicon has at least one case.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tradecurbs.extraction import extract_document
from tradecurbs.extraction.jsonio import to_record
from tradecurbs.extraction.lexicon import triggers

CASES_DIR = Path(__file__).resolve().parent / "extraction_cases"
# libyaml's parser when PyYAML has it: the same data as yaml.safe_load, read about 8 times faster
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _cases() -> list[dict[str, Any]]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        for n, case in enumerate(yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)):
            out.append(case | {"_id": f"{path.stem}:{n}:{case['rule']}"})
    return out


CASES = _cases()


def _extract(case: dict[str, Any]) -> list[dict[str, Any]]:
    doc = {
        "id": case["_id"],
        "url": case.get("url", "https://news.example.test/a"),
        "title": case.get("title", ""),
        "text": case["text"],
        "published": str(case.get("published", "")),
        "source_kind": case.get("kind", "news"),
        "language": case.get("language", "en"),
    }
    return [to_record(e) for e in extract_document(doc)]


def _matches(event: dict[str, Any], want: dict[str, Any]) -> bool:
    if event["measure_type"] != want["measure_type"] or event["imposing_jurisdiction"] != want["imposer"]:
        return False
    if "targets" in want and sorted(event["target_jurisdictions"]) != sorted(want["targets"]):
        return False
    for field in ("announced_on", "effective_on"):
        if field in want and str(event.get(field)) != str(want[field]):
            return False
    if "body" in want and event.get("imposing_body") != want["body"]:
        return False
    # ``date``: the date the scorer checks, either the announcement or the entry into force
    return "date" not in want or str(want["date"]) in (str(event["announced_on"]), str(event["effective_on"]))


@pytest.mark.parametrize("case", CASES, ids=[c["_id"] for c in CASES])
def test_phenomenon(case: dict[str, Any]) -> None:
    events = _extract(case)
    shown = [
        (e["measure_type"], e["imposing_jurisdiction"], e["target_jurisdictions"], e["announced_on"],
         e["effective_on"])
        for e in events
    ]  # fmt: skip
    if not case["expect"]:
        assert events == [], f"{case['phenomenon']}: expected no event, got {shown}"
    for want in case["expect"]:
        assert any(_matches(e, want) for e in events), f"{case['phenomenon']}: {want} not in {shown}"
    for unwanted in case.get("absent", []):  # events the text must not yield
        assert not any(_matches(e, unwanted) for e in events), f"{case['phenomenon']}: {unwanted} in {shown}"


def test_every_trigger_rule_has_a_case() -> None:
    covered = {c["rule"] for c in CASES}
    missing = [rule for rule, _, _ in triggers() if rule not in covered]
    assert not missing, f"trigger rules without a phenomenon case: {missing}"
