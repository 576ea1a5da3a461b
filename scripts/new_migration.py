"""Autogenerate an Alembic migration from the tables: `python scripts/new_migration.py MSG`.

It migrates a scratch SQLite database to the current head, then compares it with the models, so
the new revision holds exactly what changed. Review the file it writes before committing it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from bot.store.db import make_engine
from bot.store.migrate import alembic_config, upgrade


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'scratch.db'}")
        upgrade(engine)
        command.revision(alembic_config(engine), message=sys.argv[1], autogenerate=True)
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
