"""Rendering Outbound content into Discord messages: embeds, limits, splitting, buttons."""

from __future__ import annotations

import re

import pytest

from adapters.discord.render import (
    EMBED_DESCRIPTION,
    EMBED_TOTAL,
    MESSAGE_CHARS,
    allowed_mentions,
    render,
    split_text,
)
from adapters.discord.views import (
    ActionButton,
    build_view,
    custom_id,
    parse_custom_id,
)
from bot.i18n import load_catalog
from bot.messages import Button, ButtonStyle, Content, Field, Link, action_id

CATALOG = load_catalog("en")


def embed_size(embed: dict) -> int:
    return (
        len(embed.get("title", ""))
        + len(embed.get("description", ""))
        + sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
        + len(embed.get("footer", {}).get("text", ""))
    )


def test_a_bare_line_is_plain_text_without_an_embed():
    pieces = render(Content(text="Claimed #42."), CATALOG)
    assert [(p.text, p.embeds) for p in pieces] == [("Claimed #42.", ())]


def test_an_answer_is_one_embed_with_title_sources_review_date_and_disclaimer_footer():
    content = Content(
        title="Ibuprofen and blood pressure",
        text="NSAIDs can raise blood pressure.",
        fields=(Field("Reviewed", "2026-03-01 by Dr Okafor"),),
        links=(Link("NHS: Ibuprofen", "https://www.nhs.uk/medicines/ibuprofen/"),),
        footer="General information, not medical advice.",
    )
    [piece] = render(content, CATALOG)
    embed = piece.embeds[0].to_dict()
    assert embed["title"] == "Ibuprofen and blood pressure"
    assert embed["description"] == "NSAIDs can raise blood pressure."
    assert embed["fields"] == [
        {"name": "Reviewed", "value": "2026-03-01 by Dr Okafor", "inline": False},
        {
            "name": "Sources",
            "value": "• [NHS: Ibuprofen](https://www.nhs.uk/medicines/ibuprofen/)",
            "inline": False,
        },
    ]
    assert embed["footer"] == {"text": "General information, not medical advice."}


def test_a_source_that_is_not_a_web_link_is_shown_as_text_only():
    content = Content(text="x", links=(Link("Leaflet", "javascript:alert(1)"),))
    [piece] = render(content, CATALOG)
    assert piece.embeds[0].fields[0].value == "• Leaflet"


def test_urgent_content_is_red_and_marked():
    [piece] = render(Content(text="Chest pain", title="Escalation #7", urgent=True), CATALOG)
    embed = piece.embeds[0]
    assert embed.title == "🚨 Escalation #7"
    assert embed.colour is not None
    assert embed.colour.value == 0xE74C3C


@pytest.mark.parametrize("size", [1999, 2000, 2001, 4500, 12000])
def test_long_plain_text_is_split_into_messages_within_2000_characters(size):
    words = " ".join(f"w{i:04d}" for i in range(size))[:size]
    pieces = render(Content(text=words), CATALOG)
    assert all(len(p.text or "") <= MESSAGE_CHARS for p in pieces)
    assert " ".join(p.text or "" for p in pieces).split() == words.split()
    assert (len(pieces) == 1) == (len(words) <= MESSAGE_CHARS)
    assert len(pieces) <= len(words) // (MESSAGE_CHARS - 10) + 1


def test_long_embed_text_continues_in_further_embeds_and_the_footer_closes_the_last():
    text = "\n\n".join(f"Paragraph {i}. " + "x" * 900 for i in range(12))
    content = Content(text=text, title="Long", footer="Disclaimer", buttons=(Button("b:1", "B"),))
    pieces = render(content, CATALOG)
    assert len(pieces) > 1
    dicts = [p.embeds[0].to_dict() for p in pieces]
    assert all(len(d.get("description", "")) <= EMBED_DESCRIPTION for d in dicts)
    assert all(embed_size(d) <= EMBED_TOTAL for d in dicts)
    assert dicts[0]["title"] == "Long"
    assert "title" not in dicts[1]
    assert [("footer" in d) for d in dicts] == [False] * (len(dicts) - 1) + [True]
    assert [bool(p.buttons) for p in pieces] == [False] * (len(pieces) - 1) + [True]
    joined = "".join(d["description"] for d in dicts)
    assert joined.replace("\n", "") == text.replace("\n", "")


