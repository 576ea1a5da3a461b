"""The workflow on SQLite and PostgreSQL: the full life cycle, erasure, retention and reports."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from bot.privacy import purge_main
from bot.reports import audit_main, stats_main
from bot.store.models import AuditEntry, Escalation, Feedback, OutboxMessage, Question
from tests.fakes import ConsoleHarness, FakeClock, make_core, make_settings
from tests.support.databases import postgres_schema_url

LONG_AGO = datetime(2024, 1, 8, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'careline.db'}"
    else:
        with postgres_schema_url() as found:
            yield found


def count(console: ConsoleHarness, model: type) -> int:
    with Session(console.core.engine) as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


async def session_of_a_community(console: ConsoleHarness) -> None:
    await console.say("patient:ann> how do I get a prescription refill", "/helpful 1")
    await console.say("patient:ann> my knee hurts after running")
    await console.say("physician:lee> /claim 1", "/answer 1 Rest and ice.")
    await console.say("moderator:mo> /reject 1 Say when to see a doctor.")
    await console.say("physician:lee> /answer 1 Rest; see a doctor if it swells.")
    await console.say("moderator:mo> /approve 1", "/promote 1")
    await console.say("patient:bob> what are the clinic opening hours")


async def test_the_whole_life_cycle_runs_on_each_database(url: str, tmp_path: Path) -> None:
    console = ConsoleHarness(make_core(make_settings(tmp_path), url=url))
    await session_of_a_community(console)
    out = await console.say("patient:cy> my knee hurts after running")
    assert "Rest; see a doctor if it swells." in out
    with Session(console.core.engine) as session:
        (esc,) = session.exec(select(Escalation)).all()
        assert esc.state == "delivered"
        actions = [a.action for a in session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()]  # type: ignore[arg-type]
    assert actions == [
        "escalate", "claim", "answer", "reject", "answer", "approve", "deliver", "promote",
    ]  # fmt: skip
    console.close()


async def test_forget_me_really_removes_the_rows(url: str, tmp_path: Path) -> None:
    console = ConsoleHarness(make_core(make_settings(tmp_path), url=url))
    await session_of_a_community(console)
    assert count(console, Question) == 3
    await console.say("patient:ann> /forget-me")
    with Session(console.core.engine) as session:
        assert [q.text for q in session.exec(select(Question)).all()] == [
            "what are the clinic opening hours"
        ]
        assert session.exec(select(Escalation)).all() == []
        assert session.exec(select(Feedback)).all() == []
        names = {a.actor_name for a in session.exec(select(AuditEntry)).all()}
        assert "ann" not in names
        assert {"lee", "mo"} <= names
    console.close()


async def test_the_retention_job_purges_old_rows_and_keeps_new_ones(
    url: str, tmp_path: Path
) -> None:
    clock = FakeClock(LONG_AGO)
    settings = make_settings(tmp_path, safety={"retention_days": 30})
    console = ConsoleHarness(make_core(settings, url=url, clock=clock))
    await session_of_a_community(console)
    clock.advance(days=40)
    await console.say("patient:dee> what are the clinic opening hours")
    await console.core.tick()
    with Session(console.core.engine) as session:
        assert [q.text for q in session.exec(select(Question)).all()] == [
            "what are the clinic opening hours"
        ]
        assert session.exec(select(Escalation)).all() == []
        assert all(a.actor_key is None for a in session.exec(select(AuditEntry)).all())
        assert all(
            m.created_at.replace(tzinfo=UTC) > LONG_AGO.replace(day=30)
            for m in session.exec(select(OutboxMessage)).all()
        )
    console.close()


async def test_anonymising_retention_keeps_counts_but_not_the_person(
    url: str, tmp_path: Path
) -> None:
    clock = FakeClock(LONG_AGO)
    settings = make_settings(
        tmp_path, safety={"retention_days": 30, "retention_action": "anonymise"}
    )
    console = ConsoleHarness(make_core(settings, url=url, clock=clock))
    await session_of_a_community(console)
    clock.advance(days=40)
    await console.core.tick()
    with Session(console.core.engine) as session:
        questions = session.exec(select(Question)).all()
        assert len(questions) == 3
        assert {(q.text, q.user_key, q.user_id, q.channel) for q in questions} == {
            ("", None, None, None)
        }
    console.close()


async def test_purge_cli_dry_run_changes_nothing_and_the_real_run_removes_old_rows(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    console = ConsoleHarness(make_core(make_settings(tmp_path), url=url, clock=FakeClock(LONG_AGO)))
    await session_of_a_community(console)
    monkeypatch.setenv("DATABASE_URL", url)
    assert purge_main(argparse.Namespace(config=None, dry_run=True)) == 0
    out = capsys.readouterr().out
    assert "Would purge or anonymise data older than 365 days" in out
    assert "questions: 3" in out
    assert count(console, Question) == 3
    assert purge_main(argparse.Namespace(config=None, dry_run=False)) == 0
    assert "Purged or anonymised" in capsys.readouterr().out
    assert count(console, Question) == 0
    console.close()


async def test_audit_and_stats_reports_read_the_store(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    console = ConsoleHarness(make_core(make_settings(tmp_path), url=url))
    await session_of_a_community(console)
    monkeypatch.setenv("DATABASE_URL", url)
    assert audit_main(argparse.Namespace(config=None, limit=50, escalation=1)) == 0
    audit = capsys.readouterr().out.splitlines()
    assert len(audit) == 8
    assert "reject" in audit[3]
    assert "mo (moderator)" in audit[3]
    assert "awaiting_approval → rejected" in audit[3]
    assert "reason: Say when to see a doctor." in audit[3]
    assert stats_main(argparse.Namespace(config=None)) == 0
    stats = capsys.readouterr().out
    assert "Questions: 3" in stats
    assert "Answered from the FAQ: 2 (67%)" in stats
    assert "Escalated: 1 (33%)" in stats
    assert "Median time to a physician's answer: 0 min" in stats
    assert "Feedback: 1 helpful, 0 not helpful" in stats
    assert "knee (1)" in stats
    console.close()
