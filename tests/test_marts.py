"""The marts (event_timeline, monthly_counts, restricted_products, measures_in_force) and the SQL data tests.

Mart contents are checked against the same numbers computed in Python from the events table of the
sample release; the in-force rules and every data test kind are checked on small hand-built data.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from tradecurbs.contracts import MARTS, PUBLISHED, contract, measure_class
from tradecurbs.releases.query import open_release
from tradecurbs.resources import bundled
from tradecurbs.warehouse import datatests
from tradecurbs.warehouse.build import build_tables, connect, write_staged_documents, write_staged_mentions
from tradecurbs.warehouse.merge import assign_events

from .test_warehouse_build import doc, mention

D = dt.date
SQL_ROOT = bundled("dbt_like_sql")


# --------------------------------------------------------------------------- Python references


def rows(folder: Path, table: str) -> list[dict[str, Any]]:
    return pq.read_table(folder / f"{table}.parquet").to_pylist()


def event_date(e: dict[str, Any]) -> D | None:
    return e["announced_on"] or e["effective_on"] or e["first_reported_on"]


def pairs(events: list[dict[str, Any]]) -> list[tuple[dict[str, Any], str | None]]:
    return [(e, t) for e in events for t in (e["target_jurisdictions"] or [None])]


def expected_timeline(events: list[dict[str, Any]]) -> dict[str, tuple]:
    by_pair: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for e, target in pairs(events):
        by_pair[(e["imposing_jurisdiction"], target)].append(e)
    out = {}
    for (imposer, target), evs in by_pair.items():
        evs.sort(key=lambda e: (event_date(e) is None, event_date(e) or D.min, e["event_id"]))
        per_class: Counter[str] = Counter()
        mentions = 0
        for seq, e in enumerate(evs, start=1):
            per_class[e["event_class"]] += 1
            mentions += e["n_mentions"]
            row = (event_date(e), imposer, target, e["event_id"], seq, per_class[e["event_class"]], mentions)
            out[f"{e['event_id']}/{target or '-'}"] = row
    return out


def expected_monthly(events: list[dict[str, Any]]) -> dict[tuple, tuple[int, int, int]]:
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    for e, target in pairs(events):
        if (day := event_date(e)) is None:
            continue
        cell = counts[(day.replace(day=1), e["imposing_jurisdiction"], target, e["event_class"])]
        cell[0] += 1
        cell[1] += e["certainty"] == "official"
        cell[2] += e["n_mentions"]
    return {k: tuple(v) for k, v in counts.items()}


def expected_products(events: list[dict[str, Any]]) -> dict[str, tuple]:
    chapters: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for e in events:
        if e["event_class"] == "easing":
            continue
        for code in e["hs_codes"]:
            ch = chapters[code[:2]]
            ch["events"].add(e["event_id"])
            ch["imposers"].add(e["imposing_jurisdiction"])
            ch["codes"].add(code)
            ch["products"].update(e["products"])
            if event_date(e) is not None:
                ch["dates"].add(event_date(e))
    return {
        chapter: (
            len(c["events"]),
            sorted(c["imposers"]),
            sorted(c["codes"]),
            sorted(c["products"]),
            min(c["dates"], default=None),
            max(c["dates"], default=None),
        )
        for chapter, c in chapters.items()
    }


def in_force_from(e: dict) -> D | None:
    """Effective date; without one, for a measure the sources call in force, announcement or first report."""
    if e["effective_on"] is not None:
        return e["effective_on"]
    return (e["announced_on"] or e["first_reported_on"]) if e["status"] == "in_force" else None


def expected_in_force(folder_or_tables: Path | dict[str, list[dict]], day: D) -> set[str]:
    """The in-force rules of macros/measures_in_force.sql, written again in Python."""
    t = folder_or_tables
    events = t["events"] if isinstance(t, dict) else rows(t, "events")
    mentions = t["mentions"] if isinstance(t, dict) else rows(t, "mentions")
    documents = t["documents"] if isinstance(t, dict) else rows(t, "documents")
    published = {d["document_id"]: d["published_at"] for d in documents}
    lifted_reports: dict[str, list[D]] = defaultdict(list)
    for m in mentions:
        if m["status"] == "lifted" and published.get(m["document_id"]) is not None:
            lifted_reports[m["event_id"]].append(published[m["document_id"]].date())
    easings = [e for e in events if e["event_class"] == "easing"]
    out = set()
    for e in events:
        start = in_force_from(e)
        if e["event_class"] == "easing" or start is None or start > day:
            continue
        if e["ended_on"] is not None and e["ended_on"] <= day:
            continue
        if e["status"] == "lifted":
            lifted_on = min(lifted_reports[e["event_id"]], default=None) or e["first_reported_on"]
            if lifted_on is None or lifted_on <= day:
                continue
        eased = False
        for x in easings:
            when = x["effective_on"] or x["announced_on"] or x["first_reported_on"]
            same_targets = (not x["target_jurisdictions"] and not e["target_jurisdictions"]) or bool(
                set(x["target_jurisdictions"]) & set(e["target_jurisdictions"])
            )
            if (
                x["imposing_jurisdiction"] == e["imposing_jurisdiction"]
                and set(x["products"]) & set(e["products"])
                and same_targets
                and when is not None
                and start < when <= day
            ):
                eased = True
        if not eased:
            out.add(e["event_id"])
    return out


# --------------------------------------------------------------------------- the sample release


@pytest.fixture(scope="module")
def release(sample_run) -> Path:
    return Path(sample_run[1]["path"])


@pytest.fixture(scope="module")
def events(release: Path) -> list[dict[str, Any]]:
    return rows(release, "events")


def test_release_holds_every_mart_with_its_contract(release: Path) -> None:
    assert set(MARTS) == {"event_timeline", "monthly_counts", "restricted_products", "measures_in_force"}
    package = json.loads((release / "datapackage.json").read_text())
    resources = {r["name"]: r for r in package["resources"]}
    for mart in MARTS:
        schema = pq.read_schema(release / f"{mart}.parquet")
        assert schema.names == contract(mart).names
        assert resources[mart]["schema"]["primaryKey"] == [contract(mart).primary_key]
    # Great Expectations validated the marts as well (suites derived from their contracts)
    report = json.loads((release / "validation" / "validation.json").read_text())
    assert set(PUBLISHED) <= set(report["batches"]) and report["success"]


def test_events_are_published_by_imposer_then_date(release: Path, events: list[dict[str, Any]]) -> None:
    # the file's row groups then each cover few imposers, which DuckDB skips by their statistics
    def key(e: dict[str, Any]) -> tuple:
        return (e["imposing_jurisdiction"], event_date(e) is None, event_date(e) or D.min, e["event_id"])

    assert len(events) > 10 and events == sorted(events, key=key)


def test_event_timeline_matches_python(release: Path, events: list[dict[str, Any]]) -> None:
    got = {
        r["timeline_id"]: (
            r["event_date"],
            r["imposing_jurisdiction"],
            r["target_jurisdiction"],
            r["event_id"],
            r["pair_event_seq"],
            r["pair_class_seq"],
            r["pair_mentions_to_date"],
        )
        for r in rows(release, "event_timeline")
    }
    assert got == expected_timeline(events)
    timeline = rows(release, "event_timeline")
    dated = [r["event_date"] for r in timeline if r["event_date"] is not None]
    assert dated == sorted(dated), "the timeline is in date order"
    assert len(timeline) == sum(max(1, len(e["target_jurisdictions"])) for e in events)


def test_monthly_counts_match_python(release: Path, events: list[dict[str, Any]]) -> None:
    got = {
        (r["month"], r["imposing_jurisdiction"], r["target_jurisdiction"], r["event_class"]): (
            r["n_events"],
            r["n_official"],
            r["n_mentions"],
        )
        for r in rows(release, "monthly_counts")
    }
    assert got == expected_monthly(events)
    # the mention counts agree with the mentions table itself
    per_event = Counter(m["event_id"] for m in rows(release, "mentions"))
    dated = [(e, t) for e, t in pairs(events) if event_date(e) is not None]
    assert sum(v[2] for v in got.values()) == sum(per_event[e["event_id"]] for e, _ in dated)


def test_restricted_products_match_python(release: Path, events: list[dict[str, Any]]) -> None:
    got = {
        r["hs_chapter"]: (
            r["n_events"],
            r["imposers"],
            r["hs_codes"],
            r["products"],
            r["first_event_on"],
            r["last_event_on"],
        )
        for r in rows(release, "restricted_products")
    }
    assert got == expected_products(events)
    assert all(r["chapter_description"] for r in rows(release, "restricted_products"))


def test_gallium_and_germanium_control_is_under_chapter_81_for_cn(release: Path) -> None:
    con = open_release(release)
    (row,) = con.sql(
        "SELECT chapter_description, imposers, hs_codes, products FROM restricted_products "
        "WHERE hs_chapter = '81'"
    ).fetchall()
    description, imposers, codes, products = row
    assert "gallium" in description and "CN" in imposers
    assert {"gallium", "germanium"} <= set(products)
    assert any(code.startswith("8112") for code in codes)
    (gallium,) = con.sql(
        "SELECT event_id FROM events WHERE imposing_jurisdiction = 'CN' AND measure_type = 'export_control' "
        "AND list_contains(products, 'gallium') AND list_contains(products, 'germanium')"
    ).fetchall()[0]

    def in_force(day: str) -> bool:
        found = con.sql(f"SELECT event_id FROM measures_in_force(DATE '{day}')").fetchall()
        return (gallium,) in found

    assert not in_force("2023-07-31") and in_force("2023-08-01") and in_force("2024-06-30")


def test_measures_in_force_macro_matches_python_on_chosen_dates(release: Path, events: list[dict]) -> None:
    con = open_release(release)
    days = {D(2020, 6, 1), D(2022, 5, 1), D(2023, 1, 1), D(2023, 8, 1), D(2024, 1, 1), D(2025, 6, 1)}
    for e in events:
        if (start := in_force_from(e)) is not None:  # each start day and the day before it
            days |= {start, start - dt.timedelta(days=1)}
    nonempty = 0
    for day in sorted(days):
        got = {r[0] for r in con.sql(f"SELECT event_id FROM measures_in_force(DATE '{day}')").fetchall()}
        assert got == expected_in_force(release, day), day
        nonempty += bool(got)
    assert nonempty >= 3
    # text dates work too
    assert con.sql("SELECT count(*) FROM measures_in_force('2024-01-01')").fetchall() == [
        (len(expected_in_force(release, D(2024, 1, 1))),)
    ]


def test_measures_in_force_mart_is_the_macro_on_the_build_day(release: Path) -> None:
    con = open_release(release)
    days = con.sql("SELECT DISTINCT as_of FROM measures_in_force").fetchall()
    assert len(days) <= 1
    if days:
        (as_of,) = days[0]
        mart = con.sql("SELECT * FROM measures_in_force ORDER BY event_id").fetchall()
        macro = con.sql(f"SELECT * FROM measures_in_force(DATE '{as_of}') ORDER BY event_id").fetchall()
        assert mart == macro


# --------------------------------------------------------------------------- hand-built data


def _mention(d: dict, measure_type: str, **fields: Any) -> dict:
    return mention(d, measure_type=measure_type, event_class=measure_class(measure_type), **fields)


def _stage(tmp_path: Path) -> list[dict]:
    """Six documents: a gallium control, a palm oil ban and its easing, a sanction that ended, a
    steel import ban reported lifted later, and a refusal with no effective date."""
    notice = doc("doc_0000000000000001", "Ministry", "official", "2023-07-03")
    palm = doc("doc_0000000000000002", "Wire One", "news", "2022-04-23")
    palm_end = doc("doc_0000000000000003", "Wire One", "news", "2022-05-20")
    ofac = doc("doc_0000000000000004", "Treasury", "official", "2022-03-01")
    steel = doc("doc_0000000000000005", "Wire Two", "news", "2021-01-02")
    steel_end = doc("doc_0000000000000006", "Wire Two", "news", "2022-06-15")
    day = {"announced_precision": "day", "effective_precision": "day"}
    mentions = assign_events(
        [
            _mention(
                notice, "export_control", products=["gallium", "germanium"], hs_codes=["811292", "811299"],
                announced_on=D(2023, 7, 3), effective_on=D(2023, 8, 1), status="announced", **day,
            ),
            _mention(
                palm, "export_restriction", imposing_jurisdiction="ID", products=["palm oil"],
                hs_codes=["1511"], announced_on=D(2022, 4, 22), effective_on=D(2022, 4, 28),
                status="in_force", **day,
            ),
            _mention(
                palm_end, "easing", imposing_jurisdiction="ID", products=["palm oil"], hs_codes=["1511"],
                effective_on=D(2022, 5, 23), effective_precision="day", status="lifted",
            ),
            _mention(
                ofac, "sanction", imposing_jurisdiction="US", target_jurisdictions=["RU"], products=[],
                effective_on=D(2022, 3, 1), effective_precision="day", ended_on=D(2023, 3, 1),
                status="in_force",
            ),
            _mention(
                steel, "import_restriction", imposing_jurisdiction="EU", target_jurisdictions=["RU", "BY"],
                products=["steel"], hs_codes=["72"], effective_on=D(2021, 1, 1), effective_precision="day",
                status="in_force",
            ),
            _mention(
                steel_end, "import_restriction", imposing_jurisdiction="EU",
                target_jurisdictions=["BY", "RU"], products=["steel"], status="lifted",
            ),
            _mention(
                steel_end, "service_refusal", imposing_jurisdiction="CN", target_jurisdictions=["RU"],
                products=[], status="reported", evidence="a bank refuses",
            ),
        ]
    )
    write_staged_documents([notice, palm, palm_end, ofac, steel, steel_end], tmp_path / "documents.parquet")
    write_staged_mentions(mentions, tmp_path / "mentions.parquet")
    return mentions


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The hand-built data staged, built into a DuckDB file (data tests pass) and exported as a release."""
    staged = tmp_path_factory.mktemp("staged")
    _stage(staged)
    database = staged / "warehouse.duckdb"
    tables = build_tables(staged, database, as_of=D(2022, 5, 1))
    folder = tmp_path_factory.mktemp("release")
    for name, table in tables.items():
        pq.write_table(table, folder / f"{name}.parquet")
    return database, folder


