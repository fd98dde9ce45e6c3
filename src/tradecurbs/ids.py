"""Stable identifiers: hashes of what a thing is, never of run order, time or a counter."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def stable_id(prefix: str, *parts: Any) -> str:
    """``prefix_`` plus 16 hex digits of the SHA-256 of the parts' canonical JSON."""
    payload = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return f"{prefix}_{hashlib.sha256(payload.encode('utf-8')).hexdigest()[:16]}"


def document_id(url: str) -> str:
    """Id of a document: a hash of its canonical URL."""
    return f"doc_{hashlib.sha256(url.encode('utf-8')).hexdigest()[:16]}"
