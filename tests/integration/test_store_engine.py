"""The storage layer on real databases: SQLite (WAL, foreign keys) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text
from sqlmodel import SQLModel

import bot.store.models  # noqa: F401  (registers the tables)
from bot.errors import ConfigError
from bot.store.db import make_engine, session_scope
from bot.store.migrate import current_revision, ensure_schema, head_revision, upgrade
from tests.support.databases import postgres_schema_url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        created = make_engine(f"sqlite:///{tmp_path / 'nested' / 'careline.db'}")
        yield created
        created.dispose()
        return
    with postgres_schema_url() as url:
        created = make_engine(url)
        yield created
        created.dispose()


def test_sqlite_file_uses_wal_and_enforces_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'var' / 'careline.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert (tmp_path / "var" / "careline.db").exists()
    engine.dispose()


def test_in_memory_sqlite_shares_one_database_across_sessions() -> None:
    engine = make_engine("sqlite://")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
        connection.execute(text("INSERT INTO t VALUES (1)"))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT x FROM t")).scalar() == 1
    engine.dispose()


def test_plain_postgresql_urls_use_psycopg_3() -> None:
    engine = make_engine("postgresql://user@localhost/db")
    assert engine.dialect.driver == "psycopg"
    engine.dispose()


@pytest.mark.parametrize("url", ["not a url", "mysql://root@localhost/db"])
def test_unusable_database_urls_are_configuration_errors(url: str) -> None:
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        make_engine(url)


def test_migrations_run_up_from_an_empty_database(engine: Engine) -> None:
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    tables = set(inspect(engine).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables


def test_start_up_migrates_an_empty_database_and_then_leaves_it_alone(engine: Engine) -> None:
    ensure_schema(engine)
    revision = current_revision(engine)
    ensure_schema(engine)
    assert current_revision(engine) == revision == head_revision()


def test_a_failed_unit_of_work_rolls_back(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE probe (x INTEGER)"))

    def insert_then_fail() -> None:
        with session_scope(engine) as session:
            session.execute(text("INSERT INTO probe VALUES (1)"))
            raise RuntimeError

    with pytest.raises(RuntimeError):
        insert_then_fail()
    with session_scope(engine) as session:
        assert session.execute(text("SELECT count(*) FROM probe")).scalar() == 0