def _in_force(folder: Path, day: str) -> set[str]:
    con = open_release(folder)
    found = con.sql(
        f"SELECT imposing_jurisdiction || ':' || measure_type FROM measures_in_force(DATE '{day}')"
    ).fetchall()
    return {r[0] for r in found}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2020-12-31", set()),
        ("2021-01-01", {"EU:import_restriction"}),
        ("2022-03-01", {"EU:import_restriction", "US:sanction"}),
        ("2022-04-28", {"EU:import_restriction", "US:sanction", "ID:export_restriction"}),
        # the easing of the palm oil ban takes effect on 23 May
        ("2022-05-22", {"EU:import_restriction", "US:sanction", "ID:export_restriction"}),
        ("2022-05-23", {"EU:import_restriction", "US:sanction"}),
        # the steel ban was reported lifted on 15 June 2022
        ("2022-06-14", {"EU:import_restriction", "US:sanction"}),
        ("2022-06-15", {"US:sanction"}),
        # the sanction ended on 1 March 2023; the gallium control took effect on 1 August 2023
        ("2023-02-28", {"US:sanction"}),
        ("2023-03-01", set()),
        ("2023-08-01", {"CN:export_control"}),
        ("2030-01-01", {"CN:export_control"}),
    ],
)
def test_measures_in_force_on_chosen_dates(built: tuple[Path, Path], day: str, expected: set[str]) -> None:
    assert _in_force(built[1], day) == expected


