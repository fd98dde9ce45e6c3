"""The extractor's version: a fingerprint of everything that decides its output.

Extractions are cached per text and extractor version, so the version must change whenever a rule file
or the extractor's code does; a hand-bumped string would let a scheduled run reuse stale extractions.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


@cache
def extractor_version() -> str:
    """``rules-`` and 12 hex digits of a SHA-256 over the extractor's code and data files, in name order."""
    digest = hashlib.sha256()
    for path in sorted([*_HERE.glob("*.py"), *(_HERE / "data").glob("*.yml")]):
        digest.update(path.relative_to(_HERE).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return "rules-" + digest.hexdigest()[:12]
