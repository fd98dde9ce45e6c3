"""Gates that fit the data: contracts load strictly, and no contract blocks a legitimate release."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from tradecurbs.contracts import PUBLISHED, ContractError, check_contract
from tradecurbs.resources import bundled

SAMPLE = bundled("sample")


def events_contract() -> dict:
    return yaml.safe_load((bundled("schemas") / "events.yml").read_text(encoding="utf-8"))


def test_every_shipped_contract_loads_strictly():
    for name in PUBLISHED:
        path = bundled("schemas") / f"{name}.yml"
        check_contract(path, yaml.safe_load(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda c: c["columns"][0].update(requried=True), r"columns\[0\]: unknown key\(s\) requried"),
        (lambda c: c.update(row_counts={"min": 1}), r"unknown key\(s\) row_counts"),
        (lambda c: c["row_count"].update(minimum=1), r"row_count: unknown key\(s\) minimum"),
        (lambda c: c["checks"].append({"kind": "date_ordr"}), r"checks\[2\]: unknown kind 'date_ordr'"),
        (lambda c: c["checks"][0].pop("later"), r"checks\[0\] \(date_order\): missing key\(s\) later"),
        (lambda c: c["columns"][1].pop("type"), r"columns\[1\]: missing key\(s\) type"),
    ],
)
def test_a_mistyped_contract_key_is_an_error_not_a_skipped_check(edit, message):
    raw = events_contract()
    edit(raw)
    with pytest.raises(ContractError, match=message):
        check_contract("events.yml", raw)


CSL = Path("data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv")


def test_screening_list_alone_publishes_without_restricted_products(prefect_server, tmp_path):
    """A screening list whose listings name firms but no goods: a release with no restricted product."""
    from tradecurbs.flows_loader import pipeline_flow

    sample = yaml.safe_load((SAMPLE / "sources.yml").read_text(encoding="utf-8"))
    lines = (SAMPLE / sample["replay"] / CSL).read_text(encoding="utf-8").splitlines(keepends=True)
    web = tmp_path / "web"
    (web / CSL).parent.mkdir(parents=True)
    # leave out the one listing that names goods (the semiconductor maker, with its HS chapters)
    (web / CSL).write_text("".join(x for x in lines if "Semiconductor" not in x), encoding="utf-8")
    sources = {
        "replay": str(web),
        "sources": [s for s in sample["sources"] if s["connector"] == "screening_list"],
    }
    path = tmp_path / "sources.yml"
    path.write_text(yaml.safe_dump(sources), encoding="utf-8")
    result = pipeline_flow()(sources=str(path), data_dir=str(tmp_path / "data"))
    assert result["published"] and result["events"] > 0
    release = Path(result["path"])
    assert pq.read_table(release / "restricted_products.parquet").num_rows == 0
    assert (release / "validation" / "validation.json").is_file()


def test_data_docs_are_built_under_a_relative_data_folder(sample_run, tmp_path, monkeypatch):
    """`./data` is the default: Great Expectations needs an absolute base_directory for its Docs."""
    from tradecurbs.validation import validate_release

    release = Path(sample_run[1]["path"])
    frames = {n: pq.read_table(release / f"{n}.parquet").to_pandas() for n in ("documents", "mentions")}
    frames["events"] = pq.read_table(release / "events.parquet").to_pandas()
    monkeypatch.chdir(tmp_path)
    outcome = validate_release(frames, None, Path("data/validation/run"))
    assert outcome.success, outcome.failures
    assert outcome.data_docs_path is not None and outcome.data_docs_path.is_file()
    assert not any("data docs" in w for w in outcome.warnings)