def test_in_force_rules_agree_with_python(built: tuple[Path, Path]) -> None:
    folder = built[1]
    for day in (D(2021, 6, 1), D(2022, 5, 1), D(2022, 5, 30), D(2022, 7, 1), D(2024, 1, 1)):
        con = open_release(folder)
        got = {r[0] for r in con.sql(f"SELECT event_id FROM measures_in_force(DATE '{day}')").fetchall()}
        assert got == expected_in_force(folder, day)


def test_measures_in_force_mart_uses_the_as_of_day(built: tuple[Path, Path]) -> None:
    mart = rows(built[1], "measures_in_force")
    assert {r["as_of"] for r in mart} == {D(2022, 5, 1)}
    assert {(r["imposing_jurisdiction"], r["days_in_force"]) for r in mart} == {
        ("EU", 485),
        ("US", 61),
        ("ID", 3),
    }


def test_hand_built_marts(built: tuple[Path, Path]) -> None:
    folder = built[1]
    chapters = {r["hs_chapter"]: r for r in rows(folder, "restricted_products")}
    assert sorted(chapters) == ["15", "72", "81"]  # the easing's 1511 counts under 15 once, via the ban
    assert chapters["15"]["n_events"] == 1 and chapters["15"]["imposers"] == ["ID"]
    assert chapters["81"]["hs_codes"] == ["811292", "811299"]
    timeline = rows(folder, "event_timeline")
    steel = [r for r in timeline if r["imposing_jurisdiction"] == "EU"]
    assert sorted(r["target_jurisdiction"] for r in steel) == ["BY", "RU"]
    assert all(r["n_mentions"] == 2 and r["date_basis"] == "effective" for r in steel)
    refusal = next(r for r in timeline if r["measure_type"] == "service_refusal")
    assert refusal["date_basis"] == "first_reported" and refusal["event_date"] == D(2022, 6, 15)
    counts = {r["cell_id"]: r["n_events"] for r in rows(folder, "monthly_counts")}
    assert counts["2021-01/EU/BY/restriction"] == 1 and counts["2022-05/ID/-/easing"] == 1


