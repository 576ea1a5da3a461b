"""The console adapter: ``ROLE:NAME> TEXT`` lines in, ``[CHANNEL] AUTHOR: TEXT`` lines out.

One terminal plays the whole community. Patients write in ``ask``; physicians and moderators in
``reviewers``; escalation cards are shown as ``#N`` and their threads as ``thread:N``; private
replies as ``dm:NAME``. Buttons are listed as the command that does the same
(``[Claim: /claim 42]``). ``physician:lee@42> TEXT`` writes in the thread of card #42.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import sys
import threading
import uuid
from typing import Any, Self, TextIO, assert_never

from bot.messages import (
    Actor,
    Card,
    CardThread,
    CardUpdate,
    Channel,
    Content,
    DeliveryReceipt,
    DirectMessage,
    Inbound,
    Outbound,
    Reply,
    Reviewers,
    Role,
    parse_action_id,
)
from bot.ports import Submit
from bot.settings import Settings

PLATFORM = "console"
BOT_NAME = "Careline"
ASK_CHANNEL = "ask"
REVIEWERS_CHANNEL = "reviewers"
_PREFIX = re.compile(r"^\s*(patient|physician|moderator):([^\s>@]+)(?:@#?(\d+))?>\s?(.*)$", re.I)


def _label(actor: Actor) -> str:
    role = next((r for r in (Role.MODERATOR, Role.PHYSICIAN) if actor.has(r)), Role.PATIENT)
    return f"{role.value}:{actor.user_id}"


def speaker(spec: str) -> Actor:
    """``physician:lee`` → an actor with that role (and the patient role everyone has)."""
    role_name, _, name = spec.partition(":")
    role = Role(role_name.lower())
    return Actor(PLATFORM, name, name, frozenset({Role.PATIENT, role}))


class ConsoleAdapter:
    """Reads lines from a stream, writes rendered messages to another."""

    name = PLATFORM

    def __init__(
        self,
        *,
        default_speaker: str = "patient:you",
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
    ) -> None:
        self._speaker = speaker(default_speaker)
        self._stdin = stdin or sys.stdin
        self._out = stdout or sys.stdout
        self._ids = itertools.count(1)
        self._thread: str | None = None
        self._stopping = False

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> Self:
        """The console needs no credentials; `--http`/`--port` do not apply.

        `stdin`/`stdout` options replace the terminal (the demo writes to a buffer).
        """
        return cls(
            default_speaker=settings.console.default_speaker,
            stdin=options.get("stdin"),
            stdout=options.get("stdout"),
        )

    # -------------------------------------------------------------- input

    def to_inbound(self, line: str) -> Inbound | None:
        """Translate one typed line; None for a blank line."""
        match = _PREFIX.match(line)
        thread: str | None = None
        if match:
            self._speaker = speaker(f"{match.group(1)}:{match.group(2)}")
            thread = match.group(3)
            text = match.group(4)
        else:
            text = line
        text = text.strip()
        if not text:
            return None
        reviewer = self._speaker.has(Role.PHYSICIAN) or self._speaker.has(Role.MODERATOR)
        number = next(self._ids)
        return Inbound(
            platform=PLATFORM,
            event_id=f"{uuid.uuid4().hex}-{number}",
            actor=self._speaker,
            channel=REVIEWERS_CHANNEL if reviewer else ASK_CHANNEL,
            text=text,
            thread=thread,
            message_id=f"m{number}",
        )

    async def feed(self, line: str, submit: Submit) -> None:
        """Submit one typed line (the demo and tests drive the adapter with this)."""
        inbound = self.to_inbound(line)
        if inbound is not None:
            await submit(inbound)

    async def start(self, submit: Submit) -> None:
        """Read lines until end of input, submitting each in order."""
        loop = asyncio.get_running_loop()
        lines: asyncio.Queue[str | None] = asyncio.Queue()
        interactive = self._stdin.isatty()

        def reader() -> None:
            # A daemon thread: a blocked read never holds up shutdown.
            for raw in self._stdin:
                loop.call_soon_threadsafe(lines.put_nowait, raw.rstrip("\n"))
            loop.call_soon_threadsafe(lines.put_nowait, None)

        threading.Thread(target=reader, name="console-stdin", daemon=True).start()
        while not self._stopping:
            if interactive:
                self._write(f"{_label(self._speaker)}> ", end="")
            line = await lines.get()
            if line is None:
                return
            await self.feed(line, submit)

    async def stop(self) -> None:
        """Stop reading."""
        self._stopping = True
        self._out.flush()

    # -------------------------------------------------------------- output

    async def deliver(self, message: Outbound, ref: str | None = None) -> DeliveryReceipt:
        """Print one action as ``[CHANNEL] AUTHOR: TEXT`` lines."""
        match message:
            case Reply():
                channel = self._channel(message.target, ref, message.private_to)
                self._print(channel, message.content)
                return DeliveryReceipt(ref=f"{channel}/{next(self._ids)}")
            case Card():
                number = message.key.rpartition(":")[2]
                channel = self._channel(message.target, None, None)
                self._print(channel, message.content)
                return DeliveryReceipt(ref=number)
            case CardUpdate():
                number = ref or message.key.rpartition(":")[2]
                self._print(REVIEWERS_CHANNEL, message.content, prefix=f"(#{number} updated) ")
                return DeliveryReceipt(ref=number)
            case DirectMessage():
                self._print(f"dm:{message.user_id}", message.content)
                return DeliveryReceipt(ref=f"dm:{message.user_id}/{next(self._ids)}")
            case _:
                assert_never(message)

    def _channel(
        self, target: Channel | Reviewers | CardThread, ref: str | None, private_to: str | None
    ) -> str:
        if private_to:
            return f"dm:{private_to}"
        match target:
            case Channel():
                return target.id if not target.thread else f"thread:{target.thread}"
            case Reviewers():
                return REVIEWERS_CHANNEL
            case CardThread():
                return f"thread:{ref or target.card_key.rpartition(':')[2]}"
            case _:
                assert_never(target)

    def _print(self, channel: str, content: Content, *, prefix: str = "") -> None:
        head = f"[{channel}] {BOT_NAME}: "
        body: list[str] = []
        if content.title:
            body.append(
                ("🚨 " if content.urgent and "🚨" not in content.title else "")
                + f"**{content.title}**"
            )
        body.extend(content.text.splitlines() or [""])
        body.extend(f"{field.label}: {field.value}" for field in content.fields)
        body.extend(f"Source: {link.title} <{link.url}>" for link in content.links)
        if content.footer:
            body.append(f"_{content.footer}_")
        if content.buttons:
            body.append(
                " ".join(
                    f"[{b.label}: {self.command_for(b.action_id, b.text_prompt)}]"
                    for b in content.buttons
                )
            )
        first, *rest = body
        self._write(head + prefix + first)
        indent = " " * len(head)
        for line in rest:
            self._write(indent + line)

    @staticmethod
    def command_for(action: str, text_prompt: str | None = None) -> str:
        """The typed command a button stands for: ``careline:claim:42`` → ``/claim 42``."""
        parsed = parse_action_id(action)
        if parsed is None:
            return action
        verb, args = parsed
        return " ".join(["/" + verb, *args, *(["TEXT"] if text_prompt else [])])

    def _write(self, text: str, end: str = "\n") -> None:
        self._out.write(text + end)
        self._out.flush()