def test_a_card_is_never_split_but_trimmed_with_a_notice():
    pieces = render(Content(text="y" * 9000, title="Card"), CATALOG, single=True)
    assert len(pieces) == 1
    description = pieces[0].embeds[0].description or ""
    assert len(description) <= EMBED_DESCRIPTION
    assert description.endswith(CATALOG("discord.truncated"))


def test_too_many_fields_are_cut_to_discords_25():
    fields = tuple(Field(f"f{i}", "v") for i in range(40))
    [piece] = render(Content(text="t", fields=fields), CATALOG)
    assert len(piece.embeds[0].fields) == 25


def test_mass_and_user_mentions_in_text_are_neutralised():
    content = Content(
        text="@everyone look, @here and <@1100000000000001002> and <@&123456789012345678>"
    )
    [piece] = render(content, CATALOG)
    text = piece.text or ""
    assert "@everyone" not in text
    assert "@here" not in text
    assert "<@1100000000000001002>" not in text
    assert not re.search(r"<@&\d+>", text)


def test_the_one_allowed_mention_leads_the_message_and_nothing_else_may_ping():
    [piece] = render(Content(text="Your answer is ready."), CATALOG, mention="1100000000000001001")
    assert piece.text == "<@1100000000000001001> Your answer is ready."
    # Discord pings a replied-to author only when "replied_user" is true; discord.py omits false.
    assert allowed_mentions("1100000000000001001").to_dict() == {
        "parse": [],
        "users": [1100000000000001001],
    }
    assert allowed_mentions(None).to_dict() == {"parse": []}


def test_split_text_prefers_paragraphs_then_lines_then_words():
    text = "a" * 50 + "\n\n" + "b" * 50
    assert split_text(text, 60) == ["a" * 50, "b" * 50]
    assert split_text("one two three four", 9) == ["one two", "three", "four"]
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


async def test_buttons_become_rows_of_five_with_their_action_ids_as_custom_ids():
    buttons = tuple(Button(action_id("pick", 9, f"e{i}"), f"Entry {i}") for i in range(7))
    view = build_view(buttons)
    assert view is not None
    rows = view.to_components()
    assert [len(r["components"]) for r in rows] == [5, 2]
    assert [c["custom_id"] for r in rows for c in r["components"]] == [
        f"careline:pick:9:e{i}" for i in range(7)
    ]
    assert view.is_finished()  # discord.py keeps no per-message copy in memory


async def test_a_button_that_needs_text_carries_its_prompt_in_the_custom_id():
    button = Button(action_id("reject", 42), "Reject", ButtonStyle.DANGER, text_prompt="Why?")
    view = build_view((button,))
    assert view is not None
    [component] = view.to_components()[0]["components"]
    assert component["custom_id"] == "careline:reject:42?Why?"
    assert component["style"] == 4
    assert parse_custom_id(component["custom_id"]) == ("careline:reject:42", "Why?")
    assert parse_custom_id("careline:claim:42") == ("careline:claim:42", None)
    assert parse_custom_id("someone-elses-button") is None


def test_custom_ids_fit_discords_100_characters_even_with_a_long_prompt():
    value = custom_id("careline:reject:42", "Tell the physician what to change " * 10)
    assert len(value) == 100
    assert parse_custom_id(value) is not None
    assert ActionButton.__discord_ui_compiled_template__.fullmatch(value)


async def test_a_button_discord_cannot_carry_is_left_out_and_the_rest_kept():
    buttons = (Button("careline:odd?id", "Odd"), Button(action_id("claim", 1), "Claim"))
    view = build_view(buttons)
    assert view is not None
    [row] = view.to_components()
    assert [c["custom_id"] for c in row["components"]] == ["careline:claim:1"]
    assert build_view((Button("x" * 101, "Too long"),)) is None
