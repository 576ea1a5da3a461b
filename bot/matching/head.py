"""The decision: the calibrated chance that answering with a candidate is right.

The adapted sentence model (see `dual.py`) was trained to pull same-intent rewrites together and
push near-misses apart, so its cosine between the question and a candidate's phrasing is the
signal. A logistic curve fit on the MQP dev set (which the adapter never saw) turns that cosine
into a probability: `sigmoid(slope * cosine + intercept)`. More inputs (the ranking cosine,
lengths, near-miss cues) were measured and lost coverage in cross-validation (docs/matching.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]

HEAD_FILE = "head.npz"


@dataclass(frozen=True, slots=True)
class DecisionHead:
    """A logistic calibration of the decision cosine."""

    slope: float
    intercept: float

    def confidence(self, decision_cosine: npt.ArrayLike) -> F64:
        """Calibrated confidence in [0, 1] for each decision cosine."""
        z = self.slope * np.asarray(decision_cosine, dtype=np.float64) + self.intercept
        out: F64 = 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))
        return out

    def save(self, path: Path) -> None:
        """Write the two numbers as a tiny .npz (no pickled objects)."""
        np.savez(path, calibration=np.array([self.slope, self.intercept], dtype=np.float64))

    @classmethod
    def load(cls, path: Path | None = None) -> DecisionHead:
        """Load a saved head; the one shipped in this package by default."""
        source = path if path is not None else resources.files("bot.matching") / HEAD_FILE
        with source.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
            slope, intercept = (float(value) for value in data["calibration"])
        return cls(slope=slope, intercept=intercept)
