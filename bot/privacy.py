"""Privacy controls: `/forget-me` erasure and the retention purge (`careline privacy purge`)."""

from __future__ import annotations

import argparse
import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from bot.i18n import Catalog
from bot.messages import CardUpdate, Content
from bot.settings import Settings
from bot.store.models import (
    AuditEntry,
    CardRef,
    Escalation,
    Feedback,
    InboundEvent,
    OutboxMessage,
    Question,
)
from bot.store.uow import ERASED, Tx

log = logging.getLogger(__name__)

# Platform retries arrive within minutes; a week of event ids is plenty to drop duplicates.
INBOUND_DEDUP_DAYS = 7


def forget(tx: Tx, user_key: str, catalog: Catalog, safety: Any) -> dict[str, int]:
    """Erase one person's questions, escalations, feedback and queued messages.

    Audit entries stay (they prove what happened) but lose who did it. Reviewer cards of the
    erased escalations are replaced by a short note.

    Returns:
        Counts: questions, escalations, feedback, messages, audit.
    """
    session = tx.session
    question_ids = list(session.exec(select(Question.id).where(Question.user_key == user_key)))
    escalations = (
        list(session.exec(select(Escalation).where(col(Escalation.question_id).in_(question_ids))))
        if question_ids
        else []
    )
    messages = _delete_messages(session, user_key, question_ids)
    for esc in escalations:
        key = f"escalation:{esc.id}"
        # Only a card the platform already shows needs replacing; a queued one is deleted above.
        if session.get(CardRef, key) is not None:
            tx.send(CardUpdate(key, Content(text=catalog("workflow.erased_card"))))
        session.delete(esc)
    feedback = _count_delete(session, Feedback, col(Feedback.user_key) == user_key)
    questions = _count_delete(session, Question, col(Question.user_key) == user_key)
    # A physician who leaves: their claims stay in the life cycle but no longer name them.
    session.execute(
        update(Escalation)
        .execution_options(synchronize_session=False)
        .where(col(Escalation.claimed_by_key) == user_key)
        .values(claimed_by_key=None, claimed_by_id=None, claimed_by_name=ERASED)
    )
    audit = session.execute(
        update(AuditEntry)
        .execution_options(synchronize_session=False)
        .where(col(AuditEntry.actor_key) == user_key)
        .values(actor_key=ERASED, actor_name=None)
    ).rowcount  # type: ignore[attr-defined]
    counts = {
        "questions": questions,
        "escalations": len(escalations),
        "feedback": feedback,
        "messages": messages,
        "audit": int(audit or 0),
    }
    # The erasure itself is on record, without saying whose it was.
    session.add(
        AuditEntry(
            at=tx.now,
            action="forget_me",
            actor_key=ERASED,
            actor_role="patient",
            detail=", ".join(f"{k} {v}" for k, v in counts.items()),
        )
    )
    session.flush()
    return counts


def _delete_messages(session: Session, user_key: str, question_ids: list[int | None]) -> int:
    condition = col(OutboxMessage.user_key) == user_key
    if question_ids:
        condition = condition | col(OutboxMessage.question_id).in_(question_ids)
    return _count_delete(session, OutboxMessage, condition)


def _count_delete(session: Session, model: Any, condition: Any) -> int:
    result = session.execute(
        delete(model).where(condition).execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _count(session: Session, model: Any, condition: Any) -> int:
    return int(session.exec(select(func.count()).select_from(model).where(condition)).one())


def retention(tx: Tx, settings: Settings, *, dry_run: bool = False) -> dict[str, int]:
    """Purge or anonymise everything older than `safety.retention_days`.

    Returns:
        What was (or, with `dry_run`, would be) removed or anonymised, by kind.
    """
    session = tx.session
    cutoff = tx.now - timedelta(days=settings.safety.retention_days)
    old_question = col(Question.created_at) < cutoff
    old_ids = list(session.exec(select(Question.id).where(old_question)))
    old_messages = (col(OutboxMessage.created_at) < cutoff) & (
        col(OutboxMessage.status) != "pending"
    )
    if old_ids:
        old_messages = old_messages | col(OutboxMessage.question_id).in_(old_ids)
    old_events = col(InboundEvent.received_at) < tx.now - timedelta(days=INBOUND_DEDUP_DAYS)
    old_audit = (col(AuditEntry.at) < cutoff) & col(AuditEntry.actor_key).is_not(None)
    old_feedback = col(Feedback.created_at) < cutoff
    anonymise = settings.safety.retention_action == "anonymise"
    counts = {
        "questions": len(old_ids),
        "escalations": _count(session, Escalation, col(Escalation.question_id).in_(old_ids))
        if old_ids and not anonymise
        else 0,
        "feedback": _count(session, Feedback, old_feedback),
        "messages": _count(session, OutboxMessage, old_messages),
        "audit": _count(session, AuditEntry, old_audit),
        "inbound_events": _count(session, InboundEvent, old_events),
    }
    if dry_run:
        return counts
    _count_delete(session, OutboxMessage, old_messages)
    _count_delete(session, InboundEvent, old_events)
    session.execute(
        update(AuditEntry)
        .execution_options(synchronize_session=False)
        .where(old_audit)
        .values(actor_key=None, actor_name=None)
    )
    if anonymise:
        session.execute(
            update(Question)
            .execution_options(synchronize_session=False)
            .where(old_question)
            .values(
                text="",
                user_key=None,
                user_id=None,
                channel=None,
                thread=None,
                message_id=None,
                phi_kinds="",
            )
        )
        session.execute(
            update(Feedback)
            .execution_options(synchronize_session=False)
            .where(old_feedback)
            .values(user_key=None)
        )
        session.execute(
            update(Escalation)
            .execution_options(synchronize_session=False)
            .where(col(Escalation.question_id).in_(old_ids))
            .values(claimed_by_key=None, claimed_by_id=None)
        ) if old_ids else None
    else:
        if old_ids:
            _count_delete(session, Escalation, col(Escalation.question_id).in_(old_ids))
        _count_delete(session, Feedback, old_feedback)
        _count_delete(session, Question, old_question)
    session.flush()
    return counts


def purge_main(args: argparse.Namespace) -> int:
    """`careline privacy purge [--dry-run]`: apply the retention window now."""
    from bot.i18n import load_catalog
    from bot.ports import SystemClock
    from bot.settings import load_settings
    from bot.store.db import make_engine, session_scope
    from bot.store.migrate import ensure_schema
    from bot.store.uow import install_secret

    settings = load_settings(getattr(args, "config", None))
    catalog = load_catalog(settings.community.locale)
    engine = make_engine(settings.database_url)
    try:
        ensure_schema(engine, auto_migrate=settings.storage.auto_migrate)
        secret = install_secret(engine)
        with session_scope(engine) as session:
            tx = Tx(session, SystemClock().now(), "purge", secret)
            counts = retention(tx, settings, dry_run=bool(args.dry_run))
    finally:
        engine.dispose()
    verb = catalog("privacy.would_remove") if args.dry_run else catalog("privacy.removed")
    action = settings.safety.retention_action
    print(catalog("privacy.summary", verb=verb, days=settings.safety.retention_days, action=action))
    for kind, number in counts.items():
        print(f"  {kind}: {number}")
    return 0
