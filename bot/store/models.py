"""The sqlmodel tables. Every table is registered here so Alembic sees it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Column, DateTime, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def _utc() -> datetime:
    return datetime.now(UTC)


def _ts(*, nullable: bool = True, index: bool = False) -> Column[datetime]:
    return Column(DateTime(timezone=True), nullable=nullable, index=index)


class InstallSecret(SQLModel, table=True):
    """Per-install values (the pseudonym key) that must survive restarts."""

    __tablename__ = "install_secrets"

    name: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=256)


class Question(SQLModel, table=True):
    """A patient's question: redacted text only; delivery ids only while needed."""

    __tablename__ = "questions"

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=32)
    user_key: str | None = Field(default=None, max_length=64, index=True)
    # Platform ids needed to answer the patient; erased by forget-me and retention.
    user_id: str | None = Field(default=None, max_length=128)
    channel: str | None = Field(default=None, max_length=128)
    thread: str | None = Field(default=None, max_length=256)
    message_id: str | None = Field(default=None, max_length=256)
    private: bool = False
    text: str = Field(sa_column=Column(Text, nullable=False))
    phi_kinds: str = Field(default="", max_length=256)
    locale: str = Field(default="en", max_length=16)
    decision: str = Field(max_length=32, index=True)
    entry_id: str | None = Field(default=None, max_length=128)
    score: float | None = None
    nearest_entry_id: str | None = Field(default=None, max_length=128)
    created_at: datetime = Field(default_factory=_utc, sa_column=_ts(nullable=False, index=True))


class Escalation(SQLModel, table=True):
    """A question handed to physicians, and where it is in its life cycle."""

    __tablename__ = "escalations"

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="questions.id", index=True, ondelete="CASCADE")
    state: str = Field(max_length=32, index=True)
    urgent: bool = False
    crisis: str | None = Field(default=None, max_length=32)
    claimed_by_key: str | None = Field(default=None, max_length=64)
    claimed_by_id: str | None = Field(default=None, max_length=128)
    claimed_by_name: str | None = Field(default=None, max_length=128)
    claimed_at: datetime | None = Field(default=None, sa_column=_ts())
    answer: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    answered_at: datetime | None = Field(default=None, sa_column=_ts())
    approved_by_name: str | None = Field(default=None, max_length=128)
    reject_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    close_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    promoted_entry_id: str | None = Field(default=None, max_length=128)
    created_at: datetime = Field(default_factory=_utc, sa_column=_ts(nullable=False, index=True))
    updated_at: datetime = Field(default_factory=_utc, sa_column=_ts(nullable=False))
    delivered_at: datetime | None = Field(default=None, sa_column=_ts())


class AuditEntry(SQLModel, table=True):
    """Who did what, when, from which state to which: kept, but de-identified on erasure."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=_utc, sa_column=_ts(nullable=False, index=True))
    escalation_id: int | None = Field(default=None, index=True)
    action: str = Field(max_length=32)
    actor_key: str | None = Field(default=None, max_length=64, index=True)
    actor_name: str | None = Field(default=None, max_length=128)
    actor_role: str = Field(max_length=32)
    before: str | None = Field(default=None, max_length=32)
    after: str | None = Field(default=None, max_length=32)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class OutboxMessage(SQLModel, table=True):
    """An outbound action waiting for (or done with) delivery."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(max_length=64, unique=True)
    kind: str = Field(max_length=16)
    card_key: str | None = Field(default=None, max_length=64)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=_utc, sa_column=_ts(nullable=False))
    claimed_until: datetime | None = Field(default=None, sa_column=_ts())
    claimed_by: str | None = Field(default=None, max_length=64)
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    receipt_ref: str | None = Field(default=None, max_length=256)
    # What to record once sent (e.g. "deliver:42" moves an escalation to delivered).
    on_sent: str | None = Field(default=None, max_length=64)
    question_id: int | None = Field(default=None, index=True)
    user_key: str | None = Field(default=None, max_length=64, index=True)
    created_at: datetime = Field(default_factory=_utc, sa_column=_ts(nullable=False, index=True))
    sent_at: datetime | None = Field(default=None, sa_column=_ts())


class CardRef(SQLModel, table=True):
    """The platform's ref for a delivered card, so it can be updated and threaded."""

    __tablename__ = "card_refs"

    card_key: str = Field(primary_key=True, max_length=64)
    ref: str = Field(max_length=256, index=True)
    updated_at: datetime = Field(default_factory=_utc, sa_column=_ts(nullable=False))


class InboundEvent(SQLModel, table=True):
    """Platform events already handled: a retried event is dropped."""

    __tablename__ = "inbound_events"
    __table_args__ = (UniqueConstraint("platform", "event_id", name="uq_inbound_event"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=32)
    event_id: str = Field(max_length=256)
    received_at: datetime = Field(default_factory=_utc, sa_column=_ts(nullable=False, index=True))


class Feedback(SQLModel, table=True):
    """ "Did this help?" answers."""

    __tablename__ = "feedback"

    id: int | None = Field(default=None, primary_key=True)
    question_id: int | None = Field(default=None, index=True)
    user_key: str | None = Field(default=None, max_length=64, index=True)
    entry_id: str | None = Field(default=None, max_length=128)
    helpful: bool
    created_at: datetime = Field(default_factory=_utc, sa_column=_ts(nullable=False, index=True))


class PromotedEntry(SQLModel, table=True):
    """A knowledge entry made from an approved answer, loaded into the matcher at start."""

    __tablename__ = "promoted_entries"

    id: str = Field(primary_key=True, max_length=128)
    question: str = Field(sa_column=Column(Text, nullable=False))
    answer: str = Field(sa_column=Column(Text, nullable=False))
    tags: str = Field(default="", max_length=256)
    reviewed_by: str = Field(max_length=128)
    reviewed_on: date
    escalation_id: int | None = None
    locale: str = Field(default="en", max_length=16)
    status: str = Field(default="approved", max_length=16)
    created_at: datetime = Field(default_factory=_utc, sa_column=_ts(nullable=False))
