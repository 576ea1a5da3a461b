"""Buttons and modals: persistent custom_ids, prompts, and restarts with no memory."""

from __future__ import annotations

import asyncio

import pytest

from bot.messages import Button, ButtonStyle, Card, Content, Reviewers, Role, action_id
from tests.adapters.discord.conftest import (
    MODERATOR,
    PHYSICIAN,
    REVIEWERS,
    click,
    eventually,
    interaction_calls,
    make_adapter,
    modal_submit,
    running,
)

# Every action id the core emits (docs/adapters-contract.md), with and without a text prompt.
PLAIN_ACTIONS = [
    "careline:claim:42",
    "careline:release:42",
    "careline:approve:42",
    "careline:close:42",
    "careline:promote:42",
    "careline:helpful:7",
    "careline:unhelpful:7",
    "careline:professional:7",
    "careline:pick:7:ibuprofen-bp",
    "careline:share:7",
]
PROMPTED_ACTIONS = [
    ("careline:answer:42", "Your answer to the patient"),
    ("careline:reject:42", "What should the physician change?"),
]


def card_message(fake, buttons: list[tuple[str, str]]) -> dict:
    """A card as the fake Discord stored it (id, embeds, components)."""
    return fake._message(
        REVIEWERS,
        {
            "embeds": [{"type": "rich", "title": "Escalation #42"}],
            "components": [
                {
                    "type": 1,
                    "components": [
                        {"type": 2, "style": 1, "label": label, "custom_id": custom_id}
                        for label, custom_id in buttons
                    ],
                }
            ],
        },
    )


@pytest.mark.parametrize("who", ["patient", "physician", "moderator"])
@pytest.mark.parametrize("action", PLAIN_ACTIONS)
async def test_a_click_is_deferred_silently_and_submitted_as_its_action_id(
    fake, core, bot, who, action
):
    data = click(action, who=who, message=card_message(fake, [("Go", action)]))
    await fake.dispatch("INTERACTION_CREATE", data)
    await eventually(lambda: core.inbound)
    [inbound] = core.inbound
    assert inbound.action_id == action
    assert inbound.text == ""
    assert inbound.event_id == f"interaction:{data['id']}"
    assert inbound.message_id == f"interaction:{data['id']}"
    assert inbound.channel == REVIEWERS
    expected = {"patient": {Role.PATIENT}, "physician": {Role.PATIENT, Role.PHYSICIAN}}
    assert set(inbound.actor.roles) == expected.get(who, {Role.PATIENT, Role.MODERATOR})
    [callback] = interaction_calls(fake, data)
    assert callback.json == {"type": 6}  # DEFERRED_UPDATE_MESSAGE: no "thinking…" shown


@pytest.mark.parametrize(("action", "prompt"), PROMPTED_ACTIONS)
async def test_a_button_with_a_prompt_opens_a_modal_and_submits_nothing_yet(
    fake, core, bot, action, prompt
):
    custom_id = f"{action}?{prompt}"
    data = click(custom_id, message=card_message(fake, [("Do it", custom_id)]))
    await fake.dispatch("INTERACTION_CREATE", data)
    await eventually(lambda: interaction_calls(fake, data))
    [callback] = interaction_calls(fake, data)
    assert callback.json["type"] == 9  # MODAL
    modal = callback.json["data"]
    assert modal["custom_id"] == action
    assert modal["title"] == "Do it"
    [row] = modal["components"]
    [text_input] = row["components"]
    assert text_input["type"] == 4
    assert text_input["label"] == prompt[:45]
    assert text_input["style"] == 2  # paragraph
    assert text_input["required"] is True
    assert core.inbound == []
    # Nothing about the modal is kept in memory: the submission is read from its payload.
    assert bot._bridge is not None
    assert not bot._bridge.client._connection._view_store._modals


@pytest.mark.parametrize(("action", "prompt"), PROMPTED_ACTIONS)
async def test_a_modal_submission_becomes_the_action_with_the_typed_text(
    fake, core, bot, action, prompt
):
    data = modal_submit(action, "Please cite the interaction guidance.", who="moderator")
    await fake.dispatch("INTERACTION_CREATE", data)
    await eventually(lambda: core.inbound)
    [inbound] = core.inbound
    assert inbound.action_id == action
    assert inbound.text == "Please cite the interaction guidance."
    assert inbound.actor.user_id == MODERATOR
    assert inbound.message_id == f"interaction:{data['id']}"
    [callback] = interaction_calls(fake, data)
    assert callback.json == {"type": 6}


async def test_buttons_sent_before_a_restart_work_with_a_new_client(fake, core):
    card = Card(
        key="escalation:42",
        target=Reviewers(),
        content=Content(
            text="Question: can I take ibuprofen with lisinopril?",
            title="Escalation #42",
            buttons=(
                Button(action_id("claim", 42), "Claim", ButtonStyle.PRIMARY),
                Button(action_id("reject", 42), "Reject", text_prompt="What should change?"),
            ),
        ),
    )
    async with running(make_adapter(), core.submit) as first:
        receipt = await first.deliver(card)
    sent = fake.messages[receipt.ref]

    restarted = type(core)()
    async with running(make_adapter(), restarted.submit):
        claim = sent["components"][0]["components"][0]["custom_id"]
        await fake.dispatch("INTERACTION_CREATE", click(claim, who="physician", message=sent))
        await eventually(lambda: restarted.inbound)
        assert restarted.inbound[0].action_id == "careline:claim:42"
        assert restarted.inbound[0].actor.user_id == PHYSICIAN

        reject = sent["components"][0]["components"][1]["custom_id"]
        opened = click(reject, who="moderator", message=sent)
        await fake.dispatch("INTERACTION_CREATE", opened)
        await eventually(lambda: interaction_calls(fake, opened))
        modal = interaction_calls(fake, opened)[0].json
        assert modal["type"] == 9
        assert modal["data"]["components"][0]["components"][0]["label"] == "What should change?"

    again = type(core)()
    async with running(make_adapter(), again.submit):
        await fake.dispatch("INTERACTION_CREATE", modal_submit("careline:reject:42", "Cite NICE."))
        await eventually(lambda: again.inbound)
        assert (again.inbound[0].action_id, again.inbound[0].text) == (
            "careline:reject:42",
            "Cite NICE.",
        )


async def test_someone_elses_buttons_are_left_alone(fake, core, bot):
    data = click("poll:vote:1", message=card_message(fake, [("Vote", "poll:vote:1")]))
    await fake.dispatch("INTERACTION_CREATE", data)
    await fake.dispatch("INTERACTION_CREATE", modal_submit("other:form", "x"))
    await asyncio.sleep(0.1)  # give discord.py's dispatch tasks time to (not) act
    assert core.inbound == []
    assert interaction_calls(fake, data) == []


async def test_a_click_on_an_ephemeral_message_is_private(fake, core, bot):
    message = card_message(fake, [("Helpful", "careline:helpful:7")])
    message["flags"] = 64
    await fake.dispatch("INTERACTION_CREATE", click("careline:helpful:7", message=message))
    await eventually(lambda: core.inbound)
    assert core.inbound[0].private is True
