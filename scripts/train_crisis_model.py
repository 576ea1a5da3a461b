"""Train the learned crisis classifier; choose its settings and threshold out of fold.

Run (about 30 minutes on two cores with the full grid, 8 with --no-grid):

    .venv/bin/pip install -e '.[train]'          # scikit-learn, for training only
    OPENBLAS_NUM_THREADS=1 .venv/bin/python scripts/train_crisis_model.py [--jobs 2]

It writes `bot/safety/crisis_model.npz` and prints the leave-one-file-out report the README
quotes. The bot itself never imports scikit-learn: `bot.safety.model` recomputes the same
features in numpy, and this script checks that it does before it writes the file.

Training data:
- the labelled safety files in TRAIN_FILES, every case (the README's own policy examples are
  one of them, `safety_policy`). Crisis positives are labelled with their category; hard
  negatives and PHI cases are "none". The blind sets (BLIND_FILES) are never read here:
  `benchmarks/safety.py` only scores them.
- everyday questions (`everyday_cases`): the questions of the matching triples in
  MATCHING_FILES and the sample FAQ's phrasings, learned as a class of their own,
  "everyday", which is never a crisis. Left out: FAQ entries about emergencies and first aid,
  the questions the old hand-written rules call a crisis and EVERYDAY_EMERGENCIES (questions
  that describe an emergency now). Together they weigh a share of what the safety files'
  "none" cases weigh (the setting's `everyday`), so they cannot swamp the crises.

The model: TF-IDF of character 2-5-grams inside word boundaries and of word 1-2-grams (each
sublinear, each block of unit length; vocabulary and idf from the safety files), a
multinomial logistic regression over the eight categories, "none" and "everyday" with
balanced class weights. A message is a crisis when 1 - P(none) - P(everyday) >= threshold;
its category is the most probable of the eight.

Chosen by leave-one-file-out cross-validation (each file is scored by a model trained on the
other files, the way a new writer's messages meet the shipped model; each matching-pairs
file is held out with one safety file, each FAQ entry with the file its id hashes to):
- the setting, from GRID: the best pooled out-of-fold recall (right category) among those
  whose out-of-fold rate of everyday questions flagged is at most MAX_EVERYDAY, at a
  false-alarm rate on the hard negatives of at most MAX_FALSE_ALARMS;
- the threshold: the lowest one that keeps the pooled out-of-fold false alarms on the hard
  negatives at or under MAX_FALSE_ALARMS (2.5%: fresh sets scored before training came out
  near the out-of-fold rate, 0.8-3.1% at 2%, so 2.5% keeps them under the 3% target while
  each half point of false alarms buys about a point of recall).

Tried out of fold and not adopted (README, "Retraining it"): word 1-3-grams, a separate
crisis-or-not regression before the category, everyday questions as plain "none", a larger C.

Deterministic: fixed file order, lbfgs from zero, no randomness; the same data gives the same
file.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import io
import json
import math
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._safety_sets import BLIND, TRAINING  # noqa: E402
from bot.safety.model import (  # noqa: E402
    CLASSES,
    MODEL_FILE,
    NONE,
    CrisisModel,
    without_personal_details,
)
from bot.safety.redaction import redact  # noqa: E402

try:
    from joblib import Parallel, delayed
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
except ImportError:  # pragma: no cover - depends on the environment
    print("careline: training needs scikit-learn: pip install -e '.[train]'", file=sys.stderr)
    raise SystemExit(2) from None

F64 = npt.NDArray[np.float64]
DATA = ROOT / "tests" / "data"
OUT = ROOT / "bot" / "safety" / MODEL_FILE
TRAIN_FILES = TRAINING
BLIND_FILES = BLIND  # never read here
MAX_FALSE_ALARMS = 0.025
# Everyday questions flagged out of fold, at most. Set so that real patient questions (MQP, never
# trained on) stay near 1.5%: the written questions are flagged about five times less often than
# real ones at every setting tried (README, "Measuring it").
MAX_EVERYDAY = 0.003
MAX_BYTES = 2_000_000  # the shipped file stays small (it grows with the training files)
ONE_LETTER_WORDS = r"(?u)\b\w+\b"
CHAR_RANGE = (2, 5)
WORD_RANGE = (1, 2)


@dataclass(frozen=True, slots=True)
class Setting:
    """One point of the grid: regularisation, the n-grams' minimum document frequencies and
    the weight of the everyday questions."""

    c: float
    char_min_df: int
    word_min_df: int
    # Everyday questions' total weight, as a share of the weight of the safety files' "none"
    # cases (0: not used). Each class of the safety files weighs the same ("balanced").
    everyday: float = 0.0
    every_nth: int = 1  # use every n-th everyday question (a subsample), 1: all
    word_high: int = 2  # word n-grams of 1 to word_high words
    everyday_class: bool = False  # everyday questions are a class of their own (not a crisis)
    one_letter_words: bool = False  # word n-grams keep one-letter words ("i wish i was dead")

    def __str__(self) -> str:
        text = f"C={self.c:g}, char min_df={self.char_min_df}, word min_df={self.word_min_df}"
        if self.everyday:
            text += f", everyday x{self.everyday:g}"
            text += f" (1/{self.every_nth})" if self.every_nth > 1 else ""
        if self.word_high != WORD_RANGE[1]:
            text += f", word 1-{self.word_high}-grams"
        if self.everyday_class:
            text += ", everyday class"
        if self.one_letter_words:
            text += ", one-letter words"
        return text


# Word n-grams seen once are dropped. With 47 files, character n-grams seen twice made the
# model 2.03 MB, over MAX_BYTES; seen three times, 1.4 MB, and out of fold no worse (stop 19:
# 0.950 and 0.951 recall at 2.5% false alarms with word min_df 2 and 3, against 0.947 at
# 2.2% with character min_df 2). Before that (45 files) the everyday weight was chosen among
# 0 (the safety files alone), 1, 2 and 4 at character min_df 2.
GRID = (
    Setting(100, 3, 2, everyday=2.0, everyday_class=True, one_letter_words=True),
    Setting(100, 3, 3, everyday=2.0, everyday_class=True, one_letter_words=True),
)
# What the grid chose for the shipped model (--no-grid and the benchmark use it).
CHOSEN = Setting(100, 3, 2, everyday=2.0, everyday_class=True, one_letter_words=True)


@dataclass(frozen=True, slots=True)
class Case:
    """One training text."""

    file: str
    text: str
    label: str  # a CrisisCategory value or "none"
    kind: str  # positive | hard (crisis_negative) | plain (PHI cases) | everyday
    style: str
    fold: str = ""  # the training file it is held out with (its own file by default)

    @property
    def held_with(self) -> str:
        return self.fold or self.file


def load_cases(everyday: bool = True) -> list[Case]:
    """Every case of the training files, in file order, then the everyday questions."""
    assert not set(TRAIN_FILES) & set(BLIND_FILES)  # noqa: S101 - a blind set must stay blind
    cases = []
    for name in TRAIN_FILES:
        for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                kind = {"crisis_positive": "positive", "crisis_negative": "hard"}.get(
                    row["group"], "plain"
                )
                cases.append(Case(name, row["text"], row["crisis"] or NONE, kind, row["style"]))
    cases = cases + everyday_cases() if everyday else cases
    return [dataclasses.replace(c, text=model_text(c.text)) for c in cases]


def model_text(text: str) -> str:
    """What the model reads of a message: the text without its personal details, exactly as
    `bot.safety.detect_crisis` gives it to the model."""
    return without_personal_details(redact(text)[0])


# --- everyday questions -----------------------------------------------------------------------

# Ordinary health questions, all "none": the matching triples written for the project (their
# original, paraphrase and different question) and the sample FAQ's phrasings. Each matching
# file is held out with one safety file (matching_pairs_a with TRAIN_FILES[0], ...); an FAQ
# entry's phrasings are held out together, with the file its id hashes to.
MATCHING_FILES = tuple(f"matching_pairs_{x}" for x in "abcdefghijklmnopqrs")
FAQ = ROOT / "knowledge"
# FAQ entries about emergencies or first aid: their phrasings are crisis wording ("worst
# headache of my life", "stop breathing at night"), never "none".
EMERGENCY_TAGS = frozenset({"emergency", "first-aid", "urgent-care", "injuries"})
EMERGENCY_ENTRIES = frozenset({"croup", "headaches", "snoring-and-sleep-apnea", "anxiety-help"})
# Everyday questions that describe an emergency now, by the README's policy, and that the old
# rules do not flag (those the rules flag are left out too, see `everyday_cases`): read by
# hand among the ones the first model flagged. Not "none", so left out.
EVERYDAY_EMERGENCIES = frozenset(
    {
        "my son swallowed one of my blood pressure pills what do i do",
        "Some bleach splashed into my eye. What do I do right now?",
        "I accidentally took two doses of Eliquis this morning. What should I do?",
        "My 2 year old swallowed a coin, what do I do?",
        "my toddler swallowed a penny",
        "took xanax and had 3 drinks, will i be ok",
        "Took ambien and drank 2 glasses of wine, is that dangerous?",
        "I vomited something that looked like coffee grounds. Is that blood and what should I do?",
        "Got poison ivy hiking 4 days ago and now my face is swollen shut. Do I need prednisone?",
        "hair dye gave me a burning itchy scalp and my face swelled. what do i do",
        "bleeding at 6 weeks pregnant with cramping.",
        "I'm 5 weeks pregnant and have cramping along with bright red bleeding and clots. "
        "Am I having a miscarriage?",
        "my 2 year old fell off the bed and hit his head and vomited 3 times.",
        "dizzy and sweaty and shaky, diabetic on insulin",
        "I'm on insulin and I'm suddenly lightheaded, clammy and trembling. Is my sugar low?",
        "My baby got hives after eating peanut butter. What should I do?",
        "ate bad chicken last night and now have bloody diarrhea and fever, should I go to er?",
        "After heavy drinking and lots of retching there were streaks of blood in my vomit. "
        "Should I go to the emergency room?",
    }
)


def _hashed_fold(key: str) -> str:
    digest = hashlib.blake2b(key.encode(), digest_size=4).digest()
    return TRAIN_FILES[int.from_bytes(digest, "big") % len(TRAIN_FILES)]


def everyday_cases() -> list[Case]:
    """The everyday questions as "none" cases, each once, without the emergencies among them.

    Left out: the ones the old hand-written rules call a crisis (they include real emergencies
    written as questions: "my grandma is confused and has slurred speech all of a sudden, what
    should we do?") and EVERYDAY_EMERGENCIES.
    """
    from bot.knowledge.loader import load_knowledge
    from bot.safety.crisis import rules_crisis

    found: dict[str, Case] = {}
    for index, name in enumerate(MATCHING_FILES):
        fold = TRAIN_FILES[index % len(TRAIN_FILES)]
        for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                for field in ("original", "paraphrase", "different"):
                    text = row[field]
                    found.setdefault(text, Case(name, text, NONE, "everyday", field, fold))
    for entry in load_knowledge(FAQ).approved:
        if entry.id in EMERGENCY_ENTRIES or EMERGENCY_TAGS & set(entry.tags):
            continue
        for text in entry.phrasings:
            found.setdefault(
                text, Case("faq", text, NONE, "everyday", "faq", _hashed_fold(entry.id))
            )
    return [
        case
        for text, case in found.items()
        if text not in EVERYDAY_EMERGENCIES and rules_crisis(text) is None
    ]


# --- fitting ---------------------------------------------------------------------------------


def vectorizers(setting: Setting) -> tuple[TfidfVectorizer, TfidfVectorizer]:
    """The two feature blocks, exactly as `bot.safety.model` recomputes them."""
    chars = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=CHAR_RANGE,
        min_df=setting.char_min_df,
        sublinear_tf=True,
        dtype=np.float64,
    )
    words = TfidfVectorizer(
        analyzer="word",
        ngram_range=(WORD_RANGE[0], setting.word_high),
        token_pattern=ONE_LETTER_WORDS if setting.one_letter_words else r"(?u)\b\w\w+\b",
        min_df=setting.word_min_df,
        sublinear_tf=True,
        dtype=np.float64,
    )
    return chars, words


@dataclass
class Fitted:
    """A fitted pair of vectorizers and the regression."""

    chars: TfidfVectorizer
    words: TfidfVectorizer
    regression: LogisticRegression

    def matrix(self, texts: Sequence[str]) -> csr_matrix:
        return hstack([self.chars.transform(texts), self.words.transform(texts)]).tocsr()

    def probabilities(self, texts: Sequence[str]) -> F64:
        x = self.matrix(texts)
        p = np.zeros((len(texts), len(CLASSES) + 1))
        p[:, self.regression.classes_] = self.regression.predict_proba(x)
        p[:, -2] += p[:, -1]  # "everyday" is not a crisis either
        return p[:, :-1]


def used(cases: Sequence[Case], setting: Setting) -> list[Case]:
    """The cases a model with `setting` trains on: the safety files' cases, and the everyday
    questions when the setting weighs them (every n-th of them)."""
    if not setting.everyday:
        return [c for c in cases if c.kind != "everyday"]
    everyday = [c for c in cases if c.kind == "everyday"][:: setting.every_nth]
    return [c for c in cases if c.kind != "everyday"] + everyday


def sample_weights(cases: Sequence[Case], setting: Setting) -> F64:
    """Balanced class weights over the safety files' cases; the everyday questions together
    weigh `setting.everyday` times the safety files' "none" cases."""
    safety = [c.label for c in cases if c.kind != "everyday"]
    counts = Counter(safety)
    per_class = len(safety) / (len(counts) * np.array([counts[c.label] for c in cases], float))
    everyday = np.array([c.kind == "everyday" for c in cases])
    if everyday.any():
        per_class[everyday] = setting.everyday * (len(safety) / len(counts)) / everyday.sum()
    return per_class


# What is left of a message's personal details once the model's reader has dropped them
# ("my NHS number is [NHS_NUMBER] and …" → "my NHS number is and …"). The files hold these
# words mostly in calm messages, so without help the model learns "an NHS number: no crisis"
# and "my NHS number is 943 476 5919 and I want to die tonight" falls under the threshold.
DETAIL_WORDS = (
    "my NHS number is",
    "DOB",
    "my email is",
    "MRN",
    "call me on",
    "I live at",
    "my name is",
    "member ID",
    "hospital number",
    "date of birth",
)
DETAIL_EVERY = 4  # one crisis in four gets a copy


def with_detail_words(cases: Sequence[Case]) -> list[Case]:
    """Copies of every DETAIL_EVERY-th crisis with a detail's leftover words in front."""
    crises = [c for c in cases if c.kind == "positive"][::DETAIL_EVERY]
    return [
        dataclasses.replace(c, text=f"{DETAIL_WORDS[i % len(DETAIL_WORDS)]} and {c.text}")
        for i, c in enumerate(crises)
    ]


def fit(cases: Sequence[Case], setting: Setting) -> Fitted:
    """Fit features and regression on `cases` (those `used` by the setting).

    The n-gram vocabulary and its idf come from the safety files' cases only: the everyday
    questions teach what those n-grams mean in an ordinary question, and the model keeps its
    size (tens of thousands of n-grams that only everyday questions use would double it).
    Copies of some crises with a personal detail's words in front (`with_detail_words`) are
    added here, so they only ever train, never score.
    """
    cases = [*cases, *with_detail_words(cases)]
    texts = [c.text for c in cases]
    safety = [c.text for c in cases if c.kind != "everyday"]
    chars, words = vectorizers(setting)
    chars.fit(safety)
    words.fit(safety)
    x = hstack([chars.transform(texts), words.transform(texts)]).tocsr()
    regression = LogisticRegression(C=setting.c, max_iter=5000)
    labels = np.asarray([CLASSES.index(c.label) for c in cases])
    if setting.everyday_class:
        labels[[c.kind == "everyday" for c in cases]] = len(CLASSES)
    regression.fit(x, labels, sample_weight=sample_weights(cases, setting))
    return Fitted(chars, words, regression)


def _fold(cases: list[Case], held: str, setting: Setting) -> tuple[list[int], F64]:
    train = used([c for c in cases if c.held_with != held], setting)
    test = [i for i, c in enumerate(cases) if c.held_with == held]
    fitted = fit(train, setting)
    return test, fitted.probabilities([cases[i].text for i in test])


def out_of_fold(cases: list[Case], setting: Setting, jobs: int) -> F64:
    """Each file's class probabilities from a model trained on the other files (an everyday
    question's from the model that held out the safety file it goes with)."""
    p = np.zeros((len(cases), len(CLASSES)))
    results = Parallel(n_jobs=jobs)(delayed(_fold)(cases, held, setting) for held in TRAIN_FILES)
    for test, probabilities in results:
        p[test] = probabilities
    return p


# --- measuring -------------------------------------------------------------------------------


def threshold_for(cases: list[Case], p: F64, max_rate: float = MAX_FALSE_ALARMS) -> float:
    """The lowest threshold whose false alarms on the hard negatives stay within `max_rate`."""
    hard = np.sort([1 - p[i, -1] for i, c in enumerate(cases) if c.kind == "hard"])[::-1]
    allowed = math.floor(max_rate * len(hard))
    # Halfway between the last allowed alarm and the first one too many.
    upper = hard[allowed - 1] if allowed else 1.0
    return float((hard[allowed] + upper) / 2)


def decide(p: F64, threshold: float) -> list[str | None]:
    """The category per row, or None below the threshold."""
    crisis = 1 - p[:, -1]
    best = np.argmax(p[:, :-1], axis=1)
    return [CLASSES[int(b)] if c >= threshold else None for b, c in zip(best, crisis, strict=True)]


@dataclass
class Score:
    """Recall (right category and any category) and false alarms of some cases."""

    positives: int = 0
    right: int = 0
    flagged: int = 0
    hard: int = 0
    alarms: int = 0
    plain: int = 0
    plain_alarms: int = 0
    everyday: int = 0
    everyday_alarms: int = 0

    def add(self, case: Case, got: str | None) -> None:
        if case.kind == "positive":
            self.positives += 1
            self.right += got == case.label
            self.flagged += got is not None
        elif case.kind == "hard":
            self.hard += 1
            self.alarms += got is not None
        elif case.kind == "everyday":
            self.everyday += 1
            self.everyday_alarms += got is not None
        else:
            self.plain += 1
            self.plain_alarms += got is not None

    @property
    def recall(self) -> float:
        return self.right / max(1, self.positives)

    @property
    def any_recall(self) -> float:
        return self.flagged / max(1, self.positives)

    @property
    def alarm_rate(self) -> float:
        return self.alarms / max(1, self.hard)

    @property
    def everyday_rate(self) -> float:
        return self.everyday_alarms / max(1, self.everyday)

    def row(self, name: str) -> str:
        return (
            f"| {name} | {self.positives} | {self.recall:.3f} | {self.any_recall:.3f} "
            f"| {self.alarms}/{self.hard} ({self.alarm_rate:.1%}) "
            f"| {self.plain_alarms}/{self.plain} "
            f"| {self.everyday_alarms}/{self.everyday} ({self.everyday_rate:.1%}) |"
        )


def score(cases: Sequence[Case], got: Sequence[str | None]) -> Score:
    total = Score()
    for case, category in zip(cases, got, strict=True):
        total.add(case, category)
    return total


def report(cases: list[Case], p: F64, threshold: float) -> None:
    """The out-of-fold tables: per file, per category, per kind of hard negative."""
    got = decide(p, threshold)
    print(
        f"\nOut of fold (each file scored by a model that never saw it), threshold {threshold:.3f}"
    )
    print(
        "\n| file | positives | recall | any category | false alarms (hard) | plain flagged "
        "| everyday flagged |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name in TRAIN_FILES:
        rows = [i for i, c in enumerate(cases) if c.file == name]
        print(score([cases[i] for i in rows], [got[i] for i in rows]).row(name))
    rows = [i for i, c in enumerate(cases) if c.kind == "everyday"]
    print(score([cases[i] for i in rows], [got[i] for i in rows]).row("everyday questions"))
    print(score(cases, got).row("**all**"))
    print("\n| category | positives | recall | any category |")
    print("| --- | --- | --- | --- |")
    for category in CLASSES[:-1]:
        rows = [i for i, c in enumerate(cases) if c.label == category]
        s = score([cases[i] for i in rows], [got[i] for i in rows])
        print(f"| {category} | {s.positives} | {s.recall:.3f} | {s.any_recall:.3f} |")
    styles: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case, category in zip(cases, got, strict=True):
        if case.kind == "hard":
            styles[case.style][0] += category is not None
            styles[case.style][1] += 1
    common = sorted(styles.items(), key=lambda kv: -kv[1][1])[:14]
    print("\nFalse alarms by kind of hard negative (the 14 commonest kinds):")
    print("  " + ", ".join(f"{style} {a}/{n}" for style, (a, n) in common))
    confusions = Counter(
        (c.label, category)
        for c, category in zip(cases, got, strict=True)
        if c.kind == "positive" and category is not None and category != c.label
    )
    print("Wrong category (labelled -> chosen):")
    print("  " + ", ".join(f"{a} -> {b} {n}" for (a, b), n in confusions.most_common(8)))


# --- the shipped artefact --------------------------------------------------------------------


def to_model(fitted: Fitted, threshold: float, setting: Setting) -> CrisisModel:
    """The fitted scikit-learn pipeline as numpy arrays for `bot.safety.model`."""
    char_vocab = {g: int(i) for g, i in fitted.chars.vocabulary_.items()}
    offset = len(char_vocab)
    word_vocab = {g: offset + int(i) for g, i in fitted.words.vocabulary_.items()}
    if list(fitted.regression.classes_) not in (
        list(range(len(CLASSES))),
        list(range(len(CLASSES) + 1)),  # and the everyday class
    ):
        raise ValueError("every class needs training cases")
    weights = np.asarray(fitted.regression.coef_.T, dtype=np.float32)
    bias = np.asarray(fitted.regression.intercept_, dtype=np.float64)
    return CrisisModel(
        char_vocab=char_vocab,
        word_vocab=word_vocab,
        idf=np.concatenate([fitted.chars.idf_, fitted.words.idf_]),
        weights=weights,
        bias=bias,
        threshold=threshold,
        char_range=CHAR_RANGE,
        word_range=(WORD_RANGE[0], setting.word_high),
        one_letter_words=setting.one_letter_words,
    )


def roundtrip(model: CrisisModel) -> tuple[CrisisModel, bytes]:
    """The model as it will be shipped (float16 weights), and the file's bytes."""
    buffer = io.BytesIO()
    model.save(buffer)
    data = buffer.getvalue()
    path = OUT.with_suffix(".tmp.npz")
    path.write_bytes(data)
    try:
        return CrisisModel.load(path), data
    finally:
        path.unlink()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2, help="folds fitted in parallel (2)")
    parser.add_argument(
        "--no-grid", action="store_true", help=f"skip the grid, train {CHOSEN} (still out of fold)"
    )
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the model")
    args = parser.parse_args(argv)

    cases = load_cases()
    kinds = Counter(c.kind for c in cases)
    print(
        f"{len(cases)} training cases: from {len(TRAIN_FILES)} safety files {kinds['positive']} "
        f"crisis positives, {kinds['hard']} hard negatives, {kinds['plain']} PHI cases (none); "
        f"{kinds['everyday']} everyday questions (matching pairs and FAQ, none)"
    )
    print(f"never read: {', '.join(BLIND_FILES)} (blind sets)")
    settings = (CHOSEN,) if args.no_grid else GRID
    results: dict[Setting, tuple[F64, float, Score]] = {}
    print(
        "\n| setting | positives | recall | any category | false alarms (hard) | plain flagged "
        "| everyday flagged |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for setting in settings:
        started = time.perf_counter()
        p = out_of_fold(cases, setting, args.jobs)
        threshold = threshold_for(cases, p)
        s = score(cases, decide(p, threshold))
        results[setting] = (p, threshold, s)
        took = time.perf_counter() - started
        print(s.row(f"{setting}; threshold {threshold:.3f} ({took:.0f} s)"))
    eligible = [s for s in settings if results[s][2].everyday_rate <= MAX_EVERYDAY] or settings
    best = max(eligible, key=lambda s: (results[s][2].recall, -s.char_min_df - s.word_min_df))
    p, threshold, _ = results[best]
    print(f"\nchosen: {best}")
    if best != CHOSEN:
        print(f"careline: update CHOSEN to {best!r} (the benchmark and --no-grid use it)")
    report(cases, p, threshold)

    trained = used(cases, best)
    fitted = fit(trained, best)
    model, data = roundtrip(to_model(fitted, threshold, best))
    texts = [c.text for c in trained]
    ours = np.array([model.probabilities(t) for t in texts])
    theirs = fitted.probabilities(texts)
    gap = float(np.abs(ours - theirs).max())
    print(
        f"\nfinal model: {len(model.char_vocab):,} character and {len(model.word_vocab):,} word "
        f"n-grams, {len(data) / 1024:.0f} KB; numpy vs scikit-learn max |dp| = {gap:.1e}"
    )
    if gap > 1e-2:  # float16 weights move probabilities by ~1e-3; more means a wrong feature
        print("careline: the numpy features do not reproduce scikit-learn's", file=sys.stderr)
        return 1
    if len(data) >= MAX_BYTES:
        print(f"careline: the model is {len(data):,} bytes, over {MAX_BYTES:,}", file=sys.stderr)
        return 1
    s = score(trained, [model.classify(t) for t in texts])
    print(
        f"in sample (trained on these): recall {s.recall:.3f}, any {s.any_recall:.3f}, "
        f"false alarms {s.alarms}/{s.hard}"
    )
    args.out.write_bytes(data)
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
