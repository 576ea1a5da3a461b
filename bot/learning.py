"""The learning loop: approved answers promoted to knowledge entries, live and exportable."""

from __future__ import annotations

import re

from sqlalchemy import Engine
from sqlmodel import col, select

from bot.knowledge.entry import Entry, EntryStatus
from bot.settings import Settings
from bot.store.db import make_engine, session_scope
from bot.store.models import PromotedEntry

_WORDS = re.compile(r"[a-z0-9]+")
_SLUG_WORDS = 8


def slug_for(question: str, escalation_id: int) -> str:
    """A readable, unique id: ``promoted-42-how-long-does-the-flu-last``."""
    words = [w for w in _WORDS.findall(question.lower()) if not w.isdecimal()][:_SLUG_WORDS]
    return "-".join(["promoted", str(escalation_id), *words])[:120].rstrip("-")


def entry_from(row: PromotedEntry) -> Entry:
    """The knowledge entry a promoted row stands for."""
    return Entry(
        id=row.id,
        question=row.question,
        answer=row.answer,
        tags=tuple(t for t in row.tags.split(",") if t),
        locale=row.locale,
        reviewed_by=row.reviewed_by,
        reviewed_on=row.reviewed_on,
        status=EntryStatus(row.status),
    )


def load_promoted(engine: Engine) -> list[Entry]:
    """Every promoted entry in the database, oldest first."""
    with session_scope(engine) as session:
        rows = session.exec(select(PromotedEntry).order_by(col(PromotedEntry.created_at))).all()
        return [entry_from(row) for row in rows]


def promoted_entries(settings: Settings) -> list[Entry]:
    """Promoted entries of the configured database (for `careline kb export --promoted`)."""
    from bot.store.migrate import ensure_schema

    engine = make_engine(settings.database_url)
    try:
        ensure_schema(engine, auto_migrate=settings.storage.auto_migrate)
        return load_promoted(engine)
    finally:
        engine.dispose()
