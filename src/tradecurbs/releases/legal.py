"""The licence files and citation metadata that every release carries (see dataset.yml ``legal_files``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from tradecurbs.releases.datapackage import dataset_metadata
from tradecurbs.resources import bundled

CITATION = "CITATION.cff"


def release_citation(version: str, released: str) -> str:
    """The repository's CITATION.cff with this release's version and date."""
    cff = yaml.safe_load(bundled(CITATION).read_text(encoding="utf-8"))
    cff["version"] = version
    cff["date-released"] = released[:10]
    return yaml.safe_dump(cff, sort_keys=False, allow_unicode=True, width=100)


def write_legal_files(folder: Path, version: str, created: str) -> list[Path]:
    """Copy LICENSE and LICENSE-DATA.md into ``folder`` and write its CITATION.cff."""
    written = []
    for name in dataset_metadata()["legal_files"]:
        target = Path(folder) / name
        if name == CITATION:
            target.write_text(release_citation(version, created), encoding="utf-8")
        else:
            shutil.copyfile(bundled(name), target)
        written.append(target)
    return written
