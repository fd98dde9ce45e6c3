"""Fixed costs of a run: Great Expectations is imported ahead only when a release will be validated."""

from __future__ import annotations

import sys
from pathlib import Path

from tradecurbs.prefetch import prefetch_validation, will_validate


def test_a_folder_without_a_release_will_validate(tmp_path: Path) -> None:
    assert will_validate(tmp_path / "data")
    thread = prefetch_validation(tmp_path / "data")
    assert thread is not None
    thread.join(timeout=120)
    assert "great_expectations" in sys.modules


def test_a_folder_with_a_release_imports_nothing_ahead(sample_run) -> None:
    data_dir, _ = sample_run
    assert not will_validate(data_dir)
    assert prefetch_validation(data_dir) is None
