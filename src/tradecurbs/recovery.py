"""Convergence: each run first finishes what a killed or failed run left undone.

- Temporary files of writers killed mid-write are deleted; a staged corpus that cannot be read is
  moved aside (its documents are fetched again: the raw archive answers the conditional requests).
- The state forgets documents it calls ingested that the staged corpus does not hold, so they are
  crawled again instead of being skipped forever.
- A complete release folder the catalog does not list is cataloged; an incomplete one is removed.
- ``staged/published.json`` records a digest of the staged documents and mentions when a release
  is published from them (or found equal to the latest one). While the staged files differ from
  that digest, the run builds, validates and publishes even when it fetched nothing new, so a run
  killed after staging, a failed validation or a failed publish is retried (and fails loudly) until
  its data is published.
"""

from __future__ import annotations

import hashlib
import json
import time

import pyarrow as pa

from tradecurbs.durable import atomic_write_text, remove_stale_temporaries
from tradecurbs.settings import DataPaths
from tradecurbs.warehouse.build import STAGED_DOCUMENTS, STAGED_MENTIONS, read_parquet

PUBLISHED_MARK = "published.json"


def staged_fingerprint(paths: DataPaths) -> str:
    """A digest of the staged documents and mentions (what a release is built from)."""
    digest = hashlib.sha256()
    for name in (STAGED_DOCUMENTS, STAGED_MENTIONS):
        path = paths.staged / name
        digest.update(name.encode() + b"\0")
        if path.is_file():
            with open(path, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()


def published_mark(paths: DataPaths) -> dict[str, str] | None:
    """What ``mark_published`` last recorded, if anything readable."""
    try:
        return json.loads((paths.staged / PUBLISHED_MARK).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def unpublished(paths: DataPaths) -> bool:
    """Whether the staged data differs from the data of the latest publish (or identical build)."""
    mark = published_mark(paths)
    return mark is None or mark.get("fingerprint") != staged_fingerprint(paths)


def mark_published(paths: DataPaths, version: str) -> None:
    """Record that the staged data, as it is now, is published as ``version``."""
    mark = {"fingerprint": staged_fingerprint(paths), "version": version}
    atomic_write_text(paths.staged / PUBLISHED_MARK, json.dumps(mark, indent=2) + "\n")


def _staged_corpus(paths: DataPaths, notes: list[str]) -> dict[str, str | None]:
    """Document id -> text digest of the ok documents of the staged corpus; a corrupt file is moved aside."""
    path = paths.staged / STAGED_DOCUMENTS
    if not path.is_file():
        return {}
    try:
        table = read_parquet(path, columns=["document_id", "status", "content_sha256"])
    except (pa.ArrowException, OSError) as exc:
        aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
        path.rename(aside)
        notes.append(f"the staged corpus could not be read ({exc}); moved to {aside.name}")
        return {}
    return {row["document_id"]: row["content_sha256"] for row in table.to_pylist() if row["status"] == "ok"}


def recover(paths: DataPaths) -> list[str]:
    """Bring the data folder back to a consistent state; returns one note per thing repaired.

    Call it while holding the data folder's run lock.
    """
    from tradecurbs.releases.publish import recover_releases
    from tradecurbs.sources.state import SourceState

    notes: list[str] = []
    if stale := remove_stale_temporaries(paths.staged):
        notes.append(f"removed {len(stale)} half-written staged files of an interrupted run")
    corpus = _staged_corpus(paths, notes)
    if paths.state.exists():
        with SourceState(paths.state) as state:
            if forgotten := state.forget_unstaged(corpus):
                notes.append(f"{forgotten} documents marked ingested but not staged will be fetched again")
    recovery = recover_releases(paths.releases)
    for version in recovery.registered:
        notes.append(f"release {version} was complete but not in the catalog: cataloged it")
    for version, problem in recovery.removed.items():
        notes.append(f"removed the incomplete release folder {version}: {problem}")
    return notes
