"""Train the address tagger of `bot/safety/address_model.py`; choose its threshold out of fold.

Run (a minute or two):

    .venv/bin/pip install -e '.[train]'          # scikit-learn, for training only
    .venv/bin/python scripts/train_address_model.py

It writes `bot/safety/address_model.json` and prints the leave-one-file-out report the README
quotes. The bot never imports scikit-learn: the weights are a plain feature-to-weight table.

Training data, one example per word or number within `WINDOW` tokens of a number, in every
message that has one:
- the labelled safety files of `train_crisis_model.TRAIN_FILES` (never the blind sets): a token
  inside a labelled ADDRESS span is an address, every other one is not; tokens inside other
  labelled details (phones, ids, dates) are left out, as the rules take them first;
- ordinary health text, which gives no one's address (MQP, a sample of MedQuAD's questions and
  answers, the matching triples): doses, readings, dates, times and ages, never an address.

Threshold: each file is scored by a model that did not see it, and the runtime is replayed on
those scores (only numbers that look like an address open a window; a run of taken tokens
needs a number and a second token). The threshold is the lowest from 0.30 up that keeps the
words wrongly taken, out of fold, at or under MAX_WRONG of all the words of the safety files
and of the health text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from train_crisis_model import BLIND_FILES, TRAIN_FILES, _hashed_fold  # noqa: E402
from train_name_model import DATASETS, health_texts, spans_of, weight_table  # noqa: E402

from bot.safety.address_model import (  # noqa: E402
    ANCHOR,
    MODEL_FILE,
    WINDOW,
    _has_digit,
    _offsets,
    _runs,
    features,
    grown,
    scored_tokens,
    tokens,
)

try:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
except ImportError:  # pragma: no cover - the train extra is missing
    sys.exit("careline: training needs scikit-learn: pip install -e '.[train]'")

DATA = ROOT / "tests" / "data"
MAX_WRONG = 0.001  # of all words: a tenth of a percent, where the target allows 2%
THRESHOLDS = (0.1, 0.15, 0.2, 0.3, 0.4, 0.5)
CORES = (0.3, 0.5, 0.7, 0.8, 0.9)
C = 1.0


@dataclass
class Message:
    """One message with a number: its tokens' examples and, for the replay, what they are."""

    group: str  # the file it came from, the fold it is held out with
    text: str
    words: int  # whitespace-separated words, as the benchmark counts over-redaction
    addresses: list[tuple[int, int]]
    index: list[int] = field(default_factory=list)  # token index of each example
    feats: list[list[str]] = field(default_factory=list)
    labels: list[bool] = field(default_factory=list)
    digit: list[bool] = field(default_factory=list)


def message(
    text: str, group: str, addresses: list[tuple[int, int]], others: list[tuple[int, int]]
) -> Message:
    """The examples of one message: its words and numbers within WINDOW of a number."""
    toks = tokens(text)
    words = [t[0] for t in toks]
    out = Message(group, text, len(text.split()), addresses)
    digits = [_has_digit(w) for w in words]
    scored = scored_tokens(toks)
    numbers = [i for i in scored if digits[i]]
    near = {i for n in numbers for i in range(n - WINDOW, n + WINDOW + 1)}
    for i in scored:
        start, end = toks[i].span()
        if i not in near or any(s < end and start < e for s, e in others):
            continue
        out.index.append(i)
        out.feats.append(features(text, toks, words, i, digits))
        out.labels.append(any(s <= start and end <= e for s, e in addresses))
        out.digit.append(digits[i])
    return out


def safety_messages() -> tuple[list[Message], int]:
    """The messages of the safety files with a number, and how many words the files hold."""
    assert not set(TRAIN_FILES) & set(BLIND_FILES)  # noqa: S101 - a blind set must stay blind
    out = []
    total = 0
    for name in TRAIN_FILES:
        for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                total += len(case["text"].split())
                if any(c.isdigit() for c in case["text"]):
                    addresses = spans_of(case, "ADDRESS")
                    others = spans_of(case, "ADDRESS", of_kind=False)
                    out.append(message(case["text"], name, addresses, others))
    return out, total


def fit(messages: Sequence[Message]) -> tuple[DictVectorizer, LogisticRegression]:
    vec = DictVectorizer()
    x = vec.fit_transform([dict.fromkeys(f, 1.0) for m in messages for f in m.feats])
    y = np.array([label for m in messages for label in m.labels])
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
    clf.fit(x, y)
    return vec, clf


def out_of_fold(messages: list[Message]) -> list[np.ndarray]:
    """Each message's example probabilities from a model that did not see its file."""
    p: list[np.ndarray] = [np.zeros(0)] * len(messages)
    for held in TRAIN_FILES:
        groups = (held, "health:" + held)
        inside = [i for i, m in enumerate(messages) if m.group in groups and m.feats]
        vec, clf = fit([m for m in messages if m.group not in groups])
        for i in inside:
            x = vec.transform([dict.fromkeys(f, 1.0) for f in messages[i].feats])
            p[i] = clf.predict_proba(x)[:, 1]
        print(
            f"  {held}: {sum(sum(messages[i].labels) for i in inside)} address tokens",
            file=sys.stderr,
        )
    return p


