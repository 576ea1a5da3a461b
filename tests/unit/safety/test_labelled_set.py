"""The labelled safety sets: the shipped model and the redaction keep their targets.

The same measures as `benchmarks/safety.py`, without the timing. On the training sets (the
files `scripts/train_crisis_model.py` learns from) the shipped crisis model must keep recall
(right category) >= 0.97 and false alarms <= 3% of the hard negatives: it was trained on them,
so a miss here means a damaged file or features that no longer match training. The redaction
must keep span recall >= 0.95 with <= 2% of non-PHI tokens changed.

The blind sets are scored and reported, never asserted against the targets: nothing was tuned
on them, so their numbers are what Careline does on new wording (README, "Measuring it").
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from benchmarks._safety_sets import BLIND, TRAINING
from bot.safety import detect_crisis
from bot.safety.redaction import find_spans

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"
MIN_PER_CATEGORY = 25
MIN_PER_KIND = 15


def load(name: str) -> list[dict[str, object]]:
    path = DATA / f"{name}.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} is missing")
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def expected(case: dict[str, object]) -> list[tuple[str, int, int]]:
    """Labelled spans as offsets: each occurrence not inside another labelled span."""
    text = str(case["text"])
    labels = [(span["kind"], span["text"]) for span in case["spans"]]  # type: ignore[attr-defined]
    firsts = []
    for _kind, value in labels:
        start = text.find(value)
        assert start >= 0, f"{case['id']}: {value!r} is not in its text"
        firsts.append((start, start + len(value)))
    out: list[tuple[str, int, int]] = []
    for kind, value in labels:
        for m in re.finditer(re.escape(value), text):
            s, e = m.span()
            inside = any(ks <= s and e <= ke and (ks, ke) != (s, e) for ks, ke in firsts)
            if not inside and (kind, s, e) not in out:
                out.append((kind, s, e))
    return out


Cases = list[dict[str, object]]


def crisis_numbers(cases: Cases) -> tuple[float, float, list[object], list[object]]:
    """Recall (right category), false-alarm rate, the misses and the false alarms."""
    positives = [c for c in cases if c["crisis"]]  # a PHI case may be a crisis too
    negatives = [c for c in cases if c["group"] == "crisis_negative"]
    misses = [c["text"] for c in positives if detect_crisis(str(c["text"])) != c["crisis"]]
    alarms = [c["text"] for c in negatives if detect_crisis(str(c["text"])) is not None]
    assert positives, "a set scored for crises needs crisis cases"
    alarm_rate = len(alarms) / len(negatives) if negatives else 0.0  # set p: PHI cases only
    return 1 - len(misses) / len(positives), alarm_rate, misses, alarms


def phi_numbers(cases: list[dict[str, object]]) -> tuple[int, int, int, int, list[object]]:
    """Spans found, spans labelled, non-PHI tokens changed, non-PHI tokens, the misses."""
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
    return found, total, changed, tokens, misses


def test_the_labelled_set_is_big_and_covers_every_category_and_kind() -> None:
    cases = load("safety_cases")
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


@pytest.mark.parametrize("name", TRAINING)
def test_the_shipped_model_keeps_its_targets_on_the_training_sets(name: str) -> None:
    cases = load(name)
    if not any(c["crisis"] for c in cases):
        # A set of personal details only (am): none of it may raise a crisis.
        flagged = [c["text"] for c in cases if detect_crisis(str(c["text"])) is not None]
        assert len(flagged) <= 0.03 * len(cases), flagged
        return
    recall, alarm_rate, misses, alarms = crisis_numbers(cases)
    assert recall >= 0.97, misses
    assert alarm_rate <= 0.03, alarms


@pytest.mark.parametrize("name", TRAINING)
def test_redaction_keeps_its_targets_on_each_training_set(name: str) -> None:
    found, total, changed, tokens, misses = phi_numbers(load(name))
    # Sets of 50-odd spans: one name said only as "since Margaret passed" is 2%. Each set
    # keeps 0.90, all of them together the 0.95 target (next test).
    if total:
        assert found / total >= 0.90, misses
    assert changed / tokens <= 0.02


def test_redaction_meets_its_targets_on_the_training_sets_together() -> None:
    found = total = changed = tokens = 0
    for name in TRAINING:
        f, t, c, n, _ = phi_numbers(load(name))
        found, total, changed, tokens = found + f, total + t, changed + c, tokens + n
    assert found / total >= 0.95
    assert changed / tokens <= 0.02


def test_the_blind_sets_are_never_trained_on() -> None:
    assert not set(BLIND) & set(TRAINING)
    # The training script (and the name tagger's, through it) learns from these lists only.
    script = (ROOT / "scripts" / "train_crisis_model.py").read_text(encoding="utf-8")
    assert "TRAIN_FILES = TRAINING\n" in script
    assert "BLIND_FILES = BLIND" in script


@pytest.mark.parametrize("name", BLIND)
def test_the_blind_sets_are_scored_and_reported(
    name: str, record_property: pytest.RecordProperty, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = load(name)
    recall, alarm_rate, misses, alarms = crisis_numbers(cases)
    found, total, changed, tokens, _ = phi_numbers(cases)
    summary = (
        f"{name} (blind): crisis recall {recall:.3f} ({len(misses)} missed), false alarms "
        f"{alarm_rate:.1%} ({len(alarms)}); PHI span recall {found}/{total}, over-redaction "
        f"{changed / tokens:.2%}"
    )
    record_property("blind_score", summary)
    with capsys.disabled():
        print(f"\n{summary}")
    # Reported, not asserted against the targets. Only a broken model or redaction fails:
    assert recall > 0.5
    assert alarm_rate < 0.5
    assert found / max(1, total) > 0.5
