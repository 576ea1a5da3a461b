"""The outbox on real databases: retries, backoff, card refs, leases, duplicates, crisis."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.app import Core
from bot.errors import DeliveryError
from bot.messages import (
    Actor,
    Card,
    CardThread,
    CardUpdate,
    Channel,
    Content,
    Inbound,
    Reply,
    Reviewers,
)
from bot.outbox import DbThread, Outbox
from bot.store.db import make_engine, session_scope
from bot.store.models import InboundEvent, OutboxMessage, Question
from bot.store.uow import Tx
from tests.fakes import FakeClock, RecordingAdapter, make_core, make_settings
from tests.support.databases import postgres_schema_url

ANN = Actor("test", "ann", "Ann")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'careline.db'}"
    else:
        with postgres_schema_url() as found:
            yield found


@pytest.fixture
def core(url: str, tmp_path: Path) -> Iterator[Core]:
    built = make_core(make_settings(tmp_path), clock=FakeClock(), url=url)
    yield built
    engine = built.engine
    built.close()
    engine.dispose()


def queue(core: Core, *messages: Reply | Card | CardUpdate) -> None:
    with session_scope(core.engine) as session:
        tx = Tx(session, core.clock.now(), f"test:{id(messages)}", core.secret)
        for message in messages:
            tx.send(message)


def rows(core: Core) -> list[OutboxMessage]:
    with Session(core.engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())  # type: ignore[arg-type]


def hello(text: str = "hello") -> Reply:
    return Reply(Channel("ask"), Content(text=text))


async def test_a_rate_limited_delivery_waits_at_least_the_platform_s_hint(core: Core) -> None:
    adapter = RecordingAdapter()
    adapter.failures.append(DeliveryError("slow down", retryable=True, retry_after=30))
    core.attach(adapter)
    queue(core, hello())
    assert await core.outbox.drain() == 0
    (row,) = rows(core)
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "slow down")
    assert core.clock.now() + timedelta(seconds=30) <= row.next_attempt_at.replace(
        tzinfo=core.clock.now().tzinfo
    )
    clock = core.clock
    assert isinstance(clock, FakeClock)
    clock.advance(seconds=29)
    assert await core.outbox.drain() == 0
    clock.advance(seconds=60)
    assert await core.outbox.drain() == 1
    assert adapter.messages == [hello()]
    assert rows(core)[0].status == "sent"


async def test_backoff_grows_exponentially_and_gives_up_after_the_maximum(
    core: Core, tmp_path: Path
) -> None:
    adapter = RecordingAdapter()
    adapter.failures.extend(DeliveryError("5xx") for _ in range(20))
    core.attach(adapter)
    queue(core, hello())
    clock = core.clock
    assert isinstance(clock, FakeClock)
    delays = []
    for _ in range(core.settings.workflow.outbox_max_attempts):
        before = clock.now()
        await core.outbox.drain()
        row = rows(core)[0]
        delays.append((row.next_attempt_at.replace(tzinfo=before.tzinfo) - before).total_seconds())
        clock.advance(seconds=400)
    (row,) = rows(core)
    assert row.status == "failed"
    assert row.attempts == core.settings.workflow.outbox_max_attempts
    # Each delay is base * 2^(n-1) with ±50% jitter, capped at 300 s.
    for n, delay in enumerate(delays[:6], start=1):
        assert 0.5 * 2 ** (n - 1) <= delay <= 1.5 * 2 ** (n - 1)
    assert adapter.messages == []


async def test_a_permanent_failure_is_not_retried(core: Core) -> None:
    adapter = RecordingAdapter()
    adapter.failures.append(DeliveryError("unknown channel", retryable=False))
    core.attach(adapter)
    queue(core, hello(), hello("next"))
    await core.outbox.drain()
    first, second = rows(core)
    assert (first.status, first.attempts) == ("failed", 1)
    assert second.status == "sent"


async def test_card_refs_are_remembered_and_updates_wait_for_their_card(core: Core) -> None:
    adapter = RecordingAdapter()
    adapter.failures.append(DeliveryError("busy", retry_after=5))
    core.attach(adapter)
    queue(
        core,
        Card("escalation:7", Reviewers(), Content(text="card")),
        CardUpdate("escalation:7", Content(text="updated")),
        Reply(CardThread("escalation:7"), Content(text="in thread")),
    )
    await core.outbox.drain()
    assert adapter.sent == []
    clock = core.clock
    assert isinstance(clock, FakeClock)
    clock.advance(seconds=10)
    await core.outbox.drain()
    assert [(type(m).__name__, ref) for m, ref in adapter.sent] == [
        ("Card", None),
        ("CardUpdate", "card-escalation:7"),
        ("Reply", "card-escalation:7"),
    ]


async def test_two_workers_never_deliver_the_same_row(core: Core, url: str) -> None:
    queue(core, *(hello(f"m{i}") for i in range(60)))
    first, second = RecordingAdapter(), RecordingAdapter()
    other_engine = make_engine(url)
    other_db = DbThread()
    other = Outbox(other_engine, core.clock, other_db, secret=core.secret, max_attempts=3)
    core.attach(first)
    other.attach(second)
    try:
        await asyncio.gather(core.outbox.drain(), other.drain(), core.outbox.drain())
    finally:
        other_db.close()
        other_engine.dispose()
    texts = [m.content.text for m in first.messages + second.messages]  # type: ignore[union-attr]
    assert sorted(texts) == sorted(f"m{i}" for i in range(60))
    assert all(row.status == "sent" for row in rows(core))


async def test_a_repeated_platform_event_is_handled_once(core: Core) -> None:
    adapter = RecordingAdapter()
    core.attach(adapter)
    event = Inbound("test", "evt-1", ANN, "ask", text="how do I get a prescription refill")
    await core.submit(event)
    await core.submit(event)
    # A fresh process (no in-memory memory of the event) also drops it, via the database.
    core.dispatcher._recent.clear()
    await core.submit(event)
    await core.outbox.drain()
    assert len(adapter.messages) == 1
    with Session(core.engine) as session:
        assert len(session.exec(select(Question)).all()) == 1
        assert len(session.exec(select(InboundEvent)).all()) == 1


async def test_the_crisis_reply_goes_out_even_when_the_database_is_down(core: Core) -> None:
    adapter = RecordingAdapter()
    core.attach(adapter)
    down = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    core.dispatcher._engine = down
    try:
        await core.submit(Inbound("test", "evt-c", ANN, "ask", text="I want to end my life"))
    finally:
        down.dispose()
    assert [m.content.text for m in adapter.messages] == [  # type: ignore[union-attr]
        "CRISIS RESOURCES (suicide_self_harm)"
    ]


async def test_the_crisis_reply_goes_out_before_anything_is_stored(core: Core) -> None:
    stored_before_reply: list[int] = []

    class Watching(RecordingAdapter):
        async def deliver(self, message, ref=None):  # type: ignore[no-untyped-def]
            with Session(core.engine) as session:
                stored_before_reply.append(len(session.exec(select(Question)).all()))
            return await super().deliver(message, ref)

    adapter = Watching()
    core.attach(adapter)
    await core.submit(Inbound("test", "evt-c2", ANN, "ask", text="I want to end my life"))
    await core.outbox.drain()
    assert stored_before_reply[0] == 0
    assert adapter.messages[1].content.urgent  # type: ignore[union-attr]
    with Session(core.engine) as session:
        assert session.exec(select(Question)).one().decision == "crisis"


async def test_a_sqlite_restart_takes_over_rows_a_killed_process_had_claimed(
    tmp_path: Path,
) -> None:
    settings = make_settings(tmp_path)
    first = make_core(settings)
    queue(first, hello())
    claimed = await first.db(first.outbox._claim)
    assert len(claimed) == 1  # claimed, then the process "dies" before delivering
    engine = first.engine
    first.close()
    engine.dispose()
    second = make_core(settings)
    adapter = RecordingAdapter()
    second.attach(adapter)
    assert await second.outbox.drain() == 1
    assert adapter.messages == [hello()]
    engine = second.engine
    second.close()
    engine.dispose()
