"""The dispatcher's guards: length, rate limits, broad catching, mentions, duplicates, threads."""

from __future__ import annotations

from pathlib import Path

from bot.app import build_core
from bot.messages import Actor, Card, CardThread, Inbound, Reply, Role, action_id
from bot.store.db import make_engine
from tests.fakes import (
    ENTRIES,
    FakeClock,
    FakeMatcher,
    FakeRateLimiter,
    RecordingAdapter,
    fake_safety,
    make_core,
    make_settings,
)

ANN = Actor("test", "ann", "Ann")
LEE = Actor("test", "lee", "Dr Lee", frozenset({Role.PATIENT, Role.PHYSICIAN}))
KIM = Actor("test", "kim", "Dr Kim", frozenset({Role.PATIENT, Role.PHYSICIAN}))
_n = 0


def event(actor: Actor, text: str = "", **extra: object) -> Inbound:
    global _n  # noqa: PLW0603
    _n += 1
    return Inbound("test", f"e{_n}", actor, "help", text=text, message_id=f"m{_n}", **extra)  # type: ignore[arg-type]


def texts(adapter: RecordingAdapter) -> list[str]:
    return [m.content.text for m in adapter.messages]  # type: ignore[union-attr]


async def test_a_too_long_question_gets_a_clear_message_and_is_not_stored(tmp_path: Path) -> None:
    core = make_core(make_settings(tmp_path, safety={"max_input_chars": 100}))
    adapter = RecordingAdapter()
    core.attach(adapter)
    await core.submit(event(ANN, "why " * 100))
    await core.outbox.drain()
    assert texts(adapter) == [
        "Your message is too long (399 characters; the limit is 100). Please shorten it."
    ]
    assert adapter.messages[0].private_to == "ann"  # type: ignore[union-attr]
    core.close()


async def test_rate_limited_questions_get_a_polite_message_but_a_crisis_never_waits(
    tmp_path: Path,
) -> None:
    core = make_core(make_settings(tmp_path), safety=fake_safety(FakeRateLimiter(limit=1)))
    adapter = RecordingAdapter()
    core.attach(adapter)
    await core.submit(event(ANN, "what are the clinic opening hours"))
    await core.submit(event(ANN, "how do I get a prescription refill"))
    await core.submit(event(ANN, "I want to end my life"))
    await core.outbox.drain()
    said = texts(adapter)
    # The crisis reply went straight out, ahead of the queued replies.
    assert said[0] == "CRISIS RESOURCES (suicide_self_harm)"
    assert said[1].startswith("Monday to Friday, 8am to 6pm.")
    assert said[2].startswith("You are sending messages quickly. Please wait about 60 seconds")
    core.close()


async def test_an_unexpected_error_apologises_and_the_next_event_still_works(
    tmp_path: Path,
) -> None:
    class BrokenMatcher(FakeMatcher):
        def match(self, text: str, *, limit: int = 5):  # type: ignore[no-untyped-def]
            if "explode" in text:
                raise RuntimeError("matcher bug")
            return super().match(text, limit=limit)

    settings = make_settings(tmp_path)
    engine = make_engine(settings.database_url)
    core = build_core(
        settings, clock=FakeClock(), engine=engine, matcher=BrokenMatcher(ENTRIES),
        safety=fake_safety(),
    )  # fmt: skip
    adapter = RecordingAdapter()
    core.attach(adapter)
    await core.submit(event(ANN, "explode please"))
    await core.submit(event(ANN, "what are the clinic opening hours"))
    await core.outbox.drain()
    said = texts(adapter)
    assert said[0] == (
        "Sorry, something went wrong on our side. Your message is saved and we will get back to it."
    )
    assert said[1].startswith("Monday to Friday, 8am to 6pm.")
    core.close()
    engine.dispose()


async def test_mass_mentions_in_a_question_are_neutralised_on_the_reviewer_card(
    tmp_path: Path,
) -> None:
    core = make_core(make_settings(tmp_path))
    adapter = RecordingAdapter()
    core.attach(adapter)
    await core.submit(event(ANN, "@everyone my knee hurts"))
    await core.outbox.drain()
    card = next(m for m in adapter.messages if isinstance(m, Card))
    assert "@everyone" not in card.content.text
    assert "my knee hurts" in card.content.text
    core.close()


