"""The whole core through the console adapter: every path a community goes through."""

from __future__ import annotations

import re
from pathlib import Path

from sqlmodel import Session, select

from bot.store.models import AuditEntry, Escalation, Feedback, OutboxMessage, Question
from bot.workflow import State
from tests.fakes import ConsoleHarness, FakeClock, make_core, make_settings

DISCLAIMER = "General information, not medical advice"
KNEE = "my knee hurts after running"


def states(console: ConsoleHarness) -> dict[int, str]:
    with Session(console.core.engine) as session:
        return {e.id or 0: e.state for e in session.exec(select(Escalation)).all()}


async def escalate(console: ConsoleHarness, who: str = "patient:ann", text: str = KNEE) -> int:
    out = await console.say(f"{who}> {text}")
    found = re.search(r"#(\d+): question from the community", out)
    assert found, out
    return int(found.group(1))


async def test_a_question_the_faq_knows_is_answered_at_once_with_sources_and_disclaimer(
    console: ConsoleHarness,
) -> None:
    out = await console.say("how do I get a prescription refill")
    assert out.startswith("[ask] Careline: **How do I get a prescription refill?**")
    assert "allow three working days" in out
    assert "Reviewed by Dr Rivera on 2025-06-01" in out
    assert "Source: NHS: repeat prescriptions <https://www.nhs.uk/repeat-prescriptions>" in out
    assert DISCLAIMER in out
    assert "[This helped: /helpful 1]" in out
    assert "[reviewers]" not in out
    out = await console.say("/helpful 1")
    assert "[dm:you] Careline: Thank you for your feedback." in out
    with Session(console.core.engine) as session:
        assert [f.helpful for f in session.exec(select(Feedback)).all()] == [True]


async def test_a_vague_question_gets_suggestions_and_the_pick_is_answered(
    console: ConsoleHarness,
) -> None:
    out = await console.say("patient:ben> flu")
    assert "Pick one, or ask a professional" in out
    assert "/pick 1 flu-duration" in out
    assert "/pick 1 flu-vaccine" in out
    assert "[Ask a professional: /professional 1]" in out
    out = await console.say("/pick 1 flu-vaccine")
    assert "**Who should get the flu vaccine?**" in out
    assert DISCLAIMER in out


async def test_someone_else_cannot_pick_or_rate_my_question(console: ConsoleHarness) -> None:
    await console.say("patient:ben> flu")
    out = await console.say("patient:eve> /pick 1 flu-vaccine", "/helpful 1", "/professional 1")
    assert out.count("That question belongs to someone else.") == 3
    assert states(console) == {}


async def test_escalation_claim_answer_approval_delivers_the_answer_to_the_patient(
    console: ConsoleHarness,
) -> None:
    out = await console.say(f"patient:ann> {KNEE}")
    assert "[reviewers] Careline: **#1: question from the community**" in out
    assert "[Claim: /claim 1]" in out
    assert "A professional will answer your question (#1)" in out
    assert "about 24 hours" in out
    out = await console.say("physician:lee> /queue")
    assert "#1 [open] my knee hurts after running" in out
    out = await console.say("/claim 1")
    assert "State: claimed" in out
    assert "Claimed by: lee" in out
    assert "[thread:1] Careline: lee claimed this question." in out
    out = await console.say("physician:lee@1> Rest, ice, and see a doctor if it swells.")
    assert "waiting for a moderator's approval" in out
    assert "[Approve: /approve 1]" in out
    assert "[ask]" not in out
    out = await console.say("moderator:mo> /approve 1")
    assert "[ask] Careline: **Answer from a professional to your question #1**" in out
    assert "Rest, ice, and see a doctor if it swells." in out
    assert "Answered by lee; approved by mo." in out
    assert DISCLAIMER in out
    assert "State: delivered" in out
    assert states(console) == {1: State.DELIVERED}
    # Nothing more is waiting, and nothing is sent twice.
    assert await console.core.outbox.pending_count() == 0
    assert console.transcript.count("[ask] Careline: **Answer from a professional") == 1


async def test_a_rejected_answer_goes_back_to_the_physician_who_answers_again(
    console: ConsoleHarness,
) -> None:
    await escalate(console)
    await console.say("physician:lee> /claim 1", "/answer 1 Rest.")
    out = await console.say("moderator:mo> /reject 1 Say when to see a doctor.")
    assert "[thread:1] Careline: The answer was sent back by mo: “Say when to see a doctor.”" in out
    assert "Rejected because: Say when to see a doctor." in out
    assert "[ask]" not in out
    out = await console.say("physician:kim> /answer 1 I would say this.")
    assert "Only the physician who claimed #1 can answer it." in out
    out = await console.say("physician:lee> /answer 1 Rest; see a doctor if it swells.")
    assert "State: awaiting approval" in out
    out = await console.say("moderator:mo> /approve 1")
    assert "Rest; see a doctor if it swells." in out
    assert "Rest." not in out.replace("Rest;", "")
    assert states(console) == {1: State.DELIVERED}


