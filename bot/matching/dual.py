"""Two views of one text: a vector to rank entries with and a vector to decide with.

Ranking and deciding are different jobs. The base sentence model ranks best (top-1 0.965 on MQP),
while a copy adapted on question pairs (a low-rank adapter trained by
`scripts/train_matcher.py`) tells a same-intent rewrite from a near-miss far better but ranks
worse. Each text gets both vectors, side by side in one row, so the embedding cache, live
updates and the search keep handling one matrix.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.matching.embedder import Embedder, Vectors

ADAPTER_FILE = "decision_adapter.npz"


class DualEmbedder:
    """Concatenates a ranking model's vector and a decision model's vector for each text."""

    def __init__(self, ranking: Embedder, decision: Embedder) -> None:
        self._ranking = ranking
        self._decision = decision

    @property
    def identity(self) -> str:
        """Both models' identities."""
        return f"dual[{self._ranking.identity}|{self._decision.identity}]"

    @property
    def dim(self) -> int:
        """Ranking width plus decision width."""
        return self._ranking.dim + self._decision.dim

    @property
    def ranking_dim(self) -> int:
        """Columns [0, ranking_dim) are the ranking vector, the rest the decision vector."""
        return self._ranking.dim

    def encode(self, texts: Sequence[str]) -> Vectors:
        """One row per text: ranking vector, then decision vector (each of unit length)."""
        return np.hstack([self._ranking.encode(texts), self._decision.encode(texts)])


def shipped_adapter() -> Path:
    """The decision adapter packaged with Careline."""
    return Path(__file__).resolve().parent / ADAPTER_FILE


def load_dual(model_path: Path | None, cache_dir: Path) -> DualEmbedder:
    """The base model for ranking and the adapted model for deciding (each loaded once)."""
    from bot.matching.minilm import load_embedder

    return DualEmbedder(
        load_embedder(model_path, cache_dir),
        load_embedder(model_path, cache_dir, adapter=shipped_adapter()),
    )
