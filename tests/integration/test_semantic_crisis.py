"""The semantic second stage in the running core: the real matcher, model, head and console.

The crisis example is from the training data (safety_holdout8 h8cp006), one the rules missed
blind; they were tuned on set 8 afterwards and keep improving, so the core here runs the real
safety layer with the rules' crisis verdict hidden: what is tested is that the second stage alone
takes the whole crisis path.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.app import build_safety
from bot.i18n import load_catalog
from bot.matching.embedder import Vectors
from bot.matching.matcher import Matcher
from bot.matching.minilm import MiniLMEmbedder, load_embedder
from bot.safety.scan import scan
from bot.safety.types import ScanResult
from bot.store.models import Escalation, Question
from tests.fakes import ENTRIES, ConsoleHarness, FakeClock, make_core, make_settings

INDIRECT = "I've been cutting again and tonight it went way deeper than I meant"
HELP = "Careline: 🚨 **Please get help now**"
RESOURCES = "Please reach a crisis line now: 988"
ALERT = "#1: Urgent: possible suicide or self-harm crisis"


class CountingEmbedder:
    """The real model, recording every text it encodes (no `inner`: the matcher calls it)."""

    def __init__(self, model: MiniLMEmbedder) -> None:
        self._model = model
        self.texts: list[str] = []

    @property
    def identity(self) -> str:
        return self._model.identity

    @property
    def dim(self) -> int:
        return self._model.dim

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.texts.extend(texts)
        return self._model.encode(texts)


def rules_blind(text: str) -> ScanResult:
    """The real scan (redaction included) with the rules' crisis verdict dropped."""
    return replace(scan(text), crisis=None)


@pytest.fixture(scope="module")
def model() -> MiniLMEmbedder:
    return load_embedder()


@pytest.fixture
def embedder(model: MiniLMEmbedder) -> CountingEmbedder:
    return CountingEmbedder(model)


@pytest.fixture
async def console(tmp_path: Path, embedder: CountingEmbedder) -> AsyncIterator[ConsoleHarness]:
    settings = make_settings(tmp_path)
    clock = FakeClock()
    matcher = Matcher(ENTRIES, settings=settings.matching, embedder=embedder)
    safety = replace(build_safety(settings, clock, load_catalog()), scan=rules_blind)
    harness = ConsoleHarness(make_core(settings, clock=clock, matcher=matcher, safety=safety))
    embedder.texts.clear()
    yield harness
    harness.close()


def questions(console: ConsoleHarness) -> list[Question]:
    with Session(console.core.engine) as session:
        return list(session.exec(select(Question)).all())


async def test_the_second_stage_alone_sends_resources_and_an_urgent_card(
    console: ConsoleHarness, embedder: CountingEmbedder
) -> None:
    out = await console.say(f"patient:hal> {INDIRECT}")
    assert out.startswith(f"[ask] {HELP}"), out
    assert out.index(RESOURCES) < out.index(ALERT), "resources first, then the reviewer alert"
    assert "A professional will answer" not in out
    assert "Pick one" not in out
    [question] = questions(console)
    assert question.decision == "crisis"
    assert question.entry_id is None
    assert question.nearest_entry_id is None
    with Session(console.core.engine) as session:
        esc = session.exec(select(Escalation)).one()
    assert esc.urgent
    assert esc.crisis == "suicide_self_harm"
    assert embedder.texts == [INDIRECT], "one model pass, and no matching"


async def test_a_plain_question_is_answered_with_one_model_pass(
    console: ConsoleHarness, embedder: CountingEmbedder
) -> None:
    out = await console.say("patient:ann> How do I get a prescription refill?")
    assert RESOURCES not in out
    assert "URGENT" not in out
    assert "allow three working days" in out
    assert [q.decision for q in questions(console)] == ["answer"]
    # The dispatcher's look and the handler's match share the vector.
    assert embedder.texts == ["How do I get a prescription refill?"]


async def test_the_faq_search_is_checked_too(
    console: ConsoleHarness, embedder: CountingEmbedder
) -> None:
    out = await console.say(f"patient:hal> /faq {INDIRECT}")
    assert out.startswith(f"[ask] {HELP}"), out
    assert ALERT in out
    assert embedder.texts == [INDIRECT]
