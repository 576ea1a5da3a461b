"""deliver(): every Outbound against the fake Web API, Slack's errors and rate limits, privacy."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from adapters.slack.adapter import SlackAdapter
from adapters.slack.render import render
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
    Reply,
    Reviewers,
)
from tests.adapters.slack.conftest import DOCTOR, HELP, PATIENT, REVIEW
from tests.adapters.slack.fake_slack import FakeSlack, Scripted

QUESTION_REF = "C0HELP:1712345678.000100"
ANSWER = Content(
    title="Refills",
    text="Ask your pharmacy.",
    footer="General information, not medical advice.",
    buttons=(Button("careline:helpful:7", "Helpful", ButtonStyle.PRIMARY),),
)
CARD = Content(
    title="Escalation #42",
    text="Can I drink alcohol with metformin?",
    buttons=(
        Button("careline:claim:42", "Claim", ButtonStyle.PRIMARY),
        Button("careline:answer:42", "Answer", text_prompt="Your answer"),
    ),
)


@pytest.fixture
def adapter(make_adapter: Callable[..., SlackAdapter]) -> SlackAdapter:
    return make_adapter()


async def test_an_answer_goes_into_the_questions_thread_as_block_kit(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    receipt = await adapter.deliver(Reply(Channel(HELP, reply_to=QUESTION_REF), ANSWER))
    [posted] = fake.calls_to("chat.postMessage")
    assert posted["channel"] == HELP
    assert posted["thread_ts"] == "1712345678.000100"
    assert posted["unfurl_links"] is False
    assert [b["type"] for b in posted["blocks"]] == ["header", "section", "context", "actions"]
    assert receipt.ref is not None
    assert receipt.ref.startswith("C0HELP:1700000000.")


async def test_a_reply_in_an_existing_thread_stays_in_that_thread(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    target = Channel(HELP, thread="C0HELP:1712340000.000001", reply_to=QUESTION_REF)
    await adapter.deliver(Reply(target, ANSWER))
    assert fake.calls_to("chat.postMessage")[0]["thread_ts"] == "1712340000.000001"


async def test_a_reply_in_a_direct_message_is_not_threaded(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    await adapter.deliver(Reply(Channel("D0PATIENT", reply_to="D0PATIENT:1.2"), ANSWER))
    posted = fake.calls_to("chat.postMessage")[0]
    assert posted["channel"] == "D0PATIENT"
    assert "thread_ts" not in posted


async def test_a_card_goes_to_the_reviewer_channel_and_its_ref_drives_updates_and_thread(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    receipt = await adapter.deliver(Card("escalation:42", Reviewers(), CARD))
    ref = receipt.ref
    assert ref is not None
    channel, ts = ref.split(":")
    assert channel == REVIEW
    card = fake.calls_to("chat.postMessage")[0]
    assert card["channel"] == REVIEW
    assert "thread_ts" not in card
    answer_button = card["blocks"][-1]["elements"][1]
    assert answer_button["value"] == "prompt:Your answer"

    updated = await adapter.deliver(
        CardUpdate("escalation:42", Content(title="Escalation #42 — claimed", text="…")), ref
    )
    assert updated.ref == ref
    [update] = fake.calls_to("chat.update")
    assert (update["channel"], update["ts"]) == (REVIEW, ts)
    assert update["blocks"][0]["text"]["text"] == "Escalation #42 — claimed"

    await adapter.deliver(Reply(CardThread("escalation:42"), Content(text="Claimed by Dr O")), ref)
    threaded = fake.calls_to("chat.postMessage")[1]
    assert (threaded["channel"], threaded["thread_ts"]) == (REVIEW, ts)


async def test_updating_a_card_without_its_ref_is_retried_later(adapter: SlackAdapter) -> None:
    with pytest.raises(DeliveryError) as caught:
        await adapter.deliver(CardUpdate("escalation:42", CARD), None)
    assert caught.value.retryable is True


async def test_a_deleted_card_is_posted_again_with_a_new_ref(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    fake.fail_next("chat.update", "message_not_found")
    receipt = await adapter.deliver(CardUpdate("escalation:42", CARD), "C0REVIEW:1.000001")
    assert receipt.ref is not None
    assert receipt.ref != "C0REVIEW:1.000001"
    assert fake.calls_to("chat.postMessage")[0]["channel"] == REVIEW


async def test_a_private_reply_is_ephemeral_and_never_public(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    receipt = await adapter.deliver(
        Reply(Channel(HELP, reply_to=QUESTION_REF), ANSWER, private_to=PATIENT)
    )
    [ephemeral] = fake.calls_to("chat.postEphemeral")
    assert ephemeral["user"] == PATIENT
    assert ephemeral["channel"] == HELP
    assert ephemeral["thread_ts"] == "1712345678.000100"
    assert fake.calls_to("chat.postMessage") == []
    assert receipt.extra.get("ephemeral") == "true"


async def test_a_private_reply_that_cannot_be_ephemeral_becomes_a_dm(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    fake.fail_next("chat.postEphemeral", "user_not_in_channel")
    await adapter.deliver(Reply(Channel(HELP), ANSWER, private_to=PATIENT))
    assert fake.calls_to("conversations.open") == [{"users": PATIENT}]
    [dm] = fake.calls_to("chat.postMessage")
    assert dm["channel"] == "D0PATIENT"
    assert all(p["channel"] != HELP for p in fake.calls_to("chat.postMessage"))


async def test_a_private_reply_in_a_dm_is_just_posted_there(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    await adapter.deliver(Reply(Channel("D0PATIENT"), ANSWER, private_to=PATIENT))
    assert fake.calls_to("chat.postEphemeral") == []
    assert fake.calls_to("chat.postMessage")[0]["channel"] == "D0PATIENT"


async def test_a_direct_message_opens_the_conversation_once(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    await adapter.deliver(DirectMessage(DOCTOR, Content(text="Your answer was approved")))
    await adapter.deliver(DirectMessage(DOCTOR, Content(text="And delivered")))
    assert len(fake.calls_to("conversations.open")) == 1
    assert [p["channel"] for p in fake.calls_to("chat.postMessage")] == ["D0DOCTOR"] * 2


async def test_a_429_raises_a_retryable_delivery_error_with_slacks_retry_after(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    fake.rate_limit_next("chat.postMessage", retry_after=7)
    with pytest.raises(DeliveryError) as caught:
        await adapter.deliver(Reply(Reviewers(), ANSWER))
    assert caught.value.retryable is True
    assert caught.value.retry_after == 7.0
    # The outbox tries again later: exactly one message ends up posted.
    await adapter.deliver(Reply(Reviewers(), ANSWER))
    assert len(fake.calls_to("chat.postMessage")) == 2  # the refused call and the real one
    assert len(fake.posted()) == 2


@pytest.mark.parametrize(
    ("error", "status", "retryable"),
    [
        ("channel_not_found", 200, False),
        ("not_in_channel", 200, False),
        ("missing_scope", 200, False),
        ("invalid_blocks", 200, False),
        ("internal_error", 200, True),
        ("service_unavailable", 503, True),
    ],
)
async def test_slack_errors_map_to_retryable_or_final_delivery_errors(
    adapter: SlackAdapter, fake: FakeSlack, error: str, status: int, retryable: bool
) -> None:
    fake.fail_next("chat.postMessage", error, status=status)
    with pytest.raises(DeliveryError, match=error) as caught:
        await adapter.deliver(Reply(Channel(HELP), ANSWER))
    assert caught.value.retryable is retryable
    assert caught.value.retry_after is None


async def test_an_unreachable_slack_is_a_retryable_error(
    make_adapter: Callable[..., SlackAdapter],
) -> None:
    adapter = make_adapter(api_url="http://127.0.0.1:9/api/")
    adapter.client.retry_handlers = []  # do not wait for slack_sdk's own reconnect attempt
    with pytest.raises(DeliveryError) as caught:
        await adapter.deliver(Reply(Channel(HELP), ANSWER))
    assert caught.value.retryable is True


async def test_a_long_answer_is_posted_in_parts_in_one_thread_without_repeats_after_a_429(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    content = Content(text=" ".join(f"w{i}" for i in range(40_000)), footer="disclaimer")
    parts = len(render(content, adapter.catalog))
    assert parts > 1
    target = Channel(HELP, reply_to=QUESTION_REF)
    # Part 1 is accepted, part 2 is rate limited: the outbox will retry the whole reply.
    fake.script(
        "chat.postMessage",
        Scripted(200, {"ok": True, "channel": HELP, "ts": "1800000000.000001"}),
        Scripted(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"}),
    )
    with pytest.raises(DeliveryError) as caught:
        await adapter.deliver(Reply(target, content))
    assert caught.value.retry_after == 1.0
    receipt = await adapter.deliver(Reply(target, content))
    sent = [json.dumps(p["blocks"]) for p in fake.calls_to("chat.postMessage")]
    # Part 1 once, part 2 twice (refused, then accepted), every other part once.
    assert len(sent) == parts + 1
    assert sent.count(sent[0]) == 1
    assert sent[1] == sent[2]
    assert receipt.ref == "C0HELP:1800000000.000001"
    assert receipt.extra["parts"] == str(parts)
    assert {p["thread_ts"] for p in fake.calls_to("chat.postMessage")} == {"1712345678.000100"}


async def test_mentions_in_delivered_text_are_neutralised_except_the_one_allowed(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    hostile = Content(
        title="<!channel>",
        text="<!here> <!channel> <!subteam^S0DOCTORS|@doctors> <@U0OTHER> hi",
        footer="<!everyone>",
    )
    await adapter.deliver(Reply(Channel(HELP), hostile, mention=PATIENT))
    await adapter.deliver(Card("escalation:1", Reviewers(), hostile))
    await adapter.deliver(DirectMessage(DOCTOR, hostile))
    for posted in fake.calls_to("chat.postMessage"):
        wire = posted["text"] + json.dumps([b for b in posted["blocks"] if b["type"] != "header"])
        assert "<!" not in wire
        assert wire.count("<@") == wire.count(f"<@{PATIENT}>")
    assert f"<@{PATIENT}>" in json.dumps(fake.calls_to("chat.postMessage")[0]["blocks"])


async def test_a_private_reply_to_an_app_home_click_goes_to_the_users_dm(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    # App Home clicks carry the user id as their channel (see inbound.click_of).
    await adapter.deliver(Reply(Channel(DOCTOR), Content(text="Released #42"), private_to=DOCTOR))
    assert fake.calls_to("conversations.open") == [{"users": DOCTOR}]
    assert fake.calls_to("chat.postEphemeral") == []
    assert [p["channel"] for p in fake.calls_to("chat.postMessage")] == ["D0DOCTOR"]


async def test_an_empty_content_is_posted_as_plain_fallback_text_without_blocks(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    await adapter.deliver(Reply(Channel(HELP), Content(text="")))
    [posted] = fake.calls_to("chat.postMessage")
    assert "blocks" not in posted
    assert posted["text"] == adapter.catalog("slack.fallback")


def test_the_fake_refuses_blocks_slack_would_refuse() -> None:
    from tests.adapters.slack.fake_slack import block_kit_problems

    section = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}
    button = {"type": "button", "action_id": "a", "text": {"type": "plain_text", "text": "A"}}
    bad = {
        "blocks": [
            section,
            {"type": "carousel"},
            {"type": "actions", "elements": [button, button]},
            {"type": "header", "text": {"type": "mrkdwn", "text": "h"}},
        ]
    }
    problems = block_kit_problems("chat.postMessage", bad)
    assert len(problems) == 4, problems
    assert block_kit_problems("chat.postMessage", {"blocks": [section] * 0, "text": "ok"}) == []
    assert block_kit_problems("chat.postMessage", {"blocks": [{"type": "divider"}] * 51})


async def test_display_names_come_from_profiles_are_cached_and_refreshed_hourly(
    make_adapter: Callable[..., SlackAdapter], fake: FakeSlack
) -> None:
    now = [0.0]
    adapter = make_adapter(clock=lambda: now[0])
    assert (await adapter._actor(PATIENT, "sam.handle")).display_name == "Sam"
    assert (await adapter._actor(PATIENT, None)).display_name == "Sam"
    assert len(fake.calls_to("users.info")) == 1
    fake.users[PATIENT]["profile"]["display_name"] = "Samira"
    now[0] += 3601
    assert (await adapter._actor(PATIENT, None)).display_name == "Samira"
    # An unknown user keeps the payload's handle, and Slack is not asked again and again.
    assert (await adapter._actor("U0GHOST", "ghost")).display_name == "ghost"
    assert (await adapter._actor("U0GHOST", "ghost")).display_name == "ghost"
    assert len(fake.calls_to("users.info")) == 3
