"""HTTP mode end to end: signed requests → the real bolt AsyncApp endpoint → Inbound."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import Any

import aiohttp
import pytest

from adapters.slack.adapter import SlackAdapter
from bot.messages import Button, ButtonStyle, Content, Inbound, Role
from tests.adapters.slack.conftest import (
    DOCTOR,
    HELP,
    MODERATOR,
    PATIENT,
    REVIEW,
    RecordingCore,
    SlackHttp,
    eventually,
    payload,
    start_adapter,
)
from tests.adapters.slack.fake_slack import FakeSlack

ROLES = {
    PATIENT: frozenset({Role.PATIENT}),
    DOCTOR: frozenset({Role.PATIENT, Role.PHYSICIAN}),
    MODERATOR: frozenset({Role.PATIENT, Role.MODERATOR}),
}
PEOPLE = [PATIENT, DOCTOR, MODERATOR]


async def test_a_question_in_a_help_channel_reaches_the_core_as_the_patient(
    slack: SlackHttp, core: RecordingCore
) -> None:
    assert await slack.event(payload("event_message_help_channel")) == 200
    await eventually(lambda: len(core.inbound) == 1)
    [got] = core.inbound
    assert got.platform == "slack"
    assert got.event_id == "Ev0HELP0001"
    assert got.actor.user_id == PATIENT
    assert got.actor.display_name == "Sam"
    assert got.actor.roles == ROLES[PATIENT]
    assert got.text.startswith("How do I get a refill")
    assert got.message_id == "C0HELP:1712345678.000100"


async def test_a_mention_outside_help_channels_reaches_the_core(
    slack: SlackHttp, core: RecordingCore
) -> None:
    assert await slack.event(payload("event_app_mention")) == 200
    await eventually(lambda: len(core.inbound) == 1)
    assert core.inbound[0].text == "is it a cold or the flu? @channel look @U0OTHER"
    assert core.inbound[0].channel == "C0GENERAL"


async def test_a_message_that_is_also_a_mention_is_handed_over_once(
    slack: SlackHttp, core: RecordingCore
) -> None:
    message = payload("event_message_help_channel")
    mention = payload("event_app_mention")
    mention["event"] |= {"channel": HELP, "ts": message["event"]["ts"]}
    await slack.event(message)
    await slack.event(mention)
    await slack.settle()
    assert len(core.inbound) == 1


async def test_a_direct_message_is_private(slack: SlackHttp, core: RecordingCore) -> None:
    await slack.event(payload("event_message_im"))
    await eventually(lambda: len(core.inbound) == 1)
    assert core.inbound[0].private is True
    assert core.inbound[0].channel == "D0PATIENT"


async def test_a_physicians_reply_in_a_card_thread_carries_the_card_ref(
    slack: SlackHttp, core: RecordingCore
) -> None:
    await slack.event(payload("event_message_reviewer_thread"))
    await eventually(lambda: len(core.inbound) == 1)
    got = core.inbound[0]
    assert got.thread == "C0REVIEW:1700000000.000001"
    assert got.actor.roles == ROLES[DOCTOR]


@pytest.mark.parametrize("name", ["event_message_bot", "event_message_changed"])
async def test_bot_posts_and_edits_are_acknowledged_and_ignored(
    slack: SlackHttp, core: RecordingCore, name: str
) -> None:
    assert await slack.event(payload(name)) == 200
    await slack.settle()
    assert core.inbound == []


async def test_a_slack_retry_of_a_handled_event_is_acknowledged_but_not_handed_over_again(
    slack: SlackHttp, core: RecordingCore, caplog: pytest.LogCaptureFixture
) -> None:
    event = payload("event_message_help_channel")
    assert await slack.event(event) == 200
    with caplog.at_level(logging.INFO, logger="adapters.slack"):
        assert await slack.event(event, retry_num=1) == 200
        assert await slack.event(event, retry_num=2) == 200
    await slack.settle()
    assert len(core.inbound) == 1
    assert "Slack retry 1" in caplog.text
    assert "ignoring a repeated Slack event Ev0HELP0001" in caplog.text


# --------------------------------------------------------------------- signatures


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param({"secret": "not-the-signing-secret"}, id="bad signature"),
        pytest.param({"signed": False}, id="missing signature"),
        pytest.param({"timestamp": int(time.time()) - 10 * 60}, id="stale timestamp"),
        pytest.param({"timestamp": int(time.time()) + 10 * 60}, id="future timestamp"),
    ],
)
async def test_an_unverified_request_gets_401_and_a_log_line_and_nothing_else(
    slack: SlackHttp,
    core: RecordingCore,
    caplog: pytest.LogCaptureFixture,
    tamper: dict[str, Any],
) -> None:
    body = json.dumps(payload("event_message_help_channel"))
    with caplog.at_level(logging.WARNING, logger="adapters.slack"):
        status, _ = await slack.send(body, **tamper)
    assert status == 401
    assert "rejected a Slack request" in caplog.text
    await slack.settle()
    assert core.inbound == []
    # The server is still up and serving properly signed requests.
    assert await slack.event(payload("event_message_help_channel")) == 200
    await eventually(lambda: len(core.inbound) == 1)


async def test_a_signed_but_tampered_body_is_rejected(
    slack: SlackHttp, core: RecordingCore
) -> None:
    from tests.adapters.slack.fake_slack import sign

    body = json.dumps(payload("event_message_help_channel"))
    headers = sign(body) | {"Content-Type": "application/json"}
    forged = body.replace("refill", "REFILL")
    async with slack.session.post(slack.url, data=forged.encode(), headers=headers) as resp:
        assert resp.status == 401
    await slack.settle()
    assert core.inbound == []


async def test_slacks_url_verification_challenge_is_answered(slack: SlackHttp) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "t"})
    status, text = await slack.send(body)
    assert status == 200
    assert "c-123" in text


@pytest.mark.parametrize("signed", [True, False])
async def test_a_malformed_body_gets_400_and_a_log_line_not_a_crash(
    slack: SlackHttp, caplog: pytest.LogCaptureFixture, signed: bool
) -> None:
    with caplog.at_level(logging.WARNING, logger="adapters.slack"):
        status, _ = await slack.send("{not json", content_type="application/json", signed=signed)
    assert status == 400
    assert "rejected a malformed Slack request" in caplog.text
    assert "Traceback" not in caplog.text
    assert await slack.event(payload("event_message_im")) == 200


# --------------------------------------------------------------------- commands

VERB_LINES = [
    ("ask can I take ibuprofen with a cold", "/ask can I take ibuprofen with a cold"),
    ("faq refill", "/faq refill"),
    ("queue", "/queue"),
    ("claim 42", "/claim 42"),
    ("release 42", "/release 42"),
    ("answer 42 Take it with food.", "/answer 42 Take it with food."),
    ("approve 42", "/approve 42"),
    ("reject 42 Please cite a source", "/reject 42 Please cite a source"),
    ("close 42 duplicate", "/close 42 duplicate"),
    ("promote 42", "/promote 42"),
    ("stats", "/stats"),
    ("forget-me", "/forget-me"),
    ("help", "/help"),
    ("", "/help"),
]


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(("typed", "line"), VERB_LINES)
async def test_every_careline_subcommand_is_acked_and_passed_as_a_command_line_with_roles(
    slack: SlackHttp, core: RecordingCore, person: str, typed: str, line: str
) -> None:
    status, text = await slack.command(typed, user=person, channel=REVIEW, trigger="trig-1")
    assert status == 200
    assert text == ""  # an empty ack: the answer comes through the outbox, privately
    await eventually(lambda: len(core.inbound) == 1)
    got = core.inbound[0]
    assert got.text == line
    assert got.actor.user_id == person
    assert got.actor.roles == ROLES[person]
    assert got.private is True
    assert got.event_id == "command:trig-1"


async def test_the_same_slash_command_trigger_is_handed_over_once(
    slack: SlackHttp, core: RecordingCore
) -> None:
    await slack.command("queue", trigger="same")
    await slack.command("queue", trigger="same")
    await slack.settle()
    assert len(core.inbound) == 1


async def test_commands_are_acked_before_the_core_finishes(
    fake: FakeSlack, make_adapter: Callable[..., SlackAdapter]
) -> None:
    release = asyncio.Event()
    seen: list[Inbound] = []

    async def slow_submit(inbound: Inbound) -> None:
        seen.append(inbound)
        await release.wait()

    adapter = make_adapter()
    task = await start_adapter(adapter, slow_submit)
    try:
        async with aiohttp.ClientSession() as session:
            started = time.monotonic()
            status, _ = await SlackHttp(adapter, fake, session).command("ask slow?")
            assert status == 200
            assert time.monotonic() - started < 1.0
            await eventually(lambda: len(seen) == 1)
    finally:
        release.set()
        await adapter.stop()
        await task


# --------------------------------------------------------------------- buttons

PLAIN_BUTTONS = [
    "careline:claim:42",
    "careline:release:42",
    "careline:approve:42",
    "careline:close:42",
    "careline:promote:42",
    "careline:helpful:7",
    "careline:unhelpful:7",
    "careline:professional:7",
    "careline:pick:7:flu-vs-cold",
    "careline:share:7",
]


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("action_id", PLAIN_BUTTONS)
async def test_every_button_reaches_the_core_unchanged_with_the_clickers_roles(
    slack: SlackHttp, core: RecordingCore, person: str, action_id: str
) -> None:
    status, _ = await slack.click(action_id, user=person)
    assert status == 200
    await eventually(lambda: len(core.inbound) == 1)
    got = core.inbound[0]
    assert got.action_id == action_id
    assert got.text == ""
    assert got.actor.roles == ROLES[person]
    assert got.message_id == "C0REVIEW:1700000000.000001"
    assert slack.fake.calls_to("views.open") == []


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(
    ("action_id", "prompt", "typed"),
    [
        ("careline:answer:42", "Your answer to the patient", "Take it with food."),
        ("careline:reject:42", "Why? (sent to the physician)", "Please cite a source."),
    ],
)
async def test_a_prompt_button_opens_a_modal_and_its_submission_reaches_the_core(
    slack: SlackHttp,
    core: RecordingCore,
    person: str,
    *,
    action_id: str,
    prompt: str,
    typed: str,
) -> None:
    status, _ = await slack.click(action_id, user=person, value=f"prompt:{prompt}", trigger="t-9")
    assert status == 200
    await eventually(lambda: len(slack.fake.calls_to("views.open")) == 1)
    [opened] = slack.fake.calls_to("views.open")
    assert opened["trigger_id"] == "t-9"
    view = opened["view"]
    assert view["callback_id"] == action_id
    assert view["blocks"][0]["label"]["text"] == prompt
    await slack.settle()
    assert core.inbound == []  # nothing for the core until the text is submitted

    submission = payload("view_submission")
    submission["user"] = {"id": person, "name": person.lower()}
    submission["view"] |= {
        "callback_id": view["callback_id"],
        "private_metadata": view["private_metadata"],
        "id": f"V-{person}",
    }
    submission["view"]["state"]["values"]["careline_text"]["text"]["value"] = f"  {typed} "
    status, text = await slack.interactive(submission)
    assert status == 200
    assert text == ""  # empty ack closes the modal
    await eventually(lambda: len(core.inbound) == 1)
    got = core.inbound[0]
    assert got.action_id == action_id
    assert got.text == typed
    assert got.actor.roles == ROLES[person]
    assert got.channel == REVIEW
    assert got.message_id == "C0REVIEW:1700000000.000001"


async def test_a_modal_that_cannot_open_is_logged_not_crashed(
    slack: SlackHttp, core: RecordingCore, caplog: pytest.LogCaptureFixture
) -> None:
    slack.fake.fail_next("views.open", "expired_trigger_id")
    with caplog.at_level(logging.WARNING, logger="adapters.slack"):
        status, _ = await slack.click("careline:answer:42", value="prompt:Answer")
        await eventually(lambda: "could not open the Slack modal" in caplog.text)
    assert status == 200
    assert core.inbound == []


async def test_clicks_from_an_ephemeral_answer_are_private(
    slack: SlackHttp, core: RecordingCore
) -> None:
    await slack.interactive(payload("block_actions_ephemeral"))
    await eventually(lambda: len(core.inbound) == 1)
    assert core.inbound[0].private is True
    assert core.inbound[0].action_id == "careline:helpful:7"


# --------------------------------------------------------------------- App Home


async def test_app_home_shows_the_physician_their_claimed_and_the_open_escalations(
    fake: FakeSlack, make_adapter: Callable[..., SlackAdapter], core: RecordingCore
) -> None:
    asked: list[Any] = []

    async def home(actor: Any) -> tuple[list[Content], list[Content]]:
        asked.append(actor)
        mine = Content(
            title="#41",
            text="claimed one",
            buttons=(
                Button("careline:answer:41", "Answer", ButtonStyle.PRIMARY, text_prompt="Answer"),
            ),
        )
        other = Content(
            title="#43", text="open one", buttons=(Button("careline:claim:43", "Claim"),)
        )
        return [mine], [other]

    adapter = make_adapter(home=home)
    task = await start_adapter(adapter, core.submit)
    try:
        async with aiohttp.ClientSession() as session:
            await SlackHttp(adapter, fake, session).event(payload("event_app_home_opened"))
            await eventually(lambda: len(fake.calls_to("views.publish")) == 1)
    finally:
        await adapter.stop()
        await task
    [published] = fake.calls_to("views.publish")
    assert published["user_id"] == DOCTOR
    dumped = json.dumps(published["view"])
    assert "careline:answer:41" in dumped
    assert "careline:claim:43" in dumped
    assert "Your claimed escalations" in dumped
    assert asked[0].roles == ROLES[DOCTOR]
    assert core.inbound == []


async def test_app_home_without_a_query_shows_the_intro(slack: SlackHttp) -> None:
    await slack.event(payload("event_app_home_opened"))
    await eventually(lambda: len(slack.fake.calls_to("views.publish")) == 1)
    view = slack.fake.calls_to("views.publish")[0]["view"]
    assert view["type"] == "home"
    assert "/careline ask" in json.dumps(view)


async def test_a_user_group_change_refreshes_roles(slack: SlackHttp, core: RecordingCore) -> None:
    await slack.command("queue", user=PATIENT)
    await eventually(lambda: len(core.inbound) == 1)
    assert core.inbound[0].actor.roles == ROLES[PATIENT]
    slack.fake.usergroups["S0DOCTORS"].append(PATIENT)
    changed = {
        "type": "event_callback",
        "team_id": "T0CARE",
        "event_id": "Ev0SUBTEAM",
        "event": {
            "type": "subteam_members_changed",
            "subteam_id": "S0DOCTORS",
            "added_users": [PATIENT],
            "event_ts": "1712346999.000000",
        },
    }
    assert await slack.event(changed) == 200
    await slack.settle()
    await slack.command("queue", user=PATIENT)
    await eventually(lambda: len(core.inbound) == 2)
    assert core.inbound[1].actor.roles == ROLES[DOCTOR]


@pytest.mark.parametrize("outcome", ["fails", "none"])
async def test_app_home_still_opens_when_the_query_fails_or_has_nothing_for_the_user(
    fake: FakeSlack,
    make_adapter: Callable[..., SlackAdapter],
    core: RecordingCore,
    caplog: pytest.LogCaptureFixture,
    outcome: str,
) -> None:
    async def home(actor: Any) -> None:
        if outcome == "fails":
            raise RuntimeError("database is down")

    adapter = make_adapter(home=home)
    task = await start_adapter(adapter, core.submit)
    try:
        async with aiohttp.ClientSession() as session:
            await SlackHttp(adapter, fake, session).event(payload("event_app_home_opened"))
            await eventually(lambda: len(fake.calls_to("views.publish")) == 1)
    finally:
        await adapter.stop()
        await task
    dumped = json.dumps(fake.calls_to("views.publish")[0]["view"])
    assert "/careline ask" in dumped
    assert ("/careline queue" in dumped) is (outcome == "fails")
    assert ("App Home query failed" in caplog.text) is (outcome == "fails")
