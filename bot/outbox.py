"""The outbox: persisted outbound actions, delivered through the adapter with retries.

Rows are written in the same transaction as the state change that implies them. The loop
claims due rows (`FOR UPDATE SKIP LOCKED` on PostgreSQL, a lease on both), delivers each,
and records the receipt and "sent" in one transaction. A crash before that commit re-delivers
the row after its lease expires (at-least-once at the platform boundary, exactly once before).
"""

from __future__ import annotations

import asyncio
import logging
import random
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import Engine, func, or_, text, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from bot.errors import DeliveryError
from bot.messages import Card, CardUpdate, DeliveryReceipt, Outbound
from bot.ports import Adapter, Clock
from bot.store.codec import card_key_of, decode
from bot.store.db import session_scope
from bot.store.models import CardRef, OutboxMessage
from bot.store.uow import Tx, aware

log = logging.getLogger(__name__)

T = TypeVar("T")
LEASE = timedelta(seconds=60)
BATCH = 50
BACKOFF_BASE = 1.0
BACKOFF_CAP = 300.0
# A row waiting for its card to be delivered first looks again this soon.
CARD_WAIT = timedelta(seconds=1)

OnSent = Callable[[Tx, str], None]


class DbThread:
    """Runs blocking database work on worker threads, off the event loop.

    SQLite gets one thread: it allows one writer anyway, and one thread keeps handlers free of
    in-process races. PostgreSQL gets a few: its row locks (`FOR UPDATE` on the escalation,
    `SKIP LOCKED` on the outbox) order concurrent work, within a process as across processes.
    """

    def __init__(self, workers: int = 1) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="careline-db")

    async def __call__(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(*args)` on the database thread."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, partial(fn, *args))

    def close(self) -> None:
        """Finish queued work and stop the thread."""
        self._pool.shutdown(wait=True)


@dataclass(frozen=True, slots=True)
class _Claimed:
    id: int
    payload: str
    attempts: int
    on_sent: str | None


class Outbox:
    """Delivers queued outbound actions through an adapter."""

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        db: DbThread,
        *,
        secret: bytes,
        max_attempts: int,
        on_sent: OnSent | None = None,
        poll_seconds: float = 1.0,
    ) -> None:
        self._engine = engine
        self._clock = clock
        self._db = db
        self._secret = secret
        self._max_attempts = max_attempts
        self._on_sent = on_sent
        self._poll = poll_seconds
        self._worker = uuid.uuid4().hex[:16]
        self._adapter: Adapter | None = None
        self._wake = asyncio.Event()
        self._postgres = engine.dialect.name == "postgresql"
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
        self._held_until = 0.0
        # One delivery pass at a time keeps each conversation's messages in order.
        self._pass = asyncio.Lock()

    def hold(self, seconds: float) -> None:
        """Deliver nothing for `seconds` (used to test crash recovery)."""
        self._held_until = asyncio.get_running_loop().time() + seconds

    def forget_leases(self) -> int:
        """Make every pending row claimable now (SQLite at start-up: one process owns the file).

        A process killed mid-delivery leaves its lease behind; with one process per database
        nobody else can hold it, so the restart need not wait for it to expire.
        """
        with session_scope(self._engine) as session:
            result = session.execute(
                update(OutboxMessage)
                .execution_options(synchronize_session=False)
                .where(col(OutboxMessage.status) == "pending")
                .where(col(OutboxMessage.claimed_until).is_not(None))
                .values(claimed_until=None, claimed_by=None)
            )
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def attach(self, adapter: Adapter) -> None:
        """Deliver through this adapter from now on."""
        self._adapter = adapter

    def kick(self) -> None:
        """New rows were committed: deliver without waiting for the next poll."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set; never raises (errors are logged and retried)."""
        while not stop.is_set():
            try:
                delivered = await self.deliver_due()
            except Exception:
                log.exception("outbox pass failed; retrying")
                delivered = 0
            if delivered:
                continue
            self._wake.clear()
            waiter = asyncio.ensure_future(self._wake.wait())
            stopper = asyncio.ensure_future(stop.wait())
            await asyncio.wait(
                {waiter, stopper}, timeout=self._poll, return_when=asyncio.FIRST_COMPLETED
            )
            waiter.cancel()
            stopper.cancel()

    async def drain(self, *, wait_for_retries: float = 0.0) -> int:
        """Deliver everything due now (and, if asked, rows retrying within that many seconds)."""
        total = 0
        deadline = asyncio.get_running_loop().time() + wait_for_retries
        while True:
            delivered = await self.deliver_due()
            total += delivered
            if delivered:
                continue
            pending = await self._db(self._next_due)
            if pending is None:
                return total
            wait = (pending - self._clock.now()).total_seconds()
            remaining = deadline - asyncio.get_running_loop().time()
            if wait > remaining or remaining <= 0:
                return total
            await self.sleep(max(0.05, min(wait, remaining)))

    async def pending_count(self) -> int:
        """Rows not yet delivered (due or retrying)."""
        return await self._db(self._pending_count)

    async def deliver_now(self, message: Outbound) -> bool:
        """Send at once, bypassing the database (the crisis path); False when it failed."""
        if self._adapter is None:
            return False
        try:
            await self._adapter.deliver(message, None)
        except Exception:
            log.exception("immediate delivery failed")
            return False
        return True

    async def deliver_due(self) -> int:
        """One pass: claim due rows and deliver them in order; returns how many were sent."""
        if self._adapter is None or asyncio.get_running_loop().time() < self._held_until:
            return 0
        async with self._pass:
            rows = await self._db(self._claim)
            sent = 0
            for row in rows:
                sent += await self._deliver(row)
            return sent

    async def _deliver(self, row: _Claimed) -> int:
        assert self._adapter is not None  # noqa: S101  (checked by the caller)
        message = decode(row.payload)
        ref: str | None = None
        needs = card_key_of(message)
        if needs is not None:
            ref, card_pending = await self._db(self._card_ref, needs)
            if ref is None and card_pending:
                await self._db(self._defer, row.id)
                return 0
        try:
            receipt = await self._adapter.deliver(message, ref)
        except DeliveryError as exc:
            log.warning("delivery of outbox row %s failed: %s", row.id, exc)
            await self._db(self._retry, row, str(exc), exc.retryable, exc.retry_after)
            return 0
        except Exception as exc:
            log.exception("delivery of outbox row %s raised", row.id)
            await self._db(self._retry, row, repr(exc), True, None)
            return 0
        await self._db(self._mark_sent, row, message, receipt)
        return 1

    # -------------------------------------------------------------- database side

    def _relaxed(self, session: Session) -> None:
        """Bookkeeping commits need not wait for the disk on PostgreSQL.

        Losing one only if the database server itself crashes means a message is sent again,
        never lost; accepting a question (the dispatcher's commit) always waits for the disk.
        """
        if self._postgres:
            session.execute(text("SET LOCAL synchronous_commit TO OFF"))

    def _claim(self) -> list[_Claimed]:
        now = self._clock.now()
        claimable = (
            (col(OutboxMessage.status) == "pending")
            & (col(OutboxMessage.next_attempt_at) <= now)
            & or_(
                col(OutboxMessage.claimed_until).is_(None), col(OutboxMessage.claimed_until) < now
            )
        )
        try:
            with session_scope(self._engine) as session:
                query = (
                    select(OutboxMessage)
                    .where(claimable)
                    .order_by(col(OutboxMessage.id))
                    .limit(BATCH)
                )
                if self._postgres:
                    query = query.with_for_update(skip_locked=True)
                claimed: list[_Claimed] = []
                for row in session.exec(query).all():
                    # The conditional update is the lease: only one worker wins a row.
                    won = session.execute(
                        update(OutboxMessage)
                        .execution_options(synchronize_session=False)
                        .where(col(OutboxMessage.id) == row.id, claimable)
                        .values(claimed_until=now + LEASE, claimed_by=self._worker)
                    ).rowcount  # type: ignore[attr-defined]
                    if won:
                        claimed.append(
                            _Claimed(row.id or 0, row.payload, row.attempts, row.on_sent)
                        )
                return claimed
        except OperationalError:
            log.warning("outbox claim failed (database busy or down); will retry", exc_info=True)
            return []

    def _card_ref(self, key: str) -> tuple[str | None, bool]:
        with session_scope(self._engine) as session:
            found = session.get(CardRef, key)
            if found is not None:
                return found.ref, False
            pending = session.exec(
                select(OutboxMessage.id).where(
                    OutboxMessage.kind == "card",
                    OutboxMessage.card_key == key,
                    OutboxMessage.status == "pending",
                )
            ).first()
            return None, pending is not None

    def _defer(self, row_id: int) -> None:
        with session_scope(self._engine) as session:
            session.execute(
                update(OutboxMessage)
                .execution_options(synchronize_session=False)
                .where(col(OutboxMessage.id) == row_id)
                .values(claimed_until=None, next_attempt_at=self._clock.now() + CARD_WAIT)
            )

    def _retry(self, row: _Claimed, error: str, retryable: bool, retry_after: float | None) -> None:
        attempts = row.attempts + 1
        delay = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempts - 1)) * random.uniform(0.5, 1.5)
        if retry_after is not None:
            delay = max(delay, retry_after)
        failed = not retryable or attempts >= self._max_attempts
        if failed:
            log.error("outbox row %s given up after %s attempt(s): %s", row.id, attempts, error)
        with session_scope(self._engine) as session:
            session.execute(
                update(OutboxMessage)
                .execution_options(synchronize_session=False)
                .where(col(OutboxMessage.id) == row.id)
                .values(
                    attempts=attempts,
                    last_error=error[:2000],
                    status="failed" if failed else "pending",
                    claimed_until=None,
                    next_attempt_at=self._clock.now() + timedelta(seconds=delay),
                )
            )

    def _mark_sent(self, row: _Claimed, message: object, receipt: DeliveryReceipt) -> None:
        now = self._clock.now()
        with session_scope(self._engine) as session:
            self._relaxed(session)
            stored = session.get(OutboxMessage, row.id)
            if stored is None:
                return  # erased meanwhile (forget-me): nothing to record
            stored.status = "sent"
            stored.sent_at = now
            stored.claimed_until = None
            stored.receipt_ref = receipt.ref
            stored.attempts = row.attempts + 1
            session.add(stored)
            key = message.key if isinstance(message, Card | CardUpdate) else None
            if key is not None and receipt.ref:
                card = session.get(CardRef, key)
                if card is None:
                    session.add(CardRef(card_key=key, ref=receipt.ref, updated_at=now))
                elif card.ref != receipt.ref:
                    card.ref = receipt.ref
                    card.updated_at = now
                    session.add(card)
            if row.on_sent and self._on_sent is not None:
                self._on_sent(Tx(session, now, f"sent:{row.id}", self._secret), row.on_sent)

    def _next_due(self) -> datetime | None:
        with session_scope(self._engine) as session:
            value = session.exec(
                select(func.min(OutboxMessage.next_attempt_at)).where(
                    OutboxMessage.status == "pending"
                )
            ).one()
            return aware(value) if value is not None else None

    def _pending_count(self) -> int:
        with session_scope(self._engine) as session:
            return int(
                session.exec(
                    select(func.count())
                    .select_from(OutboxMessage)
                    .where(OutboxMessage.status == "pending")
                ).one()
            )
