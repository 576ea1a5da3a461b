"""Fixtures: the local fake Discord, a running DiscordAdapter, and gateway payload builders."""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord.adapter import DiscordAdapter
from bot.messages import Inbound
from bot.settings import DiscordSettings
from tests.adapters.discord.fake_discord import FakeDiscord

PAYLOADS = Path(__file__).parents[2] / "fixtures" / "payloads" / "discord"
GUILD = "1100000000000000001"
REVIEWERS = "1100000000000000010"
HELP = "1100000000000000020"
GENERAL = "1100000000000000030"
PHYSICIAN_ROLE = "1100000000000000101"
MODERATOR_ROLE = "1100000000000000102"
BOT = "1100000000000000900"
PATIENT = "1100000000000001001"
PHYSICIAN = "1100000000000001002"
MODERATOR = "1100000000000001003"
ROLES = {PATIENT: [], PHYSICIAN: [PHYSICIAN_ROLE], MODERATOR: [MODERATOR_ROLE]}
_ids = itertools.count(1600000000000000001)


def payload(name: str) -> dict[str, Any]:
    """A gateway payload from tests/fixtures/payloads/discord/NAME.json (a fresh copy)."""
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    return copy.deepcopy(data)


USERS: dict[str, dict[str, Any]] = payload("users")
USER_IDS = {"patient": PATIENT, "physician": PHYSICIAN, "moderator": MODERATOR}


def user(who: str) -> dict[str, Any]:
    """The user object of "patient", "physician" or "moderator"."""
    data = copy.deepcopy(USERS[who])
    data.pop("flags", None)
    return data


def member(who: str) -> dict[str, Any]:
    """A guild member object, as sent with interactions."""
    return {
        "user": user(who),
        "roles": ROLES[USER_IDS[who]],
        "joined_at": "2026-11-02T09:00:00.000000+00:00",
        "deaf": False,
        "mute": False,
        "flags": 0,
        "nick": None,
        "avatar": None,
        "pending": False,
        "permissions": "277025459200",
    }


def discord_settings(**changes: Any) -> DiscordSettings:
    """The `[discord]` section the tests run with."""
    values: dict[str, Any] = {
        "guild_id": GUILD,
        "help_channel_ids": [HELP],
        "reviewer_channel_id": REVIEWERS,
        "physician_role_ids": [PHYSICIAN_ROLE],
        "moderator_role_ids": [MODERATOR_ROLE],
    }
    return DiscordSettings(**(values | changes))


def new_id() -> str:
    return str(next(_ids))


def slash(
    name: str, options: dict[str, Any] | None = None, *, who: str = "patient", channel: str = HELP
) -> dict[str, Any]:
    """An APPLICATION_COMMAND interaction for `/name` with `options` (name → value)."""
    data = payload("interaction_command")
    data["id"] = new_id()
    data["token"] = f"token-{data['id']}"
    data["member"] = member(who)
    data["channel_id"] = channel
    data["channel"]["id"] = channel
    types = {str: 3, int: 4, bool: 5}
    data["data"] = {
        "id": new_id(),
        "name": name,
        "type": 1,
        "options": [
            {"name": key, "type": types[type(value)], "value": value}
            for key, value in (options or {}).items()
        ],
    }
    return data


def click(
    custom_id: str,
    *,
    who: str = "physician",
    message: dict[str, Any] | None = None,
    channel: str = REVIEWERS,
) -> dict[str, Any]:
    """A MESSAGE_COMPONENT interaction: `who` clicked the button `custom_id` on `message`."""
    data = payload("interaction_component")
    data["id"] = new_id()
    data["token"] = f"token-{data['id']}"
    data["member"] = member(who)
    data["channel_id"] = channel
    data["channel"]["id"] = channel
    data["data"] = {"custom_id": custom_id, "component_type": 2}
    if message is not None:
        data["message"] = copy.deepcopy(message)
    else:
        data["message"]["components"] = [
            {
                "type": 1,
                "components": [
                    {"type": 2, "style": 1, "label": "Press", "custom_id": custom_id},
                ],
            }
        ]
    return data


