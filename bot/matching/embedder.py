"""Sentence embeddings: the Embedder protocol and where the default model comes from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors (one row per text)."""

    @property
    def identity(self) -> str:
        """A stable name of the model and its weights, used to key cached embeddings."""
        ...

    @property
    def dim(self) -> int:
        """Vector width."""
        ...

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Encode texts; returns an array of shape (len(texts), dim), rows of unit length."""
        ...
