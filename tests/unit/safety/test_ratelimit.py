"""Rate limits: sliding windows per user and per channel, measured on a fake clock."""

from __future__ import annotations

from bot.safety.ratelimit import RateLimiter
from bot.settings import RateLimitSettings
from tests.fakes import FakeClock

LIMITS = RateLimitSettings(
    user_questions_per_minute=2,
    user_questions_per_hour=3,
    user_commands_per_minute=3,
    channel_messages_per_minute=5,
)


def test_questions_within_the_limit_pass_and_the_next_waits_for_the_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(LIMITS, clock)
    assert limiter.check("u1", "c", "question") is None
    clock.advance(seconds=10)
    assert limiter.check("u1", "c", "question") is None
    wait = limiter.check("u1", "c", "question")
    assert wait is not None
    assert abs(wait - 50) < 1e-6
    clock.advance(seconds=50)
    assert limiter.check("u1", "c", "question") is None


def test_the_hourly_limit_holds_after_the_minute_window_has_passed() -> None:
    clock = FakeClock()
    limiter = RateLimiter(LIMITS, clock)
    for _ in range(3):
        assert limiter.check("u1", "c", "question") is None
        clock.advance(minutes=2)
    wait = limiter.check("u1", "c", "question")
    assert wait is not None
    assert 3000 < wait <= 3600


def test_a_refused_message_does_not_extend_the_wait() -> None:
    clock = FakeClock()
    limiter = RateLimiter(LIMITS, clock)
    limiter.check("u1", "c", "question")
    limiter.check("u1", "c", "question")
    first = limiter.check("u1", "c", "question")
    clock.advance(seconds=30)
    second = limiter.check("u1", "c", "question")
    assert first is not None
    assert second is not None
    assert abs((first - second) - 30) < 1e-6


def test_users_are_limited_separately() -> None:
    limiter = RateLimiter(LIMITS, FakeClock())
    limiter.check("u1", "c", "question")
    limiter.check("u1", "c", "question")
    assert limiter.check("u1", "c", "question") is not None
    assert limiter.check("u2", "c", "question") is None


def test_commands_have_their_own_budget() -> None:
    limiter = RateLimiter(LIMITS, FakeClock())
    limiter.check("u1", "c", "question")
    limiter.check("u1", "c", "question")
    assert limiter.check("u1", "c", "command") is None


def test_a_busy_channel_is_limited_whoever_writes() -> None:
    limiter = RateLimiter(LIMITS, FakeClock())
    for user in range(5):
        assert limiter.check(f"u{user}", "busy", "question") is None
    assert limiter.check("u9", "busy", "question") is not None
    assert limiter.check("u9", "quiet", "question") is None


def test_idle_keys_are_forgotten_and_memory_is_bounded() -> None:
    clock = FakeClock()
    limiter = RateLimiter(LIMITS, clock, max_keys=10)
    for user in range(50):
        limiter.check(f"u{user}", f"c{user}", "command")
    assert len(limiter) <= 10
    clock.advance(hours=2)
    limiter.check("late", "c", "command")
    assert len(limiter) == 2
