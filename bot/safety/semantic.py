"""The semantic second stage: a crisis classifier over the sentence vector the matcher computes.

The rules (`bot.safety.crisis`) run first and miss indirect wording ("tonight it went way
deeper"). This stage reads the question's MiniLM vector, which the matcher needs anyway, so it
costs a 384 x 9 product, not a model pass. It is a 9-way softmax logistic regression (the eight
crisis categories plus "none") over standardised vector components; it flags when the
probability of any crisis reaches the threshold chosen by leave-one-file-out cross-validation
(`scripts/train_crisis_head.py` rebuilds `crisis_head.npz` and prints those numbers).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.safety.types import CrisisCategory

log = logging.getLogger(__name__)

HEAD_FILE = "crisis_head.npz"
NONE = "none"
F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class CrisisHead:
    """Softmax weights over standardised vector components, and the flagging threshold."""

    classes: tuple[str, ...]  # CrisisCategory values, then "none" last
    mean: F64
    scale: F64
    weights: F64  # (dim, classes)
    bias: F64  # (classes,)
    threshold: float  # flag when P(any crisis) >= this
    model: str  # the sentence model the head was trained on (its identity)

    @property
    def dim(self) -> int:
        """The vector width the head reads."""
        return int(self.weights.shape[0])

    def probabilities(self, vectors: F32 | F64) -> F64:
        """Class probabilities, one row per vector (columns in `classes` order)."""
        rows = np.atleast_2d(np.asarray(vectors, dtype=np.float64))
        z = ((rows - self.mean) / self.scale) @ self.weights + self.bias
        z -= z.max(axis=1, keepdims=True)
        p: F64 = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        return p

    def classify_many(self, vectors: F32 | F64) -> list[CrisisCategory | None]:
        """The most likely crisis category per vector, or None below the threshold."""
        if len(vectors) == 0:
            return []
        p = self.probabilities(vectors)
        crisis = 1.0 - p[:, -1]
        best = np.argmax(p[:, :-1], axis=1)
        return [
            CrisisCategory(self.classes[int(b)]) if c >= self.threshold else None
            for b, c in zip(best, crisis, strict=True)
        ]

    def classify(self, vector: F32 | F64) -> CrisisCategory | None:
        """One vector's crisis category, or None (also None for a vector of another width)."""
        if vector.shape != (self.dim,):
            log.warning("crisis head reads %s-d vectors, got %s: skipped", self.dim, vector.shape)
            return None
        return self.classify_many(vector[None, :])[0]

    def save(self, path: Path) -> None:
        """Write the head as a small .npz (float32 weights; no pickled objects)."""
        np.savez_compressed(
            path,
            classes=np.array(self.classes),
            mean=self.mean.astype(np.float32),
            scale=self.scale.astype(np.float32),
            weights=self.weights.astype(np.float32),
            bias=self.bias.astype(np.float32),
            threshold=np.array(self.threshold, dtype=np.float64),
            model=np.array(self.model),
        )

    @classmethod
    def load(cls, path: Path | None = None) -> CrisisHead:
        """A saved head; the one shipped in this package by default."""
        source = path if path is not None else resources.files("bot.safety") / HEAD_FILE
        with source.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
            classes = tuple(str(name) for name in data["classes"])
            if classes[-1] != NONE or {CrisisCategory(name) for name in classes[:-1]} != set(
                CrisisCategory
            ):
                raise ValueError(f"{source}: unexpected classes {classes}")
            return cls(
                classes=classes,
                mean=data["mean"].astype(np.float64),
                scale=data["scale"].astype(np.float64),
                weights=data["weights"].astype(np.float64),
                bias=data["bias"].astype(np.float64),
                threshold=float(data["threshold"]),
                model=str(data["model"]),
            )


@functools.cache
def shipped_head() -> CrisisHead:
    """The packaged head, loaded once per process."""
    return CrisisHead.load()


def semantic_crisis(vector: F32) -> CrisisCategory | None:
    """The second stage on a question's unit vector: a crisis category, or None."""
    return shipped_head().classify(vector)
