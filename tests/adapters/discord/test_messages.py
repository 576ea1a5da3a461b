"""Plain messages from the gateway: which ones Careline reads, and how they become Inbound."""

from __future__ import annotations

import asyncio

from bot.messages import Role
from tests.adapters.discord.conftest import (
    BOT,
    GENERAL,
    HELP,
    PATIENT,
    PHYSICIAN,
    REVIEWERS,
    eventually,
    make_adapter,
    message,
    payload,
    running,
    thread,
    user,
)


async def settle() -> None:
    """Give discord.py's event tasks time to run (before asserting that nothing happened)."""
    await asyncio.sleep(0.05)


async def test_plain_help_channel_messages_are_read_when_enabled(fake, core):
    async with running(make_adapter(read_plain_messages=True), core.submit):
        data = message("Can I take ibuprofen with my blood pressure pills?")
        await fake.dispatch("MESSAGE_CREATE", data)
        await eventually(lambda: core.inbound)
    [inbound] = core.inbound
    assert inbound.text == "Can I take ibuprofen with my blood pressure pills?"
    assert inbound.channel == HELP
    assert inbound.thread is None
    assert inbound.message_id == data["id"]
    assert inbound.event_id == f"message:{data['id']}"
    assert inbound.private is False
    assert inbound.actor.user_id == PATIENT
    assert inbound.actor.display_name == "Sam"
    assert inbound.received_at is not None
    assert inbound.received_at.tzinfo is not None


async def test_the_message_content_intent_is_requested_only_when_plain_messages_are_read(
    fake, core
):
    async with running(make_adapter(read_plain_messages=False), core.submit):
        without = fake.identify["intents"]
    async with running(make_adapter(read_plain_messages=True), core.submit):
        with_content = fake.identify["intents"]
    message_content = 1 << 15
    assert without & message_content == 0
    assert with_content & message_content == message_content
    assert without & (1 << 8) == 0  # no presences
    assert without & (1 << 1) == 0  # no members (privileged, not needed)


async def test_plain_help_channel_messages_are_ignored_when_disabled(fake, core, bot):
    await fake.dispatch("MESSAGE_CREATE", message("A question nobody asked the bot"))
    await settle()
    assert core.inbound == []


async def test_a_mention_is_read_anywhere_without_the_mention_itself(fake, core, bot):
    data = message("what is a normal resting heart rate?", channel=GENERAL, mentions_bot=True)
    await fake.dispatch("MESSAGE_CREATE", data)
    await eventually(lambda: core.inbound)
    assert core.inbound[0].text == "what is a normal resting heart rate?"
    assert core.inbound[0].channel == GENERAL


async def test_a_direct_message_is_read_and_private(fake, core, bot):
    await fake.dispatch("MESSAGE_CREATE", payload("message_create_dm"))
    await eventually(lambda: core.inbound)
    [inbound] = core.inbound
    assert inbound.private is True
    assert inbound.channel == "1100000000000000700"
    assert inbound.text == "Is it normal to feel dizzy after a flu shot?"
    assert inbound.actor.roles == frozenset({Role.PATIENT})


async def test_bots_and_the_bot_itself_are_never_read(fake, core):
    async with running(make_adapter(read_plain_messages=True), core.submit):
        own = message("Here is your answer")
        own["author"] = payload("users")["bot"]
        other = message("beep")
        other["author"] = other["author"] | {"id": "1100000000000009999", "bot": True}
        for data in (own, other):
            await fake.dispatch("MESSAGE_CREATE", data)
        await settle()
    assert core.inbound == []


async def test_a_message_in_a_card_thread_carries_the_card_ref_as_its_thread(fake, core, bot):
    card = fake._message(REVIEWERS, {"embeds": [{"title": "Escalation #42"}]})
    card_thread = thread(card["id"], parent=REVIEWERS, name="Discussion escalation:42")
    await fake.dispatch("THREAD_CREATE", card_thread)
    answer = message("Yes, with food; check your blood pressure weekly.", who="physician")
    answer["channel_id"] = card["id"]
    await fake.dispatch("MESSAGE_CREATE", answer)
    await eventually(lambda: core.inbound)
    [inbound] = core.inbound
    assert inbound.thread == card["id"]
    assert inbound.channel == REVIEWERS
    assert inbound.actor.user_id == PHYSICIAN
    assert Role.PHYSICIAN in inbound.actor.roles
    assert inbound.text == "Yes, with food; check your blood pressure weekly."


async def test_a_help_channel_thread_message_reports_its_thread(fake, core):
    async with running(make_adapter(read_plain_messages=True), core.submit):
        help_thread = thread("1100000000000000555", parent=HELP, owner=PATIENT)
        await fake.dispatch("THREAD_CREATE", help_thread)
        data = message("Following up on my question")
        data["channel_id"] = help_thread["id"]
        await fake.dispatch("MESSAGE_CREATE", data)
        await eventually(lambda: core.inbound)
    assert (core.inbound[0].channel, core.inbound[0].thread) == (HELP, help_thread["id"])


async def test_a_failing_core_does_not_stop_the_adapter(fake, bot):
    calls: list[str] = []

    async def broken(inbound):
        calls.append(inbound.text)
        raise RuntimeError("core down")

    bot._bridge.submit = broken
    await fake.dispatch("MESSAGE_CREATE", message("first", mentions_bot=True))
    await fake.dispatch("MESSAGE_CREATE", message("second", mentions_bot=True))
    await eventually(lambda: len(calls) == 2)
    assert calls == ["first", "second"]


async def test_a_physicians_direct_message_carries_their_server_roles(fake, core, bot):
    data = payload("message_create_dm")
    data["author"] = user("physician")
    await fake.dispatch("MESSAGE_CREATE", data)
    await eventually(lambda: core.inbound)
    assert core.inbound[0].actor.roles == frozenset({Role.PATIENT, Role.PHYSICIAN})
    assert core.inbound[0].private is True
    assert fake.calls_to("GET", rf"/guilds/\d+/members/{PHYSICIAN}")


async def test_a_direct_message_from_someone_outside_the_server_is_a_patients(fake, core, bot):
    data = payload("message_create_dm")
    data["author"] = data["author"] | {"id": "1100000000000008888", "username": "visitor"}
    await fake.dispatch("MESSAGE_CREATE", data)
    await eventually(lambda: core.inbound)
    assert core.inbound[0].actor.roles == frozenset({Role.PATIENT})


async def test_a_mention_in_the_middle_keeps_the_rest_of_the_message_as_written(fake, core, bot):
    data = message("x", channel=GENERAL, mentions_bot=True)
    data["content"] = f"Hi <@{BOT}>, quick one:\nis 38.5 °C a fever?"
    await fake.dispatch("MESSAGE_CREATE", data)
    await eventually(lambda: core.inbound)
    assert core.inbound[0].text == "Hi, quick one:\nis 38.5 °C a fever?"
