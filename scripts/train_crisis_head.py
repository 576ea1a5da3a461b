"""Fit the semantic crisis head and choose its threshold by leave-one-file-out cross-validation.

Run: OPENBLAS_NUM_THREADS=1 .venv/bin/python scripts/train_crisis_head.py [--no-mqp]
Writes bot/safety/crisis_head.npz and prints the out-of-fold report the README quotes.

Inputs, all read-only:
- tests/data/safety_cases.jsonl and safety_holdout.jsonl ... safety_holdout8.jsonl: every case;
  crisis positives are labelled with their category, everything else (hard negatives, PHI
  cases) is "none". Later sets (holdout9, holdout10…) are blind sets: never read here.
- the phrasings of the sample FAQ in knowledge/ as plain negatives (what patients ask most),
  except entries about emergencies or first aid (their phrasings are crisis wording), see
  `faq_negatives`.
- the 735 patient questions of ../shared/datasets/mqp/kb.csv as plain negatives, when that folder
  exists. Without it (or with --no-mqp) the script says so and trains without them: that gives a
  different artefact. The shipped one was built WITH them.

Each text goes through the safety scan and `clean` exactly as a question does before the matcher
embeds it (redacted, stripped), then through all-MiniLM-L6-v2. Deterministic: standardised
features, class-balanced softmax regression with L2, fixed-step Nesterov gradient descent from
zero weights for a fixed number of iterations, folds fixed by file (MQP questions by a hash of
their id).

The report compares, per file, the rules as they were before that file was written (taken from
git: the commit that added each set also changed the rules) with those rules plus the
out-of-fold second stage, so the gain is measured where the rules had not seen the wording.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.matching.cache import CachedEmbedder  # noqa: E402
from bot.matching.embedder import Embedder  # noqa: E402
from bot.matching.minilm import load_embedder  # noqa: E402
from bot.matching.normalize import clean  # noqa: E402
from bot.safety.scan import scan  # noqa: E402
from bot.safety.semantic import HEAD_FILE, NONE, CrisisHead  # noqa: E402
from bot.safety.types import CrisisCategory  # noqa: E402

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

DATA = ROOT / "tests" / "data"
FILES = ("safety_cases", *(f"safety_holdout{n or ''}" for n in (0, *range(2, 9))))
MQP = ROOT.parent / "shared" / "datasets" / "mqp" / "kb.csv"
FAQ = ROOT / "knowledge"
# FAQ entries whose phrasings describe emergencies ("worst headache of my life", "stop
# breathing at night"): never negatives.
EMERGENCY_TAGS = frozenset({"emergency", "first-aid", "urgent-care", "injuries"})
EMERGENCY_ENTRIES = frozenset({"croup", "headaches", "snoring-and-sleep-apnea", "anxiety-help"})
# The commit that added each held-out set also changed the rules: its parent holds the rules
# that scored the set blind (they reproduce the README's blind column exactly).
BLIND_RULES = {
    "safety_holdout": "5d944ed",
    "safety_holdout2": "437c013",
    "safety_holdout3": "bdf7f79",
    "safety_holdout4": "75b41a9",
    "safety_holdout5": "12cf12b",
    "safety_holdout6": "a9ef9d8",
    "safety_holdout7": "c4e897b",
    "safety_holdout8": "49e0005",
}
CLASSES = (*(category.value for category in CrisisCategory), NONE)
PENALTIES = (1e-4, 1e-3, 1e-2)  # L2 on standardised features, chosen out of fold
ITERATIONS = 400
MAX_HARD_FA = 0.015  # second-stage false alarms on hard negatives, out of fold
MAX_PLAIN_FA = 0.005  # ... and on plain questions
# Class balancing makes the head confident: the grid is fine near 1 (down to 1 - 1e-5).
THRESHOLDS = np.unique(
    np.round(np.concatenate([np.arange(0.5, 0.99, 0.01), 1 - np.logspace(-2, -5, 61)]), 7)
)


@dataclass(frozen=True, slots=True)
class Case:
    """One training text: where it comes from, its label and what kind of case it is."""

    file: str
    text: str
    label: str  # a CrisisCategory value or "none"
    kind: str  # positive | hard (crisis_negative) | plain (PHI cases, MQP questions)
    fold: int


def load_cases(use_mqp: bool = True) -> list[Case]:
    """The labelled safety files, then (if present and wanted) the MQP questions."""
    cases: list[Case] = []
    for fold, name in enumerate(FILES):
        for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            kind = {"crisis_positive": "positive", "crisis_negative": "hard"}.get(
                row["group"], "plain"
            )
            cases.append(Case(name, row["text"], row["crisis"] or NONE, kind, fold))
    cases += faq_negatives()
    if not use_mqp:
        print("careline: MQP negatives not used (--no-mqp)", file=sys.stderr)
    elif not MQP.is_file():
        print(f"careline: {MQP} not found: training without MQP negatives", file=sys.stderr)
    else:
        with MQP.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                cases.append(Case("mqp", row["question"], NONE, "plain", _fold(row["id"])))
    return cases


def _fold(key: str) -> int:
    digest = hashlib.blake2b(key.encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") % len(FILES)


def faq_negatives() -> list[Case]:
    """Phrasings of the sample FAQ's everyday entries; an entry's phrasings share a fold."""
    from bot.knowledge.loader import load_knowledge

    cases: list[Case] = []
    for entry in load_knowledge(FAQ).approved:
        if entry.id in EMERGENCY_ENTRIES or EMERGENCY_TAGS & set(entry.tags):
            continue
        cases += [Case("faq", text, NONE, "plain", _fold(entry.id)) for text in entry.phrasings]
    return cases


def query_text(text: str) -> str:
    """What the matcher embeds for a question: the redacted text, stripped, then cleaned."""
    return clean(scan(text).redacted.strip())


def embed(texts: Sequence[str], embedder: Embedder, chunk: int = 256) -> F64:
    """Unit vectors for the texts, in chunks."""
    rows = [embedder.encode(list(texts[i : i + chunk])) for i in range(0, len(texts), chunk)]
    return np.vstack(rows).astype(np.float64) if rows else np.zeros((0, 384))


def fit(
    x: F64, labels: I64, penalty: float, *, iterations: int = ITERATIONS, model: str = ""
) -> CrisisHead:
    """Class-balanced softmax regression with L2, by a fixed number of Nesterov steps."""
    k = len(CLASSES)
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    counts = np.bincount(labels, minlength=k).astype(np.float64)
    weight = (len(labels) / (k * np.maximum(counts, 1.0)))[labels]
    weight /= weight.sum()
    target = np.eye(k)[labels]
    reg = np.full((z.shape[1], 1), penalty)
    reg[-1] = 0.0  # no penalty on the bias
    # Step 1/L: the softmax loss's Hessian is bounded by ½·ZᵀWZ.
    lipschitz = 0.5 * float(np.linalg.eigvalsh((z * weight[:, None]).T @ z)[-1]) + penalty
    step = 1.0 / lipschitz
    w = np.zeros((z.shape[1], k))
    previous = w
    for t in range(iterations):
        look = w + (t / (t + 3)) * (w - previous)
        logits = z @ look
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        gradient = z.T @ ((p - target) * weight[:, None]) + reg * look
        previous, w = w, look - step * gradient
    return CrisisHead(
        classes=CLASSES,
        mean=mean,
        scale=scale,
        weights=w[:-1],
        bias=w[-1],
        threshold=1.0,
        model=model,
    )


def label_ids(cases: Sequence[Case]) -> I64:
    """Class indices of the cases' labels."""
    index = {name: i for i, name in enumerate(CLASSES)}
    return np.array([index[case.label] for case in cases], dtype=np.int64)


