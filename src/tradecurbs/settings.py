"""Where a run reads and writes: one folder, ``./data`` by default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DATA_DIR_ENV = "TRADECURBS_DATA_DIR"


def default_data_dir() -> Path:
    """``$TRADECURBS_DATA_DIR`` if set, else ``./data`` of the current directory."""
    return Path(os.environ.get(DATA_DIR_ENV) or "data")


@dataclass(frozen=True)
class DataPaths:
    """The folders of one data directory."""

    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def staged(self) -> Path:
        return self.root / "staged"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def validation(self) -> Path:
        return self.root / "validation"

    @property
    def state(self) -> Path:
        """The incremental state: HTTP validators, ingested documents, crawl runs per source."""
        return self.root / "state.sqlite"

    @property
    def releases(self) -> Path:
        return self.root / "releases"

    def create(self) -> DataPaths:
        for folder in (self.raw, self.staged, self.validation, self.releases):
            folder.mkdir(parents=True, exist_ok=True)
        return self
