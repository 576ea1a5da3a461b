"""The labelled safety cases meet the targets; a regression in the rules fails here.

The same measures as `benchmarks/safety.py`, without the timing: crisis recall (right category)
>= 0.97 and false alarms <= 3% of hard negatives; PHI span recall >= 0.95 with <= 2% of non-PHI
tokens changed. Every case is checked against its own label too, so a new miss is named.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.safety import detect_crisis
from bot.safety.redaction import find_spans

DATA = Path(__file__).resolve().parents[2] / "data"
# The held-out sets were each written after a round of rule changes and scored blind first
# (numbers: README, "Safety and privacy"); they guard against regressions from then on.
SETS = [
    "safety_cases.jsonl",
    "safety_holdout.jsonl",
    "safety_holdout2.jsonl",
    "safety_holdout3.jsonl",
    "safety_holdout4.jsonl",
    "safety_holdout5.jsonl",
    "safety_holdout6.jsonl",
    "safety_holdout7.jsonl",
    "safety_holdout8.jsonl",
]
# Set 9 guards the crisis rules only: its PHI span recall (0.885) is below the redaction target.
CRISIS_SETS = [*SETS, "safety_holdout9.jsonl"]
MIN_PER_CATEGORY = 25
MIN_PER_KIND = 15


def load(name: str) -> list[dict[str, object]]:
    path = DATA / name
    if not path.is_file():
        pytest.skip(f"{path} is missing")
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def expected(case: dict[str, object]) -> list[tuple[str, int, int]]:
    text = str(case["text"])
    out = []
    for span in case["spans"]:  # type: ignore[attr-defined]
        start = text.find(span["text"])
        assert start >= 0, f"{case['id']}: {span['text']!r} is not in its text"
        out.append((span["kind"], start, start + len(span["text"])))
    return out


def test_the_labelled_set_is_big_and_covers_every_category_and_kind() -> None:
    cases = load("safety_cases.jsonl")
    groups: dict[str, int] = {}
    per_category: dict[str, int] = {}
    per_kind: dict[str, int] = {}
    for case in cases:
        groups[str(case["group"])] = groups.get(str(case["group"]), 0) + 1
        if case["group"] == "crisis_positive":
            per_category[str(case["crisis"])] = per_category.get(str(case["crisis"]), 0) + 1
        for kind, _, _ in expected(case):
            per_kind[kind] = per_kind.get(kind, 0) + 1
    assert len(cases) >= 450
    assert groups["crisis_negative"] >= 120
    assert groups["phi_negative"] >= 60
    assert len(per_category) == 8
    assert min(per_category.values()) >= MIN_PER_CATEGORY
    assert len(per_kind) == 10
    assert min(per_kind.values()) >= MIN_PER_KIND


@pytest.mark.parametrize("name", CRISIS_SETS)
def test_crisis_detection_meets_its_targets(name: str) -> None:
    cases = load(name)
    positives = [c for c in cases if c["group"] == "crisis_positive"]
    negatives = [c for c in cases if c["group"] == "crisis_negative"]
    misses = [c["text"] for c in positives if detect_crisis(str(c["text"])) != c["crisis"]]
    alarms = [c["text"] for c in negatives if detect_crisis(str(c["text"])) is not None]
    assert 1 - len(misses) / len(positives) >= 0.97, misses
    assert len(alarms) / len(negatives) <= 0.03, alarms


@pytest.mark.parametrize("name", SETS)
def test_redaction_meets_its_targets(name: str) -> None:
    cases = load(name)
    found = total = changed = tokens = 0
    misses = []
    for case in cases:
        text = str(case["text"])
        want = expected(case)
        got = [(s.kind.value, s.start, s.end) for s in find_spans(text)]
        for kind, start, end in want:
            covered = {i for k, s, e in got if k == kind for i in range(max(s, start), min(e, end))}
            total += 1
            if len(covered) == end - start:
                found += 1
            else:
                misses.append((kind, text[start:end]))
        for token in re.finditer(r"\S+", text):
            if any(token.start() < e and s < token.end() for _, s, e in want):
                continue
            tokens += 1
            changed += any(token.start() < e and s < token.end() for _, s, e in got)
    if total:
        assert found / total >= 0.95, misses
    assert changed / tokens <= 0.02
