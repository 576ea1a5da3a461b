"""The unit of work: one transaction's reads and writes, outbox rows and audit entries included."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.messages import Actor, Card, Outbound
from bot.store.codec import card_key_of, encode, kind_of
from bot.store.db import session_scope
from bot.store.models import (
    AuditEntry,
    CardRef,
    Escalation,
    InboundEvent,
    InstallSecret,
    OutboxMessage,
    Question,
)
from bot.workflow import Transition, role_label

PSEUDONYM_SECRET = "pseudonym_key"  # noqa: S105  (a row name, not a secret)
ERASED = "erased"


def aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time in Careline is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def install_secret(engine: Engine) -> bytes:
    """The per-install pseudonym key, created on first use and kept in the database."""
    with session_scope(engine) as session:
        row = session.get(InstallSecret, PSEUDONYM_SECRET)
        if row is not None:
            return bytes.fromhex(row.value)
    try:
        with session_scope(engine) as session:
            session.add(InstallSecret(name=PSEUDONYM_SECRET, value=secrets.token_hex(32)))
    except IntegrityError:
        pass  # another process created it first; read theirs
    with session_scope(engine) as session:
        stored = session.get(InstallSecret, PSEUDONYM_SECRET)
        assert stored is not None  # noqa: S101  (just written or read)
        return bytes.fromhex(stored.value)


def pseudonym(secret: bytes, platform: str, user_id: str) -> str:
    """A stable pseudonymous key for a platform user (HMAC-SHA256, hex, 32 chars)."""
    return hmac.new(secret, f"{platform}:{user_id}".encode(), hashlib.sha256).hexdigest()[:32]


class Tx:
    """Helpers over one session; nothing here commits (the caller's scope does)."""

    def __init__(self, session: Session, now: datetime, source: str, secret: bytes) -> None:
        self.session = session
        self.now = now
        self._source = source
        self._secret = secret
        self._sequence = 0

    def key_of(self, actor: Actor) -> str:
        """The pseudonymous key of an actor."""
        return pseudonym(self._secret, actor.platform, actor.user_id)

    def seen(self, platform: str, event_id: str) -> bool:
        """Whether this platform event was already handled."""
        found = self.session.exec(
            select(InboundEvent.id).where(
                InboundEvent.platform == platform, InboundEvent.event_id == event_id
            )
        ).first()
        return found is not None

    def record_inbound(self, platform: str, event_id: str) -> None:
        """Remember a handled event (its unique constraint stops a concurrent duplicate)."""
        self.session.add(InboundEvent(platform=platform, event_id=event_id, received_at=self.now))

    def send(
        self,
        message: Outbound,
        *,
        question_id: int | None = None,
        user_key: str | None = None,
        on_sent: str | None = None,
        not_before: datetime | None = None,
    ) -> OutboxMessage:
        """Queue an outbound action in this transaction.

        The idempotency key is derived from what caused the action and its position, so the
        same cause can never queue the same message twice.
        """
        self._sequence += 1
        key = hashlib.sha256(f"{self._source}#{self._sequence}".encode()).hexdigest()[:40]
        row = OutboxMessage(
            idempotency_key=key,
            kind=kind_of(message),
            card_key=message.key if isinstance(message, Card) else card_key_of(message),
            payload=encode(message),
            next_attempt_at=not_before or self.now,
            on_sent=on_sent,
            question_id=question_id,
            user_key=user_key,
            created_at=self.now,
        )
        self.session.add(row)
        return row

    def audit(
        self,
        transition: Transition | None = None,
        *,
        escalation_id: int | None = None,
        action: str | None = None,
        actor: Actor | None = None,
        before: str | None = None,
        after: str | None = None,
        detail: str = "",
    ) -> None:
        """Write one audit entry (a checked transition, or a named action)."""
        if transition is not None:
            escalation_id = transition.escalation_id
            action = transition.action.value
            actor = transition.actor
            before, after = transition.before.value, transition.after.value
        self.session.add(
            AuditEntry(
                at=self.now,
                escalation_id=escalation_id,
                action=action or "",
                actor_key=self.key_of(actor) if actor is not None else None,
                actor_name=actor.display_name if actor is not None else "system",
                actor_role=role_label(actor),
                before=before,
                after=after,
                detail=detail,
            )
        )

    def escalation(self, escalation_id: int) -> Escalation | None:
        """An escalation, locked for this transaction on PostgreSQL."""
        return self.session.exec(
            select(Escalation).where(Escalation.id == escalation_id).with_for_update()
        ).first()

    def question(self, question_id: int) -> Question | None:
        """A question by number."""
        return self.session.get(Question, question_id)

    def escalation_for_question(self, question_id: int) -> Escalation | None:
        """The escalation made from a question, if any."""
        return self.session.exec(
            select(Escalation).where(Escalation.question_id == question_id)
        ).first()

    def escalation_for_ref(self, ref: str) -> int | None:
        """The escalation whose card has this platform ref (a thread under the card)."""
        key = self.session.exec(select(CardRef.card_key).where(CardRef.ref == ref)).first()
        if key is None or not key.startswith("escalation:"):
            return None
        number = key.removeprefix("escalation:")
        return int(number) if number.isdecimal() else None

    def open_escalations(self, limit: int = 20) -> list[Escalation]:
        """Escalations still waiting for someone, oldest first."""
        waiting = ("open", "claimed", "rejected", "awaiting_approval")
        return list(
            self.session.exec(
                select(Escalation)
                .where(col(Escalation.state).in_(waiting))
                .order_by(col(Escalation.urgent).desc(), col(Escalation.id))
                .limit(limit)
            )
        )
