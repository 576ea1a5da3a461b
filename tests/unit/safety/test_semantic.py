"""The semantic crisis head: the shipped artefact, its decisions, and the script that builds it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from bot.matching.minilm import MiniLMEmbedder, load_embedder
from bot.matching.normalize import clean
from bot.safety.semantic import NONE, CrisisHead, semantic_crisis, shipped_head
from bot.safety.types import CrisisCategory

ROOT = Path(__file__).resolve().parents[3]
INDIRECT = "I've been cutting again and tonight it went way deeper than I meant"
PLAIN = (
    "How long after finishing antibiotics can I drink alcohol?",
    "my knee hurts after running",
    "What are the warning signs of a stroke?",
    "Is chest pain after a cold normal?",
)


@pytest.fixture(scope="module")
def model() -> MiniLMEmbedder:
    return load_embedder()


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "train_crisis_head", ROOT / "scripts" / "train_crisis_head.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_shipped_head_is_small_complete_and_round_trips(tmp_path: Path) -> None:
    head = shipped_head()
    assert head.classes[-1] == NONE
    assert {CrisisCategory(name) for name in head.classes[:-1]} == set(CrisisCategory)
    assert head.weights.shape == (384, 9)
    assert 0.5 <= head.threshold < 1.0
    assert head.model.startswith("minilm-numpy:")
    head.save(tmp_path / "head.npz")
    assert (tmp_path / "head.npz").stat().st_size < 30_000
    again = CrisisHead.load(tmp_path / "head.npz")
    assert again.classes == head.classes
    assert again.threshold == head.threshold
    assert again.model == head.model
    for name in ("mean", "scale", "weights", "bias"):
        assert np.array_equal(getattr(again, name), getattr(head, name)), name


def test_an_indirect_crisis_is_flagged_and_plain_questions_are_not(model: MiniLMEmbedder) -> None:
    vectors = model.encode([clean(INDIRECT), *(clean(text) for text in PLAIN)])
    assert semantic_crisis(vectors[0]) is CrisisCategory.SUICIDE_SELF_HARM
    assert [semantic_crisis(vector) for vector in vectors[1:]] == [None] * len(PLAIN)
    assert shipped_head().classify_many(vectors) == [CrisisCategory.SUICIDE_SELF_HARM] + [
        None
    ] * len(PLAIN)


def test_a_vector_of_another_width_is_skipped() -> None:
    assert semantic_crisis(np.ones(768, dtype=np.float32)) is None


def test_a_head_with_other_classes_is_refused(tmp_path: Path) -> None:
    head = shipped_head()
    odd = CrisisHead(
        classes=("cardiac", NONE),
        mean=head.mean,
        scale=head.scale,
        weights=head.weights[:, :2],
        bias=head.bias[:2],
        threshold=0.9,
        model=head.model,
    )
    odd.save(tmp_path / "odd.npz")
    with pytest.raises(ValueError, match="unexpected classes"):
        CrisisHead.load(tmp_path / "odd.npz")


def test_training_reads_only_the_training_files(script: ModuleType) -> None:
    cases = script.load_cases(use_mqp=False)
    assert {case.file for case in cases} == {
        "faq",
        "safety_cases",
        "safety_holdout",
        *(f"safety_holdout{n}" for n in range(2, 9)),
    }
    assert {case.fold for case in cases} == set(range(9))
    faq = {case.text for case in cases if case.file == "faq"}
    assert "How do I get a prescription refill?" in faq or len(faq) > 300
    assert "I don't want to be alive anymore" not in faq, "emergency entries are not negatives"


def test_training_is_deterministic_and_learns(script: ModuleType, model: MiniLMEmbedder) -> None:
    cases = script.load_cases(use_mqp=False)
    subset = [c for c in cases if c.kind == "positive"][::12] + [
        c for c in cases if c.kind != "positive"
    ][::15]
    x = script.embed([script.query_text(case.text) for case in subset], model)
    labels = script.label_ids(subset)
    first = script.fit(x, labels, 1e-3, iterations=60)
    second = script.fit(x, labels, 1e-3, iterations=60)
    assert np.array_equal(first.weights, second.weights)
    assert np.array_equal(first.bias, second.bias)
    crisis = 1.0 - first.probabilities(x)[:, -1]
    positive = np.array([case.kind == "positive" for case in subset])
    assert crisis[positive].mean() > crisis[~positive].mean() + 0.3