def out_of_fold(x: F64, labels: I64, folds: I64, penalty: float) -> F64:
    """Each case's class probabilities from a head trained without its fold."""
    probabilities = np.zeros((len(x), len(CLASSES)))
    for fold in np.unique(folds):
        held = folds == fold
        head = fit(x[~held], labels[~held], penalty)
        probabilities[held] = head.probabilities(x[held])
    return probabilities


def choose_threshold(crisis: F64, kinds: npt.NDArray[np.str_]) -> float:
    """The lowest threshold whose out-of-fold false alarms stay within both limits."""
    hard, plain = crisis[kinds == "hard"], crisis[kinds == "plain"]
    for threshold in THRESHOLDS:
        if (hard >= threshold).mean() <= MAX_HARD_FA and (plain >= threshold).mean() <= (
            MAX_PLAIN_FA
        ):
            return float(threshold)
    return float(THRESHOLDS[-1])


def blind_rules(name: str) -> Callable[[str], CrisisCategory | None] | None:
    """The rules as they were before this set was written (None without git)."""
    commit = BLIND_RULES.get(name)
    if commit is None:
        return None
    try:
        source = subprocess.run(  # noqa: S603 - fixed arguments
            ["git", "-C", str(ROOT), "show", f"{commit}^:bot/safety/crisis.py"],  # noqa: S607
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(source)
    spec = importlib.util.spec_from_file_location(f"blind_rules_{commit}", handle.name)
    assert spec is not None  # noqa: S101
    assert spec.loader is not None  # noqa: S101
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    Path(handle.name).unlink()
    detect: Callable[[str], CrisisCategory | None] = module.detect_crisis
    return detect


def _ratio(hits: int, total: int) -> str:
    return f"{hits / total:.3f} ({hits}/{total})" if total else "—"


def report(
    cases: Sequence[Case], oof: F64, threshold: float, rules_now: Sequence[CrisisCategory | None]
) -> None:
    """Per file: rules (blind, and today's) alone and with the out-of-fold second stage."""
    crisis = 1.0 - oof[:, -1]
    flagged = [
        CrisisCategory(CLASSES[int(np.argmax(row[:-1]))]) if c >= threshold else None
        for row, c in zip(oof, crisis, strict=True)
    ]
    print(f"\nthreshold {threshold}: P(crisis) >= threshold flags; out-of-fold per file")
    print(
        "| file | positives | blind rules | blind rules + semantic (any category) "
        "| hard FA blind rules | + semantic | rules today | today + semantic |"
    )
    print("| --- | --: | --- | --- | --- | --- | --- | --- |")
    totals = np.zeros(9, dtype=np.int64)
    for name in FILES:
        rows = [i for i, case in enumerate(cases) if case.file == name]
        pos = [i for i in rows if cases[i].kind == "positive"]
        hard = [i for i in rows if cases[i].kind == "hard"]
        detect = blind_rules(name)
        now = {i: rules_now[i] for i in rows}
        then = {i: detect(cases[i].text) for i in rows} if detect else None

        def both(rule: dict[int, CrisisCategory | None], i: int) -> CrisisCategory | None:
            return rule[i] if rule[i] is not None else flagged[i]

        right_now = sum(now[i] == cases[i].label for i in pos)
        right_now_sem = sum(both(now, i) == cases[i].label for i in pos)
        if then is None:
            print(
                f"| {name} | {len(pos)} | — | — | — | — | {_ratio(right_now, len(pos))} "
                f"| {_ratio(right_now_sem, len(pos))} |"
            )
            continue
        right = sum(then[i] == cases[i].label for i in pos)
        right_sem = sum(both(then, i) == cases[i].label for i in pos)
        any_sem = sum(both(then, i) is not None for i in pos)
        fa = sum(then[i] is not None for i in hard)
        fa_sem = sum(both(then, i) is not None for i in hard)
        totals += [len(pos), right, right_sem, any_sem, len(hard), fa, fa_sem, 0, 0]
        print(
            f"| {name} | {len(pos)} | {_ratio(right, len(pos))} | {_ratio(right_sem, len(pos))} "
            f"({any_sem / len(pos):.3f}) | {fa}/{len(hard)} | {fa_sem}/{len(hard)} "
            f"| {_ratio(right_now, len(pos))} | {_ratio(right_now_sem, len(pos))} |"
        )
    n, right, right_sem, any_sem, n_hard, fa, fa_sem = (int(v) for v in totals[:7])
    if n:
        print(
            f"| holdout 1-8 | {n} | {_ratio(right, n)} | {_ratio(right_sem, n)} "
            f"({any_sem / n:.3f}) | {fa}/{n_hard} | {fa_sem}/{n_hard} | | |"
        )
    for kind in ("hard", "plain"):
        rows = [i for i, case in enumerate(cases) if case.kind == kind]
        alarms = sum(flagged[i] is not None for i in rows)
        rule_alarms = sum(rules_now[i] is not None for i in rows)
        print(
            f"{kind} negatives, all files: second stage alone flags {alarms}/{len(rows)} "
            f"({alarms / max(len(rows), 1):.2%}); today's rules {rule_alarms}"
        )
    for source in ("mqp", "faq"):
        rows = [i for i, case in enumerate(cases) if case.file == source]
        alarms = sum(flagged[i] is not None for i in rows)
        print(f"{source} questions: second stage flags {alarms}/{len(rows)} out of fold")
    positives = [i for i, case in enumerate(cases) if case.kind == "positive"]
    alone = sum(flagged[i] == cases[i].label for i in positives)
    print(f"second stage alone, all positives: {_ratio(alone, len(positives))} right category")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-mqp", action="store_true", help="train without the MQP questions")
    parser.add_argument("--out", default=str(ROOT / "bot" / "safety" / HEAD_FILE))
    args = parser.parse_args(argv)
    started = time.perf_counter()
    cases = load_cases(use_mqp=not args.no_mqp)
    used = sorted({case.file for case in cases})
    print(f"inputs: {', '.join(used)} ({len(cases)} texts)")
    model = load_embedder()
    embedder = CachedEmbedder(model, ROOT / "var" / "cache")
    scans = [scan(case.text) for case in cases]
    x = embed([clean(s.redacted.strip()) for s in scans], embedder)
    embedder.flush()
    rules_now = [s.crisis for s in scans]
    labels = label_ids(cases)
    folds = np.array([case.fold for case in cases], dtype=np.int64)
    kinds = np.array([case.kind for case in cases])
    print(f"embedded in {time.perf_counter() - started:.0f} s")

    best: tuple[float, float, float, F64] | None = None
    for penalty in PENALTIES:
        oof = out_of_fold(x, labels, folds, penalty)
        crisis = 1.0 - oof[:, -1]
        threshold = choose_threshold(crisis, kinds)
        positive = kinds == "positive"
        recall = float((crisis[positive] >= threshold).mean())
        hard = float((crisis[kinds == "hard"] >= threshold).mean())
        plain = float((crisis[kinds == "plain"] >= threshold).mean())
        print(
            f"L2 {penalty:g}: threshold {threshold}, second stage alone out of fold: "
            f"recall {recall:.3f}, hard FA {hard:.2%}, plain FA {plain:.2%}"
        )
        if best is None or recall > best[2]:
            best = (penalty, threshold, recall, oof)
    assert best is not None  # noqa: S101
    penalty, threshold, _, oof = best
    print(f"chosen: L2 {penalty:g}, threshold {threshold}")
    report(cases, oof, threshold, rules_now)

    head = fit(x, labels, penalty, model=model.identity)
    head = CrisisHead(
        classes=head.classes,
        mean=head.mean,
        scale=head.scale,
        weights=head.weights,
        bias=head.bias,
        threshold=threshold,
        model=head.model,
    )
    head.save(Path(args.out))
    size = Path(args.out).stat().st_size
    print(f"wrote {args.out} ({size:,} bytes) in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