# --------------------------------------------------------------------------- data tests


def test_clean_build_passes_every_data_test(built: tuple[Path, Path]) -> None:
    con = connect(built[0])
    try:
        results = datatests.check(con, SQL_ROOT)
    finally:
        con.close()
    kinds = Counter(r.test.kind for r in results)
    generic = {"not_null", "unique", "accepted_values", "relationships", "counts_events"}
    assert set(kinds) == generic | {"singular"}
    assert kinds["singular"] == len(list((SQL_ROOT / "tests").glob("*.sql")))
    additive = [t for t in PUBLISHED if contract(t).counting and contract(t).counting.distinct_events]
    assert kinds["counts_events"] == len(additive) >= 5
    assert all(r.passed for r in results)


def test_generic_tests_follow_the_contracts() -> None:
    names = {t.label for t in datatests.generic_tests()}
    assert "not_null events.event_class" in names
    assert "unique events.event_id" in names and "unique restricted_products.hs_chapter" in names
    assert "accepted_values mentions.certainty" in names
    assert "relationships mentions.event_id -> events.event_id" in names
    assert "relationships event_timeline.event_id -> events.event_id" in names
    for table in PUBLISHED:
        c = contract(table)
        required = {f"not_null {table}.{col.name}" for col in c.columns if col.required}
        assert required <= names


