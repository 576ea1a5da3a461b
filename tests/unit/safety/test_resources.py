"""The crisis reply: per-category first step, the region's numbers, community overrides."""

from __future__ import annotations

import pytest

from bot.i18n import load_catalog
from bot.safety.resources import (
    DEFAULT_RESOURCES,
    crisis_reply,
    phi_notice,
    resources_for,
    reviewer_alert,
)
from bot.safety.types import CrisisCategory
from bot.settings import EmergencyResources


@pytest.mark.parametrize("category", list(CrisisCategory))
def test_every_category_has_an_urgent_reply_naming_the_emergency_number(
    category: CrisisCategory,
) -> None:
    reply = crisis_reply(category, "US", {})
    assert reply.urgent
    assert "911" in reply.text.splitlines()[0] or category is CrisisCategory.SUICIDE_SELF_HARM
    assert "911" in reply.text


def test_a_person_at_risk_of_suicide_sees_the_crisis_line_first() -> None:
    text = crisis_reply(CrisisCategory.SUICIDE_SELF_HARM, "US", {}).text
    assert text.index("988") < text.index("911")


def test_a_stroke_reply_asks_to_note_when_symptoms_started() -> None:
    text = crisis_reply(CrisisCategory.STROKE, "US", {}).text
    assert text.startswith("Call 911 now")
    assert "time" in text.splitlines()[0]


@pytest.mark.parametrize(
    ("region", "numbers"),
    [
        ("US", ["911", "988", "1-800-222-1222"]),
        ("UK", ["999", "Samaritans 116 123", "111"]),
        ("gb", ["999"]),
        ("DE", ["112"]),
        ("CA", ["911", "988"]),
        ("AU", ["000", "13 11 14"]),
    ],
)
def test_shipped_regions_list_their_numbers(region: str, numbers: list[str]) -> None:
    text = crisis_reply(CrisisCategory.OVERDOSE_POISONING, region, {}).text
    for number in numbers:
        assert number in text


def test_a_community_can_override_its_region() -> None:
    custom = {"UK": EmergencyResources(emergency="999", crisis_line="Shout: text 85258")}
    text = crisis_reply(CrisisCategory.SUICIDE_SELF_HARM, "UK", custom).text
    assert "Shout: text 85258" in text
    assert "Samaritans" not in text


def test_a_community_can_add_a_region_we_do_not_ship() -> None:
    custom = {"ZA": EmergencyResources(emergency="10111", extra=["Lifeline 0861 322 322"])}
    text = crisis_reply(CrisisCategory.CARDIAC, "za", custom).text
    assert "10111" in text
    assert "Lifeline 0861 322 322" in text


def test_an_unknown_region_still_says_to_call_the_local_emergency_number() -> None:
    reply = crisis_reply(CrisisCategory.CARDIAC, "XX", {})
    assert resources_for("XX") is None
    assert "local emergency number" in reply.text


def test_the_reviewer_alert_names_the_category_but_never_quotes_the_message() -> None:
    alert = reviewer_alert(CrisisCategory.ANAPHYLAXIS, "US")
    assert alert.urgent
    assert alert.title is not None
    assert "allergic" in alert.title


def test_the_phi_notice_lists_what_was_removed() -> None:
    text = phi_notice(["EMAIL", "PHONE", "EMAIL"])
    assert "an email address and a phone number" in text


def test_every_shipped_region_has_an_emergency_number() -> None:
    assert all(r.emergency for r in DEFAULT_RESOURCES.values())


def test_every_safety_text_key_used_exists_in_english() -> None:
    keys = load_catalog("en").keys()
    for category in CrisisCategory:
        assert f"safety.crisis.{category.value}" in keys
        assert f"safety.category.{category.value}" in keys
