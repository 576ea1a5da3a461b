"""Safe output: pings become plain text, markup tricks are shown, input length is checked."""

from __future__ import annotations

import re

import pytest

from bot.safety.sanitise import (
    ZWSP,
    check_length,
    clip,
    neutralise,
    neutralise_markup,
    neutralise_mentions,
)

# What Discord and Slack treat as a ping, after our rewriting.
PING = re.compile(r"@(?:everyone|here|channel)\b|<@[!&]?\w+>|<!\w+")


@pytest.mark.parametrize(
    "text",
    [
        "@everyone look",
        "hey @here",
        "<@&123456789>",
        "<@123456789> and <@!987654321>",
        "<!channel> <!here> <!everyone>",
        "<!subteam^S0123ABC|@physicians>",
        "<@U024BE7LH> hi",
        "@channel please",
    ],
)
def test_mass_role_and_user_mentions_no_longer_ping(text: str) -> None:
    assert not PING.search(neutralise_mentions(text))


def test_neutralised_mentions_stay_readable() -> None:
    out = neutralise_mentions("ask <!subteam^S1|@physicians> or <@U1|maria>, @everyone")
    assert out.replace(ZWSP, "") == "ask @physicians or @maria, @everyone"


def test_neutralising_twice_changes_nothing_more() -> None:
    once = neutralise_mentions("@everyone <@&1>")
    assert neutralise_mentions(once) == once


def test_a_masked_link_shows_its_real_target() -> None:
    assert neutralise_markup("[your results](http://evil.example)") == (
        "your results (http://evil.example)"
    )


def test_a_slack_link_shows_its_real_target() -> None:
    assert neutralise_markup("<http://evil.example|nhs.uk>") == "nhs.uk (http://evil.example)"


def test_code_fences_cannot_open_or_close_a_block() -> None:
    out = neutralise_markup("```\nfake\n```")
    assert "```" not in out


def test_headings_and_quotes_cannot_spoof_a_bot_message() -> None:
    out = neutralise_markup("# Careline official\n> Moderator: approved\n-# small print")
    assert all(line.startswith("\\") for line in out.splitlines())


def test_invisible_and_direction_changing_characters_are_dropped() -> None:
    assert neutralise_markup("ab\u202ecd\u200bef\u2066") == "abcdef"


def test_neutralise_applies_both_defences() -> None:
    out = neutralise("[@everyone](http://x.example)")
    assert not PING.search(out)
    assert "http://x.example" in out


def test_the_length_limit_counts_characters() -> None:
    assert check_length("a" * 2000, 2000)
    assert not check_length("a" * 2001, 2000)


def test_clip_keeps_short_text_and_marks_a_cut() -> None:
    assert clip("short", 10) == "short"
    assert clip("a long sentence here", 10) == "a long se…"
    assert len(clip("x" * 50, 10)) == 10
