"""The real core behind the Discord adapter: a question escalated, answered, approved, delivered.

Everything is real except Discord itself: the core (`bot.app.build_core` on SQLite, with the
test matcher and safety doubles from `tests/fakes.py`), its outbox, the adapter, discord.py, and
the local fake Discord that records every REST call.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

import pytest

from adapters.discord.adapter import INTERACTION_TTL
from bot.app import run
from tests.adapters.discord.conftest import (
    BOT,
    HELP,
    PATIENT,
    REVIEWERS,
    click,
    eventually,
    interaction_calls,
    make_adapter,
    message,
    modal_submit,
    payload,
    running,
    slash,
)
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.harness import DiscordCommunity
from tests.fakes import make_core, make_settings

EPHEMERAL = 64
KNEE = "my knee hurts after running"


@pytest.fixture
async def community(fake: FakeDiscord, tmp_path) -> AsyncIterator[DiscordCommunity]:
    core = make_core(make_settings(tmp_path))
    adapter = make_adapter(read_plain_messages=True)
    core.attach(adapter)
    harness = DiscordCommunity(fake, core, adapter)
    async with running(adapter, harness.submit):
        yield harness
    core.close()


async def test_a_question_goes_from_ask_to_the_patients_delivered_answer(community):
    fake = community.fake
    ask = slash("ask", {"question": KNEE})
    calls = await community.send("INTERACTION_CREATE", ask)
    # The patient's /ask: acknowledged publicly, an escalation card for the reviewers, and the
    # patient told a professional will answer.
    assert calls[0].json == {"type": 5}
    [card_post] = [c for c in calls if c.path == f"/channels/{REVIEWERS}/messages"]
    assert card_post.json["embeds"][0]["description"] == KNEE
    assert community.buttons() == {"Claim": "careline:claim:1", "Close": "careline:close:1"}
    [told] = [c for c in calls if c.path.endswith("/messages/@original")]
    assert told.json["content"].startswith("A professional will answer your question (#1)")
    # No ping under the patient's own command (they are looking at it); the answer, which
    # comes much later, pings them (below).
    assert told.json["allowed_mentions"] == {"parse": []}
    card_id = community.card()["id"]

    # A physician claims with the card's button: the card changes, its thread opens.
    calls = await community.send(
        "INTERACTION_CREATE",
        click(community.buttons()["Claim"], who="physician", message=community.card()),
    )
    assert calls[0].json == {"type": 6}
    edits = [c for c in calls if c.method == "PATCH" and c.path.endswith(f"/messages/{card_id}")]
    assert edits
    assert {"name": "Claimed by", "value": "Dr Okafor", "inline": False} in (
        edits[-1].json["embeds"][0]["fields"]
    )
    assert fake.calls_to("POST", rf"/channels/{REVIEWERS}/messages/{card_id}/threads")
    assert fake.channels[card_id]["parent_id"] == REVIEWERS
    thread_posts = [c.json["content"] for c in calls if c.path == f"/channels/{card_id}/messages"]
    assert "Dr Okafor claimed this question." in thread_posts
    assert "Answer" in community.buttons()

    # The physician answers by writing in the card's thread.
    answer = message("Rest, ice, and see a doctor if it swells.", who="physician")
    answer["channel_id"] = card_id
    calls = await community.send("MESSAGE_CREATE", answer)
    assert any("waiting for a moderator" in (c.json or {}).get("content", "") for c in calls)
    assert set(community.buttons()) >= {"Approve", "Reject"}

    # A moderator approves: the patient gets the answer where they asked, pinged alone.
    calls = await community.send(
        "INTERACTION_CREATE",
        click(community.buttons()["Approve"], who="moderator", message=community.card()),
    )
    [delivered] = [c for c in calls if c.path == f"/webhooks/{BOT}/{ask['token']}"]
    embed = delivered.json["embeds"][0]
    assert embed["title"] == "Answer from a professional to your question #1"
    assert "Rest, ice, and see a doctor if it swells." in embed["description"]
    assert "Answered by Dr Okafor; approved by Mo Reyes." in embed["description"]
    assert embed["footer"]["text"].startswith("General information, not medical advice")
    assert delivered.json["content"] == f"<@{PATIENT}>"
    assert delivered.json["allowed_mentions"] == {"users": [int(PATIENT)], "parse": []}
    assert "flags" not in delivered.json or not delivered.json["flags"] & EPHEMERAL
    assert community.card()["embeds"][0]["fields"][0]["value"] == "delivered"
    assert await community.core.outbox.pending_count() == 0


async def test_the_modal_path_answer_reject_and_answer_again(community):
    fake = community.fake
    await community.send("INTERACTION_CREATE", slash("ask", {"question": KNEE}))
    await community.send(
        "INTERACTION_CREATE",
        click(community.buttons()["Claim"], who="physician", message=community.card()),
    )
    # "Answer" opens a modal; its submission is the physician's answer.
    opened = click(community.buttons()["Answer"], who="physician", message=community.card())
    calls = await community.send("INTERACTION_CREATE", opened, reaches_core=False)
    assert calls[0].json["type"] == 9
    assert calls[0].json["data"]["custom_id"] == "careline:answer:1"
    submitted = modal_submit("careline:answer:1", "Rest.", who="physician")
    await community.send("INTERACTION_CREATE", submitted)
    # The moderator rejects with a reason through the "Reject" modal.
    reject = community.buttons()["Reject"]
    calls = await community.send(
        "INTERACTION_CREATE",
        click(reject, who="moderator", message=community.card()),
        reaches_core=False,
    )
    assert calls[0].json["type"] == 9
    calls = await community.send(
        "INTERACTION_CREATE", modal_submit("careline:reject:1", "Say when to see a doctor.")
    )
    card_id = community.card()["id"]
    thread_posts = [c.json["content"] for c in calls if c.path == f"/channels/{card_id}/messages"]
    assert any("Say when to see a doctor." in text for text in thread_posts)
    # The physician answers again with /answer; the moderator approves with /approve.
    await community.send(
        "INTERACTION_CREATE",
        slash(
            "answer",
            {"escalation": 1, "text": "Rest; see a doctor if it swells."},
            who="physician",
            channel=REVIEWERS,
        ),
    )
    calls = await community.send(
        "INTERACTION_CREATE",
        slash("approve", {"escalation": 1}, who="moderator", channel=REVIEWERS),
    )
    delivered = [c for c in fake.calls if c.path.startswith(f"/webhooks/{BOT}/") and c.json]
    texts = [e["description"] for c in delivered for e in c.json.get("embeds") or []]
    assert any("Rest; see a doctor if it swells." in text for text in texts)


async def test_a_denied_button_click_is_answered_only_to_the_clicker(community):
    await community.send("INTERACTION_CREATE", slash("ask", {"question": KNEE}))
    # A patient (who should not even see the reviewer channel) presses "Claim".
    patient_click = click(community.buttons()["Claim"], who="patient", message=community.card())
    calls = await community.send("INTERACTION_CREATE", patient_click)
    callback, denial = interaction_calls(community.fake, patient_click)
    assert callback.json == {"type": 6}
    assert denial.path == f"/webhooks/{BOT}/{patient_click['token']}"
    assert denial.json["flags"] == EPHEMERAL
    assert "Only a physician can claim #1." in denial.json["content"]
    assert not [c for c in calls if c.method == "PATCH" and "/channels/" in c.path]


async def test_a_denied_command_replaces_its_private_placeholder(community):
    await community.send("INTERACTION_CREATE", slash("ask", {"question": KNEE}))
    approve = slash("approve", {"escalation": 1}, who="physician", channel=REVIEWERS)
    await community.send("INTERACTION_CREATE", approve)
    callback, edit = interaction_calls(community.fake, approve)
    assert callback.json == {"type": 5, "data": {"flags": EPHEMERAL}}
    assert edit.method == "PATCH"
    assert "moderator" in edit.json["content"]


async def test_an_answer_after_the_interaction_expired_reaches_the_channel(community):
    fake = community.fake
    ask = slash("ask", {"question": KNEE})
    await community.send("INTERACTION_CREATE", ask)
    bridge = community.adapter._bridge
    bridge.pending[f"interaction:{ask['id']}"].created = time.monotonic() - INTERACTION_TTL - 1
    await community.send(
        "INTERACTION_CREATE", slash("claim", {"escalation": 1}, who="physician", channel=REVIEWERS)
    )
    await community.send(
        "INTERACTION_CREATE",
        slash("answer", {"escalation": 1, "text": "Rest."}, who="physician", channel=REVIEWERS),
    )
    calls = await community.send(
        "INTERACTION_CREATE",
        slash("approve", {"escalation": 1}, who="moderator", channel=REVIEWERS),
    )
    [post] = [c for c in calls if c.path == f"/channels/{HELP}/messages"]
    assert post.json["content"] == f"<@{PATIENT}>"
    assert post.json["allowed_mentions"] == {"parse": [], "users": [int(PATIENT)]}
    assert "Rest." in post.json["embeds"][0]["description"]
    assert not [c for c in calls if c.path == f"/webhooks/{BOT}/{ask['token']}"]
    assert fake.calls_to("PATCH", rf"/channels/{REVIEWERS}/messages/\d+")


async def test_careline_run_serves_discord_until_stopped(fake, tmp_path):
    # `bot.app.run` as `careline run --adapter discord` uses it: outbox loop, timers, adapter.
    settings = make_settings(tmp_path)
    core = make_core(settings)
    adapter = make_adapter()
    serving = asyncio.ensure_future(run(settings, adapter, core=core))
    await asyncio.wait_for(adapter.ready.wait(), timeout=5.0)
    await fake.dispatch("INTERACTION_CREATE", slash("ask", {"question": KNEE}))
    # The outbox loop delivers on its own: the card reaches the reviewer channel.
    await eventually(lambda: fake.calls_to("POST", rf"/channels/{REVIEWERS}/messages"))
    await adapter.stop()
    await asyncio.wait_for(serving, timeout=10.0)
    assert serving.result() is None


async def test_faq_autocomplete_wired_to_the_cores_matcher(fake, tmp_path):
    core = make_core(make_settings(tmp_path))

    def lookup(typed: str) -> list[tuple[str, str]]:
        # The wiring the composition root does (see the README's Discord guide).
        found = []
        for candidate in core.matcher.match(typed, limit=25).candidates:
            entry = core.matcher.entry(candidate.entry_id)
            if entry is not None:
                found.append((entry.question, entry.question))
        return found

    data = payload("interaction_autocomplete")
    data["data"]["options"][0]["value"] = "prescription refill"
    async with running(make_adapter(faq_lookup=lookup), core.submit):
        await fake.dispatch("INTERACTION_CREATE", data)
        await eventually(lambda: interaction_calls(fake, data))
    core.close()
    choices = interaction_calls(fake, data)[0].json["data"]["choices"]
    assert choices[0]["name"] == "How do I get a prescription refill?"


async def test_mass_mentions_in_a_question_never_reach_discord_live(community):
    calls = await community.send(
        "INTERACTION_CREATE", slash("ask", {"question": f"@everyone @here {KNEE}"})
    )
    sent = [c for c in calls if c.method in {"POST", "PATCH"} and c.json]
    assert sent
    for call in sent:
        text = json.dumps(call.json, ensure_ascii=False)
        assert "@everyone" not in text
        assert "@here" not in text
        assert call.json.get("allowed_mentions", {}).get("parse", []) == []
    card = community.card()["embeds"][0]["description"]
    assert KNEE in card
