"""Rebuild the matcher's learned parts: the decision adapter and its calibration.

    .venv/bin/pip install -e '.[train]'                     # torch 2.13.0 (CPU), transformers
    .venv/bin/python scripts/train_matcher.py adapter      # ~40 min on 2 cores
    .venv/bin/python scripts/train_matcher.py head         # ~2 min; needs ../shared/datasets/mqp

`adapter` fine-tunes a rank-8 LoRA on the attention projections of all-MiniLM-L6-v2 over the
question triples committed in tests/data/matching_pairs_*.jsonl (written for the project, see
tests/data/MATCHING_PAIRS.md): each paraphrase must find its original among all originals and
near-misses of the batch, and the pair cosines are also trained to tell paraphrase from
near-miss. Deterministic for a given thread count (fixed seeds, fixed order). Writes
bot/matching/decision_adapter.npz (float16, ~300 KB). MQP is never used for it, so MQP dev stays
an honest set to calibrate and measure on.

`head` runs the real Matcher (ONNX Runtime, int8, the dual encoder with the shipped adapter)
over MQP dev, fits sigmoid(slope * decision cosine + intercept) on whether answering with the top
candidate would be right, and chooses the answer threshold with a margin: the lowest confidence
at which at most 20 % of bootstrap resamples of the dev originals exceed 5 % wrong answers.
Writes bot/matching/head.npz and prints the thresholds for config/careline.toml.
"""

from __future__ import annotations

import argparse
import glob
import json
import logging
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._mqp import MQP, load_mqp, require  # noqa: E402
from bot.matching.dual import ADAPTER_FILE  # noqa: E402
from bot.matching.head import HEAD_FILE, DecisionHead  # noqa: E402

F64 = npt.NDArray[np.float64]
PAIRS = ROOT / "tests" / "data"
ADAPTER = ROOT / "bot" / "matching" / ADAPTER_FILE
HEAD = ROOT / "bot" / "matching" / HEAD_FILE
LAYERS = ("attention.self.query", "attention.self.key", "attention.self.value")
LAYERS += ("attention.output.dense",)
RANK, ALPHA, SCALE = 8, 16.0, 20.0  # LoRA rank and alpha; cosine temperature
WRONG_LIMIT, RISK = 0.05, 0.20  # answer: P(bootstrap wrong > 5 %) <= 20 %


