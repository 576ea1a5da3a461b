"""MQP dev set helpers shared by the benchmark and the training script: load, score, sweep."""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.knowledge.entry import Entry

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT.parent / "shared" / "datasets"
MQP = DATASETS / "mqp"
MEDQUAD = DATASETS / "medquad"
WRONG_LIMITS = (0.02, 0.05, 0.10)


@dataclass(frozen=True)
class Query:
    """One MQP query: the text, the entry that answers it ('' for a near-miss) and its kind."""

    text: str
    expected: str
    kind: str

    @property
    def paraphrase(self) -> bool:
        """True when some entry answers it."""
        return self.kind == "paraphrase"


def require(folder: Path) -> None:
    """Exit with a clear message when a dataset folder is absent."""
    if not folder.is_dir():
        print(
            f"SKIP: dataset folder {folder} is absent (expected beside the repo)", file=sys.stderr
        )
        raise SystemExit(0)


def load_mqp(folder: Path = MQP) -> tuple[list[Entry], list[Query]]:
    """The MQP KB as entries and its queries."""
    with (folder / "kb.csv").open(encoding="utf-8", newline="") as handle:
        entries = [
            Entry(id=row["id"], question=row["question"], answer="")
            for row in csv.DictReader(handle)
        ]
    with (folder / "queries.csv").open(encoding="utf-8", newline="") as handle:
        queries = [
            Query(row["query"], row["expected_id"], row["kind"]) for row in csv.DictReader(handle)
        ]
    return entries, queries


def load_medquad(file: str, limit: int | None = None) -> list[Entry]:
    """MedQuAD questions as entries (kb.csv: with answers; questions.csv: all 47k)."""
    csv.field_size_limit(1 << 24)
    with (MEDQUAD / file).open(encoding="utf-8", newline="") as handle:
        entries = [
            Entry(id=row["id"], question=row["question"], answer=row.get("answer", "") or "")
            for row in csv.DictReader(handle)
        ]
    return entries[:limit] if limit else entries


@dataclass(frozen=True)
class Scored:
    """Top-1 id and score per query plus the top-5 ids (for recall@5)."""

    top: list[str]
    score: npt.NDArray[np.float64]
    top5: list[list[str]]


def top1_accuracy(queries: Sequence[Query], scored: Scored) -> float:
    """Share of paraphrase queries whose top id is the expected one."""
    hits = [q.expected == t for q, t in zip(queries, scored.top, strict=True) if q.paraphrase]
    return float(np.mean(hits)) if hits else 0.0


def recall_at_5(queries: Sequence[Query], scored: Scored) -> float:
    """Share of paraphrase queries whose expected id is among the top 5."""
    hits = [q.expected in t for q, t in zip(queries, scored.top5, strict=True) if q.paraphrase]
    return float(np.mean(hits)) if hits else 0.0


def at_threshold(
    queries: Sequence[Query], top: Sequence[str], score: npt.NDArray[np.float64], threshold: float
) -> tuple[float, float, int, int]:
    """(coverage, wrong-answer rate, answered, wrong) when answering at score >= threshold."""
    answered = score >= threshold
    correct = np.array(
        [q.paraphrase and q.expected == t for q, t in zip(queries, top, strict=True)]
    )
    paraphrases = sum(q.paraphrase for q in queries)
    n_answered = int(answered.sum())
    n_wrong = int((answered & ~correct).sum())
    coverage = float((answered & correct).sum() / max(paraphrases, 1))
    return coverage, (n_wrong / n_answered if n_answered else 0.0), n_answered, n_wrong


def sweep(
    queries: Sequence[Query], top: Sequence[str], score: npt.NDArray[np.float64], limit: float
) -> tuple[float, float]:
    """(best coverage, its threshold) over all observed scores with wrong rate <= limit."""
    correct = np.array(
        [q.paraphrase and q.expected == t for q, t in zip(queries, top, strict=True)]
    )
    paraphrases = max(sum(q.paraphrase for q in queries), 1)
    order = np.argsort(-score, kind="stable")
    sorted_scores = score[order]
    hits = np.cumsum(correct[order])
    answered = np.arange(1, len(order) + 1)
    wrong = answered - hits
    # Only cut where the next score differs: a threshold answers all ties.
    valid = np.r_[sorted_scores[1:] != sorted_scores[:-1], True]
    ok = valid & (wrong <= limit * answered)
    if not ok.any():
        return 0.0, float("inf")
    best = int(np.argmax(np.where(ok, hits, -1)))
    return float(hits[best] / paraphrases), float(sorted_scores[best])