async def test_buttons_and_thread_messages_drive_the_same_workflow(tmp_path: Path) -> None:
    core = make_core(make_settings(tmp_path))
    adapter = RecordingAdapter()
    core.attach(adapter)
    await core.submit(event(ANN, "my knee hurts after running"))
    await core.submit(event(LEE, action_id=action_id("claim", 1)))
    await core.outbox.drain()
    # A physician who does not hold the claim chats in the thread: nothing happens.
    await core.submit(event(KIM, "I'd add ice", thread="card-escalation:1"))
    # The claimer's plain message in the card's thread is the answer.
    await core.submit(event(LEE, "Rest and ice.", thread="card-escalation:1"))
    await core.outbox.drain()
    thread = [
        m for m in adapter.messages if isinstance(m, Reply) and isinstance(m.target, CardThread)
    ]
    assert [m.content.text for m in thread] == [
        "Dr Lee claimed this question.",
        "Dr Lee answered; waiting for a moderator's approval.",
    ]
    assert not any("I'd add ice" in t for t in texts(adapter))
    core.close()


async def test_a_modal_answer_arrives_as_text_with_the_button_s_action_id(tmp_path: Path) -> None:
    core = make_core(make_settings(tmp_path, workflow={"trusted_physicians": ["lee"]}))
    adapter = RecordingAdapter()
    core.attach(adapter)
    await core.submit(event(ANN, "my knee hurts after running"))
    await core.submit(event(LEE, "/claim 1"))
    await core.submit(event(LEE, "Rest and ice.", action_id=action_id("answer", 1)))
    await core.outbox.drain()
    to_ann = [m for m in adapter.messages if isinstance(m, Reply) and m.mention == "ann"]
    assert "Rest and ice." in to_ann[-1].content.text
    assert to_ann[-1].target.reply_to == "m" + str(_n - 2)  # type: ignore[union-attr]
    core.close()


async def test_home_cards_show_a_physician_what_they_hold_and_what_is_open(
    tmp_path: Path,
) -> None:
    core = make_core(make_settings(tmp_path))
    core.attach(RecordingAdapter())
    await core.submit(event(ANN, "my knee hurts after running"))
    await core.submit(event(ANN, "my elbow hurts after tennis"))
    await core.submit(event(LEE, "/claim 1"))
    held, open_ = await core.home_cards(LEE) or ([], [])
    assert [c.title for c in held] == ["#1: question from the community"]
    assert [c.title for c in open_] == ["#2: question from the community"]
    assert await core.home_cards(ANN) is None
    held, _ = await core.home_cards(KIM) or ([], [])
    assert held == []
    core.close()


async def test_a_crisis_written_as_an_faq_search_still_gets_the_crisis_reply(
    tmp_path: Path,
) -> None:
    core = make_core(make_settings(tmp_path))
    adapter = RecordingAdapter()
    core.attach(adapter)
    await core.submit(event(ANN, "/faq I want to end my life"))
    await core.outbox.drain()
    assert texts(adapter)[0] == "CRISIS RESOURCES (suicide_self_harm)"
    core.close()


async def test_with_the_real_safety_layer_crisis_and_personal_details_are_handled(
    tmp_path: Path,
) -> None:
    from bot.app import build_safety
    from bot.i18n import load_catalog

    settings = make_settings(tmp_path)
    clock = FakeClock()
    core = make_core(settings, clock=clock, safety=build_safety(settings, clock, load_catalog()))
    adapter = RecordingAdapter()
    core.attach(adapter)
    await core.submit(event(ANN, "I took all my pills and want to end my life"))
    await core.submit(event(ANN, "my knee hurts, email me at ann.smith@example.com"))
    await core.outbox.drain()
    crisis_reply, *rest = adapter.messages
    assert crisis_reply.content.urgent  # type: ignore[union-attr]
    cards = [m for m in rest if isinstance(m, Card)]
    assert cards[0].content.urgent
    assert "end my life" not in cards[0].content.text
    assert all("ann.smith@example.com" not in repr(m) for m in adapter.messages)
    core.close()
