"""The database engine: SQLite (WAL, foreign keys on) by default, PostgreSQL by `DATABASE_URL`."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from bot.errors import ConfigError

log = logging.getLogger(__name__)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine for `url`, tuned for its backend.

    SQLite files get WAL journaling, foreign keys and a busy timeout, and their folder is
    created; ``sqlite://`` (in memory) shares one connection so every session sees the same data.
    PostgreSQL URLs without a driver use psycopg 3.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError("DATABASE_URL", None, "", f"not a database URL: {url!r}") from None
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed.render_as_string(hide_password=False), parsed.database, echo)
    if parsed.get_backend_name() != "postgresql":
        raise ConfigError(
            "DATABASE_URL",
            None,
            "",
            f"unsupported database {parsed.get_backend_name()!r}; "
            "use sqlite:///path/to.db or postgresql+psycopg://user:password@host/db",
        )
    return create_engine(parsed, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=10)


def _sqlite_engine(url: str, database: str | None, echo: bool) -> Engine:
    in_memory = not database or database == ":memory:"
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
    if in_memory:
        kwargs["poolclass"] = StaticPool
    elif database:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, echo=echo, **kwargs)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
