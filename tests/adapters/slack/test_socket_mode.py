"""Socket Mode end to end: the fake websocket → AsyncSocketModeHandler → Inbound, with acks."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from adapters.slack.adapter import SlackAdapter
from bot.errors import ConfigError
from bot.messages import Role
from tests.adapters.slack.conftest import (
    DOCTOR,
    REVIEW,
    RecordingCore,
    eventually,
    payload,
    start_adapter,
)
from tests.adapters.slack.fake_slack import FakeSlack


@pytest.fixture
async def socket_adapter(
    fake: FakeSlack, make_adapter: Callable[..., SlackAdapter], core: RecordingCore
) -> AsyncIterator[SlackAdapter]:
    adapter = make_adapter(http=False)
    task = await start_adapter(adapter, core.submit)
    await eventually(lambda: fake.socket_connections == 1)
    yield adapter
    await adapter.stop()
    await task


async def test_socket_mode_connects_with_the_app_token(
    fake: FakeSlack, socket_adapter: SlackAdapter
) -> None:
    opened = [c for c in fake.calls if c.method == "apps.connections.open"]
    assert len(opened) == 1
    assert opened[0].token == "xapp-test"
    assert fake.socket_connections == 1


async def test_an_event_over_the_socket_is_acked_and_handed_to_the_core(
    fake: FakeSlack, socket_adapter: SlackAdapter, core: RecordingCore
) -> None:
    envelope = await fake.push("events_api", payload("event_message_help_channel"))
    ack = await fake.wait_ack(envelope)
    assert ack == {"envelope_id": envelope}
    await eventually(lambda: len(core.inbound) == 1)
    assert core.inbound[0].event_id == "Ev0HELP0001"
    assert core.inbound[0].text.startswith("How do I get a refill")


async def test_a_socket_mode_retry_is_acked_but_handled_once(
    fake: FakeSlack, socket_adapter: SlackAdapter, core: RecordingCore
) -> None:
    event = payload("event_message_im")
    first = await fake.push("events_api", event)
    await fake.wait_ack(first)
    retry = await fake.push("events_api", event, retry_attempt=1, retry_reason="timeout")
    await fake.wait_ack(retry)
    await socket_adapter.idle(1.0)
    await eventually(lambda: len(core.inbound) >= 1)
    assert len(core.inbound) == 1


async def test_a_slash_command_over_the_socket_is_acked_and_translated(
    fake: FakeSlack, socket_adapter: SlackAdapter, core: RecordingCore
) -> None:
    command = payload("command_careline") | {"text": "approve 42", "user_id": DOCTOR}
    envelope = await fake.push("slash_commands", command)
    await fake.wait_ack(envelope)
    await eventually(lambda: len(core.inbound) == 1)
    got = core.inbound[0]
    assert got.text == "/approve 42"
    assert Role.PHYSICIAN in got.actor.roles


async def test_a_button_and_a_modal_over_the_socket(
    fake: FakeSlack, socket_adapter: SlackAdapter, core: RecordingCore
) -> None:
    click = payload("block_actions_card")
    click["actions"][0] |= {"action_id": "careline:reject:42", "value": "prompt:Reason"}
    await fake.wait_ack(await fake.push("interactive", click))
    await eventually(lambda: len(fake.calls_to("views.open")) == 1)
    view = fake.calls_to("views.open")[0]["view"]

    submission = payload("view_submission")
    submission["view"] |= {
        "callback_id": view["callback_id"],
        "private_metadata": view["private_metadata"],
    }
    submission["view"]["state"]["values"]["careline_text"]["text"]["value"] = "No source"
    await fake.wait_ack(await fake.push("interactive", submission))
    await eventually(lambda: len(core.inbound) == 1)
    got = core.inbound[0]
    assert got.action_id == "careline:reject:42"
    assert got.text == "No source"
    assert got.channel == REVIEW


async def test_a_rejected_app_token_stops_the_start_naming_the_variable(
    fake: FakeSlack, make_adapter: Callable[..., SlackAdapter], core: RecordingCore
) -> None:
    fake.fail_next("apps.connections.open", "invalid_auth")
    adapter = make_adapter(http=False)
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN"):
        await adapter.start(core.submit)
    await adapter.stop()


async def test_a_rejected_bot_token_stops_the_start_naming_the_variable(
    fake: FakeSlack, make_adapter: Callable[..., SlackAdapter], core: RecordingCore
) -> None:
    fake.fail_next("auth.test", "invalid_auth")
    adapter = make_adapter(http=True)
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
        await adapter.start(core.submit)
    await adapter.stop()
