"""Fixtures: the fake Slack server, a running SlackAdapter (HTTP or Socket Mode), payloads."""

from __future__ import annotations

import asyncio
import copy
import json
import time
import urllib.parse
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from adapters.slack.adapter import SlackAdapter
from bot.messages import Inbound
from bot.settings import SlackSettings
from tests.adapters.slack.fake_slack import SIGNING_SECRET, FakeSlack, sign

PAYLOADS = Path(__file__).parents[2] / "fixtures" / "payloads" / "slack"
HELP = "C0HELP"
REVIEW = "C0REVIEW"
PATIENT = "U0PATIENT"
DOCTOR = "U0DOCTOR"
MODERATOR = "U0MOD"
DOCTORS_GROUP = "S0DOCTORS"
MODERATORS_GROUP = "S0MODS"


def payload(name: str) -> dict[str, Any]:
    """A recorded Slack payload from tests/fixtures/payloads/slack/NAME.json (a fresh copy)."""
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    return copy.deepcopy(data)


def slack_settings(**changes: Any) -> SlackSettings:
    """The Slack section the tests run with: one help channel, a reviewer channel, two groups."""
    values: dict[str, Any] = {
        "help_channel_ids": [HELP],
        "reviewer_channel_id": REVIEW,
        "physician_usergroup_ids": [DOCTORS_GROUP],
        "moderator_usergroup_ids": [MODERATORS_GROUP],
    }
    return SlackSettings(**(values | changes))


class RecordingCore:
    """Stands in for `Core.submit`: records every Inbound the adapter hands over."""

    def __init__(self) -> None:
        self.inbound: list[Inbound] = []

    async def submit(self, inbound: Inbound) -> None:
        self.inbound.append(inbound)


async def eventually(check: Callable[[], bool], within: float = 3.0) -> None:
    """Wait until `check()` holds (events are handled after the ack, in the background)."""
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


class SlackHttp:
    """Drives a SlackAdapter in HTTP mode through its real aiohttp endpoint, signing requests."""

    def __init__(
        self, adapter: SlackAdapter, fake: FakeSlack, session: aiohttp.ClientSession
    ) -> None:
        self.adapter = adapter
        self.fake = fake
        self.session = session

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.adapter.port}/slack/events"

    async def send(
        self,
        body: str,
        *,
        content_type: str = "application/json",
        signed: bool = True,
        secret: str = SIGNING_SECRET,
        timestamp: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        """POST `body` as Slack would; returns (status, response text)."""
        all_headers = {"Content-Type": content_type, **(headers or {})}
        if signed:
            all_headers |= sign(body, secret=secret, timestamp=timestamp)
        async with self.session.post(self.url, data=body.encode(), headers=all_headers) as resp:
            return resp.status, await resp.text()

    async def event(self, data: dict[str, Any], *, retry_num: int | None = None) -> int:
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        status, _ = await self.send(json.dumps(data), headers=headers)
        return status

    async def command(
        self, text: str, *, user: str = PATIENT, channel: str = HELP, trigger: str | None = None
    ) -> tuple[int, str]:
        form = payload("command_careline") | {
            "text": text,
            "user_id": user,
            "user_name": user.lower(),
            "channel_id": channel,
            "trigger_id": trigger or f"trigger-{time.monotonic_ns()}",
        }
        return await self.send(
            urllib.parse.urlencode(form), content_type="application/x-www-form-urlencoded"
        )

    async def interactive(self, data: dict[str, Any]) -> tuple[int, str]:
        body = urllib.parse.urlencode({"payload": json.dumps(data)})
        return await self.send(body, content_type="application/x-www-form-urlencoded")

    async def click(
        self,
        action_id: str,
        *,
        user: str = DOCTOR,
        channel: str = REVIEW,
        message_ts: str = "1700000000.000001",
        value: str | None = None,
        trigger: str | None = None,
    ) -> tuple[int, str]:
        data = payload("block_actions_card")
        data["user"] = {"id": user, "username": user.lower(), "name": user.lower()}
        data["container"] = {"type": "message", "message_ts": message_ts, "channel_id": channel}
        data["channel"] = {"id": channel, "name": "x"}
        data["message"]["ts"] = message_ts
        data["trigger_id"] = trigger or f"trigger-{time.monotonic_ns()}"
        action = data["actions"][0]
        action["action_id"] = action_id
        if value is not None:
            action["value"] = value
        return await self.interactive(data)

    async def settle(self) -> None:
        """Let background handling finish (used before asserting that nothing more happened)."""
        for _ in range(3):
            await asyncio.sleep(0.03)
            await self.adapter.idle(2.0)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as server:
        server.usergroups = {DOCTORS_GROUP: [DOCTOR], MODERATORS_GROUP: [MODERATOR]}
        server.users = {
            PATIENT: {"id": PATIENT, "name": "sam", "profile": {"display_name": "Sam"}},
            DOCTOR: {"id": DOCTOR, "name": "dr.okafor", "profile": {"display_name": "Dr Okafor"}},
            MODERATOR: {"id": MODERATOR, "name": "mo", "profile": {"real_name": "Mo Reyes"}},
        }
        yield server


async def start_adapter(
    adapter: SlackAdapter, submit: Callable[[Inbound], Any]
) -> asyncio.Task[None]:
    """Run `adapter.start` in the background until it is serving."""
    task = asyncio.ensure_future(adapter.start(submit))
    await eventually(lambda: adapter._bot_user_id is not None or task.done(), within=5.0)
    await asyncio.sleep(0.02)
    if task.done():
        task.result()
    return task


@pytest.fixture
def make_adapter(fake: FakeSlack) -> Callable[..., SlackAdapter]:
    def build(*, http: bool = True, **changes: Any) -> SlackAdapter:
        options: dict[str, Any] = {
            "bot_token": "xoxb-test",
            "app_token": "xapp-test",
            "signing_secret": SIGNING_SECRET,
            "http": http,
            "port": 0,
            "host": "127.0.0.1",
            "api_url": fake.api_url,
            "ping_interval": 30.0,
        }
        config = slack_settings(**changes.pop("config", {}))
        return SlackAdapter(config, **(options | changes))

    return build


@pytest.fixture
async def core() -> RecordingCore:
    return RecordingCore()


@pytest.fixture
async def slack(
    fake: FakeSlack, make_adapter: Callable[..., SlackAdapter], core: RecordingCore
) -> AsyncIterator[SlackHttp]:
    """A SlackAdapter serving HTTP on a random port, feeding a RecordingCore."""
    adapter = make_adapter()
    task = await start_adapter(adapter, core.submit)
    async with aiohttp.ClientSession() as session:
        yield SlackHttp(adapter, fake, session)
    await adapter.stop()
    await task
