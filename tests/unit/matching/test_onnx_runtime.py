"""The ONNX graph written from the weights computes what an independent numpy BERT computes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.matching.bert_graph import load_weights, seven_bit_weights
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
    reference: np.ndarray, base_model: MiniLMEmbedder
) -> None:
    vectors = base_model.encode(list(TEXTS))
    cosines = (vectors * reference).sum(axis=1)
    assert cosines.min() > 0.97, cosines
    assert cosines.mean() > 0.985, cosines


def test_batches_and_single_texts_agree(base_model: MiniLMEmbedder) -> None:
    # A text's vector must not depend on what it is encoded with (cached entries = queries).
    batch = base_model.encode(list(TEXTS))
    one_by_one = np.vstack([base_model.encode([text]) for text in TEXTS])
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


def test_precision_is_part_of_the_identity(base_model: MiniLMEmbedder, tmp_path: Path) -> None:
    # Cached vectors of one precision are never served to the other.
    fp32 = MiniLMEmbedder(resolve_model_path(None), tmp_path, "fp32")
    assert fp32.identity != base_model.identity


def test_an_adapter_is_merged_into_the_weights(tmp_path: Path) -> None:
    folder = resolve_model_path(None)
    base = load_weights(folder)
    layer = "encoder.layer.0.attention.self.query"
    a = np.full((2, 384), 0.01, dtype=np.float16)
    b = np.full((384, 2), 0.02, dtype=np.float16)
    adapter = tmp_path / "adapter.npz"
    np.savez(adapter, scale=np.float32(3.0), **{f"{layer}.A": a, f"{layer}.B": b})
    merged = load_weights(folder, adapter)
    expected = base[layer + ".weight"] + 3.0 * (b.astype(np.float32) @ a.astype(np.float32))
    np.testing.assert_allclose(merged[layer + ".weight"], expected, rtol=1e-6)
    untouched = "encoder.layer.1.attention.self.query.weight"
    np.testing.assert_array_equal(merged[untouched], base[untouched])
    adapted = MiniLMEmbedder(folder, tmp_path, "fp32", adapter)
    plain = MiniLMEmbedder(folder, tmp_path, "fp32")
    assert adapted.identity != plain.identity
    assert not np.allclose(adapted.encode(["a question"]), plain.encode(["a question"]))


def test_an_adapter_for_layers_the_model_lacks_is_refused(tmp_path: Path) -> None:
    adapter = tmp_path / "adapter.npz"
    zero = np.zeros((1, 1), dtype=np.float16)
    np.savez(
        adapter,
        scale=np.float32(1.0),
        **{"encoder.layer.9.nothing.A": zero, "encoder.layer.9.nothing.B": zero},
    )
    with pytest.raises(ValueError, match="not a layer"):
        load_weights(resolve_model_path(None), adapter)


@pytest.mark.parametrize(
    ("flags", "seven_bits"),
    [
        ("fpu sse4_2 avx avx2 fma", True),  # AVX2 without VNNI: 8-bit products can saturate
        ("fpu sse4_2 avx avx2 avx512f avx512_vnni", False),
        ("fpu sse4_2 avx avx2 avx_vnni", False),
        ("fp asimd asimddp", False),  # not x86
    ],
)
def test_int8_weights_keep_to_seven_bits_only_on_x86_without_vnni(
    flags: str, seven_bits: bool, tmp_path: Path
) -> None:
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(f"processor\t: 0\nflags\t\t: {flags}\n", encoding="utf-8")
    assert seven_bit_weights(cpuinfo) is seven_bits
    assert seven_bit_weights(tmp_path / "missing") is False
