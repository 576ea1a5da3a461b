"""Slack payloads → Inbound drafts, from recorded payload samples (pure, no server)."""

from __future__ import annotations

import pytest

from adapters.slack import inbound as i
from adapters.slack.render import ANSWER_BLOCK, ANSWER_INPUT
from tests.adapters.slack.conftest import HELP, REVIEW, payload
from tests.adapters.slack.fake_slack import BOT_USER_ID

ROUTING = i.Routing(
    bot_user_id=BOT_USER_ID, help_channels=frozenset({HELP}), reviewer_channel=REVIEW
)


def test_a_message_in_a_help_channel_becomes_a_question_with_slack_escaping_undone() -> None:
    draft = i.from_message(payload("event_message_help_channel"), ROUTING)
    assert draft is not None
    assert draft.text == "How do I get a refill of my blood pressure pills? <3 thanks"
    assert draft.event_id == "Ev0HELP0001"
    assert draft.channel == HELP
    assert draft.message_id == "C0HELP:1712345678.000100"
    assert draft.thread is None
    assert draft.private is False


def test_a_direct_message_is_private() -> None:
    draft = i.from_message(payload("event_message_im"), ROUTING)
    assert draft is not None
    assert draft.private is True
    assert draft.channel == "D0PATIENT"


def test_a_reply_in_a_reviewer_card_thread_names_the_card_ref_as_its_thread() -> None:
    draft = i.from_message(payload("event_message_reviewer_thread"), ROUTING)
    assert draft is not None
    assert draft.thread == "C0REVIEW:1700000000.000001"
    assert draft.user_id == "U0DOCTOR"


def test_top_level_chatter_in_the_reviewer_channel_and_other_channels_is_ignored() -> None:
    data = payload("event_message_reviewer_thread")
    del data["event"]["thread_ts"]
    assert i.from_message(data, ROUTING) is None
    data = payload("event_message_help_channel")
    data["event"]["channel"] = "C0RANDOM"
    assert i.from_message(data, ROUTING) is None


@pytest.mark.parametrize("name", ["event_message_bot", "event_message_changed"])
def test_bot_posts_and_edits_are_not_questions(name: str) -> None:
    assert i.from_message(payload(name), ROUTING) is None


def test_the_bots_own_user_messages_are_ignored() -> None:
    data = payload("event_message_help_channel")
    data["event"]["user"] = BOT_USER_ID
    assert i.from_message(data, ROUTING) is None


def test_a_mention_drops_the_bot_mention_and_keeps_others_readable() -> None:
    draft = i.from_mention(payload("event_app_mention"), ROUTING)
    assert draft is not None
    assert draft.text == "is it a cold or the flu? @channel look @U0OTHER"
    assert draft.channel == "C0GENERAL"


def test_a_mention_in_a_help_channel_is_left_to_the_message_event() -> None:
    data = payload("event_app_mention")
    data["event"]["channel"] = HELP
    assert i.from_mention(data, ROUTING) is None


def test_an_empty_mention_is_not_a_question() -> None:
    data = payload("event_app_mention")
    data["event"]["text"] = "<@UCARELINE>"
    assert i.from_mention(data, ROUTING) is None


@pytest.mark.parametrize(
    ("typed", "line"),
    [
        ("ask can I take ibuprofen", "/ask can I take ibuprofen"),
        ("faq refill", "/faq refill"),
        ("claim 42", "/claim 42"),
        ("  /answer 42 Take it with food.  ", "/answer 42 Take it with food."),
        ("", "/help"),
        ("forget-me", "/forget-me"),
    ],
)
def test_slash_command_text_becomes_the_core_command_line(typed: str, line: str) -> None:
    data = payload("command_careline") | {"text": typed}
    draft = i.from_command(data)
    assert draft is not None
    assert draft.text == line
    assert draft.private is True
    assert draft.event_id == "command:1234567890.123456.abcdef0123456789"
    assert draft.name_hint == "dr.okafor"


def test_a_card_button_click_carries_the_action_id_and_the_card_as_message() -> None:
    draft = i.from_action(payload("block_actions_card"))
    assert draft is not None
    assert draft.action_id == "careline:claim:42"
    assert draft.message_id == "C0REVIEW:1700000000.000001"
    assert draft.channel == REVIEW
    assert draft.private is False
    assert draft.event_id.startswith("action:")


def test_a_click_on_an_ephemeral_message_is_private() -> None:
    draft = i.from_action(payload("block_actions_ephemeral"))
    assert draft is not None
    assert draft.private is True
    assert draft.action_id == "careline:helpful:7"


def test_a_click_in_app_home_answers_in_the_users_dm() -> None:
    draft = i.from_action(payload("block_actions_home"))
    assert draft is not None
    assert draft.channel == "U0DOCTOR"
    assert draft.private is True
    assert draft.message_id is None


def test_a_modal_submission_becomes_the_buttons_action_with_the_typed_text() -> None:
    draft = i.from_view_submission(
        payload("view_submission"), block_id=ANSWER_BLOCK, input_id=ANSWER_INPUT
    )
    assert draft is not None
    assert draft.action_id == "careline:answer:42"
    assert draft.text == "Take it with food and keep an eye on your sugars."
    assert draft.channel == REVIEW
    assert draft.message_id == "C0REVIEW:1700000000.000001"
    assert draft.event_id == "view:V0MODAL01"


def test_a_modal_with_broken_metadata_still_answers_the_user_privately() -> None:
    data = payload("view_submission")
    data["view"]["private_metadata"] = "not json"
    draft = i.from_view_submission(data, block_id=ANSWER_BLOCK, input_id=ANSWER_INPUT)
    assert draft is not None
    assert draft.channel == "U0DOCTOR"
    assert draft.private is True


def test_refs_round_trip() -> None:
    ref = i.make_ref("C1", "1700000000.000001")
    assert i.parse_ref(ref) == ("C1", "1700000000.000001")
    assert i.parse_ref("1700000000.000001") == (None, "1700000000.000001")


def test_plain_text_conversion_handles_links_channels_and_subteams() -> None:
    text = (
        "see <https://x.org|the page> in <#C1|general> cc <!subteam^S1|@docs> <mailto:a@b.c|a@b.c>"
    )
    assert i.to_plain(text) == "see the page (https://x.org) in #general cc @docs a@b.c"


def test_app_home_opened_names_the_user_only_for_the_home_tab() -> None:
    data = payload("event_app_home_opened")
    assert i.home_user(data) == "U0DOCTOR"
    data["event"]["tab"] = "messages"
    assert i.home_user(data) is None