def _plant(database: Path, statements: list[str]) -> str:
    """Apply ``statements`` to a copy of the built warehouse; return the DataTestFailed message."""
    copy = database.with_name(f"planted-{uuid.uuid4().hex}.duckdb")
    shutil.copyfile(database, copy)
    con = connect(copy)
    try:
        for statement in statements:
            con.execute(statement)
        with pytest.raises(datatests.DataTestFailed) as info:
            datatests.check(con, SQL_ROOT)
    finally:
        con.close()
        copy.unlink()
    return str(info.value)


def _gallium(folder: Path) -> str:
    return next(e["event_id"] for e in rows(folder, "events") if "gallium" in e["products"])


def test_not_null_catches_a_missing_value(built: tuple[Path, Path]) -> None:
    ev = _gallium(built[1])
    message = _plant(built[0], [f"UPDATE events SET status = NULL WHERE event_id = '{ev}'"])
    assert message.startswith("1 of ")
    assert "not_null events.status (schemas/events.yml): 1 offending row" in message
    assert f"event_id='{ev}', status=None" in message


def test_unique_catches_a_duplicate_key(built: tuple[Path, Path]) -> None:
    ev = _gallium(built[1])
    message = _plant(built[0], [f"INSERT INTO events SELECT * FROM events WHERE event_id = '{ev}'"])
    assert "unique events.event_id (schemas/events.yml): 1 offending row" in message
    assert f"event_id='{ev}', n_rows=2" in message


