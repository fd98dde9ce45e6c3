"""The sources file: which sources to crawl, with which connector, and how to reach them.

Format (YAML)::

    replay: web                  # optional: serve recorded responses from this folder (relative)
    allow_loopback: true         # optional: the sources are on this machine (a mirror, a test server)
    publishers: {host: name}     # optional: outlet names for article URLs that arrive as leads
    sources:
      - id: tradewire            # unique, [a-z0-9_]+
        connector: news_feed     # a module of tradecurbs.sources.connectors
        publisher: Trade Wire Daily
        kind: news               # news | official
        language: en             # BCP 47
        jurisdiction: US         # optional: ISO code (or EU, UN) of the authority behind an official source
        url: https://...         # the entry point (feed, API search, index page, lastupdate.txt)
        max_items: 50            # any other key is a connector option

Unknown keys of an entry go to ``SourceConfig.options``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SOURCE_KINDS = ("news", "official")
_REQUIRED = ("id", "connector", "publisher", "kind", "url")
_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")


class SourcesFileError(ValueError):
    """A sources file that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class SourceConfig:
    """One entry of the sources file."""

    id: str
    connector: str
    publisher: str
    kind: str
    url: str
    language: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    jurisdiction: str | None = None


@dataclass(frozen=True)
class SourcesFile:
    """A parsed sources file."""

    path: Path
    sources: list[SourceConfig]
    publishers: dict[str, str]
    replay: Path | None
    allow_loopback: bool = False  # fetch from addresses on this machine (off unless the file says so)

    def get(self, source_id: str) -> SourceConfig:
        """The source with this id."""
        for source in self.sources:
            if source.id == source_id:
                return source
        raise KeyError(f"{self.path}: no source with id {source_id!r}; known: {[s.id for s in self.sources]}")


def _parse_entry(path: Path, index: int, entry: Any, known_connectors: set[str] | None) -> SourceConfig:
    where = f"{path}: sources[{index}]"
    if not isinstance(entry, dict):
        raise SourcesFileError(f"{where} must be a mapping, got {type(entry).__name__}")
    if "id" in entry:
        where += f" (id {entry['id']!r})"
    missing = [key for key in _REQUIRED if not entry.get(key)]
    if missing:
        raise SourcesFileError(f"{where} is missing required key(s): {', '.join(missing)}")
    if not isinstance(entry["id"], str) or not _ID.match(entry["id"]):
        raise SourcesFileError(f"{where}: id must match [a-z0-9_]+")
    if entry["kind"] not in SOURCE_KINDS:
        raise SourcesFileError(f"{where}: kind must be one of {SOURCE_KINDS}, got {entry['kind']!r}")
    if not re.match(r"^https?://[^/\s]+", str(entry["url"])):
        raise SourcesFileError(f"{where}: url must be an absolute http(s) URL, got {entry['url']!r}")
    if known_connectors is not None and entry["connector"] not in known_connectors:
        raise SourcesFileError(
            f"{where}: unknown connector {entry['connector']!r}; known: {', '.join(sorted(known_connectors))}"
        )
    options = {k: v for k, v in entry.items() if k not in (*_REQUIRED, "language", "jurisdiction")}
    language = entry.get("language")
    jurisdiction = entry.get("jurisdiction")
    return SourceConfig(
        id=entry["id"],
        connector=str(entry["connector"]),
        publisher=str(entry["publisher"]),
        kind=entry["kind"],
        url=str(entry["url"]),
        language=str(language) if language else None,
        options=options,
        jurisdiction=str(jurisdiction) if jurisdiction else None,
    )


def load_sources(path: str | Path, *, check_connectors: bool = True) -> SourcesFile:
    """Read and check a sources file; raise SourcesFileError naming the file and entry on a bad one."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SourcesFileError(f"{path}: cannot read sources file: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("sources"), list):
        raise SourcesFileError(f"{path}: expected a mapping with a 'sources' list")
    known = None
    if check_connectors:
        from tradecurbs.sources.connectors import CONNECTORS

        known = set(CONNECTORS)
    sources = [_parse_entry(path, i, entry, known) for i, entry in enumerate(raw["sources"])]
    seen: set[str] = set()
    for source in sources:
        if source.id in seen:
            raise SourcesFileError(f"{path}: source id {source.id!r} appears more than once")
        seen.add(source.id)
    publishers = raw.get("publishers") or {}
    if not isinstance(publishers, dict):
        raise SourcesFileError(f"{path}: publishers must be a mapping of host to name")
    allow_loopback = raw.get("allow_loopback", False)
    if not isinstance(allow_loopback, bool):
        raise SourcesFileError(f"{path}: allow_loopback must be true or false, got {allow_loopback!r}")
    replay = raw.get("replay")
    replay_dir = (path.parent / str(replay)).resolve() if replay else None
    return SourcesFile(
        path=path,
        sources=sources,
        publishers={str(k).lower(): str(v) for k, v in publishers.items()},
        replay=replay_dir,
        allow_loopback=allow_loopback,
    )
