"""`careline db upgrade | current`: the database schema from the terminal."""

from __future__ import annotations

import argparse

from bot.settings import load_settings
from bot.store.db import make_engine
from bot.store.migrate import current_revision, head_revision, upgrade


def upgrade_main(args: argparse.Namespace) -> int:
    """Apply every pending migration."""
    settings = load_settings(args.config)
    engine = make_engine(settings.database_url)
    try:
        before = current_revision(engine)
        upgrade(engine)
        after = current_revision(engine)
    finally:
        engine.dispose()
    if before == after:
        print(f"Database already at the latest schema ({after}).")
    else:
        print(f"Database upgraded from {before or 'empty'} to {after}.")
    return 0


def current_main(args: argparse.Namespace) -> int:
    """Show the schema revision in use and the newest one this code knows."""
    settings = load_settings(args.config)
    engine = make_engine(settings.database_url)
    try:
        current = current_revision(engine)
    finally:
        engine.dispose()
    head = head_revision()
    state = "up to date" if current == head else "behind: run `careline db upgrade`"
    print(f"current: {current or 'empty'}; latest: {head} ({state})")
    return 0