def test_accepted_values_catches_an_unknown_value(built: tuple[Path, Path]) -> None:
    planted = "UPDATE monthly_counts SET event_class = 'mystery' WHERE month = DATE '2022-05-01'"
    message = _plant(built[0], [planted])
    assert "accepted_values monthly_counts.event_class (schemas/monthly_counts.yml)" in message
    assert "cell_id='2022-05/ID/-/easing', event_class='mystery'" in message


def test_relationships_catch_a_mention_without_its_event(built: tuple[Path, Path]) -> None:
    ev = _gallium(built[1])
    message = _plant(built[0], [f"UPDATE mentions SET event_id = 'ev_{'f' * 16}' WHERE event_id = '{ev}'"])
    head = "relationships mentions.event_id -> events.event_id (schemas/mentions.yml): 1 offending row"
    assert head in message
    assert f"event_id='ev_{'f' * 16}'" in message
    # the orphaned event is caught by the singular test as well
    assert "singular events_without_mentions (dbt_like_sql/tests/events_without_mentions.sql)" in message


def test_singular_test_catches_dates_out_of_order_and_quotes_five_rows(built: tuple[Path, Path]) -> None:
    statements = [
        "UPDATE events SET announced_on = effective_on + 10 WHERE effective_on IS NOT NULL",
        *[
            f"INSERT INTO events SELECT * REPLACE ('ev_{i:016x}' AS event_id, "
            "DATE '2020-02-01' AS announced_on, DATE '2020-01-01' AS effective_on) FROM events LIMIT 1"
            for i in range(3)
        ],
    ]
    message = _plant(built[0], statements)
    n_dated = len([e for e in rows(built[1], "events") if e["effective_on"] is not None])
    head = (
        "singular events_announced_after_effective "
        "(dbt_like_sql/tests/events_announced_after_effective.sql): "
        f"{n_dated + 3} offending rows, first 5 shown"
    )
    assert head in message
    block = message.split(head, 1)[1].split("\n  - ", 1)[0]
    quoted = [line for line in block.splitlines() if line.startswith("    event_id=")]
    assert len(quoted) == 5
    assert quoted[0] == "    event_id='ev_0000000000000000', announced_on=2020-02-01, effective_on=2020-01-01"


def test_counting_events_as_the_contract_says_gives_the_distinct_events(built: tuple[Path, Path]) -> None:
    # one event counted once too often in monthly_counts, one event given a second first-target row
    message = _plant(
        built[0],
        [
            "UPDATE monthly_counts SET n_events_once = n_events_once + 1 WHERE cell_id = "
            "(SELECT min(cell_id) FROM monthly_counts)",
            "INSERT INTO event_timeline SELECT * REPLACE (timeline_id || '/again' AS timeline_id) "
            "FROM event_timeline LIMIT 1",
        ],
    )
    assert "counts_events monthly_counts (schemas/monthly_counts.yml): 1 offending row" in message
    assert "counts_events event_timeline (schemas/event_timeline.yml): 1 offending row" in message
    assert "counts_events events" not in message


def test_a_failing_data_test_fails_the_build(tmp_path: Path) -> None:
    mentions = _stage(tmp_path)
    early_end = {"ended_on": D(2022, 1, 1)}  # ended before it took effect (2022-03-01)
    broken = [{**m, **early_end} if m["measure_type"] == "sanction" else m for m in mentions]
    write_staged_mentions(broken, tmp_path / "mentions.parquet")
    with pytest.raises(datatests.DataTestFailed) as info:
        build_tables(tmp_path, as_of=D(2022, 5, 1))
    failing = [f.test.label for f in info.value.failures]
    assert failing == ["singular events_ended_before_effective"]
    assert "ended_on=2022-01-01" in str(info.value) and "effective_on=2022-03-01" in str(info.value)


def test_a_broken_test_is_reported_not_skipped(built: tuple[Path, Path], tmp_path: Path) -> None:
    root = tmp_path / "sql"
    (root / "tests").mkdir(parents=True)
    (root / "tests" / "bad.sql").write_text("select * from no_such_table")
    con = connect(built[0])
    with pytest.raises(datatests.DataTestFailed) as info:
        datatests.check(con, root, tables=[])
    assert "singular bad (sql/tests/bad.sql): error:" in str(info.value)
    assert "no_such_table" in str(info.value)
