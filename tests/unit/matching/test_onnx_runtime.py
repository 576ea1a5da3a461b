"""The ONNX graph written from the weights computes what an independent numpy BERT computes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.matching.minilm import MiniLMEmbedder, resolve_model_path
from tests.support.numpy_bert import NumpyBert

TEXTS = (
    "How long after finishing antibiotics can I drink alcohol?",
    "my 4 y/o has had a fever of 39.5 for three days, should i worry??",
    "Is it safe to take ibuprofen 400 mg with lisinopril?",
    "ok",
    "Mi hija tiene fiebre desde ayer, ¿qué hago? " * 3,
    "word " * 400,  # longer than the model's 256 tokens: truncated the same way
)


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    return NumpyBert(resolve_model_path(None)).encode(list(TEXTS))


def test_the_float_graph_matches_the_numpy_reference(reference: np.ndarray, tmp_path: Path) -> None:
    onnx_fp32 = MiniLMEmbedder(resolve_model_path(None), tmp_path, "fp32")
    vectors = onnx_fp32.encode(list(TEXTS))
    assert vectors.shape == reference.shape
    assert np.abs(vectors - reference).max() < 1e-4
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_the_int8_graph_stays_close_to_the_reference(
    reference: np.ndarray, model: MiniLMEmbedder
) -> None:
    vectors = model.encode(list(TEXTS))
    cosines = (vectors * reference).sum(axis=1)
    assert cosines.min() > 0.97, cosines
    assert cosines.mean() > 0.985, cosines


def test_batches_and_single_texts_agree(model: MiniLMEmbedder) -> None:
    # Padding inside a batch must not change a text's vector.
    batch = model.encode(list(TEXTS))
    one_by_one = np.vstack([model.encode([text]) for text in TEXTS])
    assert np.abs(batch - one_by_one).max() < 1e-4


def test_the_built_model_is_kept_and_reused(tmp_path: Path) -> None:
    first = MiniLMEmbedder(resolve_model_path(None), tmp_path, "fp32")
    files = list((tmp_path / "models").glob("*.onnx"))
    assert len(files) == 1
    stamp = files[0].stat().st_mtime_ns
    second = MiniLMEmbedder(resolve_model_path(None), tmp_path, "fp32")
    assert files[0].stat().st_mtime_ns == stamp  # read, not rewritten
    assert first.identity == second.identity
    assert "fp32" in first.identity
    assert not list((tmp_path / "models").glob("*.tmp"))


def test_precision_is_part_of_the_identity(model: MiniLMEmbedder, tmp_path: Path) -> None:
    # Cached vectors of one precision are never served to the other.
    fp32 = MiniLMEmbedder(resolve_model_path(None), tmp_path, "fp32")
    assert fp32.identity != model.identity
