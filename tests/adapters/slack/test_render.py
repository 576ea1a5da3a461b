"""Block Kit rendering: escaping, mrkdwn, buttons, modals and Slack's size limits."""

from __future__ import annotations

import json

import pytest

from adapters.slack import render as r
from bot.i18n import load_catalog
from bot.messages import Button, ButtonStyle, Content, Field, Link

CATALOG = load_catalog("en")


def texts(blocks: list[dict]) -> str:
    """Every string in the blocks, joined (what a reader could see)."""
    return json.dumps(blocks, ensure_ascii=False)


def answer(**changes: object) -> Content:
    values: dict = {
        "title": "Refills",
        "text": "Ask your **pharmacy** first.\n- call ahead\n- bring your card",
        "links": (Link("NHS: repeat prescriptions", "https://www.nhs.uk/repeat?x=1&y=2"),),
        "footer": "Reviewed 2026-01-10. General information, not medical advice.",
        "buttons": (
            Button("careline:helpful:7", "Helpful", ButtonStyle.PRIMARY),
            Button("careline:unhelpful:7", "Not helpful"),
            Button("careline:professional:7", "Ask a professional", ButtonStyle.DANGER),
        ),
    }
    return Content(**(values | changes))


def test_an_answer_renders_header_text_sources_disclaimer_and_buttons_in_order() -> None:
    [message] = r.render(answer(), CATALOG)
    kinds = [b["type"] for b in message.blocks]
    assert kinds == ["header", "section", "section", "context", "actions"]
    assert message.blocks[0]["text"]["text"] == "Refills"
    body = message.blocks[1]["text"]
    assert body["type"] == "mrkdwn"
    assert body["text"] == "Ask your *pharmacy* first.\n• call ahead\n• bring your card"
    sources = message.blocks[2]["text"]["text"]
    assert "<https://www.nhs.uk/repeat?x=1&amp;y=2|NHS: repeat prescriptions>" in sources
    assert "not medical advice" in message.blocks[3]["elements"][0]["text"]
    buttons = message.blocks[4]["elements"]
    assert [b["action_id"] for b in buttons] == [
        "careline:helpful:7",
        "careline:unhelpful:7",
        "careline:professional:7",
    ]
    assert buttons[0]["style"] == "primary"
    assert "style" not in buttons[1]
    assert buttons[2]["style"] == "danger"
    assert message.text == "Refills"


@pytest.mark.parametrize(
    "hostile",
    [
        "<!channel> read this",
        "<!here> now",
        "<!everyone>",
        "<!subteam^S0DOCTORS|@doctors> help",
        "<@U0OTHER> look",
        "<https://evil.example|click me>",
    ],
)
def test_slack_control_sequences_in_echoed_text_are_escaped_everywhere(hostile: str) -> None:
    content = Content(
        title=hostile,
        text=hostile,
        fields=(Field(hostile, hostile),),
        footer=hostile,
        links=(Link(hostile, "https://ok.example"),),
    )
    for message in r.render(content, CATALOG):
        assert "<!" not in message.text
        assert "<@" not in message.text
        for block in message.blocks:
            if block["type"] == "header":
                continue  # plain_text: Slack never expands mentions there
            dumped = texts([block])
            assert "<!" not in dumped
            assert "<@" not in dumped
            assert "<https://evil" not in dumped


def test_only_the_one_allowed_mention_is_rendered_as_a_ping() -> None:
    [message] = r.render(Content(text="hi <@U0OTHER>"), CATALOG, mention="U0PATIENT")
    body = message.blocks[0]["text"]["text"]
    assert body.startswith("<@U0PATIENT> ")
    assert "&lt;@U0OTHER&gt;" in body


def test_a_malformed_mention_id_is_not_injected() -> None:
    [message] = r.render(Content(text="hi"), CATALOG, mention="U1> <!channel")
    assert "<!channel" not in texts(message.blocks)


def test_markdown_links_become_slack_links_and_unsafe_urls_stay_text() -> None:
    assert r.to_mrkdwn("see [CDC](https://www.cdc.gov/flu)") == "see <https://www.cdc.gov/flu|CDC>"
    assert r.to_mrkdwn("[x](javascript:alert(1))") == "[x](javascript:alert(1))"
    assert r.to_mrkdwn("a *soft* word and __strong__ one") == "a _soft_ word and *strong* one"
    assert r.to_mrkdwn("# Heading") == "*Heading*"


