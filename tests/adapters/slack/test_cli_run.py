"""The composition root runs the Slack adapter: settings → load_adapter → bot.app.run → answers.

`careline run --adapter slack --http` is `load_adapter("slack", settings, http=True, port=N)`
plus `bot.app.run`; this test runs exactly that, in-process, with the test matcher (the real
sentence model would take several seconds to load), against the fake Slack.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from pathlib import Path

import aiohttp
import pytest

from adapters.slack.adapter import SlackAdapter
from bot.app import load_adapter, run
from bot.errors import ConfigError
from tests.adapters.slack.conftest import HELP, REVIEW, eventually, payload
from tests.adapters.slack.fake_slack import SIGNING_SECRET, FakeSlack, sign
from tests.fakes import make_core, make_settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def slack_env(monkeypatch: pytest.MonkeyPatch, fake: FakeSlack) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    monkeypatch.setenv("CARELINE_SLACK__API_URL", fake.api_url)
    monkeypatch.setenv("CARELINE_SLACK__HTTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CARELINE_SLACK__REVIEWER_CHANNEL_ID", REVIEW)
    monkeypatch.setenv("CARELINE_SLACK__HELP_CHANNEL_IDS", json.dumps([HELP]))


@pytest.mark.usefixtures("slack_env")
async def test_run_serves_slack_http_and_answers_a_signed_question(
    fake: FakeSlack, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path)
    port = free_port()
    adapter = load_adapter("slack", settings, http=True, port=port)
    assert isinstance(adapter, SlackAdapter)
    serving = asyncio.ensure_future(run(settings, adapter, core=make_core(settings)))
    try:
        await eventually(lambda: adapter._runner is not None or serving.done(), within=10)
        question = payload("event_message_help_channel")
        question["event"]["text"] = "How do I get a prescription refill?"
        body = json.dumps(question)
        headers = sign(body) | {"Content-Type": "application/json"}
        url = f"http://127.0.0.1:{port}/slack/events"
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, data=body, headers=headers) as response,
        ):
            assert response.status == 200
        # The outbox loop delivers on its own: nobody drains it here.
        await eventually(lambda: bool(fake.calls_to("chat.postMessage")), within=10)
    finally:
        serving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await serving
    [answer] = fake.calls_to("chat.postMessage")
    assert answer["channel"] == HELP
    assert answer["thread_ts"] == question["event"]["ts"]
    assert "careline:helpful:" in json.dumps(answer["blocks"])
    assert adapter._runner is None  # run() stopped the adapter


@pytest.mark.usefixtures("slack_env")
async def test_an_unreachable_slack_stops_the_start_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CARELINE_SLACK__API_URL", "http://127.0.0.1:9/api/")
    adapter = load_adapter("slack", make_settings(tmp_path), http=True, port=free_port())
    assert isinstance(adapter, SlackAdapter)
    adapter.client.retry_handlers = []
    with pytest.raises(ConfigError, match=r"slack\.api_url"):
        await adapter.start(lambda inbound: asyncio.sleep(0))
    await adapter.stop()


@pytest.mark.usefixtures("slack_env")
async def test_a_port_in_use_stops_the_start_naming_the_setting(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        adapter = load_adapter("slack", make_settings(tmp_path), http=True, port=port)
        with pytest.raises(ConfigError, match=r"slack\.http_port.*--port"):
            await adapter.start(lambda inbound: asyncio.sleep(0))
        await adapter.stop()