def modal_submit(custom_id: str, text: str, *, who: str = "moderator") -> dict[str, Any]:
    """A MODAL_SUBMIT interaction with one text input."""
    data = payload("interaction_modal_submit")
    data["id"] = new_id()
    data["token"] = f"token-{data['id']}"
    data["member"] = member(who)
    data["data"]["custom_id"] = custom_id
    data["data"]["components"][0]["components"][0]["value"] = text
    return data


def message(
    content: str, *, who: str = "patient", channel: str = HELP, mentions_bot: bool = False
) -> dict[str, Any]:
    """A MESSAGE_CREATE in a guild channel (or thread) from `who`."""
    data = payload("message_create")
    data["id"] = new_id()
    data["channel_id"] = channel
    data["author"] = user(who)
    data["member"]["roles"] = ROLES[USER_IDS[who]]
    data["content"] = f"<@{BOT}> {content}" if mentions_bot else content
    if mentions_bot:
        data["mentions"] = [USERS["bot"] | {"member": {"roles": []}}]
    return data


def thread(
    thread_id: str, *, parent: str, owner: str = BOT, name: str = "thread"
) -> dict[str, Any]:
    """A THREAD_CREATE payload for a public thread under `parent`."""
    data = payload("thread_create")
    data.update(id=thread_id, parent_id=parent, owner_id=owner, name=name)
    return data


class RecordingCore:
    """Stands in for `Core.submit`: records every Inbound the adapter hands over."""

    def __init__(self) -> None:
        self.inbound: list[Inbound] = []

    async def submit(self, inbound: Inbound) -> None:
        self.inbound.append(inbound)


async def eventually(check: Callable[[], object], within: float = 3.0) -> None:
    """Wait until `check()` is truthy (events are handled in discord.py's background tasks)."""
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.005)


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    """The fake Discord, with discord.py's REST base URL and gateway pointed at it."""
    users = {USERS[who]["id"]: user(who) for who in ("patient", "physician", "moderator")}
    server = FakeDiscord(
        bot_user=USERS["bot"],
        application_id=BOT,
        guild=payload("guild_create"),
        users=users,
        members=dict(ROLES),
    )
    async with server:
        monkeypatch.setattr(Route, "BASE", server.api_url)
        monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(server.gateway_url))
        yield server


def make_adapter(**changes: Any) -> DiscordAdapter:
    """An adapter with the test settings; `faq_lookup` and `catalog` may be passed too."""
    options = {k: changes.pop(k) for k in ("faq_lookup", "catalog") if k in changes}
    return DiscordAdapter(
        discord_settings(**changes),
        "fake-token",
        client_options={"guild_ready_timeout": 0.05},
        **options,
    )


@asynccontextmanager
async def running(
    adapter: DiscordAdapter, submit: Callable[[Inbound], Any]
) -> AsyncIterator[DiscordAdapter]:
    """Run `adapter.start(submit)` until the bot is ready; stop it afterwards."""
    task = asyncio.ensure_future(adapter.start(submit))
    ready = asyncio.ensure_future(adapter.ready.wait())
    await asyncio.wait({task, ready}, timeout=5.0, return_when=asyncio.FIRST_COMPLETED)
    if not ready.done():
        ready.cancel()
        await adapter.stop()
        task.result() if task.done() else await task
        raise AssertionError("the adapter did not become ready")
    try:
        yield adapter
    finally:
        await adapter.stop()
        await asyncio.wait_for(task, timeout=5.0)


@pytest.fixture
def core() -> RecordingCore:
    return RecordingCore()


@pytest.fixture
async def bot(fake: FakeDiscord, core: RecordingCore) -> AsyncIterator[DiscordAdapter]:
    """A connected adapter feeding a RecordingCore."""
    async with running(make_adapter(), core.submit) as adapter:
        yield adapter


def interaction_calls(fake: FakeDiscord, data: dict[str, Any]) -> list[Any]:
    """The REST calls made with one interaction's token (callback, followups, edits)."""
    token = data["token"]
    return [c for c in fake.calls if token in c.path]
