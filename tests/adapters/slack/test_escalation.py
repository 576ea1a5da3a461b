"""The real core behind the Slack adapter: escalated, claimed, answered, approved, delivered.

Everything is real except Slack itself: the core (`bot.app.build_core` on SQLite with the test
matcher and safety doubles from `tests/fakes.py`), its outbox, the adapter, slack-bolt's AsyncApp
serving signed HTTP requests, and the local fake Slack Web API recording every call.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from adapters.slack.adapter import SlackAdapter
from adapters.slack.home import HomeCards, HomeQuery
from bot.app import Core
from bot.messages import Content, Inbound
from tests.adapters.slack.conftest import (
    DOCTOR,
    HELP,
    MODERATOR,
    PATIENT,
    REVIEW,
    SlackHttp,
    eventually,
    payload,
    start_adapter,
)
from tests.adapters.slack.fake_slack import Call, FakeSlack
from tests.fakes import FakeClock, make_core, make_settings

KNEE = "my knee hurts after running"
QUESTION_TS = "1712345678.000100"


class Community:
    """The adapter on HTTP, the real core and the fake Slack, driven one request at a time."""

    def __init__(self, http: SlackHttp, core: Core, clock: FakeClock) -> None:
        self.http = http
        self.fake = http.fake
        self.core = core
        self.clock = clock
        self.handed: list[Inbound] = []

    async def submit(self, inbound: Inbound) -> None:
        await self.core.submit(inbound)
        self.handed.append(inbound)

    async def _settle(self, start: int, handed: int) -> list[Call]:
        await eventually(lambda: len(self.handed) >= handed, within=5.0)
        await self.core.outbox.drain()
        return self.fake.calls[start:]

    async def says(
        self,
        text: str,
        *,
        who: str = PATIENT,
        thread_ts: str | None = None,
        channel: str = HELP,
        ts: str = QUESTION_TS,
    ) -> list[Call]:
        """A plain message (a question, or a reply in a card's thread)."""
        data = payload("event_message_help_channel")
        data["event"] |= {"text": text, "user": who, "channel": channel, "ts": ts}
        data["event_id"] = f"Ev-{ts}"
        if thread_ts:
            data["event"]["thread_ts"] = thread_ts
        start, handed = len(self.fake.calls), len(self.handed)
        assert await self.http.event(data) == 200
        return await self._settle(start, handed + 1)

    async def command(self, text: str, *, who: str, channel: str = REVIEW) -> list[Call]:
        start, handed = len(self.fake.calls), len(self.handed)
        status, _ = await self.http.command(text, user=who, channel=channel)
        assert status == 200
        return await self._settle(start, handed + 1)

    async def click(self, label: str, *, who: str) -> list[Call]:
        """Press a button on the reviewer card by its label."""
        button = self.buttons()[label]
        start, handed = len(self.fake.calls), len(self.handed)
        status, _ = await self.http.click(
            button["action_id"],
            user=who,
            channel=REVIEW,
            message_ts=self.card_ts(),
            value=button.get("value"),
        )
        assert status == 200
        if button.get("value", "").startswith("prompt:"):
            await eventually(lambda: len(self.fake.calls) > start)
            return self.fake.calls[start:]
        return await self._settle(start, handed + 1)

    async def submit_modal(self, view: dict[str, Any], text: str, *, who: str) -> list[Call]:
        data = payload("view_submission")
        data["user"] = {"id": who, "name": who.lower()}
        data["view"] |= {
            "id": f"V-{len(self.fake.calls)}",
            "callback_id": view["callback_id"],
            "private_metadata": view["private_metadata"],
        }
        data["view"]["state"]["values"]["careline_text"]["text"]["value"] = text
        start, handed = len(self.fake.calls), len(self.handed)
        status, _ = await self.http.interactive(data)
        assert status == 200
        return await self._settle(start, handed + 1)

    def card(self) -> Call:
        """The one card post in the reviewer channel (not a thread reply)."""
        posts = [
            c
            for c in self.fake.calls
            if c.method == "chat.postMessage"
            and c.params["channel"] == REVIEW
            and "thread_ts" not in c.params
        ]
        assert len(posts) == 1, [c.params for c in posts]
        return posts[0]

    def card_call(self) -> dict[str, Any]:
        return self.card().params

    def card_ts(self) -> str:
        return str(self.card().response["ts"])

    def card_blocks(self) -> list[dict[str, Any]]:
        """The card's current blocks: the last update, or the original post."""
        updates = [c.params for c in self.fake.calls if c.method == "chat.update"]
        return (updates[-1] if updates else self.card_call())["blocks"]

    def buttons(self) -> dict[str, dict[str, Any]]:
        return {
            e["text"]["text"]: e
            for b in self.card_blocks()
            if b["type"] == "actions"
            for e in b["elements"]
        }


def _texts(calls: list[Call], method: str = "chat.postMessage", **where: str) -> list[str]:
    return [
        json.dumps(c.params.get("blocks"), ensure_ascii=False) + c.params.get("text", "")
        for c in calls
        if c.method == method and all(c.params.get(k) == v for k, v in where.items())
    ]


@pytest.fixture
async def community(
    fake: FakeSlack, make_adapter: Callable[..., SlackAdapter], tmp_path: Path
) -> AsyncIterator[Community]:
    clock = FakeClock()
    core = make_core(make_settings(tmp_path), clock=clock)
    adapter = make_adapter()
    core.attach(adapter)
    async with aiohttp.ClientSession() as session:
        http = SlackHttp(adapter, fake, session)
        town = Community(http, core, clock)
        task = await start_adapter(adapter, town.submit)
        try:
            yield town
        finally:
            await adapter.stop()
            await task
            core.close()


async def _escalate(town: Community) -> list[Call]:
    calls = await town.says(KNEE)
    assert town.card().status == 200
    return calls


async def test_a_question_goes_from_the_help_channel_to_the_patients_delivered_answer(
    community: Community,
) -> None:
    town = community
    calls = await _escalate(town)
    # The patient is told, in their question's thread, that a professional will answer.
    told = _texts(calls, channel=HELP, thread_ts=QUESTION_TS)
    assert any("professional" in t for t in told), told
    # The card is in the reviewer channel, with the patient's (redacted) question and Claim.
    assert KNEE in json.dumps(town.card_call()["blocks"])
    assert "Claim" in town.buttons()
    card_ts = town.card_ts()

    # A physician claims with the card's button: the card is updated, the thread says so.
    calls = await town.click("Claim", who=DOCTOR)
    assert [c.params["ts"] for c in calls if c.method == "chat.update"] == [card_ts]
    thread = _texts(calls, channel=REVIEW, thread_ts=card_ts)
    assert any("Dr Okafor" in t for t in thread), thread
    assert "Answer" in town.buttons()

    # The physician answers by writing in the card's thread.
    calls = await town.says(
        "Rest, ice, and see a doctor if it swells.",
        who=DOCTOR,
        channel=REVIEW,
        thread_ts=card_ts,
        ts="1712349999.000001",
    )
    assert town.handed[-1].thread == f"{REVIEW}:{card_ts}"
    assert {"Approve", "Reject"} <= set(town.buttons())

    # A moderator approves: the answer reaches the patient in their thread, pinging only them.
    calls = await town.click("Approve", who=MODERATOR)
    delivered = [
        c.params
        for c in calls
        if c.method == "chat.postMessage"
        and c.params["channel"] == HELP
        and "Rest, ice" in json.dumps(c.params["blocks"])
    ]
    assert len(delivered) == 1
    answer = delivered[0]
    assert answer["thread_ts"] == QUESTION_TS
    wire = json.dumps(answer["blocks"])
    assert f"<@{PATIENT}>" in wire
    assert "<!" not in wire
    assert any(b["type"] == "context" for b in answer["blocks"])  # the disclaimer
    assert await town.core.outbox.pending_count() == 0


async def test_the_modal_path_answer_reject_and_answer_again_by_command(
    community: Community,
) -> None:
    town = community
    await _escalate(town)
    await town.click("Claim", who=DOCTOR)
    calls = await town.click("Answer", who=DOCTOR)
    [opened] = [c.params for c in calls if c.method == "views.open"]
    assert opened["view"]["callback_id"] == "careline:answer:1"
    await town.submit_modal(opened["view"], "Rest.", who=DOCTOR)
    assert town.handed[-1].action_id == "careline:answer:1"
    assert {"Approve", "Reject"} <= set(town.buttons())

    calls = await town.click("Reject", who=MODERATOR)
    [opened] = [c.params for c in calls if c.method == "views.open"]
    calls = await town.submit_modal(opened["view"], "Say when to see a doctor.", who=MODERATOR)
    thread = _texts(calls, channel=REVIEW, thread_ts=town.card_ts())
    assert any("Say when to see a doctor." in t for t in thread), _texts(calls)

    await town.command("answer 1 Rest; see a doctor if it swells.", who=DOCTOR)
    calls = await town.command("approve 1", who=MODERATOR)
    delivered = _texts(calls, channel=HELP, thread_ts=QUESTION_TS)
    assert any("Rest; see a doctor if it swells." in t for t in delivered)


async def test_a_patient_pressing_claim_is_denied_privately_and_nothing_changes(
    community: Community,
) -> None:
    town = community
    await _escalate(town)
    calls = await town.click("Claim", who=PATIENT)
    denials = [c.params for c in calls if c.method == "chat.postEphemeral"]
    assert denials, [(c.method, c.params) for c in calls]
    assert denials[0]["user"] == PATIENT
    assert "physician" in json.dumps(denials[0]["blocks"]).lower()
    assert [c for c in calls if c.method in {"chat.update", "chat.postMessage"}] == []


@pytest.mark.parametrize(
    ("who", "line"),
    [
        (PATIENT, "claim 1"),
        (PATIENT, "release 1"),
        (PATIENT, "answer 1 Drink water."),
        (PATIENT, "approve 1"),
        (PATIENT, "reject 1 no"),
        (PATIENT, "close 1 spam"),
        (PATIENT, "promote 1"),
        (PATIENT, "queue"),
        (PATIENT, "stats"),
        (DOCTOR, "approve 1"),
        (DOCTOR, "reject 1 no"),
    ],
)
async def test_privileged_commands_from_the_wrong_role_are_denied_only_to_the_sender(
    community: Community, who: str, line: str
) -> None:
    town = community
    await _escalate(town)
    calls = await town.command(line, who=who)
    private = [c.params for c in calls if c.method == "chat.postEphemeral"]
    assert private
    assert all(p["user"] == who for p in private)
    assert [c for c in calls if c.method in {"chat.update", "chat.postMessage"}] == []


async def test_a_slack_retry_of_the_question_escalates_once(community: Community) -> None:
    town = community
    await _escalate(town)
    data = payload("event_message_help_channel")
    data["event"] |= {"text": KNEE, "ts": QUESTION_TS}
    data["event_id"] = f"Ev-{QUESTION_TS}"
    start = len(town.fake.calls)
    assert await town.http.event(data, retry_num=1) == 200
    await town.http.settle()
    await town.core.outbox.drain()
    assert town.fake.calls[start:] == []
    town.card_call()  # still exactly one card


async def test_a_rate_limited_answer_is_retried_by_the_outbox_after_retry_after(
    community: Community,
) -> None:
    town = community
    town.fake.rate_limit_next("chat.postMessage", retry_after=7)
    data = payload("event_message_help_channel")
    data["event"]["text"] = "How do I get a prescription refill?"
    start = len(town.fake.calls)
    await town.http.event(data)
    await eventually(lambda: len(town.handed) == 1)
    await town.core.outbox.drain()
    assert len(town.fake.calls_to("chat.postMessage")) == 1  # refused with 429
    town.clock.advance(seconds=6)
    await town.core.outbox.drain()
    assert len(town.fake.calls_to("chat.postMessage")) == 1  # Retry-After is honoured
    town.clock.advance(seconds=2)
    await town.core.outbox.drain()
    answers = [
        p for p in town.fake.calls_to("chat.postMessage") if "pharmacy" in json.dumps(p["blocks"])
    ]
    assert len(answers) == 2  # the refused attempt and the delivered one
    assert answers[-1]["thread_ts"] == QUESTION_TS
    assert await town.core.outbox.pending_count() == 0
    assert len(town.fake.calls[start:]) >= 2


def core_home_cards(core: Core) -> HomeQuery:
    """What the composition root should pass as the adapter's `home_query` (reference version).

    Reviewers see the escalations they claimed and the ones still open, as the same cards the
    reviewer channel shows; everybody else sees the intro (None).
    """
    from bot.handlers import card_content
    from bot.messages import Role
    from bot.store.db import session_scope
    from bot.store.uow import Tx

    def cards(actor: Any) -> HomeCards | None:
        if not (actor.has(Role.PHYSICIAN) or actor.has(Role.MODERATOR)):
            return None
        with session_scope(core.engine) as session:
            tx = Tx(session, core.clock.now(), "home", core.secret)
            key = tx.key_of(actor)
            waiting = tx.open_escalations()

            def card(esc: Any) -> Content:
                return card_content(esc, tx.question(esc.question_id), core.catalog, core.safety)

            mine = [card(e) for e in waiting if e.claimed_by_key == key and e.state != "open"]
            others = [card(e) for e in waiting if e.state == "open"]
            return mine, others

    async def query(actor: Any) -> HomeCards | None:
        return await core.db(cards, actor)

    return query


async def test_app_home_shows_a_physician_the_escalation_they_claimed(
    community: Community,
) -> None:
    town = community
    town.http.adapter.home_query = core_home_cards(town.core)
    await _escalate(town)
    await town.click("Claim", who=DOCTOR)
    await town.says("a second question about my ears", ts="1712345999.000001")

    for who in (DOCTOR, PATIENT):
        opened = payload("event_app_home_opened")
        opened["event"]["user"] = who
        opened["event_id"] = f"Ev-home-{who}"
        await town.http.event(opened)
    await eventually(lambda: len(town.fake.calls_to("views.publish")) == 2)
    views = {p["user_id"]: json.dumps(p["view"]) for p in town.fake.calls_to("views.publish")}
    doctor = views[DOCTOR]
    assert doctor.index("Your claimed escalations") < doctor.index("careline:answer:1")
    assert doctor.index("Open escalations") < doctor.index("careline:claim:2")
    assert "careline:" not in views[PATIENT]


async def test_a_faq_answer_arrives_in_the_questions_thread_with_sources_and_disclaimer(
    community: Community,
) -> None:
    town = community
    calls = await town.says("How do I get a prescription refill?")
    [answer] = [c.params for c in calls if c.method == "chat.postMessage"]
    assert answer["channel"] == HELP
    assert answer["thread_ts"] == QUESTION_TS
    blocks = answer["blocks"]
    wire = json.dumps(blocks)
    assert "Ask your pharmacy" in wire
    assert "<https://www.nhs.uk/repeat-prescriptions|NHS: repeat prescriptions>" in wire
    assert any(b["type"] == "context" for b in blocks)  # review date and disclaimer
    [actions] = [b for b in blocks if b["type"] == "actions"]
    ids = [e["action_id"] for e in actions["elements"]]
    assert ids == ["careline:helpful:1", "careline:unhelpful:1", "careline:professional:1"]

    # "Helpful": the click reaches the core, which thanks the patient privately.
    start, handed = len(town.fake.calls), len(town.handed)
    await town.http.click(
        "careline:helpful:1", user=PATIENT, channel=HELP, message_ts="1700000000.000001"
    )
    calls = await town._settle(start, handed + 1)
    [thanks] = [c.params for c in calls if c.method == "chat.postEphemeral"]
    assert thanks["user"] == PATIENT
    assert [c for c in calls if c.method == "chat.postMessage"] == []


async def test_a_question_with_personal_information_is_answered_only_to_the_patient(
    community: Community,
) -> None:
    town = community
    calls = await town.says("How do I get a prescription refill? I am sam@example.org")
    public = [c.params for c in calls if c.method == "chat.postMessage"]
    assert [p for p in public if p["channel"] == HELP] == []
    [private] = [c.params for c in calls if c.method == "chat.postEphemeral"]
    assert private["user"] == PATIENT
    assert private["channel"] == HELP
    assert "sam@example.org" not in json.dumps(town.fake.calls_to("chat.postMessage"))


async def test_a_slash_ask_is_answered_privately_where_it_was_typed(
    community: Community,
) -> None:
    town = community
    calls = await town.command("ask How do I get a prescription refill?", who=PATIENT, channel=HELP)
    [answer] = [c.params for c in calls if c.method == "chat.postEphemeral"]
    assert answer["user"] == PATIENT
    assert "pharmacy" in json.dumps(answer["blocks"])
    assert town.fake.calls_to("chat.postMessage") == []


async def test_a_question_in_a_direct_message_is_answered_there(community: Community) -> None:
    town = community
    data = payload("event_message_im")
    data["event"]["text"] = "How do I get a prescription refill?"
    start, handed = len(town.fake.calls), len(town.handed)
    await town.http.event(data)
    calls = await town._settle(start, handed + 1)
    [answer] = [c.params for c in calls if c.method == "chat.postMessage"]
    assert answer["channel"] == "D0PATIENT"
    assert "thread_ts" not in answer
    assert [c for c in calls if c.method == "chat.postEphemeral"] == []


async def test_a_crisis_message_gets_urgent_resources_at_once(community: Community) -> None:
    town = community
    calls = await town.says("I want to end my life")
    replies = [
        c.params for c in calls if c.method == "chat.postMessage" and c.params["channel"] == HELP
    ]
    assert replies
    assert "CRISIS RESOURCES" in json.dumps(replies[0]["blocks"])
    assert ":rotating_light:" in json.dumps(replies[0]["blocks"])


async def test_every_card_button_pressed_by_a_patient_is_refused_privately_in_every_state(
    community: Community,
) -> None:
    town = community

    async def patient_presses_everything() -> None:
        for label, button in town.buttons().items():
            before = town.card_blocks()
            calls = await town.click(label, who=PATIENT)
            if button.get("value", "").startswith("prompt:"):
                [opened] = [c.params for c in calls if c.method == "views.open"]
                calls = await town.submit_modal(opened["view"], "sneaky text", who=PATIENT)
            denials = [c.params for c in calls if c.method == "chat.postEphemeral"]
            assert denials, (label, [(c.method, c.params) for c in calls])
            assert all(d["user"] == PATIENT for d in denials)
            assert [c for c in calls if c.method in {"chat.update", "chat.postMessage"}] == []
            assert town.card_blocks() == before

    await _escalate(town)
    await patient_presses_everything()  # open: Claim, Close
    await town.click("Claim", who=DOCTOR)
    await patient_presses_everything()  # claimed: Answer, Release, Close
    await town.command("answer 1 Rest and ice.", who=DOCTOR)
    await patient_presses_everything()  # awaiting approval: Approve, Reject, Close
    await town.click("Approve", who=MODERATOR)
    await patient_presses_everything()  # delivered: Promote to FAQ
    assert "Promote to FAQ" in town.buttons()


async def test_a_button_pressed_in_app_home_acts_and_answers_in_the_users_dm(
    community: Community,
) -> None:
    town = community
    await _escalate(town)
    click = payload("block_actions_home")  # the doctor presses "Claim" on their Home tab
    click["actions"][0]["action_id"] = "careline:claim:1"
    start, handed = len(town.fake.calls), len(town.handed)
    status, _ = await town.http.interactive(click)
    assert status == 200
    calls = await town._settle(start, handed + 1)
    assert town.handed[-1].channel == DOCTOR
    assert town.handed[-1].private is True
    assert [c.params["ts"] for c in calls if c.method == "chat.update"] == [town.card_ts()]
    assert "Answer" in town.buttons()
    # The core's private confirmation reaches the doctor's DM with the app, not a channel.
    dms = [
        c.params
        for c in calls
        if c.method == "chat.postMessage" and c.params["channel"] == "D0DOCTOR"
    ]
    assert len(dms) == 1
    assert [c for c in calls if c.method == "chat.postEphemeral"] == []
    assert all(c.status == 200 and c.response.get("ok") for c in calls)
