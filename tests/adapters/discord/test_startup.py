"""Start-up: settings checks, token, intents, permissions, sharding, and a clean stop."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from discord.http import Route

from adapters.discord.adapter import DiscordAdapter
from bot.errors import CarelineError, ConfigError
from bot.settings import load_settings
from tests.adapters.discord.conftest import (
    GUILD,
    MODERATOR_ROLE,
    PHYSICIAN_ROLE,
    REVIEWERS,
    make_adapter,
    running,
)

REPO = Path(__file__).parents[3]
CONFIG = f"""
[discord]
guild_id = "{GUILD}"
reviewer_channel_id = "{REVIEWERS}"
physician_role_ids = ["{PHYSICIAN_ROLE}"]
moderator_role_ids = ["{MODERATOR_ROLE}"]
"""


def settings_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, token: str | None):
    monkeypatch.chdir(tmp_path)  # no stray .env
    if token is None:
        monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    else:
        monkeypatch.setenv("DISCORD_TOKEN", token)
    path = tmp_path / "careline.toml"
    path.write_text(toml, encoding="utf-8")
    return load_settings(path)


async def start_and_fail(adapter: DiscordAdapter) -> ConfigError:
    async def submit(inbound):  # pragma: no cover - nothing may arrive
        raise AssertionError(inbound)

    with pytest.raises(ConfigError) as caught:
        await asyncio.wait_for(adapter.start(submit), timeout=5.0)
    return caught.value


def test_from_settings_builds_the_adapter(tmp_path, monkeypatch):
    adapter = DiscordAdapter.from_settings(settings_with(tmp_path, monkeypatch, CONFIG, "t0k"))
    assert adapter.name == "discord"
    assert adapter.settings.reviewer_channel_id == REVIEWERS


def test_a_missing_token_says_where_to_get_one(tmp_path, monkeypatch):
    settings = settings_with(tmp_path, monkeypatch, CONFIG, None)
    with pytest.raises(ConfigError) as caught:
        DiscordAdapter.from_settings(settings)
    assert caught.value.field == "DISCORD_TOKEN"
    assert "Developer Portal" in caught.value.message
    assert "Reset Token" in caught.value.message


@pytest.mark.parametrize(
    ("missing", "field"),
    [
        ("reviewer_channel_id", "discord.reviewer_channel_id"),
        ("physician_role_ids", "discord.physician_role_ids"),
        ("moderator_role_ids", "discord.moderator_role_ids"),
    ],
)
def test_missing_channel_or_role_ids_name_the_key_and_how_to_copy_an_id(
    tmp_path, monkeypatch, missing, field
):
    toml = "\n".join(line for line in CONFIG.splitlines() if not line.startswith(missing))
    with pytest.raises(ConfigError) as caught:
        DiscordAdapter.from_settings(settings_with(tmp_path, monkeypatch, toml, "t0k"))
    assert caught.value.field == field
    assert "Copy" in caught.value.message


def test_a_channel_name_instead_of_an_id_is_explained(tmp_path, monkeypatch):
    toml = CONFIG + 'help_channel_ids = ["#ask-here"]\n'
    with pytest.raises(ConfigError) as caught:
        DiscordAdapter.from_settings(settings_with(tmp_path, monkeypatch, toml, "t0k"))
    assert caught.value.field == "discord.help_channel_ids"
    assert "'#ask-here' is not a Discord id" in caught.value.message


def test_careline_run_without_a_token_fails_with_the_clear_message(tmp_path):
    (tmp_path / "careline.toml").write_text(CONFIG, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    env["PYTHONPATH"] = str(REPO)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--config", "careline.toml", "run", "--adapter", "discord"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "DISCORD_TOKEN" in result.stderr
    assert "Reset Token" in result.stderr
    assert "Traceback" not in result.stderr


async def test_a_rejected_token_stops_with_what_to_do(fake):
    fake.fail("GET", r"/users/@me", 401, {"message": "401: Unauthorized", "code": 0})
    error = await start_and_fail(make_adapter())
    assert error.field == "DISCORD_TOKEN"
    assert "rejected" in error.message


async def test_a_missing_message_content_intent_names_the_portal_switch(fake):
    fake.close_on_identify = 4014  # Disallowed intent(s)
    error = await start_and_fail(make_adapter(read_plain_messages=True))
    assert error.field == "discord.read_plain_messages"
    assert "MESSAGE CONTENT INTENT" in error.message
    assert "Privileged Gateway Intents" in error.message


async def test_missing_channel_permissions_stop_with_the_permissions_to_grant(fake):
    reviewers = next(c for c in fake.guild["channels"] if c["id"] == REVIEWERS)
    bot_role = reviewers["permission_overwrites"][-1]
    bot_role["allow"] = "1024"  # View Channel only
    bot_role["deny"] = str((1 << 35) | (1 << 14))  # Create Public Threads, Embed Links
    error = await start_and_fail(make_adapter())
    assert error.field == "discord.reviewer_channel_id"
    assert "Create Public Threads" in error.message
    assert "Embed Links" in error.message
    assert "#reviewers" in error.message


async def test_an_unknown_reviewer_channel_stops_with_instructions(fake):
    error = await start_and_fail(make_adapter(reviewer_channel_id="1100000000000000099"))
    assert error.field == "discord.reviewer_channel_id"
    assert "View Channel" in error.message


async def test_a_server_the_bot_was_not_invited_to_stops_with_instructions(fake):
    error = await start_and_fail(make_adapter(guild_id="1100000000000000077"))
    assert error.field == "discord.guild_id"
    assert "invite" in error.message


async def test_commands_refused_for_lack_of_the_applications_commands_scope(fake):
    fake.fail(
        "PUT",
        r"/applications/\d+/guilds/\d+/commands",
        403,
        {"message": "Missing Access", "code": 50001},
    )
    error = await start_and_fail(make_adapter())
    assert "applications.commands" in error.message


async def test_a_sharded_bot_asks_discord_for_its_shard_count_and_connects(fake, core):
    async with running(make_adapter(sharded=True), core.submit) as adapter:
        assert type(adapter._bridge.client).__mro__[1].__name__ == "AutoShardedClient"
        assert fake.calls_to("GET", r"/gateway/bot")
        assert fake.identify is not None
        assert fake.identify["shard"] == [0, 1]


async def test_stop_ends_start_and_closes_every_connection(fake, core):
    adapter = make_adapter()
    task = asyncio.ensure_future(adapter.start(core.submit))
    await asyncio.wait_for(adapter.ready.wait(), timeout=5.0)
    await adapter.stop()
    await asyncio.wait_for(task, timeout=5.0)
    assert task.result() is None
    assert adapter._bridge.client.is_closed()
    assert not adapter.ready.is_set()


async def test_an_unreachable_discord_stops_with_a_clear_message(fake, monkeypatch):
    url = fake.api_url
    await fake.__aexit__()  # nothing listens there any more
    monkeypatch.setattr(Route, "BASE", url)

    async def submit(inbound):  # pragma: no cover - nothing may arrive
        raise AssertionError(inbound)

    with pytest.raises(CarelineError) as caught:
        await asyncio.wait_for(make_adapter().start(submit), timeout=10.0)
    assert "cannot reach Discord" in str(caught.value)
