"""Reports over the store: the audit log (`careline audit`) and statistics (`careline stats`)."""

from __future__ import annotations

import argparse
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from sqlmodel import Session, col, select

from bot.i18n import Catalog
from bot.store.models import AuditEntry, Escalation, Feedback, Question
from bot.store.uow import aware

_WORDS = re.compile(r"[a-z][a-z']+")
# Words that say nothing about a topic; gaps are the content words of escalated questions.
_STOP = frozenset(
    """a about after again all also am an and any are as at be been before being but by can
    could did do does doing for from get got had has have having he her how i if in into is it
    its just me my no not now of on or our out should so some than that the their them then
    there these they this to too up was we were what when where which while who why will with
    would you your yours im ive dont cant doesnt isnt since still very much many more most
    take taking took need want know""".split()  # noqa: SIM905
)
GAP_TOPICS = 8
_PLACEHOLDER = re.compile(r"\[[A-Z_]+\]")


@dataclass(frozen=True, slots=True)
class StatsReport:
    """The numbers `careline stats` shows."""

    questions: int
    answered: int
    suggested: int
    escalated: int
    urgent: int
    median_answer: timedelta | None
    helpful: int
    unhelpful: int
    states: dict[str, int] = field(default_factory=dict)
    gaps: list[tuple[str, int]] = field(default_factory=list)


def compute_stats(session: Session) -> StatsReport:
    """Count questions by decision, time to answer, feedback, and the escalated topics."""
    decisions = Counter(session.exec(select(Question.decision)).all())
    escalations = session.exec(select(Escalation)).all()
    waits = [
        aware(esc.answered_at) - aware(esc.created_at)
        for esc in escalations
        if esc.answered_at is not None
    ]
    votes = Counter(session.exec(select(Feedback.helpful)).all())
    escalated_ids = [esc.question_id for esc in escalations if not esc.crisis]
    texts = (
        session.exec(select(Question.text).where(col(Question.id).in_(escalated_ids))).all()
        if escalated_ids
        else []
    )
    return StatsReport(
        questions=sum(decisions.values()),
        answered=decisions["answer"],
        suggested=decisions["suggest"],
        escalated=len(escalations),
        urgent=sum(1 for esc in escalations if esc.urgent),
        median_answer=(
            timedelta(seconds=statistics.median(w.total_seconds() for w in waits))
            if waits
            else None
        ),
        helpful=votes[True],
        unhelpful=votes[False],
        states=dict(Counter(esc.state for esc in escalations)),
        gaps=gap_topics(texts),
    )


def gap_topics(texts: Sequence[str], limit: int = GAP_TOPICS) -> list[tuple[str, int]]:
    """The content words most often found in escalated questions (one count per question)."""
    counts: Counter[str] = Counter()
    for text in texts:
        words = {w.strip("'") for w in _WORDS.findall(_PLACEHOLDER.sub(" ", text).lower())}
        counts.update(w for w in words if w not in _STOP and len(w) > 2)  # noqa: PLR2004
    # Ties alphabetically, so the report is the same on every run.
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def _duration(value: timedelta | None) -> str:
    if value is None:
        return "-"
    minutes = int(value.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"  # noqa: PLR2004


def format_stats(report: StatsReport, catalog: Catalog) -> str:
    """The report as text."""
    none = catalog("workflow.stats.none")
    total = report.questions
    return (
        catalog("workflow.stats.title")
        + "\n"
        + catalog(
            "workflow.stats.body",
            questions=total,
            answered=report.answered,
            answered_share=_share(report.answered, total),
            suggested=report.suggested,
            suggested_share=_share(report.suggested, total),
            escalated=report.escalated,
            escalated_share=_share(report.escalated, total),
            urgent=report.urgent,
            median=_duration(report.median_answer),
            helpful=report.helpful,
            unhelpful=report.unhelpful,
            states=", ".join(f"{k} {v}" for k, v in sorted(report.states.items())) or none,
            gaps=", ".join(f"{word} ({n})" for word, n in report.gaps) or none,
        )
    )


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from bot.i18n import load_catalog
    from bot.settings import load_settings
    from bot.store.db import make_engine
    from bot.store.migrate import ensure_schema

    settings = load_settings(getattr(args, "config", None))
    engine = make_engine(settings.database_url)
    ensure_schema(engine, auto_migrate=settings.storage.auto_migrate)
    return engine, load_catalog(settings.community.locale)


def audit_main(args: argparse.Namespace) -> int:
    """`careline audit [--limit N] [--escalation N]`: newest entries last."""
    from bot.store.db import session_scope

    engine, _ = _open(args)
    try:
        with session_scope(engine) as session:
            query = select(AuditEntry)
            if args.escalation is not None:
                query = query.where(AuditEntry.escalation_id == args.escalation)
            rows = session.exec(query.order_by(col(AuditEntry.id).desc()).limit(args.limit)).all()
    finally:
        engine.dispose()
    for row in reversed(rows):
        when = aware(row.at).strftime("%Y-%m-%d %H:%M:%S")
        target = f"#{row.escalation_id}" if row.escalation_id is not None else "-"
        who = f"{row.actor_name or '(erased)'} ({row.actor_role})"
        change = f"{row.before or '∅'} → {row.after or '∅'}" if row.before or row.after else ""
        line = f"{when}Z  {target:>6}  {row.action:<12} {who:<28} {change}"
        print(line + (f"  {row.detail}" if row.detail else ""))
    return 0


def stats_main(args: argparse.Namespace) -> int:
    """`careline stats`: questions, FAQ share, escalations, time to answer, feedback, gaps."""
    from bot.store.db import session_scope

    engine, catalog = _open(args)
    try:
        with session_scope(engine) as session:
            report = compute_stats(session)
    finally:
        engine.dispose()
    print(format_stats(report, catalog))
    return 0
