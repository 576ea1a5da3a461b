"""The reference crisis rules: each category, its everyday wordings, the look-alikes to ignore.

The rules no longer run on messages (the learned model does, `test_model.py`); they stay as
the reference `benchmarks/safety.py` measures the model against, and these tests keep them
as they were measured.
"""

from __future__ import annotations

import pytest

from bot.safety.crisis import normalise
from bot.safety.crisis import rules_crisis as detect_crisis
from bot.safety.types import CrisisCategory as C


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I want to kill myself", C.SUICIDE_SELF_HARM),
        ("honestly i just wanna unalive myself", C.SUICIDE_SELF_HARM),
        ("been feeling really suicidle lately", C.SUICIDE_SELF_HARM),
        ("my girlfriend says she wants to kill herself tonight", C.SUICIDE_SELF_HARM),
        ("I'm going to take all my pills tonight", C.SUICIDE_SELF_HARM),
        ("my friend took 30 pills", C.OVERDOSE_POISONING),
        ("💊💊💊 all of them", C.OVERDOSE_POISONING),
        ("my toddler swallowed some drain cleaner", C.OVERDOSE_POISONING),
        ("my dad is having chest pain and can't breathe right now", C.CARDIAC),
        ("I think I'm having a heart attack", C.CARDIAC),
        ("mum's face is drooping and her speech is slurred", C.STROKE),
        ("sudden numbness down the left side of my face and arm", C.STROKE),
        ("my son can't breathe and his lips are going blue", C.BREATHING),
        ("the baby is choking", C.BREATHING),
        ("I cut my leg on glass and it won't stop bleeding", C.SEVERE_BLEEDING),
        ("I'm throwing up blood", C.SEVERE_BLEEDING),
        ("ate shrimp and now my throat is closing", C.ANAPHYLAXIS),
        ("I'm having an anaphylactic reaction", C.ANAPHYLAXIS),
        ("my husband beats me and I'm scared to go home", C.VIOLENCE_ABUSE),
        ("someone is breaking into my flat right now", C.VIOLENCE_ABUSE),
    ],
)
def test_a_present_emergency_is_detected_with_its_category(text: str, category: C) -> None:
    assert detect_crisis(text) is category


@pytest.mark.parametrize(
    "text",
    [
        "what are the warning signs of a stroke?",
        "How many paracetamol is an overdose?",
        "this exam is killing me",
        "I could murder a burger",
        "my heart stopped when I saw the bill",
        "that stand-up show was so funny I couldn't breathe",
        "my grandfather died of a heart attack",
        "My mother had a stroke in 2016, is it genetic?",
        "I tried to kill myself years ago, now I'm doing well",
        "I used to self-harm in high school but I'm in a much better place now",
        "I'm not suicidal, just exhausted",
        "no chest pain, only a dry cough",
        "What should I do if my kid ever swallows a magnet?",
        "My gums bleed a little when I floss",
        "I get a bit short of breath on the stairs these days",
        "",
    ],
)
def test_look_alikes_are_not_a_crisis(text: str) -> None:
    assert detect_crisis(text) is None


def test_a_relapse_after_a_past_attempt_is_a_crisis_again() -> None:
    text = "I attempted suicide years ago and the urges are back again tonight"
    assert detect_crisis(text) is C.SUICIDE_SELF_HARM


def test_a_recent_past_event_still_counts() -> None:
    assert detect_crisis("my boyfriend choked me last night") is C.VIOLENCE_ABUSE
    assert detect_crisis("I took 40 paracetamol yesterday") is C.OVERDOSE_POISONING


def test_an_informational_question_becomes_urgent_when_it_describes_a_present_case() -> None:
    assert detect_crisis("what are the signs of a stroke?") is None
    assert detect_crisis("what do I do, my dad is having a stroke right now?") is C.STROKE


def test_normalising_folds_case_quotes_leetspeak_emoji_and_repeats() -> None:
    assert normalise("I can\u2019t  K1LL myyyself 💊") == "i can't kill myyself pill "


def test_a_long_message_is_scanned_without_error() -> None:
    text = "I have a question about my medication. " * 60 + "I want to end my life."
    assert detect_crisis(text) is C.SUICIDE_SELF_HARM
