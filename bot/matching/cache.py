"""On-disk cache of sentence embeddings keyed by text and model, so restarts do not re-encode."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.matching.embedder import Embedder, Vectors

log = logging.getLogger(__name__)

MAX_SHARDS = 16  # compact into one file past this many, so start-up reads stay few


KEY_BYTES = 16


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=KEY_BYTES).digest()


class CachedEmbedder:
    """Wraps an Embedder; vectors already computed for the same model are read from disk.

    Each save adds a shard (`<model>-<time>-<pid>.npz`: keys and float32 vectors); shards are
    compacted into one when there are many. A damaged shard is skipped with a warning (it is only
    a cache).
    """

    def __init__(self, embedder: Embedder, cache_dir: Path) -> None:
        self._embedder = embedder
        model = hashlib.blake2b(embedder.identity.encode(), digest_size=8).hexdigest()
        self._dir = Path(cache_dir) / "embeddings"
        # v2: keys stored as raw uint8 rows (v1's "S16" strings lost trailing zero bytes).
        self._prefix = f"{model}-v2-"
        self._vectors: dict[bytes, Vectors] = {}
        self._pending: dict[bytes, Vectors] = {}
        self._files: set[Path] = set()
        self._load()

    @property
    def inner(self) -> Embedder:
        """The wrapped model, for texts not worth caching (questions are seldom repeated)."""
        return self._embedder

    @property
    def identity(self) -> str:
        """The wrapped model's identity."""
        return self._embedder.identity

    @property
    def dim(self) -> int:
        """The wrapped model's vector width."""
        return self._embedder.dim

    @property
    def ranking_dim(self) -> int:
        """The wrapped model's ranking width (see `dual.DualEmbedder`), else its width."""
        width: int = getattr(self._embedder, "ranking_dim", self._embedder.dim)
        return width

    def __len__(self) -> int:
        return len(self._vectors)

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Vectors for texts, encoding only those never seen before by this model."""
        keys = [_key(text) for text in texts]
        missing = {
            key: text for key, text in zip(keys, texts, strict=True) if key not in self._vectors
        }
        if missing:
            fresh = self._embedder.encode(list(missing.values()))
            for key, vector in zip(missing, fresh, strict=True):
                self._vectors[key] = vector
                self._pending[key] = vector
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for row, key in enumerate(keys):
            out[row] = self._vectors[key]
        return out

    def flush(self) -> None:
        """Write vectors computed since the last flush (no-op when nothing is new)."""
        if not self._pending:
            return
        try:
            self._dir.mkdir(parents=True, exist_ok=True)
            if len(self._shard_files()) >= MAX_SHARDS:
                self._compact()
            else:
                self._files.add(self._write(self._pending))
        except OSError as exc:
            log.warning("cannot write the embedding cache in %s: %s", self._dir, exc)
            return
        self._pending.clear()

    def _shard_files(self) -> list[Path]:
        if not self._dir.is_dir():
            return []
        return sorted(self._dir.glob(f"{self._prefix}*.npz"))

    def _load(self) -> None:
        for file in self._shard_files():
            try:
                with np.load(file) as data:
                    keys, vectors = data["keys"], data["vectors"]
            except (OSError, ValueError, KeyError) as exc:
                log.warning("skipping damaged embedding cache file %s: %s", file, exc)
                continue
            if vectors.shape[1:] != (self.dim,) or keys.shape != (len(vectors), KEY_BYTES):
                continue
            for key, vector in zip(keys, vectors, strict=True):
                self._vectors[key.tobytes()] = vector
            self._files.add(file)
        if self._vectors:
            log.info("read %s cached embeddings from %s", len(self._vectors), self._dir)

    def _compact(self) -> None:
        # Only files this process has read or written are replaced: a shard another process wrote
        # meanwhile survives (its vectors are not in memory here).
        merged = self._write(self._vectors)
        for file in self._files:
            file.unlink(missing_ok=True)
        self._files = {merged}

    def _write(self, vectors: dict[bytes, Vectors]) -> Path:
        keys = np.frombuffer(b"".join(vectors), dtype=np.uint8).reshape(-1, KEY_BYTES)
        matrix = np.stack(list(vectors.values())).astype(np.float32)
        # Unique names: processes sharing the folder never overwrite each other's shards.
        target = self._dir / f"{self._prefix}{time.time_ns():020d}-{os.getpid()}.npz"
        handle, temporary = tempfile.mkstemp(dir=self._dir, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            np.savez(stream, keys=keys, vectors=matrix)
        os.replace(temporary, target)  # atomic: readers never see a half-written shard
        return target
