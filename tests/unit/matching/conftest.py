"""Fixtures for matching tests: the real sentence model, loaded once per session."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.knowledge.entry import Entry, EntryStatus
from bot.matching.dual import DualEmbedder, load_dual
from bot.matching.embedder import Vectors
from bot.matching.minilm import DEFAULT_CACHE, MiniLMEmbedder, load_embedder

ROOT = Path(__file__).resolve().parents[3]

ENTRIES = (
    Entry(
        id="antibiotics-alcohol",
        question="How long after finishing antibiotics can I drink alcohol?",
        answer="Most antibiotics allow moderate drinking; metronidazole needs 72 hours.",
        alternates=("Is it safe to drink beer while on amoxicillin?",),
    ),
    Entry(
        id="fever-child",
        question="When should I take my child to the doctor for a fever?",
        answer="See a doctor for a baby under 3 months with a fever, or a fever over 5 days.",
    ),
    Entry(
        id="migraine-treatment",
        question="What can I take for a migraine headache?",
        answer="Over-the-counter pain relievers help many migraines if taken early.",
    ),
    Entry(
        id="flu-vaccine",
        question="Who should get the yearly flu vaccine?",
        answer="Everyone from 6 months of age, with rare exceptions.",
    ),
    Entry(
        id="retired-entry",
        question="Is the old cough syrup still recommended?",
        answer="No.",
        status=EntryStatus.RETIRED,
    ),
)


class RecordingEmbedder:
    """Wraps the real model and records every batch it is asked to encode."""

    def __init__(self, inner: DualEmbedder | MiniLMEmbedder) -> None:
        self.inner = inner
        self.calls: list[list[str]] = []

    @property
    def identity(self) -> str:
        return self.inner.identity

    @property
    def dim(self) -> int:
        return self.inner.dim

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.calls.append(list(texts))
        return self.inner.encode(texts)


@pytest.fixture(scope="session")
def model() -> DualEmbedder:
    """What the matcher runs: the packaged all-MiniLM-L6-v2 plus its decision adapter."""
    return load_dual(None, DEFAULT_CACHE)


@pytest.fixture(scope="session")
def base_model() -> MiniLMEmbedder:
    """The packaged all-MiniLM-L6-v2 alone (fails with an install hint when it is missing)."""
    return load_embedder()


@pytest.fixture
def entries() -> list[Entry]:
    return list(ENTRIES)
