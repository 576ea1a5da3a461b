"""The command grammar: typed lines and action ids become the same commands; bad input → usage."""

from __future__ import annotations

import pytest

from bot import commands as c
from bot.errors import UnknownCommandError
from bot.i18n import load_catalog
from bot.messages import Actor, Inbound, action_id

CAT = load_catalog("en")


def line(text: str) -> c.Command:
    return c.parse_text(text, CAT)


def click(action: str, text: str = "") -> c.Command:
    actor = Actor("test", "u1", "U")
    return c.parse(Inbound("test", "e1", actor, "ch", text=text, action_id=action), CAT)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("how do I get a refill", c.Ask("how do I get a refill")),
        ("/ask how do I get a refill", c.Ask("how do I get a refill")),
        ("/faq refill", c.Faq("refill")),
        ("/queue", c.Queue()),
        ("/claim 42", c.Claim(42)),
        ("/claim #42", c.Claim(42)),
        ("/release 7", c.Release(7)),
        ("/answer 42 Take it with food.", c.Answer(42, "Take it with food.")),
        ("/approve 42", c.Approve(42)),
        ("/reject 42 add the red flags", c.Reject(42, "add the red flags")),
        ("/close 42", c.Close(42, "")),
        ("/close 42 duplicate of #41", c.Close(42, "duplicate of #41")),
        ("/promote 42", c.Promote(42)),
        ("/stats", c.Stats()),
        ("/forget-me", c.ForgetMe()),
        ("/forget_me", c.ForgetMe()),
        ("/help", c.Help()),
        ("/share", c.Share(None)),
        ("/share 3", c.Share(3)),
        ("/pick 3 flu-duration", c.Pick(3, "flu-duration")),
        ("/helpful 3", c.Feedback(3, helpful=True)),
        ("/unhelpful 3", c.Feedback(3, helpful=False)),
        ("/professional 3", c.AskProfessional(3)),
        ("/CLAIM 42", c.Claim(42)),
    ],
)
def test_command_lines_parse_to_typed_commands(text: str, expected: c.Command) -> None:
    assert line(text) == expected


def test_extra_spaces_are_ignored() -> None:
    assert line("   /claim    42   ") == c.Claim(42)
    assert line("/answer   42    Rest  and ice.  ") == c.Answer(42, "Rest  and ice.")
    assert line("  what is   flu  ") == c.Ask("what is   flu")


@pytest.mark.parametrize(
    ("action", "text", "expected"),
    [
        (action_id("claim", 42), "", c.Claim(42)),
        (action_id("answer", 42), "Rest and ice.", c.Answer(42, "Rest and ice.")),
        (action_id("reject", 42), "too vague", c.Reject(42, "too vague")),
        (action_id("approve", 42), "", c.Approve(42)),
        (action_id("close", 42), "", c.Close(42, "")),
        (action_id("promote", 42), "", c.Promote(42)),
        (action_id("release", 42), "", c.Release(42)),
        (action_id("pick", 3, "flu-duration"), "", c.Pick(3, "flu-duration")),
        (action_id("helpful", 3), "", c.Feedback(3, helpful=True)),
        (action_id("unhelpful", 3), "", c.Feedback(3, helpful=False)),
        (action_id("professional", 3), "", c.AskProfessional(3)),
        (action_id("share", 3), "", c.Share(3)),
    ],
)
def test_action_ids_parse_to_the_same_commands_as_lines(
    action: str, text: str, expected: c.Command
) -> None:
    assert click(action, text) == expected
    typed = c.command_line(action, text)
    assert typed is not None
    assert line(typed) == expected


@pytest.mark.parametrize(
    ("text", "usage"),
    [
        ("/claim", "Usage: /claim N"),
        ("/claim abc", "Usage: /claim N"),
        ("/claim 4x2", "Usage: /claim N"),
        ("/claim -1", "Usage: /claim N"),
        ("/claim 1 2", "Usage: /claim N"),
        ("/claim 99999999999999999999", "Usage: /claim N"),
        ("/answer 42", "Usage: /answer N TEXT"),
        ("/answer", "Usage: /answer N TEXT"),
        ("/answer x Rest", "Usage: /answer N TEXT"),
        ("/reject 42", "Usage: /reject N REASON"),
        ("/approve", "Usage: /approve N"),
        ("/close", "Usage: /close N"),
        ("/pick 3", "Usage: /pick N ENTRY_ID"),
        ("/queue now", "Usage: /queue"),
        ("/ask", "Usage: /ask QUESTION"),
        ("/faq", "Usage: /faq QUERY"),
    ],
)
def test_bad_arguments_raise_the_usage_line(text: str, usage: str) -> None:
    with pytest.raises(UnknownCommandError) as caught:
        line(text)
    assert str(caught.value).startswith(usage)


def test_an_unknown_command_names_it_and_points_to_help() -> None:
    with pytest.raises(UnknownCommandError, match=r"Unknown command `frobnicate`.*/help"):
        line("/frobnicate 3")


def test_an_unknown_action_id_is_a_user_error_not_a_crash() -> None:
    with pytest.raises(UnknownCommandError):
        click("careline:explode:1")
    with pytest.raises(UnknownCommandError):
        click("somebody-else:claim:1")


def test_a_very_long_question_is_parsed_whole_and_a_long_verb_is_cut_in_the_message() -> None:
    text = "why " * 5000
    assert line(text) == c.Ask(text.strip())
    with pytest.raises(UnknownCommandError) as caught:
        line("/" + "x" * 5000)
    assert len(str(caught.value)) < 200
