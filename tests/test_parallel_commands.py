"""``--workers`` on the commands: the same output in several processes as in one, and chunked rebuilds."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.test_incremental import copy_of, releases_of
from tradecurbs.cli import app
from tradecurbs.extraction.parallel import MIN_PARALLEL_DOCS
from tradecurbs.flows_loader import load_flows_module
from tradecurbs.resources import bundled
from tradecurbs.sources import Fetcher, crawl_source, load_sources, replay_rewrite, replay_server
from tradecurbs.tasks import _document_input


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> Path:
    """The sample's ok documents, three times over under other ids (enough for the worker pool), as JSONL."""
    sf = load_sources(bundled("sample") / "sources.yml")
    with (
        replay_server(sf.replay) as base,
        Fetcher(rewrite=replay_rewrite(base), allow_loopback=True) as fetcher,
    ):
        records = [r for s in sf.sources for r in crawl_source(s, fetcher, sf.publishers)]
    docs = [_document_input(asdict(r)) for r in records if r.status == "ok"]
    copies = [{**d, "id": f"{d['id']}-{n}"} for n in range(3) for d in docs]
    assert len(copies) >= MIN_PARALLEL_DOCS
    path = tmp_path_factory.mktemp("extract") / "docs.jsonl"
    path.write_text("".join(json.dumps(d, default=str) + "\n" for d in copies), encoding="utf-8")
    return path


def test_extract_in_two_workers_writes_the_serial_output(documents: Path, tmp_path: Path) -> None:
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"events-{workers}.jsonl"
        result = CliRunner().invoke(
            app, ["extract", "--input", str(documents), "--output", str(out), "--workers", workers]
        )
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] and outputs[1] == outputs[0]


@pytest.mark.parametrize(
    "command", [["extract", "--input", "{docs}", "--output", "{out}"], ["run"], ["rebuild"]]
)
def test_workers_below_one_is_a_one_line_error(command: list[str], documents: Path, tmp_path: Path) -> None:
    args = [a.format(docs=documents, out=tmp_path / "out.jsonl") for a in command]
    result = CliRunner().invoke(
        app, [*args, "--workers", "0", *(["--data-dir", str(tmp_path)] if command[0] != "extract" else [])]
    )
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "--workers must be at least 1" in lines[0]


def test_rebuild_in_small_chunk_tasks_reproduces_the_release(sample_run, tmp_path: Path) -> None:
    data_dir = copy_of(sample_run, tmp_path)
    latest = releases_of(data_dir)[-1]
    result = load_flows_module("pipeline").rebuild(data_dir=str(data_dir), chunk_size=16, workers=2)
    assert result["extracted_documents"] > 50
    assert result["identical_to"] == latest
