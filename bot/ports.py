"""Protocols the core needs from the outside world: adapters and the clock."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Protocol

from bot.messages import DeliveryReceipt, Inbound, Outbound

Submit = Callable[[Inbound], Awaitable[None]]


class Adapter(Protocol):
    """A platform translator: feeds `Inbound` events in, renders `Outbound` actions out."""

    name: str

    async def start(self, submit: Submit) -> None:
        """Connect and feed every platform event to `submit` until stopped."""
        ...

    async def stop(self) -> None:
        """Disconnect cleanly."""
        ...

    async def deliver(self, message: Outbound, ref: str | None = None) -> DeliveryReceipt:
        """Render and send one action.

        Args:
            message: the action to render.
            ref: for a `CardUpdate` or a `CardThread` target, the receipt ref of the card.

        Raises:
            DeliveryError: when sending failed (retryable or not, with a rate-limit hint).
        """
        ...


class Clock(Protocol):
    """Tells the time; tests pass a fake one."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        return datetime.now(UTC)
