"""Load the extractor's data files (extraction/data/*.yml) once and compile them."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from tradecurbs.extraction.folding import Translation

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def load(name: str) -> Any:
    """Parsed content of ``data/<name>.yml``."""
    return yaml.safe_load((DATA_DIR / f"{name}.yml").read_text(encoding="utf-8"))


@cache
def zh_table() -> dict[int, str]:
    """str.translate table turning traditional Chinese characters into simplified ones."""
    table: dict[int, str] = {}
    for pair in load("zh_variants")["pairs"].split():
        if len(pair) == 2:
            table[ord(pair[0])] = pair[1]
    return table


@cache
def _simplify() -> Translation:
    return Translation(zh_table())


def to_simplified(text: str) -> str:
    """Map traditional characters to simplified ones, one for one (offsets unchanged)."""
    return text if text.isascii() else _simplify()(text)


def compile_any(patterns: list[str], flags: int = re.IGNORECASE) -> re.Pattern[str] | None:
    """One regex that matches any of the patterns (None for an empty list)."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


@cache
def triggers() -> list[tuple[str, str, re.Pattern[str]]]:
    """(rule id, measure_type, compiled regex) for every trigger entry: triggers.yml (English and Chinese)
    first, then triggers_intl.yml (other languages)."""
    out = []
    for name in ("triggers", "triggers_intl"):
        raw = load(name)
        verbs = raw.get("verbs", {})
        for entry in raw["triggers"]:
            pattern = entry["re"]
            for key, value in verbs.items():
                pattern = pattern.replace("{" + key + "}", value)
            # sentences are matched with traditional Chinese simplified (Japanese kanji such as 輸 too)
            out.append((entry["id"], entry["type"], re.compile(to_simplified(pattern), re.IGNORECASE)))
    return out


@cache
def trigger_needs() -> dict[str, str]:
    """Rule id -> the kind of place its span must hold (``needs`` in the lexicon), for the rules with one."""
    return {
        entry["id"]: entry["needs"]
        for name in ("triggers", "triggers_intl")
        for entry in load(name)["triggers"]
        if entry.get("needs")
    }


@cache
def rules_for_language(language: str | None) -> frozenset[int] | None:
    """Indexes (into ``triggers()``) of the rules a document in this language is searched with: every rule
    of triggers.yml and the rules of triggers_intl.yml whose group reads the language. None when the
    language is unknown (every rule applies)."""
    tag = (language or "").lower()
    if not tag:
        return None
    groups = load("triggers_intl").get("languages", {})
    readers = {g for g, langs in groups.items() if tag in langs or tag.split("-")[0] in langs}
    english_and_chinese = len(load("triggers")["triggers"])
    return frozenset(
        i
        for i, (rule, _, _) in enumerate(triggers())
        if i < english_and_chinese or rule.split(".")[0] in readers
    )
