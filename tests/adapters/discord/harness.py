"""Drive the Discord adapter and the real core together, one gateway event at a time."""

from __future__ import annotations

from typing import Any

from adapters.discord.adapter import DiscordAdapter
from bot.app import Core
from bot.messages import Inbound
from tests.adapters.discord.conftest import REVIEWERS, eventually
from tests.adapters.discord.fake_discord import Call, FakeDiscord


class DiscordCommunity:
    """The fake Discord, the adapter and a core (`submit` goes to `core.submit`).

    `send` pushes one gateway event, waits until the core has taken the resulting `Inbound`
    (or, for an event that only opens a modal, until the adapter answered Discord), delivers
    everything the outbox holds, and returns the REST calls all that caused.
    """

    def __init__(self, fake: FakeDiscord, core: Core, adapter: DiscordAdapter) -> None:
        self.fake = fake
        self.core = core
        self.adapter = adapter
        self.handled = 0

    async def submit(self, inbound: Inbound) -> None:
        """What the adapter calls: the core's `submit`, counted."""
        try:
            await self.core.submit(inbound)
        finally:
            self.handled += 1

    async def send(
        self, event: str, data: dict[str, Any], *, reaches_core: bool = True
    ) -> list[Call]:
        """Dispatch `event`; return the REST calls it caused once everything is delivered."""
        calls, handled = len(self.fake.calls), self.handled
        await self.fake.dispatch(event, data)
        if reaches_core:
            await eventually(lambda: self.handled > handled)
        else:
            await eventually(lambda: len(self.fake.calls) > calls)
        await self.core.outbox.drain()
        return self.fake.calls[calls:]

    def card(self) -> dict[str, Any]:
        """The current state of the one card in the reviewer channel."""
        cards = [
            m for m in self.fake.messages.values() if m["channel_id"] == REVIEWERS and m["embeds"]
        ]
        assert len(cards) == 1, cards
        return cards[0]

    def buttons(self) -> dict[str, str]:
        """The card's buttons: label → custom_id."""
        return {
            c["label"]: c["custom_id"]
            for row in self.card()["components"]
            for c in row["components"]
        }