def test_a_long_answer_is_split_into_sections_within_3000_characters() -> None:
    paragraph = "Fever in children is common and usually not dangerous. " * 20
    content = answer(text="\n\n".join([paragraph] * 12))
    messages = r.render(content, CATALOG)
    sections = [b for m in messages for b in m.blocks if b["type"] == "section" and "text" in b]
    assert len(sections) > 3
    assert all(len(b["text"]["text"]) <= r.SECTION_TEXT_MAX for b in sections)
    rebuilt = " ".join(b["text"]["text"] for b in sections)
    assert rebuilt.count("Fever in children") == 240
    # The buttons and the disclaimer come once, at the very end.
    assert messages[-1].blocks[-1]["type"] == "actions"
    assert sum(b["type"] == "actions" for m in messages for b in m.blocks) == 1


def test_a_huge_answer_is_split_into_messages_of_at_most_50_blocks_and_40000_characters() -> None:
    content = answer(text=" ".join(f"word{i}" for i in range(60_000)))
    messages = r.render(content, CATALOG)
    assert len(messages) > 1
    for message in messages:
        assert len(message.blocks) <= r.BLOCKS_PER_MESSAGE
        assert sum(len(b.get("text", {}).get("text", "")) for b in message.blocks) <= 40_000
        assert len(message.text) <= r.MESSAGE_TEXT_MAX
    words = " ".join(
        b["text"]["text"]
        for m in messages
        for b in m.blocks
        if b["type"] == "section" and "text" in b
    )
    assert "word0 " in words
    assert "word59999" in words
    assert messages[0].blocks[0]["type"] == "header"
    assert messages[1].text == CATALOG("slack.continued")


def test_splitting_never_cuts_inside_a_slack_link() -> None:
    link = "<https://example.org/a-very-long-path|a title with spaces>"
    text = ("x " * 10 + link + " ") * 40
    for piece in r.split_text(text, 200):
        assert piece.count("<") == piece.count(">")
        assert len(piece) <= 200


def test_a_card_always_fits_one_message_keeping_fields_footer_and_buttons() -> None:
    card = answer(
        text="long " * 40_000,
        fields=(Field("Urgency", "high"), Field("Age", "3 h")),
        urgent=True,
    )
    message = r.render_one(card, CATALOG)
    kinds = [b["type"] for b in message.blocks]
    assert len(message.blocks) <= r.BLOCKS_PER_MESSAGE
    assert kinds[0] == "header"
    assert kinds[-1] == "actions"
    assert "context" in kinds
    assert message.blocks[0]["text"]["text"].startswith(CATALOG("slack.urgent_marker"))
    assert CATALOG("slack.truncated") in texts(message.blocks)
    assert len(texts(message.blocks)) < 45_000


def test_fields_are_grouped_ten_per_section_and_capped_in_length() -> None:
    fields = tuple(Field(f"L{i}", "v" * 3000) for i in range(12))
    [message] = r.render(Content(text="card", fields=fields), CATALOG)
    groups = [b["fields"] for b in message.blocks if "fields" in b]
    assert [len(g) for g in groups] == [10, 2]
    assert all(len(f["text"]) <= r.FIELD_TEXT_MAX for g in groups for f in g)


def test_a_button_with_a_text_prompt_carries_it_for_the_modal() -> None:
    element = r.button_element(
        Button("careline:answer:42", "Answer", ButtonStyle.PRIMARY, text_prompt="Your answer")
    )
    assert element["value"] == "prompt:Your answer"
    assert element["action_id"] == "careline:answer:42"
    long_label = r.button_element(Button("careline:x:1", "L" * 200))
    assert len(long_label["text"]["text"]) <= r.BUTTON_LABEL_MAX


def test_the_prompt_modal_round_trips_the_action_id_and_metadata() -> None:
    view = r.prompt_modal("careline:reject:42", "Reason for the physician", '{"c":"C1"}', CATALOG)
    assert view["type"] == "modal"
    assert view["callback_id"] == "careline:reject:42"
    assert view["private_metadata"] == '{"c":"C1"}'
    assert len(view["title"]["text"]) <= r.MODAL_TITLE_MAX
    [block] = view["blocks"]
    assert block["block_id"] == r.ANSWER_BLOCK
    assert block["element"]["action_id"] == r.ANSWER_INPUT
    assert block["label"]["text"] == "Reason for the physician"


def test_an_urgent_message_without_title_is_marked_in_its_text() -> None:
    [message] = r.render(Content(text="Call 911 now", urgent=True), CATALOG)
    assert message.blocks[0]["text"]["text"].startswith(CATALOG("slack.urgent_marker"))


def test_the_home_view_lists_cards_under_their_titles() -> None:
    card = Content(title="#42", text="question", buttons=(Button("careline:claim:42", "Claim"),))
    view = r.home_view([("Yours", [card]), ("Open", [])], CATALOG)
    assert view["type"] == "home"
    dumped = texts(view["blocks"])
    assert "careline:claim:42" in dumped
    assert CATALOG("slack.home.none") in dumped
    assert len(view["blocks"]) <= 100
