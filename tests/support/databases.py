"""Real databases for tests: a SQLite file, and an isolated schema on the PostgreSQL server.

PostgreSQL comes from `CARELINE_TEST_POSTGRES_URL` (default: the local server's `test` database).
Each use gets a fresh schema that is dropped afterwards, so tests never see each other's rows.
When the server is unreachable the test is skipped with a message, except under CI (`CI` set),
where a missing server must fail the run loudly.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

POSTGRES_URL = os.environ.get(
    "CARELINE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def postgres_available() -> str | None:
    """None when the server answers, else why not."""
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        return str(exc.orig).strip().splitlines()[0]
    finally:
        engine.dispose()
    return None


def require_postgres() -> None:
    """Skip (locally) or fail (under CI) when PostgreSQL is not there."""
    problem = postgres_available()
    if problem is None:
        return
    message = f"PostgreSQL is not reachable at {POSTGRES_URL}: {problem}"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must start it: see .ci/run)")
    pytest.skip(message + " (start it, or set CARELINE_TEST_POSTGRES_URL)")


@contextmanager
def postgres_schema_url() -> Iterator[str]:
    """A URL whose connections use a brand-new schema, dropped on exit."""
    require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
