"""Ways to run all-MiniLM-L6-v2, side by side: quality on MQP, start-up, latency, memory.

Run: .venv/bin/python benchmarks/runtimes.py [--limit N]
Each runtime runs in its own process on one thread, encoding the MQP dev KB and queries one text
at a time (what the bot does per question):
- numpy: the reference forward pass (tests/support/numpy_bert.py; Careline's runtime until
  2026-12);
- onnxruntime fp32 and int8: Careline's graph (bot/matching/bert_graph.py), int8 shipped;
- transformers on torch: needs the train extra (pip install -e '.[train]'), else skipped.
Needs ../shared/datasets/mqp (skips with a message when absent).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._mqp import MQP, load_mqp, require  # noqa: E402

RUNTIMES = ("numpy", "onnxruntime-fp32", "onnxruntime-int8", "transformers-torch")
Encode = Callable[[str], np.ndarray]


def _loader(runtime: str, cache: Path) -> Encode:
    from bot.matching.minilm import MiniLMEmbedder, resolve_model_path

    folder = resolve_model_path(None)
    if runtime == "numpy":
        from tests.support.numpy_bert import NumpyBert

        numpy_model = NumpyBert(folder)
        return lambda text: numpy_model.encode([text])[0]
    if runtime.startswith("onnxruntime"):
        onnx_model = MiniLMEmbedder(folder, cache, "int8" if runtime.endswith("int8") else "fp32")
        return lambda text: onnx_model.encode([text])[0]
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(1)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModel.from_pretrained(folder).eval()

    def encode(text: str) -> np.ndarray:
        with torch.no_grad():
            batch = tokenizer([text], truncation=True, max_length=256, return_tensors="pt")
            hidden = model(**batch).last_hidden_state[0]
            vector = hidden.mean(0)
            return (vector / vector.norm()).numpy()

    return encode


def worker(runtime: str, limit: int, cache: Path, out: Path) -> None:
    """Load one runtime, encode the MQP texts one at a time, save vectors and timings."""
    from bot.matching.normalize import clean

    started = time.perf_counter()
    encode = _loader(runtime, cache)
    encode("warm up")
    loaded = time.perf_counter() - started
    entries, queries = load_mqp()
    texts = [clean(e.question) for e in entries] + [clean(q.text) for q in queries[:limit]]
    vectors, latency = [], []
    for text in texts:
        start = time.perf_counter()
        vectors.append(encode(text))
        latency.append((time.perf_counter() - start) * 1000)
    np.save(out, np.array(vectors, dtype=np.float32))
    stats = {
        "load_s": loaded,
        "p50_ms": float(np.percentile(latency, 50)),
        "p99_ms": float(np.percentile(latency, 99)),
        "texts_per_s": len(texts) / (sum(latency) / 1000),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    out.with_suffix(".json").write_text(json.dumps(stats), encoding="utf-8")


def quality(vectors: np.ndarray, entries: int, queries: Sequence[object]) -> tuple[float, ...]:
    """top-1, recall@5 and oracle coverage at <= 5 % wrong of plain cosine."""
    from benchmarks._mqp import Scored, recall_at_5, sweep, top1_accuracy

    kb, asked = vectors[:entries], vectors[entries:]
    ids = [e.id for e in load_mqp()[0]]
    cos = asked @ kb.T
    order = np.argsort(-cos, axis=1)[:, :5]
    scored = Scored(
        [ids[o[0]] for o in order], cos.max(axis=1), [[ids[i] for i in o] for o in order]
    )
    return (
        top1_accuracy(queries, scored),  # type: ignore[arg-type]
        recall_at_5(queries, scored),  # type: ignore[arg-type]
        sweep(queries, scored.top, scored.score, 0.05)[0],  # type: ignore[arg-type]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=1470, help="queries to encode (default all)")
    parser.add_argument(
        "--worker", nargs=3, metavar=("RUNTIME", "CACHE", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], args.limit, Path(args.worker[1]), Path(args.worker[2]))
        return 0
    require(MQP)
    entries, queries = load_mqp()
    queries = queries[: args.limit]
    rows, reference = [], None
    with tempfile.TemporaryDirectory() as folder:
        for runtime in RUNTIMES:
            out = Path(folder) / f"{runtime}.npy"
            print(f"running {runtime} ...", file=sys.stderr)
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--limit",
                    str(args.limit),
                    "--worker",
                    runtime,
                    folder,
                    str(out),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                reason = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"
                rows.append(f"| {runtime} | skipped: {reason} |||||||||")
                continue
            vectors = np.load(out)
            stats = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
            if reference is None:
                reference = vectors
            agreement = float((vectors * reference).sum(axis=1).min())
            top1, recall5, coverage = quality(vectors, len(entries), queries)
            rows.append(
                f"| {runtime} | {agreement:.6f} | {top1:.3f} | {recall5:.3f} | {coverage:.3f} | "
                f"{stats['load_s']:.2f} | {stats['p50_ms']:.2f} | {stats['p99_ms']:.2f} | "
                f"{stats['texts_per_s']:.0f} | {stats['peak_mb']:.0f} |"
            )
    size = f"{len(entries)} entries + {len(queries)} queries"
    print(f"\n## all-MiniLM-L6-v2 runtimes (one thread; {size})\n")
    print(
        "| runtime | min cosine vs numpy | top-1 | recall@5 | cosine coverage ≤5 % wrong (oracle) "
        "| load s | p50 ms | p99 ms | texts/s | peak MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
