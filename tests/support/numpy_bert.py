"""An independent numpy forward pass of a BERT sentence encoder, to check the ONNX graph against.

This was Careline's runtime before ONNX Runtime; it stays here as the reference implementation:
written from the layer definitions, not from the graph builder, so the two can disagree.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

MAX_TOKENS = 256
BATCH = 32
F32 = npt.NDArray[np.float32]
Vectors = F32


def _erf(x: F32) -> F32:
    # Abramowitz & Stegun 7.1.26 (max error 1.5e-7): numpy has no erf and BERT's GELU needs one.
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    out: F32 = (sign * (1.0 - poly * np.exp(-a * a))).astype(np.float32)
    return out


def _gelu(x: F32) -> F32:
    out: F32 = (0.5 * x * (1.0 + _erf(x * np.float32(0.7071067811865476)))).astype(np.float32)
    return out


def _layer_norm(x: F32, weight: F32, bias: F32, eps: float) -> F32:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    out: F32 = ((x - mean) / np.sqrt(var + eps) * weight + bias).astype(np.float32)
    return out


class _Layer:
    __slots__ = (
        "ffn_in",
        "ffn_out",
        "ln1_b",
        "ln1_w",
        "ln2_b",
        "ln2_w",
        "out_b",
        "out_w",
        "qkv_b",
        "qkv_w",
    )

    def __init__(self, weights: dict[str, F32], prefix: str) -> None:
        def get(name: str) -> F32:
            return np.ascontiguousarray(weights[prefix + name], dtype=np.float32)

        attention = "attention.self."
        # One fused projection for query, key and value: one matmul instead of three.
        self.qkv_w = np.ascontiguousarray(
            np.concatenate(
                [get(attention + part + ".weight") for part in ("query", "key", "value")]
            ).T
        )
        self.qkv_b = np.concatenate(
            [get(attention + part + ".bias") for part in ("query", "key", "value")]
        )
        self.out_w = np.ascontiguousarray(get("attention.output.dense.weight").T)
        self.out_b = get("attention.output.dense.bias")
        self.ln1_w = get("attention.output.LayerNorm.weight")
        self.ln1_b = get("attention.output.LayerNorm.bias")
        self.ffn_in = (
            np.ascontiguousarray(get("intermediate.dense.weight").T),
            get("intermediate.dense.bias"),
        )
        self.ffn_out = (
            np.ascontiguousarray(get("output.dense.weight").T),
            get("output.dense.bias"),
        )
        self.ln2_w = get("output.LayerNorm.weight")
        self.ln2_b = get("output.LayerNorm.bias")

    ffn_in: tuple[F32, F32]
    ffn_out: tuple[F32, F32]


class NumpyBert:
    """The same encoder computed step by step with numpy: a reference the ONNX graph must match."""

    def __init__(self, folder: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self._heads = int(config["num_attention_heads"])
        self._hidden = int(config["hidden_size"])
        self._eps = float(config.get("layer_norm_eps", 1e-12))
        weights_file = folder / "model.safetensors"
        weights = {
            key.removeprefix("bert."): value for key, value in load_file(str(weights_file)).items()
        }
        self._word = np.ascontiguousarray(weights["embeddings.word_embeddings.weight"])
        self._position = np.ascontiguousarray(weights["embeddings.position_embeddings.weight"])
        self._token_type = weights["embeddings.token_type_embeddings.weight"][0]
        self._emb_ln = (
            weights["embeddings.LayerNorm.weight"],
            weights["embeddings.LayerNorm.bias"],
        )
        self._layers = [
            _Layer(weights, f"encoder.layer.{index}.")
            for index in range(int(config["num_hidden_layers"]))
        ]
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.no_padding()

    @property
    def dim(self) -> int:
        """384 for MiniLM."""
        return self._hidden

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        """Word-piece ids with [CLS] and [SEP], truncated to the model's limit."""
        return [encoding.ids for encoding in self._tokenizer.encode_batch(list(texts))]

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Unit-length sentence vectors, one row per text."""
        if not texts:
            return np.zeros((0, self._hidden), dtype=np.float32)
        ids = self.tokenize(texts)
        out = np.empty((len(ids), self._hidden), dtype=np.float32)
        # Similar lengths together keep padding (wasted work) small.
        order = sorted(range(len(ids)), key=lambda index: len(ids[index]))
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            out[chunk] = self._forward([ids[index] for index in chunk])
        return out

    def _forward(self, batch: list[list[int]]) -> F32:
        size = len(batch)
        length = max(len(ids) for ids in batch)
        tokens = np.zeros((size, length), dtype=np.int64)
        mask = np.zeros((size, length), dtype=np.float32)
        for row, ids in enumerate(batch):
            tokens[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1.0
        x = self._word[tokens] + self._position[:length] + self._token_type
        x = _layer_norm(x.astype(np.float32), *self._emb_ln, self._eps)
        heads, width = self._heads, self._hidden // self._heads
        scale = np.float32(1.0 / np.sqrt(width))
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for layer in self._layers:
            qkv = x @ layer.qkv_w + layer.qkv_b
            qkv = qkv.reshape(size, length, 3, heads, width).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(size, length, self._hidden)
            x = _layer_norm(
                context @ layer.out_w + layer.out_b + x, layer.ln1_w, layer.ln1_b, self._eps
            )
            hidden = _gelu(x @ layer.ffn_in[0] + layer.ffn_in[1])
            x = _layer_norm(
                hidden @ layer.ffn_out[0] + layer.ffn_out[1] + x,
                layer.ln2_w,
                layer.ln2_b,
                self._eps,
            )
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1), 1.0)[:, None]
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        out: F32 = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return out