def replay(m: Message, p: np.ndarray, threshold: float, core: float) -> list[tuple[int, int]]:
    """The spans the runtime would find with these scores."""
    toks = tokens(m.text)
    words = [t[0] for t in toks]
    anchors = [i for i, q, d in zip(m.index, p, m.digit, strict=True) if d and q >= ANCHOR]
    score = dict(zip(m.index, p, strict=True))
    taken = grown(anchors, set(m.index), lambda i: score.get(i, 0.0), threshold)
    runs = _runs(m.text, toks, words, taken, set(m.index))
    return [_offsets(m.text, toks, run) for run in runs if max(score[i] for i in run) >= core]


@dataclass
class Result:
    found: int = 0  # labelled addresses wholly inside a found span
    addresses: int = 0
    wrong_safety: int = 0  # words outside every labelled address that a found span touches
    wrong_health: int = 0
    misses: list[str] = field(default_factory=list)
    taken: list[str] = field(default_factory=list)


def evaluate(messages: list[Message], p: list[np.ndarray], threshold: float, core: float) -> Result:
    r = Result()
    for m, q in zip(messages, p, strict=True):
        got = replay(m, q, threshold, core) if len(q) else []
        for s, e in m.addresses:
            r.addresses += 1
            ok = any(gs <= s and e <= ge for gs, ge in got)
            r.found += ok
            if not ok:
                r.misses.append(f"{m.text[s:e]!r} in {m.text[:200]!r}")
        for tok in re.finditer(r"\S+", m.text):
            if any(tok.start() < e and s < tok.end() for s, e in m.addresses):
                continue
            if any(tok.start() < e and s < tok.end() for s, e in got):
                if m.group.startswith("health:"):
                    r.wrong_health += 1
                else:
                    r.wrong_safety += 1
                r.taken.append(f"{tok.group()!r} in {m.text[:200]!r}")
    return r


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="print the out-of-fold mistakes")
    args = parser.parse_args(argv)
    if not DATASETS.is_dir():
        print(f"careline: {DATASETS} is missing (the health texts come from it)")
        return 2
    messages, safety_words = safety_messages()
    health = health_texts()
    health_words = sum(len(t.split()) for t in health)
    messages += [
        message(t, "health:" + _hashed_fold(t), [], [])
        for t in health
        if any(c.isdigit() for c in t)
    ]
    examples = sum(len(m.labels) for m in messages)
    print(
        f"{len(messages):,} messages with a number, {examples:,} tokens near one, "
        f"{sum(sum(m.labels) for m in messages):,} in addresses"
    )
    p = out_of_fold(messages)
    best: tuple[int, float, float] | None = None  # addresses found, threshold, core
    fewest: tuple[int, float, float] | None = None  # words wrongly taken, threshold, core
    for t in THRESHOLDS:
        for core in (c for c in CORES if c >= t):
            r = evaluate(messages, p, t, core)
            safety, healthy = r.wrong_safety / safety_words, r.wrong_health / health_words
            ok = max(safety, healthy) <= MAX_WRONG
            print(
                f"  at {t:.2f}, core {core:.2f}: addresses {r.found / r.addresses:.3f} "
                f"({r.found}/{r.addresses}), other words taken: safety files {safety:.4%}, "
                f"health texts {healthy:.4%}{'' if ok else ' (over)'}"
            )
            wrong = r.wrong_safety + r.wrong_health
            if ok and (best is None or r.found > best[0]):
                best = (r.found, t, core)
            if fewest is None or wrong < fewest[0]:
                fewest = (wrong, t, core)
    # none within MAX_WRONG (more look-alikes in the files): the fewest words wrongly taken
    _, threshold, core = best or fewest or (0, 0.5, 0.9)
    r = evaluate(messages, p, threshold, core)
    print(
        f"threshold {threshold:.2f}, core {core:.2f}: the most addresses with at most "
        f"{MAX_WRONG:.2%} of other words taken, out of fold"
    )
    print(
        f"addresses wholly found by the tagger alone: {r.found / r.addresses:.3f} "
        f"({r.found}/{r.addresses})"
    )
    if args.misses:
        print(*(f"MISS {x}" for x in r.misses), sep="\n")
        print(*(f"TAKEN {x}" for x in r.taken), sep="\n")
    vec, clf = fit(messages)
    weights = weight_table(vec, clf)
    weights["bias"] = round(weights.get("bias", 0.0) + float(clf.intercept_[0]), 4)
    data = {"threshold": threshold, "core": core, "weights": dict(sorted(weights.items()))}
    MODEL_FILE.write_text(json.dumps(data, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_FILE}: {len(weights):,} weights")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
