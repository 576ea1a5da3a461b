"""`careline demo`: a scripted community session in the console, showing every path."""

from __future__ import annotations

import io
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class ManualClock:
    """The demo's clock: it jumps forward when the script says so."""

    def __init__(self, start: datetime = WHEN) -> None:
        self._now = start

    def now(self) -> datetime:
        """The scripted time."""
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move time forward."""
        self._now += delta


@dataclass(frozen=True, slots=True)
class Say:
    """A typed line."""

    line: str


@dataclass(frozen=True, slots=True)
class Click:
    """Type the command of the first button the previous step showed that matches `pattern`.

    Nothing happens when no such button was shown (e.g. the question was escalated directly).
    """

    who: str
    pattern: str


@dataclass(frozen=True, slots=True)
class Wait:
    """Let time pass (timers run)."""

    hours: float


@dataclass(frozen=True, slots=True)
class Note:
    """A heading for the viewer."""

    text: str


Step = Say | Click | Wait | Note

# `{esc}` is the number of the newest escalation card shown so far.
SCRIPT: list[Step] = [
    Note("1. A question the FAQ answers at once, and feedback"),
    Say("patient:ann> how do I get a prescription refill"),
    Click("patient:ann", r"/helpful \d+"),
    Note("2. A vague question: suggestions, and the patient picks one"),
    Say("patient:ben> my child has a fever"),
    Click("patient:ben", r"/pick \d+ [^\]\s]+"),
    Note("3. Escalation → claim → answer → rejection → re-answer → approval → delivery"),
    Say("patient:cat> my knee clicks when I climb stairs since my skiing fall"),
    Click("patient:cat", r"/professional \d+"),
    Say("physician:lee> /queue"),
    Say("physician:lee> /claim {esc}"),
    Say("physician:lee@{esc}> Rest it and use ice."),
    Say("physician:lee> /approve {esc}"),
    Say("moderator:mo> /reject {esc} Please add when to see a doctor."),
    Say(
        "physician:lee> /answer {esc} Rest it, use ice, and see a doctor if it locks, swells "
        "or gives way."
    ),
    Say("moderator:mo> /approve {esc}"),
    Note("4. Promotion to the FAQ: the next similar question is answered at once"),
    Say("moderator:mo> /promote {esc}"),
    Say("patient:dan> my knee clicks when I climb stairs since my skiing fall"),
    Note("5. Permission denials and bad commands"),
    Say("patient:eve> /approve {esc}"),
    Say("physician:kim> /claim 99"),
    Say("physician:kim> /claim abc"),
    Say("/frobnicate"),
    Note("6. Release by hand, then automatically after the claim timeout"),
    Say("patient:fay> does walking barefoot at home weaken the arches of my feet"),
    Click("patient:fay", r"/professional \d+"),
    Say("physician:kim> /claim {esc}"),
    Say("physician:lee> /answer {esc} Barefoot is fine."),
    Say("physician:kim> /release {esc}"),
    Say("physician:kim> /claim {esc}"),
    Wait(3),
    Note("7. Close (out of scope); the patient is told"),
    Say("patient:gus> which of the local gyms has the best sauna"),
    Click("patient:gus", r"/professional \d+"),
    Say("moderator:mo> /close {esc} Out of scope for a health service, sorry."),
    Note("8. Expiry: nobody answered in time; the patient is pointed to other care"),
    Wait(80),
    Note("9. Safety and privacy: a crisis message, redaction, forget-me, statistics"),
    Say("patient:hal> I took all my pills and want to end my life"),
    Say("patient:ivy> my email is ivy@example.com, is my sore throat strep"),
    Say("patient:ivy> /forget-me"),
    Say("moderator:mo> /stats"),
]
_CARD = re.compile(r"#(\d+): (?:question from the community|URGENT)")


async def play(settings: object, out: TextIO) -> int:
    """Play `SCRIPT` against a fresh database with the configured knowledge base."""
    from bot.app import build_core, load_adapter
    from bot.settings import Settings

    assert isinstance(settings, Settings)  # noqa: S101  (typed loosely to keep imports lazy)
    clock = ManualClock()
    with tempfile.TemporaryDirectory(prefix="careline-demo-") as folder:
        demo_settings = settings.model_copy(
            update={
                "storage": settings.storage.model_copy(
                    update={"sqlite_path": Path(folder) / "demo.db"}
                )
            }
        )
        core = build_core(demo_settings, clock=clock, engine=None)
        buffer = _Tee(out)
        # By name, like `careline run`: the core never imports an adapter.
        adapter = load_adapter("console", demo_settings, stdout=buffer)
        core.attach(adapter)
        try:
            for step in SCRIPT:
                await _play(step, core, adapter, buffer, clock, out)
        finally:
            core.close()
    return 0


async def _play(  # noqa: PLR0917
    step: Step, core: object, adapter: object, buffer: _Tee, clock: ManualClock, out: TextIO
) -> None:
    from bot.app import Core

    assert isinstance(core, Core)  # noqa: S101
    feed = adapter.feed  # type: ignore[attr-defined]
    started = len(buffer.seen)
    cards = _CARD.findall(buffer.seen)
    esc = cards[-1] if cards else "1"
    match step:
        case Note():
            out.write(f"\n=== {step.text} ===\n")
        case Say():
            line = step.line.format(esc=esc)
            out.write(f"> {line}\n")
            await feed(line, core.submit)
        case Click():
            found = re.findall(step.pattern, buffer.fresh())
            if not found:
                return
            line = f"{step.who}> {found[0]}"
            out.write(f"> {line}\n")
            await feed(line, core.submit)
        case Wait():
            clock.advance(timedelta(hours=step.hours))
            out.write(f"… {step.hours:g} hours later …\n")
            await core.tick()
    await core.outbox.drain()
    buffer.mark(started)


class _Tee(io.StringIO):
    """Writes through to the terminal and remembers what was shown (to find buttons)."""

    def __init__(self, out: TextIO) -> None:
        super().__init__()
        self._out = out
        self._mark = 0

    def write(self, text: str) -> int:
        self._out.write(text)
        return super().write(text)

    @property
    def seen(self) -> str:
        """Everything shown so far."""
        return self.getvalue()

    def fresh(self) -> str:
        """What the previous step showed."""
        return self.getvalue()[self._mark :]

    def mark(self, position: int) -> None:
        """Where the step that just ended started."""
        self._mark = position
