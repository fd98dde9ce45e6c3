"""The temporary Prefect server's database: a new one is a copy of a migrated template, and a database
at the template's revision is not migrated again; any other database is left to Prefect."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tradecurbs import ephemeral


def _database(path: Path, *revisions: str) -> Path:
    """A SQLite file with Alembic's version table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        connection.executemany("INSERT INTO alembic_version VALUES (?)", [(r,) for r in revisions])
    connection.close()
    return path


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(ephemeral.TEMPLATE_ENV, str(folder))
    monkeypatch.chdir(tmp_path)
    return folder


def test_without_a_template_the_server_migrates(cache: Path, tmp_path: Path) -> None:
    database, settings = ephemeral.prepare_database({"PREFECT_HOME": str(tmp_path / "home")})
    assert database == ephemeral.ServerDatabase(tmp_path / "home" / "prefect.db", new=True, migrated=False)
    assert settings == {}


def test_a_new_database_is_the_template_and_is_not_migrated(cache: Path, tmp_path: Path) -> None:
    template = ephemeral.template_database()
    assert template is not None and template.parent == cache
    _database(template, "head1")
    database, settings = ephemeral.prepare_database({"PREFECT_HOME": str(tmp_path / "home")})
    assert database is not None and database.new and database.migrated
    assert settings == ephemeral.NO_MIGRATIONS
    assert ephemeral.revision(database.path) == ("head1",)


def test_only_a_database_at_the_head_skips_the_migrations(cache: Path, tmp_path: Path) -> None:
    template = ephemeral.template_database()
    assert template is not None
    _database(template, "head1")
    _database(tmp_path / "old" / "prefect.db", "older")
    _database(tmp_path / "current" / "prefect.db", "head1")
    assert ephemeral.prepare_database({"PREFECT_HOME": str(tmp_path / "old")})[1] == {}
    assert (
        ephemeral.prepare_database({"PREFECT_HOME": str(tmp_path / "current")})[1] == ephemeral.NO_MIGRATIONS
    )


def test_a_database_chosen_elsewhere_is_left_alone(cache: Path, tmp_path: Path) -> None:
    template = ephemeral.template_database()
    assert template is not None
    _database(template, "head1")
    home = tmp_path / "home"
    url = {"PREFECT_SERVER_DATABASE_CONNECTION_URL": "sqlite+aiosqlite:////elsewhere.db"}
    assert ephemeral.prepare_database({"PREFECT_HOME": str(home), **url}) == (None, {})
    home.mkdir()
    (home / "profiles.toml").write_text('[profiles.x]\nPREFECT_API_DATABASE_MIGRATE_ON_START = "true"\n')
    assert ephemeral.prepare_database({"PREFECT_HOME": str(home)}) == (None, {})
    assert not (home / "prefect.db").exists()


def test_the_reuse_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ephemeral.TEMPLATE_ENV, "0")
    assert ephemeral.template_database() is None


def test_a_second_server_starts_from_the_first_ones_template(tmp_path: Path) -> None:
    """Two commands in fresh processes and fresh Prefect homes: the first migrates and keeps the
    template, the second starts on a copy, unmigrated, and runs a flow on it."""
    script = """
import json
from tradecurbs.ephemeral import command_api, early_api
with early_api() as early, command_api(early=early):
    from prefect import flow

    @flow
    def answer() -> int:
        return 42

    print(json.dumps({"new": early.database.new, "migrated": early.database.migrated, "result": answer()}))
"""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL" and "DATABASE" not in k}
    env.update(TRADECURBS_REUSE_LOCAL_PREFECT="0", TRADECURBS_PREFECT_DB_CACHE=str(tmp_path / "cache"))
    seen = []
    for home in ("first", "second"):
        out = subprocess.run(
            [sys.executable, "-c", script],
            env={**env, "PREFECT_HOME": str(tmp_path / home)},
            capture_output=True,
            text=True,
            timeout=300,
            cwd=tmp_path,
        )
        assert out.returncode == 0, out.stderr[-2000:]
        seen.append(json.loads(out.stdout.strip().splitlines()[-1]))
    assert seen == [
        {"new": True, "migrated": False, "result": 42},
        {"new": True, "migrated": True, "result": 42},
    ]
    assert len(list((tmp_path / "cache").glob("*.db"))) == 1