async def test_a_claim_can_be_released_by_hand_and_times_out_on_its_own(
    console: ConsoleHarness,
) -> None:
    await escalate(console)
    out = await console.say("physician:lee> /claim 1", "/release 1")
    assert "[thread:1] Careline: lee released this question." in out
    assert states(console) == {1: State.OPEN}
    await console.say("physician:kim> /claim 1")
    out = await console.tick(minutes=119)
    assert states(console) == {1: State.CLAIMED}
    out = await console.tick(minutes=2)
    assert "The claim by kim timed out; the question is open again." in out
    assert states(console) == {1: State.OPEN}
    out = await console.say("physician:lee> /claim 1")
    assert "You claimed #1" in out


async def test_an_unanswered_escalation_expires_and_the_patient_is_pointed_elsewhere(
    console: ConsoleHarness,
) -> None:
    await escalate(console)
    await console.tick(hours=71)
    assert states(console) == {1: State.OPEN}
    out = await console.tick(hours=2)
    assert "[ask] Careline: We are sorry: no professional could answer your question #1" in out
    assert "contact your own clinician" in out
    assert "State: expired" in out
    out = await console.say("physician:lee> /claim 1")
    assert "Cannot claim #1: it is expired." in out


async def test_closing_tells_the_patient_why(console: ConsoleHarness) -> None:
    await escalate(console, text="which gym has the best sauna")
    out = await console.say("moderator:mo> /close 1 Out of scope, sorry.")
    assert (
        "[ask] Careline: Your question #1 was closed by the care team: Out of scope, sorry." in out
    )
    assert "State: closed" in out
    assert "Closed because: Out of scope, sorry." in out
    assert states(console) == {1: State.CLOSED}


async def test_a_promoted_answer_answers_the_next_similar_question_at_once(
    console: ConsoleHarness,
) -> None:
    await escalate(console)
    await console.say(
        "physician:lee> /claim 1", "/answer 1 Rest and ice.", "moderator:mo> /approve 1"
    )
    out = await console.say("/promote 1")
    assert "Added to the FAQ as `promoted-1-my-knee-hurts-after-running`" in out
    assert "Promoted to: promoted-1-my-knee-hurts-after-running" in out
    out = await console.say("patient:dan> my knee hurts after running")
    assert "[ask] Careline: **my knee hurts after running**" in out
    assert "Rest and ice." in out
    assert "Reviewed by lee on 2026-01-05" in out
    assert "[reviewers]" not in out
    out = await console.say("moderator:mo> /promote 1")
    assert "already in the FAQ" in out