def load_triples(pattern: str) -> list[tuple[str, str, str]]:
    """(original, paraphrase, different) from every matching file, in file order."""
    triples = []
    for name in sorted(glob.glob(pattern)):
        with open(name, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                row = json.loads(line)
                try:
                    triples.append((row["original"], row["paraphrase"], row["different"]))
                except KeyError as missing:
                    raise SystemExit(f"{name}:{number}: missing field {missing}") from None
    return triples


def mqp_half(index: int, entries: int) -> int:
    """Which half (0 or 1) of MQP dev an original falls in: the split `benchmarks/matching.py`
    uses for its split-halves estimate."""
    return int(np.random.default_rng(0).permutation(entries)[index] % 2)


def mqp_triples(which: str) -> list[tuple[str, str, str]]:
    """(original, rewrite, near-miss) of the MQP dev originals in half `which` ("0", "1") or
    all of them ("all"). Queries come in pairs, one pair per original, in kb.csv's order."""
    require(MQP)
    entries, queries = load_mqp()
    triples = []
    for index, entry in enumerate(entries):
        pair = queries[2 * index : 2 * index + 2]
        rewrite = next(q.text for q in pair if q.paraphrase)
        near_miss = next(q.text for q in pair if not q.paraphrase)
        if which == "all" or mqp_half(index, len(entries)) == int(which):
            triples.append((entry.question, rewrite, near_miss))
    return triples


def train_adapter(args: argparse.Namespace) -> int:  # noqa: PLR0915 - one training loop
    try:
        import torch
        from torch import nn
        from torch.nn import functional
        from transformers import AutoModel, AutoTokenizer
    except ImportError:
        raise SystemExit(
            "adapter training needs the train extra: pip install -e '.[train]'"
        ) from None
    from bot.matching.minilm import resolve_model_path
    from bot.matching.normalize import clean

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    order = random.Random(args.seed)
    folder = resolve_model_path(None)
    written = load_triples(args.pairs)
    if args.sample:
        written = random.Random(args.seed).sample(written, args.sample)
    mqp = mqp_triples(args.mqp) * args.mqp_repeat if args.mqp != "none" else []
    triples = [tuple(clean(t) for t in triple) for triple in written + mqp]
    print(
        f"{len(written)} written triples from {args.pairs}, {len(mqp)} from MQP dev "
        f"({args.mqp}); {args.epochs} epochs on {args.threads} threads"
    )

    class LoRA(nn.Module):
        def __init__(self, base: nn.Linear) -> None:
            super().__init__()
            self.base = base
            self.A = nn.Parameter(torch.empty(RANK, base.in_features))
            nn.init.kaiming_uniform_(self.A, a=math.sqrt(5))
            self.B = nn.Parameter(torch.zeros(base.out_features, RANK))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.base(x) + (x @ self.A.T @ self.B.T) * (ALPHA / RANK)

    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModel.from_pretrained(folder)
    for parameter in model.parameters():
        parameter.requires_grad = False
    adapted: dict[str, LoRA] = {}
    for index, layer in enumerate(model.encoder.layer):
        for name in LAYERS:
            parent = layer.get_submodule(name.rsplit(".", 1)[0])
            attribute = name.rsplit(".", 1)[1]
            lora = LoRA(getattr(parent, attribute))
            setattr(parent, attribute, lora)
            adapted[f"encoder.layer.{index}.{name}"] = lora
    if args.init:  # continue from an adapter (the shipped one: a short pass on MQP dev)
        with np.load(args.init) as start:
            for key, lora in adapted.items():
                lora.A.data = torch.from_numpy(start[f"{key}.A"].astype(np.float32))
                lora.B.data = torch.from_numpy(start[f"{key}.B"].astype(np.float32))
    bias = nn.Parameter(torch.tensor(-0.8 * SCALE))

    def embed(texts: list[str]) -> torch.Tensor:
        batch = tokenizer(texts, padding=True, truncation=True, max_length=128, return_tensors="pt")
        hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        return functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1)

    parameters = [p for p in model.parameters() if p.requires_grad] + [bias]
    optimiser = torch.optim.AdamW(parameters, lr=args.lr, weight_decay=0.01)
    steps = args.epochs * math.ceil(len(triples) / args.batch)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min(1.0, step / warmup) * max(0.0, (steps - step) / steps)
    )
    model.train()
    started = time.perf_counter()
    for epoch in range(args.epochs):
        indices = list(range(len(triples)))
        order.shuffle(indices)
        total = 0.0
        for start in range(0, len(indices), args.batch):
            batch = [triples[i] for i in indices[start : start + args.batch]]
            original = embed([t[0] for t in batch])
            paraphrase = embed([t[1] for t in batch])
            different = embed([t[2] for t in batch])
            # Each paraphrase must pick its original among all originals and near-misses.
            logits = SCALE * paraphrase @ torch.cat([original, different]).T
            loss = functional.cross_entropy(logits, torch.arange(len(batch)))
            positive = SCALE * (paraphrase * original).sum(1) + bias
            negative = SCALE * (different * original).sum(1) + bias
            loss = loss + functional.binary_cross_entropy_with_logits(
                positive, torch.ones_like(positive)
            )
            loss = loss + functional.binary_cross_entropy_with_logits(
                negative, torch.zeros_like(negative)
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item() * len(batch)
            done = start + len(batch)
            print(
                f"\r  epoch {epoch + 1}/{args.epochs}: {done}/{len(indices)} triples, "
                f"loss {total / done:.4f}, {time.perf_counter() - started:.0f}s",
                end="",
                file=sys.stderr,
                flush=True,
            )
        print(file=sys.stderr)
    arrays: dict[str, npt.NDArray[np.float16] | npt.NDArray[np.float32]] = {
        "scale": np.array(ALPHA / RANK, dtype=np.float32)
    }
    for name, lora in adapted.items():
        arrays[f"{name}.A"] = lora.A.detach().numpy().astype(np.float16)
        arrays[f"{name}.B"] = lora.B.detach().numpy().astype(np.float16)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **arrays)  # type: ignore[arg-type]
    size = Path(args.out).stat().st_size
    print(f"wrote {args.out} ({size // 1024} KB) in {time.perf_counter() - started:.0f}s")
    print("now rebuild the calibration: scripts/train_matcher.py head")
    return 0


def fit_calibration(cosine: F64, correct: F64) -> tuple[float, float]:
    """Logistic regression of correct on cosine, by Newton's method from zero."""
    x = np.stack([cosine, np.ones_like(cosine)], axis=1)
    w = np.zeros(2)
    for _ in range(100):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -40, 40)))
        hessian = (x * (p * (1 - p))[:, None]).T @ x + 1e-9 * np.eye(2)
        step = np.linalg.solve(hessian, x.T @ (p - correct))
        w -= step
        if np.abs(step).max() < 1e-12:
            break
    return float(w[0]), float(w[1])


def choose_threshold(
    score: F64, correct: F64, groups: npt.NDArray[np.int64], paraphrases: int, seed: int = 0
) -> tuple[float, float, float, tuple[float, float]]:
    """(threshold, coverage, wrong rate, 90 % interval of the wrong rate) with the margin."""
    rng = np.random.default_rng(seed)
    unique = np.unique(groups)
    members = [np.where(groups == g)[0] for g in unique]
    thresholds = np.unique(score)
    rates = np.empty((1000, len(thresholds)))
    for row in range(len(rates)):
        sample = np.concatenate([members[i] for i in rng.integers(0, len(unique), len(unique))])
        order = np.sort(score[sample])
        wrong = np.cumsum((1 - correct[sample])[np.argsort(score[sample], kind="stable")][::-1])
        # Answered at threshold t: the sample's scores >= t (the tail of the sorted order).
        answered = len(order) - np.searchsorted(order, thresholds, side="left")
        wrong_at = np.where(answered > 0, wrong[np.maximum(answered - 1, 0)], 0)
        rates[row] = wrong_at / np.maximum(answered, 1)
    # The lowest threshold whose answers exceed 5 % wrong in at most 20 % of the resamples.
    safe = np.where((rates > WRONG_LIMIT).mean(axis=0) <= RISK)[0]
    if not len(safe):
        return 1.0, 0.0, 0.0, (0.0, 0.0)
    column = int(safe[0])
    threshold = float(thresholds[column])
    answered_all = score >= threshold
    wrong_rate = float((answered_all & (correct < 1)).sum() / max(answered_all.sum(), 1))
    coverage = float((answered_all & (correct > 0)).sum() / paraphrases)
    low, high = np.quantile(rates[:, column], [0.05, 0.95])
    return threshold, coverage, wrong_rate, (float(low), float(high))


