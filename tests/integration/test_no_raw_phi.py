"""Personal information never reaches the database, the logs or the reviewer channel.

The real safety layer runs in front of the real core on SQLite and on PostgreSQL; a patient's
question full of personal details goes all the way through escalation, claim, answer, approval
and delivery, and a crisis message with personal details takes the urgent path. Afterwards every
text column of every table, every log record (at DEBUG) and everything posted for reviewers is
searched for the raw details.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from bot.app import build_safety
from bot.i18n import load_catalog
from bot.messages import Actor, Card, CardThread, CardUpdate, Inbound, Reply, Reviewers, Role
from tests.fakes import FakeClock, RecordingAdapter, make_core, make_settings
from tests.support.databases import postgres_schema_url

ANN = Actor("test", "u-ann", "ann_s")
JOHN = Actor("test", "u-john", "jc")
LEE = Actor("test", "u-lee", "Dr Lee", frozenset({Role.PATIENT, Role.PHYSICIAN}))
MO = Actor("test", "u-mo", "Mo", frozenset({Role.PATIENT, Role.MODERATOR}))

QUESTION = (
    "My name is Ann Smith, born 03/14/1985, email ann.smith@example.com, phone (415) 555-0134, "
    "I live at 42 Elm Street, Springfield. MRN 12345678. My knee hurts after running."
)
CRISIS = "I'm John Carter, SSN 123-45-6789, and I want to end my life"
RAW = [
    "Ann Smith",
    "03/14/1985",
    "ann.smith@example.com",
    "555-0134",
    "42 Elm Street",
    "12345678",
    "John Carter",
    "123-45-6789",
]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'careline.db'}"
        return
    with postgres_schema_url() as url:
        yield url


def inbound(n: int, actor: Actor, said: str) -> Inbound:
    return Inbound("test", f"e{n}", actor, "help", text=said, message_id=f"m{n}")


def all_stored_text(core_engine: object) -> str:
    """Every value of every row of every table, as one string."""
    engine = core_engine
    dump = []
    with engine.connect() as connection:  # type: ignore[attr-defined]
        for table in inspect(engine).get_table_names():  # type: ignore[arg-type]
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):  # noqa: S608
                dump.append(repr(tuple(row)))
    return "\n".join(dump)


def reviewer_side(adapter: RecordingAdapter) -> list[str]:
    """What reviewers saw: cards, card updates, and replies in the reviewer channel or threads."""

    def for_reviewers(message: object) -> bool:
        if isinstance(message, Reply):
            return isinstance(message.target, Reviewers | CardThread)
        return isinstance(message, Card | CardUpdate)

    return [repr(m.content) for m in adapter.messages if for_reviewers(m)]


async def test_raw_personal_details_reach_no_table_no_log_and_no_reviewer(
    tmp_path: Path, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = make_settings(tmp_path)
    clock = FakeClock()
    core = make_core(
        settings,
        clock=clock,
        url=database_url,
        safety=build_safety(settings, clock, load_catalog()),
    )
    adapter = RecordingAdapter()
    core.attach(adapter)
    try:
        steps = [
            (ANN, QUESTION),
            (LEE, "/claim 1"),
            (LEE, "/answer 1 Rest the knee, use ice, and see us if it swells."),
            (MO, "/approve 1"),
            (JOHN, CRISIS),
        ]
        for n, (actor, said) in enumerate(steps, start=1):
            await core.submit(inbound(n, actor, said))
            await core.outbox.drain()

        reviewers = reviewer_side(adapter)
        assert any("[EMAIL]" in seen for seen in reviewers), "the question reached reviewers"
        assert any("URGENT" in seen.upper() for seen in reviewers), "the crisis alerted them"
        stored = all_stored_text(core.engine)
        assert "[EMAIL]" in stored, "the redacted question was stored"
        for raw in RAW:
            assert raw not in stored, f"{raw!r} was stored"
            assert raw not in caplog.text, f"{raw!r} was logged"
            assert not any(raw in seen for seen in reviewers), f"{raw!r} reached reviewers"
        delivered = [m for m in adapter.messages if isinstance(m, Reply)]
        assert any("Rest the knee" in repr(m.content) for m in delivered), "Ann got her answer"
    finally:
        core.close()
        core.engine.dispose()
