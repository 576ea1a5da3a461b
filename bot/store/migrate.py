"""Schema migrations with Alembic, run from code (`careline db upgrade`, automatic on start)."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to `engine` (the migrations ship inside the package)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None when it has no schema yet."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision this code knows."""
    return ScriptDirectory.from_config(alembic_config_for_scripts()).get_current_head()


def alembic_config_for_scripts() -> Config:
    """A config that only reads the migration scripts."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to `revision`."""
    command.upgrade(alembic_config(engine), revision)


def ensure_schema(engine: Engine, *, auto_migrate: bool = True) -> None:
    """Bring the schema up to date at start-up.

    An empty database is always migrated. A database behind the code is migrated when
    `auto_migrate` is on, otherwise start-up stops and asks for `careline db upgrade`.
    """
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    if current is None or auto_migrate:
        log.info("migrating database schema from %s to %s", current, head)
        upgrade(engine)
        return
    from bot.errors import ConfigError

    raise ConfigError(
        "database",
        None,
        "",
        f"schema is at {current}, code expects {head}: run `careline db upgrade`",
    )