async def test_promoted_entries_are_loaded_again_after_a_restart(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    first = ConsoleHarness(make_core(settings))
    await escalate(first)
    await first.say("physician:lee> /claim 1", "/answer 1 Rest and ice.")
    await first.say("moderator:mo> /approve 1", "/promote 1")
    first.close()
    second = ConsoleHarness(make_core(settings))
    out = await second.say("patient:dan> my knee hurts after running")
    assert "Rest and ice." in out
    second.close()


async def test_privileged_commands_are_refused_to_the_wrong_people(console: ConsoleHarness) -> None:
    await escalate(console)
    out = await console.say("patient:eve> /claim 1", "/queue", "/approve 1", "/stats")
    assert "Only a physician can claim #1." in out
    assert "Only physicians and moderators can do that." in out
    assert "Only a moderator can approve #1." in out
    assert "Only a moderator can do that." in out
    await console.say("physician:lee> /claim 1")
    out = await console.say("physician:kim> /release 1")
    assert "Only the physician who claimed #1 or a moderator can release it." in out
    await console.say("physician:lee> /answer 1 Rest.")
    out = await console.say("/approve 1")
    assert "Only a moderator can approve #1." in out
    out = await console.say("moderator:mo> /claim 1")
    assert "Only a physician can claim #1." in out
    assert states(console) == {1: State.AWAITING_APPROVAL}
    with Session(console.core.engine) as session:
        actions = [a.action for a in session.exec(select(AuditEntry)).all()]
    assert actions == ["escalate", "claim", "answer"]


async def test_bad_commands_get_the_usage_line_and_unknown_escalations_a_clear_message(
    console: ConsoleHarness,
) -> None:
    out = await console.say("physician:lee> /claim", "/claim abc", "/claim 99", "/frobnicate")
    assert "[dm:lee] Careline: Usage: /claim N" in out
    assert out.count("Usage: /claim N") == 2
    assert "There is no escalation #99." in out
    assert "Unknown command `frobnicate`" in out
    assert "Traceback" not in out


async def test_a_trusted_physician_skips_approval(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, workflow={"trusted_physicians": ["lee"]})
    console = ConsoleHarness(make_core(settings))
    await escalate(console)
    out = await console.say("physician:lee> /claim 1", "/answer 1 Rest and ice.")
    assert "[ask] Careline: **Answer from a professional to your question #1**" in out
    assert "Answered by lee." in out
    assert states(console) == {1: State.DELIVERED}
    console.close()


async def test_with_consent_required_nothing_is_shared_until_the_patient_agrees(
    tmp_path: Path,
) -> None:
    settings = make_settings(tmp_path, workflow={"require_consent": True})
    console = ConsoleHarness(make_core(settings, clock=FakeClock()))
    out = await console.say("patient:ann> my knee hurts after running, ann@example.com")
    assert "[dm:ann]" in out
    assert "> my knee hurts after running, [EMAIL]" in out
    assert "[Share with a professional: /share 1]" in out
    assert "[reviewers]" not in out
    assert states(console) == {}
    out = await console.say("patient:eve> /share 1")
    assert "belongs to someone else" in out
    out = await console.say("patient:ann> /share")
    assert "#1: question from the community" in out
    assert states(console) == {1: State.OPEN}
    # An unconfirmed question is not kept.
    await console.say("patient:bob> my elbow hurts")
    await console.tick(hours=2)
    with Session(console.core.engine) as session:
        kept = [q.text for q in session.exec(select(Question)).all()]
    assert kept == ["my knee hurts after running, [EMAIL]"]
    console.close()


async def test_personal_details_are_redacted_and_the_patient_is_answered_privately(
    console: ConsoleHarness,
) -> None:
    out = await console.say("patient:ann> my knee hurts, write to ann@example.com")
    assert "ann@example.com" not in out
    assert "[dm:ann] Careline: To protect your privacy I removed: EMAIL." in out
    assert "my knee hurts, write to [EMAIL]" in out
    await console.say("physician:lee> /claim 1", "/answer 1 Rest.")
    out = await console.say("moderator:mo> /approve 1")
    assert "[dm:ann] Careline: **Answer from a professional to your question #1**" in out
    with Session(console.core.engine) as session:
        rows = [q.text for q in session.exec(select(Question)).all()]
        payloads = [o.payload for o in session.exec(select(OutboxMessage)).all()]
    assert rows == ["my knee hurts, write to [EMAIL]"]
    assert not any("ann@example.com" in p for p in payloads)


async def test_a_crisis_message_gets_resources_first_and_an_urgent_card(
    console: ConsoleHarness,
) -> None:
    out = await console.say("patient:hal> I want to end my life")
    lines = out.splitlines()
    assert lines[0] == "[ask] Careline: CRISIS RESOURCES (suicide_self_harm)"
    assert "🚨 #1: URGENT (crisis)" in out
    assert "A professional will answer" not in out
    with Session(console.core.engine) as session:
        esc = session.exec(select(Escalation)).one()
    assert esc.urgent
    assert esc.crisis == "suicide_self_harm"


async def test_forget_me_erases_questions_and_de_identifies_the_audit(
    console: ConsoleHarness,
) -> None:
    await console.say("patient:ann> how do I get a prescription refill", "/helpful 1")
    await escalate(console, who="patient:ann")
    await console.say("patient:bob> what are the clinic opening hours")
    out = await console.say("patient:ann> /forget-me")
    assert (
        "Erased: 2 question(s), 1 escalation(s), 1 feedback item(s), 4 stored message(s); "
        "1 audit entr(ies) de-identified." in out
    )
    assert "(#1 updated) Erased at the patient's request." in out
    with Session(console.core.engine) as session:
        questions = session.exec(select(Question)).all()
        assert [q.text for q in questions] == ["what are the clinic opening hours"]
        assert session.exec(select(Escalation)).all() == []
        assert session.exec(select(Feedback)).all() == []
        audit = session.exec(select(AuditEntry)).all()
        assert [(a.action, a.actor_key, a.actor_name) for a in audit] == [
            ("escalate", "erased", None),
            ("forget_me", "erased", None),
        ]
        assert audit[1].detail == "questions 2, escalations 1, feedback 1, messages 4, audit 1"
        payloads = [o.payload for o in session.exec(select(OutboxMessage)).all()]
    # Only the confirmation itself still names ann (it is purged by the retention job).
    naming_ann = [p for p in payloads if '"ann"' in p]
    assert len(naming_ann) == 1
    assert "Erased:" in naming_ann[0]