def train_head(args: argparse.Namespace) -> int:
    from bot.matching.cache import CachedEmbedder
    from bot.matching.dual import load_dual
    from bot.matching.matcher import Matcher
    from bot.settings import MatchingSettings

    require(MQP)
    started = time.perf_counter()
    entries, queries = load_mqp()
    settings = MatchingSettings(cache_dir=Path(args.cache_dir))
    embedder = CachedEmbedder(load_dual(None, settings.cache_dir), settings.cache_dir)
    matcher = Matcher(entries, settings=settings, embedder=embedder)
    cosine, correct, top3 = [], [], []
    for query in queries:
        result = matcher.match(query.text)
        best = result.best
        cosine.append(best.signals["decision_cosine"] if best else -1.0)
        correct.append(float(bool(best) and query.paraphrase and best.entry_id == query.expected))
        top3.append(
            query.paraphrase and query.expected in [c.entry_id for c in result.candidates[:3]]
        )
    cos, right = np.array(cosine), np.array(correct)
    paraphrases = sum(q.paraphrase for q in queries)
    top1 = right.sum() / paraphrases
    print(f"MQP dev: {len(queries)} queries, {len(entries)} entries; top-1 {top1:.4f}")
    oracle = []
    for limit in (0.02, 0.05, 0.10):
        order = np.argsort(-cos, kind="stable")
        hits = np.cumsum(right[order])
        answered = np.arange(1, len(order) + 1)
        ok = answered - hits <= limit * answered
        oracle.append(hits[ok].max() / paraphrases if ok.any() else 0.0)
    print(
        "oracle coverage at <=2/5/10 % wrong (threshold chosen after the fact): "
        + " / ".join(f"{c:.3f}" for c in oracle)
    )
    slope, intercept = fit_calibration(cos, right)
    head = DecisionHead(slope=slope, intercept=intercept)
    score = head.confidence(cos)
    # Queries come in pairs written from one original (MQP's file order): resample pairs.
    groups = np.arange(len(queries)) // 2
    threshold, coverage, wrong, (low, high) = choose_threshold(score, right, groups, paraphrases)
    print(f"calibration: sigmoid({slope:.4f} * cosine + {intercept:.4f})")
    print(
        f"answer threshold {threshold:.4f}: coverage {coverage:.3f}, wrong rate {wrong:.4f} "
        f"(90 % bootstrap interval {low:.4f}-{high:.4f})"
    )
    # Suggest: keep 90 % of the not-answered paraphrases whose entry is in the top three, so
    # unrelated chatter is escalated without a list of irrelevant entries.
    useful = np.array(top3) & (score < threshold)
    suggest = float(np.quantile(score[useful], 0.10)) if useful.any() else threshold
    print(f"suggest threshold {suggest:.4f}")
    head.save(Path(args.out))
    print(f"wrote {args.out} in {time.perf_counter() - started:.0f}s")
    print(
        f"set [matching] answer_threshold = {threshold:.4f} and suggest_threshold = "
        f"{suggest:.4f} in config/careline.toml"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="step", required=True)
    adapter = sub.add_parser("adapter", help="fine-tune the decision adapter (train extra)")
    adapter.add_argument("--pairs", default=str(PAIRS / "matching_pairs_*.jsonl"))
    adapter.add_argument("--epochs", type=int, default=1)
    adapter.add_argument("--batch", type=int, default=32)
    adapter.add_argument("--lr", type=float, default=5e-4)
    adapter.add_argument("--threads", type=int, default=2)
    adapter.add_argument("--seed", type=int, default=0)
    adapter.add_argument("--out", default=str(ADAPTER))
    adapter.add_argument("--init", help="start from this adapter file instead of zero")
    adapter.add_argument("--sample", type=int, default=0, help="use N written triples (0: all)")
    adapter.add_argument(
        "--mqp", choices=("none", "0", "1", "all"), default="none", help="add MQP dev triples"
    )
    adapter.add_argument("--mqp-repeat", type=int, default=3)
    head = sub.add_parser("head", help="calibrate on MQP dev and choose thresholds")
    head.add_argument("--cache-dir", default=str(ROOT / "var" / "cache"))
    head.add_argument("--out", default=str(HEAD))
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    return train_adapter(args) if args.step == "adapter" else train_head(args)


if __name__ == "__main__":
    raise SystemExit(main())
