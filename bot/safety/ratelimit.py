"""Per-user and per-channel rate limits: sliding windows kept in memory, bounded in size.

Crisis messages never reach the limiter: the dispatcher answers a crisis before it asks.
"""

from __future__ import annotations

import logging
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Literal

from bot.ports import Clock
from bot.settings import RateLimitSettings

log = logging.getLogger(__name__)

Kind = Literal["question", "command"]
MINUTE = 60.0
HOUR = 3600.0


@dataclass(frozen=True, slots=True)
class Window:
    """At most `limit` hits in any `seconds`-long stretch."""

    limit: int
    seconds: float


class RateLimiter:
    """Sliding-window limits per user (questions, commands) and per channel (all messages).

    `check` either records the hit and returns None, or returns how many seconds to wait and
    records nothing (so a refused message does not extend the wait). Keys idle for longer than
    the longest window are forgotten; at most `max_keys` keys are kept, least recently used
    first out, so memory stays bounded whatever the traffic.
    """

    def __init__(self, limits: RateLimitSettings, clock: Clock, max_keys: int = 50_000):
        self._clock = clock
        self._max_keys = max_keys
        self._windows: dict[str, tuple[Window, ...]] = {
            "question": (
                Window(limits.user_questions_per_minute, MINUTE),
                Window(limits.user_questions_per_hour, HOUR),
            ),
            "command": (Window(limits.user_commands_per_minute, MINUTE),),
            "channel": (Window(limits.channel_messages_per_minute, MINUTE),),
        }
        self._horizon = max(w.seconds for ws in self._windows.values() for w in ws)
        self._hits: OrderedDict[tuple[str, str], deque[float]] = OrderedDict()

    def check(self, user_key: str, channel: str, kind: Kind) -> float | None:
        """Seconds to wait when `user_key` or `channel` is over a limit; else None (hit counted)."""
        now = self._clock.now().timestamp()
        user = (kind, user_key)
        room = ("channel", channel)
        wait = max(self._wait(user, now), self._wait(room, now))
        if wait > 0:
            log.debug("rate limited %s in %s for %.1fs", kind, channel, wait)
            return wait
        for key in (user, room):
            self._hits.setdefault(key, deque()).append(now)
            self._hits.move_to_end(key)
        self._evict(now)
        return None

    def __len__(self) -> int:
        """How many keys are remembered (for tests of the memory bound)."""
        return len(self._hits)

    def _wait(self, key: tuple[str, str], now: float) -> float:
        hits = self._hits.get(key)
        if not hits:
            return 0.0
        while hits and hits[0] <= now - self._horizon:
            hits.popleft()
        wait = 0.0
        for window in self._windows[key[0]]:
            recent = [t for t in hits if t > now - window.seconds]
            if len(recent) >= window.limit:
                # The oldest hit that must expire before one more fits.
                oldest = recent[len(recent) - window.limit]
                wait = max(wait, oldest + window.seconds - now)
        return wait

    def _evict(self, now: float) -> None:
        while len(self._hits) > self._max_keys:
            self._hits.popitem(last=False)
        # Idle keys sit at the front (least recently used); drop them while they are stale.
        while self._hits:
            key, hits = next(iter(self._hits.items()))
            if hits and hits[-1] > now - self._horizon:
                break
            del self._hits[key]
