"""The learned decision head: pair features of frozen embeddings -> calibrated confidence."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.matching.nearmiss import CUES

F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]

HEAD_FILE = "head.npz"
SCALAR_FEATURES = ("cosine", "query_words", "phrasing_words", "length_ratio")
NEARMISS_FEATURES = tuple(f"conflict_{name}" for name in CUES)


def scalar_names(nearmiss: bool) -> tuple[str, ...]:
    """Names of the head's scalar features, in order (embedding features follow them)."""
    return SCALAR_FEATURES + (NEARMISS_FEATURES if nearmiss else ())


def pair_features(
    query: F32,
    phrasings: F32,
    query_words: int,
    phrasing_words: Sequence[int],
    conflicts: Sequence[Sequence[float]] | None,
    *,
    embedding: bool = True,
) -> F64:
    """One feature row per phrasing: scalars, then the element-wise product and |difference|."""
    cos = phrasings @ query
    qlen = math.log1p(query_words)
    plen = np.log1p(np.asarray(phrasing_words, dtype=np.float64))
    columns: list[F64] = [
        cos.astype(np.float64)[:, None],
        np.full((len(phrasings), 1), qlen),
        plen[:, None],
        (qlen - plen)[:, None],
    ]
    if conflicts is not None:
        columns.append(np.asarray(conflicts, dtype=np.float64).reshape(len(phrasings), -1))
    if embedding:
        columns.append((phrasings * query).astype(np.float64))
        columns.append(np.abs(phrasings - query).astype(np.float64))
    return np.hstack(columns)


@dataclass(frozen=True, slots=True)
class DecisionHead:
    """A logistic model over standardised pair features plus Platt calibration of its top-1 score.

    `probability` is the head's raw estimate that a phrasing answers the query; `confidence` maps
    it to the calibrated chance that answering with it is right (fit out of fold, see the training
    script), which is what the answer/suggest thresholds compare against.
    """

    mean: F64
    scale: F64
    weights: F64
    bias: float
    platt: tuple[float, float]
    nearmiss: bool
    embedding: bool
    answer_threshold: float
    suggest_threshold: float
    # How it was trained (embedding penalty, targeted out-of-fold wrong rate), for re-checks.
    training: tuple[float, float] = (1000.0, 0.04)

    def probability(self, features: F64) -> F64:
        """Raw head probability per feature row."""
        z = ((features - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))

    def confidence(self, features: F64) -> F64:
        """Calibrated confidence in [0, 1] per feature row."""
        raw = self.probability(features)
        logit = np.log(np.clip(raw, 1e-9, 1 - 1e-9) / np.clip(1 - raw, 1e-9, 1.0))
        a, b = self.platt
        return 1.0 / (1.0 + np.exp(-np.clip(a * logit + b, -40.0, 40.0)))

    def save(self, path: Path) -> None:
        """Write the head as a small .npz (float32 weights)."""
        np.savez_compressed(
            path,
            mean=self.mean.astype(np.float32),
            scale=self.scale.astype(np.float32),
            weights=self.weights.astype(np.float32),
            scalars=np.array(
                [
                    self.bias,
                    *self.platt,
                    float(self.nearmiss),
                    float(self.embedding),
                    self.answer_threshold,
                    self.suggest_threshold,
                    *self.training,
                ],
                dtype=np.float64,
            ),
        )

    @classmethod
    def load(cls, path: Path | None = None) -> DecisionHead:
        """Load a saved head; the one shipped in this package by default."""
        source = path if path is not None else resources.files("bot.matching") / HEAD_FILE
        with source.open("rb") as handle, np.load(handle) as data:
            scalars = data["scalars"]
            return cls(
                mean=data["mean"].astype(np.float64),
                scale=data["scale"].astype(np.float64),
                weights=data["weights"].astype(np.float64),
                bias=float(scalars[0]),
                platt=(float(scalars[1]), float(scalars[2])),
                nearmiss=bool(scalars[3]),
                embedding=bool(scalars[4]),
                answer_threshold=float(scalars[5]),
                suggest_threshold=float(scalars[6]),
                training=(float(scalars[-2]), float(scalars[-1])),
            )
