"""Test doubles: a fake clock, a recording adapter, a small fake matcher and safety layer."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from adapters.console.adapter import ConsoleAdapter
from bot.app import Core, build_core
from bot.errors import DeliveryError
from bot.handlers import SafetyKit
from bot.knowledge.entry import Entry, EntryStatus, Source
from bot.matching.types import Candidate, Decision, MatchResult
from bot.messages import Card, CardUpdate, Content, DeliveryReceipt, Outbound
from bot.safety.types import CrisisCategory, PhiKind, ScanResult, Span
from bot.settings import Settings, load_settings
from bot.store.db import make_engine

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class FakeClock:
    """A clock that moves only when told."""

    def __init__(self, start: datetime = START) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> None:
        self._now += timedelta(**delta)


class RecordingAdapter:
    """Records every delivered action; can be told to fail."""

    name = "recording"

    def __init__(self) -> None:
        self.sent: list[tuple[Outbound, str | None]] = []
        self.failures: list[DeliveryError] = []
        self._n = 0

    async def start(self, submit: Any) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def deliver(self, message: Outbound, ref: str | None = None) -> DeliveryReceipt:
        if self.failures:
            raise self.failures.pop(0)
        self._n += 1
        self.sent.append((message, ref))
        if isinstance(message, Card):
            return DeliveryReceipt(ref=f"card-{message.key}")
        if isinstance(message, CardUpdate):
            return DeliveryReceipt(ref=ref)
        return DeliveryReceipt(ref=f"msg-{self._n}")

    @property
    def messages(self) -> list[Outbound]:
        return [message for message, _ in self.sent]


_WORD = re.compile(r"[a-z0-9]+")
_STOP = {
    "i",
    "a",
    "the",
    "my",
    "do",
    "is",
    "how",
    "what",
    "can",
    "to",
    "of",
    "for",
    "and",
    "it",
    "get",
    "me",
}


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


class FakeMatcher:
    """Word-overlap (Dice) matching: answer at ≥ 0.6, suggest at ≥ 0.35, else escalate."""

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self._entries: dict[str, Entry] = {}
        for entry in entries:
            self.upsert(entry)

    def upsert(self, entry: Entry) -> None:
        if entry.status is EntryStatus.APPROVED:
            self._entries[entry.id] = entry

    def remove(self, entry_id: str) -> None:
        self._entries.pop(entry_id, None)

    def entry(self, entry_id: str) -> Entry | None:
        return self._entries.get(entry_id)

    def match(self, text: str, *, limit: int = 5) -> MatchResult:
        query = _words(text)
        scored = []
        for entry in self._entries.values():
            best = 0.0
            matched = entry.question
            for phrasing in entry.phrasings:
                words = _words(phrasing)
                if query and words:
                    score = 2 * len(query & words) / (len(query) + len(words))
                    if score > best:
                        best, matched = score, phrasing
            if best > 0:
                scored.append(Candidate(entry.id, best, matched))
        scored.sort(key=lambda c: (-c.score, c.entry_id))
        top = scored[0].score if scored else 0.0
        decision = (
            Decision.ANSWER
            if top >= 0.6
            else Decision.SUGGEST
            if top >= 0.25
            else Decision.ESCALATE
        )
        return MatchResult(text, decision, tuple(scored[:limit]))


ENTRIES = [
    Entry(
        id="prescription-refill",
        question="How do I get a prescription refill?",
        answer="Ask your pharmacy or use the patient portal; allow three working days.",
        alternates=("refill my prescription", "renew my medication"),
        sources=(Source("NHS: repeat prescriptions", "https://www.nhs.uk/repeat-prescriptions"),),
        reviewed_by="Dr Rivera",
        reviewed_on=date(2025, 6, 1),
    ),
    Entry(
        id="opening-hours",
        question="What are the clinic opening hours?",
        answer="Monday to Friday, 8am to 6pm.",
        reviewed_by="Clinic team",
        reviewed_on=date(2025, 6, 1),
    ),
    Entry(
        id="flu-duration",
        question="How long does the flu last?",
        answer="Most people feel better within a week.",
        reviewed_by="Dr Rivera",
    ),
    Entry(
        id="flu-vaccine",
        question="Who should get the flu vaccine?",
        answer="Everyone over six months, especially older adults.",
        reviewed_by="Dr Rivera",
    ),
]


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_CRISIS = re.compile(r"kill myself|end my life|overdosed", re.I)


def fake_scan(text: str) -> ScanResult:
    """Emails are PHI; a few phrases are a crisis."""
    spans = tuple(Span(PhiKind.EMAIL, m.start(), m.end()) for m in _EMAIL.finditer(text))
    crisis = CrisisCategory.SUICIDE_SELF_HARM if _CRISIS.search(text) else None
    return ScanResult(crisis, spans, _EMAIL.sub("[EMAIL]", text))


def fake_neutralise(text: str) -> str:
    return text.replace("@everyone", "@\u200beveryone").replace("@here", "@\u200bhere")


class FakeRateLimiter:
    """Allows `limit` questions per user, then asks to wait a minute."""

    def __init__(self, limit: int = 1000) -> None:
        self.limit = limit
        self.seen: dict[str, int] = {}

    def check(self, user_key: str, channel: str, kind: str) -> float | None:
        if kind != "question":
            return None
        self.seen[user_key] = self.seen.get(user_key, 0) + 1
        return 60.0 if self.seen[user_key] > self.limit else None


def fake_safety(limiter: FakeRateLimiter | None = None) -> SafetyKit:
    limiter = limiter or FakeRateLimiter()
    return SafetyKit(
        scan=fake_scan,
        neutralise=fake_neutralise,
        crisis_reply=lambda category: Content(text=f"CRISIS RESOURCES ({category})", urgent=True),
        rate_check=limiter.check,
    )


def make_settings(tmp_path: Path, **sections: Any) -> Settings:
    """Defaults, a SQLite file under `tmp_path`, and any section overrides."""
    storage = {"sqlite_path": str(tmp_path / "careline.db")} | sections.pop("storage", {})
    return load_settings(storage=storage, **sections)


def make_core(
    settings: Settings,
    *,
    clock: FakeClock | None = None,
    url: str | None = None,
    matcher: Any = None,
    safety: SafetyKit | None = None,
) -> Core:
    engine = make_engine(url or settings.database_url)
    return build_core(
        settings,
        clock=clock or FakeClock(),
        engine=engine,
        matcher=matcher if matcher is not None else FakeMatcher(ENTRIES),
        safety=safety or fake_safety(),
        raise_errors=True,
    )


class ConsoleHarness:
    """Drives the real console adapter against a core; reads back what it printed."""

    def __init__(self, core: Core, default_speaker: str = "patient:you") -> None:
        self.core = core
        self.out = io.StringIO()
        self.adapter = ConsoleAdapter(default_speaker=default_speaker, stdout=self.out)
        core.attach(self.adapter)
        self._mark = 0

    async def say(self, *lines: str) -> str:
        """Type lines; deliver everything they caused; return the new output."""
        for line in lines:
            await self.adapter.feed(line, self.core.submit)
            await self.core.outbox.drain()
        return self.new()

    async def tick(self, **delta: float) -> str:
        clock = self.core.clock
        assert isinstance(clock, FakeClock)
        clock.advance(**delta)
        await self.core.tick()
        await self.core.outbox.drain()
        return self.new()

    def new(self) -> str:
        text = self.out.getvalue()
        fresh, self._mark = text[self._mark :], len(text)
        return fresh

    @property
    def transcript(self) -> str:
        return self.out.getvalue()

    def close(self) -> None:
        engine = self.core.engine
        self.core.close()
        engine.dispose()
