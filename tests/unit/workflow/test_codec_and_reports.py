"""Outbound actions survive the outbox's JSON; the FAQ-gap report counts content words."""

from __future__ import annotations

import pytest

from bot.learning import slug_for
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
    Link,
    Outbound,
    Reply,
    Reviewers,
)
from bot.reports import gap_topics
from bot.store.codec import decode, encode

RICH = Content(
    text="Rest *and* ice — “quotes” 🚨",
    title="#4",
    fields=(Field("State", "open"),),
    links=(Link("NHS", "https://www.nhs.uk"),),
    footer="General information",
    buttons=(Button("careline:answer:4", "Answer", ButtonStyle.PRIMARY, "Your answer"),),
    urgent=True,
)


@pytest.mark.parametrize(
    "message",
    [
        Reply(Channel("c1", thread="t1", reply_to="m1"), RICH, private_to="u1", mention="u1"),
        Reply(Reviewers(), Content(text="x")),
        Reply(CardThread("escalation:4"), RICH),
        Card("escalation:4", Reviewers(), RICH),
        CardUpdate("escalation:4", RICH),
        DirectMessage("u1", RICH),
    ],
)
def test_every_outbound_kind_round_trips_through_the_outbox_encoding(message: Outbound) -> None:
    assert decode(encode(message)) == message


def test_gap_topics_count_each_question_once_and_skip_stop_words_and_placeholders() -> None:
    texts = [
        "my knee hurts when I run, knee knee",
        "why does my knee click? email [EMAIL]",
        "sore throat after running",
    ]
    assert gap_topics(texts, limit=3) == [("knee", 2), ("click", 1), ("email", 1)]
    assert "email" in dict(gap_topics(texts))
    assert "EMAIL" not in " ".join(w for w, _ in gap_topics(texts, limit=50))


def test_promoted_entry_ids_are_readable_slugs() -> None:
    assert slug_for("How long does the flu last? 2 weeks?", 42) == (
        "promoted-42-how-long-does-the-flu-last-weeks"
    )
    assert slug_for("???", 7) == "promoted-7"
