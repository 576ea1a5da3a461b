"""Delivering Outbound values: the exact REST calls discord.py makes, and how failures map."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from adapters.discord.adapter import INTERACTION_TTL
from bot.errors import DeliveryError
from bot.messages import (
    Button,
    ButtonStyle,
    Card,
    CardThread,
    CardUpdate,
    Channel,
    Content,
    DirectMessage,
    Field,
    Reply,
    Reviewers,
    action_id,
)
from tests.adapters.discord.conftest import (
    BOT,
    HELP,
    PATIENT,
    REVIEWERS,
    click,
    eventually,
    interaction_calls,
    make_adapter,
    running,
    slash,
    thread,
)

EPHEMERAL = 64
CARD = Content(
    title="Escalation #42",
    text="Question: can I take ibuprofen with lisinopril?",
    fields=(Field("Urgency", "routine"), Field("Waiting", "3 h")),
    buttons=(
        Button(action_id("claim", 42), "Claim", ButtonStyle.PRIMARY),
        Button(action_id("close", 42), "Close", ButtonStyle.SECONDARY),
    ),
)
RATE_LIMIT_HEADERS = {
    "Via": "1.1 google",
    "X-RateLimit-Limit": "5",
    "X-RateLimit-Remaining": "0",
    "X-RateLimit-Reset-After": "1",
    "X-RateLimit-Bucket": "abcd",
    "X-RateLimit-Scope": "user",
}


async def interaction_inbound(fake, core, data):
    await fake.dispatch("INTERACTION_CREATE", data)
    await eventually(lambda: core.inbound)
    return core.inbound[-1]


async def test_a_reply_to_a_message_replies_to_it_and_pings_nobody(fake, bot):
    content = Content(text="See the FAQ entry on ibuprofen.")
    receipt = await bot.deliver(Reply(Channel(HELP, reply_to="1200000000000000001"), content))
    [call] = fake.writes()
    assert (call.method, call.path) == ("POST", f"/channels/{HELP}/messages")
    assert call.json["content"] == "See the FAQ entry on ibuprofen."
    assert call.json["message_reference"] == {
        "type": 0,  # DEFAULT: a reply
        "message_id": 1200000000000000001,
        "channel_id": int(HELP),
        "fail_if_not_exists": False,
    }
    assert call.json["allowed_mentions"] == {"parse": [], "replied_user": False}
    assert receipt.ref == fake.messages[receipt.ref]["id"]


async def test_a_reply_in_a_thread_goes_to_the_thread(fake, bot):
    fake.channels["1100000000000000555"] = thread("1100000000000000555", parent=HELP)
    await bot.deliver(Reply(Channel(HELP, thread="1100000000000000555"), Content(text="hi")))
    assert fake.writes()[0].path == "/channels/1100000000000000555/messages"


async def test_a_reply_to_the_reviewers_goes_to_the_reviewer_channel(fake, bot):
    await bot.deliver(Reply(Reviewers(), Content(text="3 escalations are waiting.")))
    assert fake.writes()[0].path == f"/channels/{REVIEWERS}/messages"


async def test_a_card_is_one_embed_with_persistent_buttons_and_its_ref_names_the_message(fake, bot):
    receipt = await bot.deliver(Card("escalation:42", Reviewers(), CARD))
    [call] = fake.writes()
    assert call.path == f"/channels/{REVIEWERS}/messages"
    [embed] = call.json["embeds"]
    assert embed["title"] == "Escalation #42"
    assert [f["name"] for f in embed["fields"]] == ["Urgency", "Waiting"]
    assert call.json["components"] == [
        {
            "type": 1,
            "components": [
                {
                    "type": 2,
                    "style": 1,
                    "label": "Claim",
                    "custom_id": "careline:claim:42",
                    "disabled": False,
                },
                {
                    "type": 2,
                    "style": 2,
                    "label": "Close",
                    "custom_id": "careline:close:42",
                    "disabled": False,
                },
            ],
        }
    ]
    assert receipt.ref is not None
    assert receipt.ref.isdecimal()


async def test_a_card_update_edits_the_card_in_place(fake, bot):
    receipt = await bot.deliver(Card("escalation:42", Reviewers(), CARD))
    claimed = Content(
        title="Escalation #42 (claimed by Dr Okafor)",
        text=CARD.text,
        buttons=(Button(action_id("release", 42), "Release"),),
    )
    update = await bot.deliver(CardUpdate("escalation:42", claimed), receipt.ref)
    edit = fake.writes()[-1]
    assert (edit.method, edit.path) == ("PATCH", f"/channels/{REVIEWERS}/messages/{receipt.ref}")
    assert edit.json["embeds"][0]["title"] == "Escalation #42 (claimed by Dr Okafor)"
    assert edit.json["components"][0]["components"][0]["custom_id"] == "careline:release:42"
    assert update.ref == receipt.ref


async def test_a_card_update_without_buttons_removes_them(fake, bot):
    receipt = await bot.deliver(Card("escalation:42", Reviewers(), CARD))
    await bot.deliver(CardUpdate("escalation:42", Content(text="Closed.")), receipt.ref)
    assert fake.writes()[-1].json["components"] == []
    assert fake.messages[receipt.ref]["components"] == []


async def test_a_card_whose_message_was_deleted_is_posted_again_with_a_new_ref(fake, bot):
    update = await bot.deliver(CardUpdate("escalation:42", CARD), "1300000000000099999")
    patch, post = fake.writes()
    assert patch.method == "PATCH"
    assert (post.method, post.path) == ("POST", f"/channels/{REVIEWERS}/messages")
    assert update.ref != "1300000000000099999"
    assert update.ref in fake.messages


async def test_the_first_reply_under_a_card_opens_its_thread_and_later_ones_reuse_it(fake, bot):
    card = await bot.deliver(Card("escalation:42", Reviewers(), CARD))
    first = Reply(CardThread("escalation:42"), Content(text="Dr Okafor claimed this."))
    await bot.deliver(first, card.ref)
    attempt, create, post = fake.writes()[1:]
    assert (attempt.method, attempt.path) == ("POST", f"/channels/{card.ref}/messages")
    assert (create.method, create.path) == (
        "POST",
        f"/channels/{REVIEWERS}/messages/{card.ref}/threads",
    )
    assert create.json["name"] == "Discussion escalation:42"
    assert create.json["auto_archive_duration"] == 1440
    assert (post.method, post.path) == ("POST", f"/channels/{card.ref}/messages")

    await bot.deliver(Reply(CardThread("escalation:42"), Content(text="Approved.")), card.ref)
    [again] = fake.writes()[4:]
    assert again.path == f"/channels/{card.ref}/messages"


async def test_a_card_thread_reply_without_the_card_ref_cannot_be_delivered(bot):
    with pytest.raises(DeliveryError) as caught:
        await bot.deliver(Reply(CardThread("escalation:42"), Content(text="x")), None)
    assert caught.value.retryable is False


async def test_a_direct_message_opens_the_dm_channel_then_posts(fake, bot):
    receipt = await bot.deliver(DirectMessage(PATIENT, Content(text="Your answer is ready.")))
    open_dm, post = fake.writes()
    assert (open_dm.path, open_dm.json) == ("/users/@me/channels", {"recipient_id": int(PATIENT)})
    dm_channel = next(c for c in fake.channels.values() if c.get("type") == 1)
    assert post.path == f"/channels/{dm_channel['id']}/messages"
    assert receipt.ref is not None


async def test_a_private_reply_outside_an_interaction_becomes_a_dm(fake, bot):
    reply = Reply(Channel(HELP, reply_to="1200000000000000001"), Content(text="x"), PATIENT)
    await bot.deliver(reply)
    open_dm, post = fake.writes()
    assert open_dm.path == "/users/@me/channels"
    assert post.path != f"/channels/{HELP}/messages"


async def test_a_user_who_blocks_dms_is_not_retried(fake, bot, caplog):
    fake.fail("POST", r"/channels/\d+/messages", 403, {"message": "Cannot send", "code": 50007})
    with pytest.raises(DeliveryError) as caught, caplog.at_level(logging.ERROR):
        await bot.deliver(DirectMessage(PATIENT, Content(text="x")))
    assert caught.value.retryable is False
    assert "50007" in str(caught.value)


async def test_the_reply_to_a_private_command_replaces_its_thinking_placeholder(fake, core, bot):
    data = slash("claim", {"escalation": 42}, who="patient")
    inbound = await interaction_inbound(fake, core, data)
    denial = Reply(
        Channel(inbound.channel, reply_to=inbound.message_id),
        Content(text="Only verified physicians can claim escalations."),
        private_to=inbound.actor.user_id,
    )
    await bot.deliver(denial)
    callback, edit = interaction_calls(fake, data)
    assert callback.json == {"type": 5, "data": {"flags": EPHEMERAL}}
    assert (edit.method, edit.path) == (
        "PATCH",
        f"/webhooks/{BOT}/{data['token']}/messages/@original",
    )
    assert edit.json["content"] == "Only verified physicians can claim escalations."
    assert edit.json["allowed_mentions"] == {"parse": []}
    assert not [c for c in fake.writes() if c.path.startswith("/channels/")]


async def test_a_denied_button_click_is_answered_ephemerally(fake, core, bot):
    data = click("careline:approve:42", who="patient")
    inbound = await interaction_inbound(fake, core, data)
    denial = Reply(
        Channel(inbound.channel, reply_to=inbound.message_id),
        Content(text="Only moderators can approve answers."),
        private_to=inbound.actor.user_id,
    )
    await bot.deliver(denial)
    callback, followup = interaction_calls(fake, data)
    assert callback.json == {"type": 6}
    assert (followup.method, followup.path) == ("POST", f"/webhooks/{BOT}/{data['token']}")
    assert followup.json["flags"] == EPHEMERAL
    assert followup.json["content"] == "Only moderators can approve answers."


async def test_a_public_answer_to_ask_fills_the_public_placeholder(fake, core, bot):
    data = slash("ask", {"question": "What helps with a migraine?"})
    inbound = await interaction_inbound(fake, core, data)
    answer = Content(text="Rest in a dark room.", title="Migraine", footer="Not medical advice.")
    answer = Content(
        text=answer.text,
        title=answer.title,
        footer=answer.footer,
        buttons=(Button(action_id("helpful", 7), "Helpful", ButtonStyle.SUCCESS),),
    )
    receipt = await bot.deliver(
        Reply(Channel(inbound.channel, reply_to=inbound.message_id), answer)
    )
    callback, edit = interaction_calls(fake, data)
    assert callback.json == {"type": 5}
    assert edit.method == "PATCH"
    assert edit.json["embeds"][0]["title"] == "Migraine"
    assert edit.json["components"][0]["components"][0]["custom_id"] == "careline:helpful:7"
    assert receipt.ref == fake._originals[data["token"]]


async def test_a_private_answer_to_a_public_ask_never_shows_in_the_channel(fake, core, bot):
    data = slash("ask", {"question": "I was diagnosed with X, born 1980-01-01"})
    inbound = await interaction_inbound(fake, core, data)
    private = Reply(
        Channel(inbound.channel, reply_to=inbound.message_id),
        Content(text="Your question contained personal details; I answered privately."),
        private_to=PATIENT,
    )
    await bot.deliver(private)
    callback, note, followup = interaction_calls(fake, data)
    assert callback.json == {"type": 5}  # public "thinking…"
    assert note.method == "PATCH"
    assert note.json["content"] == "I've answered you privately (only you can see it)."
    assert followup.method == "POST"
    assert followup.json["flags"] == EPHEMERAL
    assert "personal details" in followup.json["content"]


async def test_further_replies_to_one_interaction_are_followups(fake, core, bot):
    data = slash("queue", {}, who="physician", channel=REVIEWERS)
    inbound = await interaction_inbound(fake, core, data)
    where = Channel(inbound.channel, reply_to=inbound.message_id)
    await bot.deliver(Reply(where, Content(text="#41 open"), private_to=inbound.actor.user_id))
    await bot.deliver(Reply(where, Content(text="#42 open"), private_to=inbound.actor.user_id))
    _, edit, followup = interaction_calls(fake, data)
    assert edit.json["content"] == "#41 open"
    assert (followup.method, followup.json["content"], followup.json["flags"]) == (
        "POST",
        "#42 open",
        EPHEMERAL,
    )


async def test_after_the_interaction_token_expires_the_reply_goes_to_the_channel(fake, core, bot):
    data = slash("ask", {"question": "Is my rash serious?"})
    inbound = await interaction_inbound(fake, core, data)
    bot._bridge.pending[inbound.message_id].created = time.monotonic() - INTERACTION_TTL - 1
    answer = Reply(
        Channel(inbound.channel, reply_to=inbound.message_id),
        Content(text="A physician answered your question."),
        mention=PATIENT,
    )
    await bot.deliver(answer)
    [post] = [c for c in fake.writes() if c.path.startswith("/channels/")]
    assert post.path == f"/channels/{HELP}/messages"
    assert post.json["content"] == f"<@{PATIENT}> A physician answered your question."
    assert post.json["allowed_mentions"] == {"parse": [], "users": [int(PATIENT)]}
    assert "message_reference" not in post.json


async def test_mentions_in_text_are_neutralised_and_only_the_patient_is_pinged(fake, bot):
    text = "@everyone and @here: <@1100000000000001002> says hi"
    await bot.deliver(Reply(Channel(HELP), Content(text=text), mention=PATIENT))
    [post] = fake.writes()
    content = post.json["content"]
    assert content.startswith(f"<@{PATIENT}> ")
    assert "@everyone" not in content
    assert "@here" not in content
    assert "<@1100000000000001002>" not in content
    assert post.json["allowed_mentions"] == {"parse": [], "users": [int(PATIENT)]}


async def test_a_long_reply_is_split_into_messages_within_discords_limit(fake, bot):
    text = "\n\n".join(f"Paragraph {i}: " + "lorem ipsum " * 60 for i in range(8))
    buttons = (Button(action_id("helpful", 7), "Helpful"),)
    await bot.deliver(Reply(Channel(HELP), Content(text=text, buttons=buttons), mention=PATIENT))
    posts = fake.writes()
    assert len(posts) > 2
    assert all(len(p.json["content"]) <= 2000 for p in posts)
    assert posts[0].json["content"].startswith(f"<@{PATIENT}>")
    assert not any(p.json["content"].startswith("<@") for p in posts[1:])
    assert [bool(p.json.get("components")) for p in posts] == [False] * (len(posts) - 1) + [True]


async def test_a_long_rate_limit_is_handed_back_to_the_outbox_with_its_retry_after(fake, bot):
    fake.fail(
        "POST",
        rf"/channels/{HELP}/messages",
        429,
        {"message": "You are being rate limited.", "retry_after": 64.5, "global": False},
        headers=RATE_LIMIT_HEADERS | {"Retry-After": "65"},
    )
    with pytest.raises(DeliveryError) as caught:
        await bot.deliver(Reply(Channel(HELP), Content(text="x")))
    assert caught.value.retryable is True
    assert caught.value.retry_after == 64.5
    assert len(fake.calls_to("POST", rf"/channels/{HELP}/messages")) == 1


async def test_a_short_rate_limit_is_waited_out_by_discord_py(fake, bot):
    fake.fail(
        "POST",
        rf"/channels/{HELP}/messages",
        429,
        {"message": "You are being rate limited.", "retry_after": 0.05, "global": False},
        headers=RATE_LIMIT_HEADERS,
    )
    receipt = await bot.deliver(Reply(Channel(HELP), Content(text="x")))
    assert receipt.ref is not None
    assert len(fake.calls_to("POST", rf"/channels/{HELP}/messages")) == 2


async def test_a_cloudflare_429_is_retryable_with_its_retry_after_header(fake, bot):
    fake.fail("POST", rf"/channels/{HELP}/messages", 429, {}, headers={"Retry-After": "30"})
    with pytest.raises(DeliveryError) as caught:
        await bot.deliver(Reply(Channel(HELP), Content(text="x")))
    assert (caught.value.retryable, caught.value.retry_after) == (True, 30.0)


async def test_a_missing_permission_is_not_retried_and_says_what_to_grant(fake, bot, caplog):
    fake.fail(
        "POST",
        rf"/channels/{REVIEWERS}/messages",
        403,
        {"message": "Missing Permissions", "code": 50013},
    )
    with (
        caplog.at_level(logging.ERROR, logger="adapters.discord.adapter"),
        pytest.raises(DeliveryError) as caught,
    ):
        await bot.deliver(Card("escalation:42", Reviewers(), CARD))
    assert caught.value.retryable is False
    assert "50013" in str(caught.value)
    assert "Send Messages" in caplog.text


async def test_a_discord_outage_is_retryable(fake, bot):
    fake.fail("POST", rf"/channels/{HELP}/messages", 503, {"message": "unavailable", "code": 0})
    with pytest.raises(DeliveryError) as caught:
        await bot.deliver(Reply(Channel(HELP), Content(text="x")))
    assert caught.value.retryable is True


async def test_delivering_before_the_client_has_logged_in_is_retryable(fake):
    adapter = make_adapter()
    with pytest.raises(DeliveryError) as caught:
        await adapter.deliver(Reply(Channel(HELP), Content(text="x")))
    assert caught.value.retryable is True
    assert caught.value.retry_after == 5.0


async def test_a_placeholder_the_core_never_answers_is_removed(fake, core, bot):
    bot.placeholder_seconds = 0.05
    data = slash("approve", {"escalation": 42}, who="moderator", channel=REVIEWERS)
    await interaction_inbound(fake, core, data)  # the core answers on the card, not here
    await eventually(lambda: len(interaction_calls(fake, data)) == 2)
    _callback, delete = interaction_calls(fake, data)
    assert (delete.method, delete.path) == (
        "DELETE",
        f"/webhooks/{BOT}/{data['token']}/messages/@original",
    )


async def test_an_answered_placeholder_is_left_alone(fake, core, bot):
    bot.placeholder_seconds = 0.05
    data = slash("stats", {}, who="moderator", channel=REVIEWERS)
    inbound = await interaction_inbound(fake, core, data)
    reply = Reply(
        Channel(inbound.channel, reply_to=inbound.message_id),
        Content(text="Questions: 3"),
        private_to=inbound.actor.user_id,
        mention=inbound.actor.user_id,
    )
    await bot.deliver(reply)
    await asyncio.sleep(0.15)
    _callback, edit = interaction_calls(fake, data)
    assert edit.method == "PATCH"
    assert edit.json["content"] == "Questions: 3"  # no ping in a message only they can see
    assert edit.json["allowed_mentions"] == {"parse": []}


async def test_a_thread_opened_meanwhile_by_another_worker_is_used(fake, bot):
    card = await bot.deliver(Card("escalation:42", Reviewers(), CARD))
    fake.channels[card.ref] = thread(card.ref, parent=REVIEWERS)  # someone else opened it
    fake.fail("POST", rf"/channels/{card.ref}/messages", 404, {"message": "x", "code": 10003})
    receipt = await bot.deliver(Reply(CardThread("escalation:42"), Content(text="hi")), card.ref)
    _, _attempt, create, post = fake.writes()
    assert create.path.endswith("/threads")
    assert post.path == f"/channels/{card.ref}/messages"
    assert receipt.ref == fake.messages[receipt.ref]["id"]


async def test_delivering_after_stop_leaves_the_message_for_the_next_start(fake, core):
    adapter = make_adapter()
    async with running(adapter, core.submit):
        pass
    with pytest.raises(DeliveryError) as caught:
        await adapter.deliver(Reply(Channel(HELP), Content(text="x")))
    assert caught.value.retryable is True
    assert caught.value.retry_after == 60.0
    assert not fake.writes()
