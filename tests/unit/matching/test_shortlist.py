"""Large knowledge bases: exact scoring over a shortlist finds what exact search finds.

The vectors come from a stand-in model (a fixed random map from text to a vector with a few
dominant directions, as sentence vectors have): encoding 10k texts with MiniLM would take a
minute, and what is tested here is the search, not the model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

import bot.matching.matcher as matcher_module
from bot.knowledge.entry import Entry, EntryStatus
from bot.matching.embedder import Vectors
from bot.matching.head import DecisionHead
from bot.matching.matcher import Matcher
from bot.matching.shortlist import Shortlist
from bot.settings import MatchingSettings

DIM = 48
TOPICS = np.random.default_rng(7).normal(size=(12, DIM))


class TopicModel:
    """Each text is a mix of a few topics plus noise, the same vector every time."""

    identity = "topic-model-test"
    dim = 2 * DIM
    ranking_dim = DIM

    def encode(self, texts: Sequence[str]) -> Vectors:
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")
            rng = np.random.default_rng(seed)
            vector = rng.normal(size=12) @ TOPICS + 0.3 * rng.normal(size=DIM)
            vector /= np.linalg.norm(vector)
            rows.append(np.concatenate([vector, vector]))
        return np.asarray(rows, dtype=np.float32)


def entries(count: int, prefix: str = "q") -> list[Entry]:
    return [
        Entry(id=f"{prefix}{i}", question=f"{prefix} question {i}", answer="a")
        for i in range(count)
    ]


def matcher(tmp_path: Path, items: list[Entry]) -> Matcher:
    settings = MatchingSettings(cache_dir=tmp_path)
    head = DecisionHead(slope=10.0, intercept=-5.0)
    return Matcher(items, settings=settings, embedder=TopicModel(), head=head)


@pytest.fixture
def small_shortlist(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shortlist from 2,000 rows with 64 rows scored exactly, so the test stays quick."""
    monkeypatch.setattr(matcher_module, "SHORTLIST_FROM", 2000)
    monkeypatch.setattr(matcher_module, "SHORTLIST_DEPTH", 64)


def test_a_small_knowledge_base_is_searched_exactly(tmp_path: Path, small_shortlist: None) -> None:
    assert matcher(tmp_path, entries(1999))._shortlist is None
    assert matcher(tmp_path, entries(2000))._shortlist is not None


def test_the_shortlist_finds_the_same_best_entries_as_exact_search(
    tmp_path: Path, small_shortlist: None
) -> None:
    items = entries(3000)
    shortlisted = matcher(tmp_path, items)
    questions = [f"q question {i}" for i in range(0, 3000, 60)] + [f"new {i}" for i in range(50)]
    found = [[c.entry_id for c in shortlisted.match(q).candidates] for q in questions]
    shortlisted._shortlist = None  # the same matcher, searching every row
    exact = [[c.entry_id for c in shortlisted.match(q).candidates] for q in questions]
    assert found[:50] == exact[:50]  # an entry's own wording: itself first, the same five
    assert all(f[0] == f"q{i * 60}" for i, f in enumerate(found[:50]))
    same_best = sum(f[0] == e[0] for f, e in zip(found[50:], exact[50:], strict=True))
    assert same_best >= 48  # unseen wording: the best entry almost always the same


def test_live_updates_reach_the_shortlist(tmp_path: Path, small_shortlist: None) -> None:
    live = matcher(tmp_path, entries(2500))
    assert live._shortlist is not None
    live.upsert(Entry(id="promoted", question="a promoted answer's question", answer="a"))
    result = live.match("a promoted answer's question")
    assert result.best is not None
    assert result.best.entry_id == "promoted"
    live.remove("q10")
    assert all(c.entry_id != "q10" for c in live.match("q question 10").candidates)
    retired = Entry(id="q11", question="q question 11", answer="a", status=EntryStatus.RETIRED)
    live.upsert(retired)
    assert all(c.entry_id != "q11" for c in live.match("q question 11").candidates)
    # The freed rows are reused by the next entries and found through the shortlist.
    live.upsert(Entry(id="reused", question="a question in a reused row", answer="a"))
    best = live.match("a question in a reused row").best
    assert best is not None
    assert best.entry_id == "reused"


def test_the_shortlist_starts_when_live_updates_make_the_base_large(
    tmp_path: Path, small_shortlist: None
) -> None:
    growing = matcher(tmp_path, entries(1999))
    assert growing._shortlist is None
    growing.upsert(Entry(id="the-2000th", question="the two thousandth question", answer="a"))
    assert growing._shortlist is not None
    best = growing.match("q question 5").best
    assert best is not None
    assert best.entry_id == "q5"


def test_the_projection_keeps_inner_products_of_low_rank_vectors() -> None:
    vectors = TopicModel().encode([f"text {i}" for i in range(500)])[:, :DIM]
    shortlist = Shortlist.fit(vectors, len(vectors))
    shortlist.fill(vectors)
    query = vectors[123]
    rows = shortlist.candidates(query, len(vectors), 10)
    assert 123 in rows
    assert len(rows) == 10
