"""A shortlist for large knowledge bases: ranking vectors projected to a few dimensions.

Exact search reads every ranking vector for every question: at 47k phrasings that is 73 MB
of float32 and most of a query's time. The shortlist keeps each vector's projection onto the
top principal directions of the knowledge base's own vectors (128 of 384), scores those first
(a third of the reading), and hands the best 512 rows to exact scoring. Sentence vectors
concentrate in few directions, so the exact top candidates are in the shortlist: on MedQuAD's
47k questions and 500 MQP queries the top 5 was exact search's for every query (64 directions:
94 %; `benchmarks/matching.py` measures it on every run).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]

DIMENSIONS = 128
FIT_ROWS = 4096  # rows the directions are learned from (evenly spaced: deterministic)


class Shortlist:
    """Projected copies of the ranking vectors, row for row with the matcher's matrix."""

    def __init__(self, basis: F32, capacity: int) -> None:
        self._basis = basis  # (ranking dim, DIMENSIONS), orthonormal columns
        self._rows: F32 = np.zeros((capacity, basis.shape[1]), dtype=np.float32)

    @classmethod
    def fit(cls, vectors: F32, capacity: int) -> Shortlist:
        """Directions that keep most of the vectors' inner products: the top right singular
        vectors (not centred: the scores are inner products, not distances to the mean)."""
        step = max(1, len(vectors) // FIT_ROWS)
        _, _, vt = np.linalg.svd(vectors[::step].astype(np.float64), full_matrices=False)
        return cls(np.ascontiguousarray(vt[:DIMENSIONS].T, dtype=np.float32), capacity)

    def fill(self, vectors: F32) -> None:
        """Project the first len(vectors) rows at once."""
        self._rows[: len(vectors)] = vectors @ self._basis

    def grow(self, capacity: int) -> None:
        """Room for `capacity` rows, keeping the rows so far."""
        grown = np.zeros((capacity, self._rows.shape[1]), dtype=np.float32)
        grown[: len(self._rows)] = self._rows[:capacity]
        self._rows = grown

    def set(self, row: int, vector: F32) -> None:
        """Project one ranking vector into its row (zeros for a freed row)."""
        self._rows[row] = vector @ self._basis

    def candidates(self, query: F32, count: int, depth: int) -> I64:
        """The `depth` rows among the first `count` whose projections score best."""
        scores = self._rows[:count] @ (query @ self._basis)
        if depth >= count:
            return np.arange(count)
        return np.argpartition(-scores, depth - 1)[:depth].astype(np.int64)
