"""Slash commands through the real gateway and CommandTree: each becomes its command line."""

from __future__ import annotations

import pytest

from adapters.discord.commands import command_names
from bot.messages import Role
from tests.adapters.discord.conftest import (
    HELP,
    MODERATOR,
    PATIENT,
    PHYSICIAN,
    REVIEWERS,
    eventually,
    interaction_calls,
    make_adapter,
    payload,
    running,
    slash,
)

EPHEMERAL = 64
COMMANDS = [
    (
        "ask",
        {"question": "Can I take ibuprofen with lisinopril?"},
        "/ask Can I take ibuprofen with lisinopril?",
    ),
    ("faq", {"query": "flu shot"}, "/faq flu shot"),
    ("queue", {}, "/queue"),
    ("claim", {"escalation": 42}, "/claim 42"),
    ("release", {"escalation": 42}, "/release 42"),
    ("answer", {"escalation": 42, "text": "Yes, with food."}, "/answer 42 Yes, with food."),
    ("approve", {"escalation": 42}, "/approve 42"),
    ("reject", {"escalation": 42, "reason": "Cite a source."}, "/reject 42 Cite a source."),
    ("close", {"escalation": 42, "reason": "Duplicate"}, "/close 42 Duplicate"),
    ("close", {"escalation": 42}, "/close 42"),
    ("promote", {"escalation": 42}, "/promote 42"),
    ("stats", {}, "/stats"),
    ("forget-me", {}, "/forget-me"),
    ("help", {}, "/help"),
]
ROLES = {
    "patient": (PATIENT, {Role.PATIENT}),
    "physician": (PHYSICIAN, {Role.PATIENT, Role.PHYSICIAN}),
    "moderator": (MODERATOR, {Role.PATIENT, Role.MODERATOR}),
}


def test_every_command_the_tree_registers_is_covered_here():
    assert sorted(command_names()) == sorted({name for name, _, _ in COMMANDS})


async def test_the_commands_are_synced_to_the_configured_server_at_start(fake, bot):
    [sync] = fake.calls_to("PUT", r"/applications/\d+/guilds/1100000000000000001/commands")
    assert [c["name"] for c in sync.json] == command_names()
    faq = next(c for c in sync.json if c["name"] == "faq")
    assert faq["options"][0] == {
        "type": 3,
        "name": "query",
        "description": "What to look for",
        "required": True,
        "autocomplete": True,
    }
    assert all(len(c["description"]) <= 100 for c in sync.json)


async def test_without_a_guild_id_the_commands_are_synced_globally(fake, core):
    async with running(make_adapter(guild_id=None), core.submit):
        assert fake.calls_to("PUT", r"/applications/\d+/commands")
        assert not fake.calls_to("PUT", r"/applications/\d+/guilds/\d+/commands")


@pytest.mark.parametrize("who", ["patient", "physician", "moderator"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[2])
async def test_each_command_in_each_role_is_deferred_then_submitted_as_its_command_line(
    fake, core, bot, who, command
):
    name, options, line = command
    channel = REVIEWERS if who != "patient" else HELP
    data = slash(name, options, who=who, channel=channel)
    await fake.dispatch("INTERACTION_CREATE", data)
    await eventually(lambda: core.inbound)
    [inbound] = core.inbound
    user_id, roles = ROLES[who]
    assert inbound.text == line
    assert inbound.action_id is None
    assert inbound.platform == "discord"
    assert inbound.event_id == f"interaction:{data['id']}"
    assert inbound.message_id == f"interaction:{data['id']}"
    assert inbound.channel == channel
    assert inbound.actor.user_id == user_id
    assert set(inbound.actor.roles) == roles
    assert inbound.private is False
    # The 3-second rule: the acknowledgement was sent before the core saw the event.
    [callback] = interaction_calls(fake, data)
    assert callback.path.endswith("/callback")
    assert callback.json["type"] == 5  # DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE ("thinking…")
    public = name in {"ask", "faq"}
    assert callback.json.get("data", {}).get("flags", 0) == (0 if public else EPHEMERAL)


async def test_ask_privately_is_deferred_ephemerally_and_marked_private(fake, core, bot):
    data = slash("ask", {"question": "About my diagnosis", "private": True})
    await fake.dispatch("INTERACTION_CREATE", data)
    await eventually(lambda: core.inbound)
    assert core.inbound[0].private is True
    assert core.inbound[0].text == "/ask About my diagnosis"
    [callback] = interaction_calls(fake, data)
    assert callback.json == {"type": 5, "data": {"flags": EPHEMERAL}}


async def test_a_command_in_a_direct_message_is_private(fake, core, bot):
    data = slash("help", {})
    data["member"]["user"] = data["member"]["user"] | {"id": "1100000000000008888"}
    data.pop("guild_id")
    data["user"] = data.pop("member")["user"]
    data["channel"] = {"id": "1100000000000000700", "type": 1, "recipients": [data["user"]]}
    data["channel_id"] = "1100000000000000700"
    data["context"] = 1
    await fake.dispatch("INTERACTION_CREATE", data)
    await eventually(lambda: core.inbound)
    assert core.inbound[0].private is True
    assert core.inbound[0].actor.roles == frozenset({Role.PATIENT})


async def test_faq_autocomplete_offers_the_injected_knowledge_base_questions(fake, core):
    seen: list[str] = []

    def lookup(typed: str) -> list[tuple[str, str]]:
        seen.append(typed)
        questions = ["How do I get a refill?", "Can I refill early?", "Flu shot side effects"]
        return [(q, q) for q in questions if typed.lower() in q.lower()]

    async with running(make_adapter(faq_lookup=lookup), core.submit):
        data = payload("interaction_autocomplete")
        await fake.dispatch("INTERACTION_CREATE", data)
        await eventually(lambda: interaction_calls(fake, data))
    [callback] = interaction_calls(fake, data)
    assert seen == ["refi"]
    assert callback.json == {
        "type": 8,  # APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
        "data": {
            "choices": [
                {"name": "How do I get a refill?", "value": "How do I get a refill?"},
                {"name": "Can I refill early?", "value": "Can I refill early?"},
            ]
        },
    }
    assert core.inbound == []  # typing is not an event for the core


async def test_faq_autocomplete_without_a_lookup_offers_nothing(fake, core, bot):
    data = payload("interaction_autocomplete")
    await fake.dispatch("INTERACTION_CREATE", data)
    await eventually(lambda: interaction_calls(fake, data))
    assert interaction_calls(fake, data)[0].json == {"type": 8, "data": {"choices": []}}


async def test_a_moderators_command_in_a_direct_message_carries_their_server_roles(fake, core, bot):
    data = slash("stats", {}, who="moderator")
    data.pop("guild_id")
    data["user"] = data.pop("member")["user"]
    data["channel"] = {"id": "1100000000000000701", "type": 1, "recipients": [data["user"]]}
    data["channel_id"] = "1100000000000000701"
    data["context"] = 1
    await fake.dispatch("INTERACTION_CREATE", data)
    await eventually(lambda: core.inbound)
    assert core.inbound[0].actor.roles == frozenset({Role.PATIENT, Role.MODERATOR})
    assert core.inbound[0].private is True
    # Acknowledged before the member lookup, within Discord's 3 seconds.
    callback = interaction_calls(fake, data)[0]
    lookup = fake.calls_to("GET", rf"/guilds/\d+/members/{MODERATOR}")[0]
    assert fake.calls.index(callback) < fake.calls.index(lookup)
