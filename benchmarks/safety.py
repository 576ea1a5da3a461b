"""Safety benchmark: crisis recall and false alarms, PHI span recall and over-redaction, speed.

Run from the repository root:

    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/safety.py [--sets NAME…] [--details]

Crisis, per category and per kind of hard negative:

- **learned model** (what `scan` runs). On a training set it is scored *out of fold*: a model
  with the shipped settings is trained on the other training files and scores this one at the
  shipped threshold (needs scikit-learn, `pip install -e '.[train]'`; without it the in-sample
  numbers of the shipped model are shown and marked so). On a blind set it is the shipped
  model itself: those sets are never trained or tuned on.
- **rules alone**: the hand-written rules (`bot.safety.crisis`, no longer on the live path).
  They were tuned on safety_cases and holdout1-9, so only the new training sets (a, b, c, e,
  f) and the blind sets are unseen by them.
- **keyword list**: a plain list of crisis words.

PHI, per kind: Careline's redaction, the same without its learned name tagger ("rules only":
what the tagger adds), a regex-only baseline, and `phonenumbers` (with the regions of
PHONE_REGIONS) and `scrubadub` where installed. The tagger was trained on the training sets,
so on those its column is in sample; on the blind sets it is not.

Everyday questions flagged: of the patient questions beside the repository (MQP's 2,204 and
MedQuAD's 44,619, in ../shared/datasets; skipped when absent), how many the model would answer
with a crisis reply instead of an answer; never trained on. Speed: messages per second on one
core for the model, the rules, the redaction and the whole `scan`, over the texts of the sets
scored.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._safety_sets import BLIND, PENDING, TRAINING  # noqa: E402
from bot.safety.crisis import rules_crisis  # noqa: E402
from bot.safety.model import CLASSES, detect_crisis, shipped_model  # noqa: E402
from bot.safety.redaction import find_spans  # noqa: E402
from bot.safety.scan import scan  # noqa: E402
from bot.safety.types import CrisisCategory, PhiKind  # noqa: E402

DATA = ROOT / "tests" / "data"
DATASETS = ROOT.parent / "shared" / "datasets"
RULES_TUNED_ON = frozenset(TRAINING[:10])  # safety_cases and holdout1-9

Case = dict[str, object]
Detector = Callable[[str], CrisisCategory | str | None]
SpanFinder = Callable[[str], list[tuple[str, int, int]]]


def load(name: str) -> list[Case]:
    """The cases of one JSONL file of tests/data."""
    with (DATA / f"{name}.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


# --- baselines ---------------------------------------------------------------------------------

KEYWORDS: dict[CrisisCategory, tuple[str, ...]] = {
    CrisisCategory.SUICIDE_SELF_HARM: (
        "suicide",
        "suicidal",
        "kill myself",
        "end my life",
        "self harm",
        "self-harm",
        "want to die",
        "cut myself",
        "hurt myself",
    ),
    CrisisCategory.OVERDOSE_POISONING: (
        "overdose",
        "overdosed",
        "poison",
        "too many pills",
        "bleach",
        "swallowed",
    ),
    CrisisCategory.CARDIAC: ("chest pain", "heart attack", "cardiac arrest"),
    CrisisCategory.STROKE: ("stroke", "slurred", "face drooping", "facial droop"),
    CrisisCategory.BREATHING: (
        "can't breathe",
        "cannot breathe",
        "not breathing",
        "choking",
        "asthma attack",
    ),
    CrisisCategory.SEVERE_BLEEDING: ("bleeding", "blood everywhere", "hemorrhage"),
    CrisisCategory.ANAPHYLAXIS: (
        "anaphylaxis",
        "anaphylactic",
        "throat closing",
        "epipen",
        "allergic reaction",
    ),
    CrisisCategory.VIOLENCE_ABUSE: (
        "abuse",
        "abused",
        "hits me",
        "beats me",
        "rape",
        "assaulted",
        "kill me",
        "threatened",
    ),
}


def keyword_crisis(text: str) -> CrisisCategory | None:
    """The plain keyword-list baseline: the first category with a keyword in the text."""
    low = text.lower()
    for category, words in KEYWORDS.items():
        if any(w in low for w in words):
            return category
    return None


_NAIVE = [
    ("EMAIL", re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")),
    ("SSN", re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),
    ("PHONE", re.compile(r"(?:\+\d{1,3}[\s.-]?)?\(?\d{2,4}\)?[\s.-]?\d{3,4}[\s.-]?\d{3,4}\b")),
    ("DATE_OF_BIRTH", re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b")),
    ("URL_WITH_ID", re.compile(r"https?://\S+")),
    ("MRN", re.compile(r"\b[A-Z]*\d{6,}\b")),
]


def naive_regex(text: str) -> list[tuple[str, int, int]]:
    """The regex-only baseline: the usual generic patterns, no context, no checksums."""
    found: list[tuple[str, int, int]] = []
    for kind, pattern in _NAIVE:
        for m in pattern.finditer(text):
            if not any(m.start() < e and s < m.end() for _, s, e in found):
                found.append((kind, m.start(), m.end()))
    return found


def ours(text: str) -> list[tuple[str, int, int]]:
    """Careline's redaction."""
    return [(s.kind.value, s.start, s.end) for s in find_spans(text)]


def rules_only(text: str) -> list[tuple[str, int, int]]:
    """Careline's redaction without the learned name tagger: what the tagger adds."""
    return [(s.kind.value, s.start, s.end) for s in find_spans(text, tagger=False)]


# The regions whose national formats the labelled sets use (a number with +country code is
# found whatever the region).
PHONE_REGIONS = (
    *("US", "GB", "IE", "CA", "AU", "DE", "FR", "ES", "IT", "NL", "PL", "BR", "IN", "NG", "KE"),
    *("JP", "CN", "PH", "SG", "ZA"),
)


def phonenumbers_finder() -> SpanFinder | None:
    """Phones found by `phonenumbers` (libphonenumber) with each region of PHONE_REGIONS in
    turn as the default, or None when not installed."""
    try:
        import phonenumbers
    except ImportError:
        return None

    def find(text: str) -> list[tuple[str, int, int]]:
        found: list[tuple[str, int, int]] = []
        for region in PHONE_REGIONS:
            for m in phonenumbers.PhoneNumberMatcher(text, region):
                if not any(m.start < e and s < m.end for _, s, e in found):
                    found.append(("PHONE", m.start, m.end))
        return found

    return find


def scrubadub_finder() -> SpanFinder | None:
    """scrubadub's default detectors mapped onto our kinds, or None when not installed."""
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import scrubadub
    except ImportError:
        return None
    kinds = {
        "email": "EMAIL",
        "phone": "PHONE",
        "url": "URL_WITH_ID",
        "name": "PERSON",
        "address": "ADDRESS",
        "date_of_birth": "DATE_OF_BIRTH",
        "social_security_number": "SSN",
        "postalcode": "ADDRESS",
    }
    scrubber = scrubadub.Scrubber(locale="en_US")

    def find(text: str) -> list[tuple[str, int, int]]:
        return [
            (kinds.get(f.type, f.type.upper()), f.beg, f.end) for f in scrubber.iter_filth(text)
        ]

    return find


# --- the learned model out of fold ---------------------------------------------------------------


def _training_script() -> ModuleType | None:
    """scripts/train_crisis_model.py as a module, or None without scikit-learn."""
    if importlib.util.find_spec("sklearn") is None:
        return None
    # Imported by name from scripts/, so the worker processes that fit the folds find it too.
    sys.path.insert(0, str(ROOT / "scripts"))
    return importlib.import_module("train_crisis_model")


def out_of_fold_decisions(jobs: int) -> dict[str, list[str | None]] | None:
    """Each training file's decisions by a model trained on the other files (shipped settings
    and threshold), or None without scikit-learn."""
    train = _training_script()
    if train is None:
        return None
    cases = train.load_cases()
    p = train.out_of_fold(cases, train.CHOSEN, jobs)
    decided = train.decide(p, shipped_model().threshold)
    per_file: dict[str, list[str | None]] = defaultdict(list)
    for case, category in zip(cases, decided, strict=True):
        per_file[case.file].append(category)
    return per_file


# --- measures -------------------------------------------------------------------------------------


@dataclass
class CrisisScore:
    """Recall per category and false alarms per kind of hard negative."""

    hits: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    alarms: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    flagged: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def positives(self) -> int:
        return sum(v[1] for v in self.hits.values())

    @property
    def negatives(self) -> int:
        return sum(v[1] for v in self.alarms.values())

    @property
    def right(self) -> int:
        return sum(v[0] for v in self.hits.values())

    @property
    def alarmed(self) -> int:
        return sum(v[0] for v in self.alarms.values())

    def recall(self) -> float:
        return self.right / max(1, self.positives)

    def any_recall(self) -> float:
        return self.flagged / max(1, self.positives)

    def alarm_rate(self) -> float:
        return self.alarmed / max(1, self.negatives)

    def add(self, other: CrisisScore) -> None:
        """Count `other`'s cases in too."""
        for mine, theirs in ((self.hits, other.hits), (self.alarms, other.alarms)):
            for key, (got, total) in theirs.items():
                mine[key][0] += got
                mine[key][1] += total
        self.flagged += other.flagged

    def summary(self) -> str:
        return (
            f"recall {self.recall():.3f} ({self.right}/{self.positives}), any category "
            f"{self.any_recall():.3f}, false alarms {self.alarmed}/{self.negatives} "
            f"({self.alarm_rate():.1%})"
        )


def score_crisis(cases: Iterable[Case], decisions: Iterable[object]) -> CrisisScore:
    """Recall (right category) on positives and false alarms on the hard negatives."""
    score = CrisisScore()
    for case, got in zip(cases, decisions, strict=True):
        text = str(case["text"])
        found = None if got is None else str(got)
        if case["crisis"]:  # a crisis, whatever else it holds (set p: PHI messages)
            want = str(case["crisis"])
            cell = score.hits[want]
            cell[1] += 1
            cell[0] += found == want
            score.flagged += found is not None
            if found != want:
                score.misses.append(f"{want} <- {found}: {text}")
        elif case["group"] == "crisis_negative":
            cell = score.alarms[str(case["style"])]
            cell[1] += 1
            cell[0] += found is not None
            if found is not None:
                score.false_alarms.append(f"{found}: {text}")
    return score


@dataclass
class PhiScore:
    """Span recall per kind, over-redaction of non-PHI tokens."""

    found: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    changed: int = 0
    tokens: int = 0
    misses: list[str] = field(default_factory=list)
    over: list[str] = field(default_factory=list)

    @property
    def spans(self) -> int:
        return sum(v[1] for v in self.found.values())

    def recall(self) -> float:
        return sum(v[0] for v in self.found.values()) / max(1, self.spans)

    def over_rate(self) -> float:
        return self.changed / max(1, self.tokens)

    def add(self, other: PhiScore) -> None:
        """Count `other`'s cases in too."""
        for key, (got, total) in other.found.items():
            self.found[key][0] += got
            self.found[key][1] += total
        self.changed += other.changed
        self.tokens += other.tokens


def expected_spans(case: Case) -> list[tuple[str, int, int]]:
    """Each labelled span as offsets: every occurrence of its exact text that is not inside
    another labelled span (an MRN repeated inside a labelled link is the link's)."""
    text = str(case["text"])
    labels = [(span["kind"], span["text"]) for span in case["spans"]]  # type: ignore[attr-defined]
    firsts = []
    for kind, value in labels:
        start = text.find(value)
        assert start >= 0, (case["id"], value)
        firsts.append((kind, start, start + len(value)))
    out = []
    for kind, value in labels:
        for m in re.finditer(re.escape(value), text):
            s, e = m.span()
            inside = any(ks <= s and e <= ke and (ks, ke) != (s, e) for _, ks, ke in firsts)
            if not inside and (kind, s, e) not in out:
                out.append((kind, s, e))
    return out


def score_phi(cases: Iterable[Case], finder: SpanFinder, kinds: set[str] | None = None) -> PhiScore:
    """A labelled span counts as found when predicted spans of its kind cover all of it.

    Over-redaction: the share of whitespace tokens outside every labelled span that a
    predicted span touches, over every case of the set (crisis cases included).
    """
    score = PhiScore()
    for case in cases:
        text = str(case["text"])
        want = expected_spans(case)
        got = finder(text)
        for kind, start, end in want:
            if kinds is not None and kind not in kinds:
                continue
            covered: set[int] = set()
            for k, s, e in got:
                if k == kind:
                    covered.update(range(max(s, start), min(e, end)))
            ok = len(covered) == end - start
            cell = score.found[kind]
            cell[1] += 1
            cell[0] += ok
            if not ok:
                score.misses.append(f"{kind}: {text[start:end]!r} in {text!r} -> {got}")
        for token in re.finditer(r"\S+", text):
            if any(token.start() < e and s < token.end() for _, s, e in want):
                continue
            score.tokens += 1
            if any(token.start() < e and s < token.end() for _, s, e in got):
                score.changed += 1
                score.over.append(f"{token.group()!r} in {text!r}")
    return score


def throughput(fn: Callable[[str], object], texts: Sequence[str], seconds: float = 1.0) -> float:
    """Messages per second on one core (loops over the texts for about `seconds`)."""
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in texts:
            fn(text)
        done += len(texts)
    return done / (time.perf_counter() - start)


# --- report ---------------------------------------------------------------------------------


def crisis_tables(name: str, scores: dict[str, CrisisScore], details: bool) -> None:
    """Per category and per kind of hard negative, one column per method."""
    print(f"\nCrisis recall (right category) per category, {name}:")
    print(f"  {'category':20} " + " ".join(f"{n[:22]:>22}" for n in scores))
    for category in CrisisCategory:
        cells = []
        for s in scores.values():
            got, total = s.hits.get(category.value, [0, 0])
            cells.append(f"{got / max(1, total):.3f} ({got}/{total})")
        print(f"  {category.value:20} " + " ".join(f"{c:>22}" for c in cells))
    print(
        "  "
        + f"{'any category':20} "
        + " ".join(f"{s.any_recall():>22.3f}" for s in scores.values())
    )
    print(f"\nFalse alarms on hard negatives per kind, {name}:")
    styles = sorted(next(iter(scores.values())).alarms)
    for style in styles:
        cells = [f"{s.alarms[style][0]}/{s.alarms[style][1]}" for s in scores.values()]
        print(f"  {style[:20]:20} " + " ".join(f"{c:>22}" for c in cells))
    print(
        "  "
        + f"{'all':20} "
        + " ".join(f"{s.alarmed}/{s.negatives}".rjust(22) for s in scores.values())
    )
    if details:
        first = next(iter(scores))
        print(f"\n  misses ({first}):", *scores[first].misses, sep="\n    ")
        print(f"\n  false alarms ({first}):", *scores[first].false_alarms, sep="\n    ")


def phi_tables(name: str, cases: list[Case], details: bool) -> dict[str, PhiScore]:
    """PHI span recall per kind and over-redaction, one column per method."""
    finders: dict[str, tuple[SpanFinder, set[str] | None]] = {
        "careline": (ours, None),
        "careline rules only": (rules_only, None),
        "regex only": (naive_regex, None),
    }
    phone_lib = phonenumbers_finder()
    if phone_lib:
        finders["phonenumbers (PHONE)"] = (phone_lib, {"PHONE"})
    scrub = scrubadub_finder()
    if scrub:
        finders["scrubadub"] = (scrub, None)
    scores = {n: score_phi(cases, f, k) for n, (f, k) in finders.items()}
    if not scores["careline"].spans:
        print(
            f"\nPHI, {name}: no labelled spans; over-redaction {scores['careline'].over_rate():.4f}"
        )
        return scores
    print(f"\nPHI span recall per kind, {name}:")
    print(f"  {'kind':14} " + " ".join(f"{n[:20]:>20}" for n in scores))
    for kind in PhiKind:
        cells = []
        for s in scores.values():
            got, total = s.found.get(kind.value, [0, 0])
            cells.append(f"{got / total:.3f} ({got}/{total})" if total else "-")
        print(f"  {kind.value:14} " + " ".join(f"{c:>20}" for c in cells))
    print(f"  {'all':14} " + " ".join(f"{s.recall():>20.3f}" for s in scores.values()))
    print(
        f"  {'over-redaction':14} " + " ".join(f"{s.over_rate():>20.4f}" for s in scores.values())
    )
    if details:
        print("\n  PHI misses:", *scores["careline"].misses, sep="\n    ")
        print("\n  over-redacted tokens:", *scores["careline"].over, sep="\n    ")
    return scores


def everyday_questions() -> dict[str, list[str]]:
    """Everyday patient questions beside the repository (../shared/datasets), per data set:
    MQP's questions and queries, MedQuAD's questions; empty when the folder is absent."""
    sources = {
        "MQP": (("mqp/kb.csv", "question"), ("mqp/queries.csv", "query")),
        "MedQuAD": (("medquad/questions.csv", "question"),),
    }
    found: dict[str, list[str]] = {}
    for name, files in sources.items():
        texts: list[str] = []
        for file, column in files:
            path = DATASETS / file
            if path.is_file():
                with path.open(encoding="utf-8", newline="") as handle:
                    texts += [row[column] for row in csv.DictReader(handle)]
        if texts:
            found[name] = list(dict.fromkeys(texts))
    return found


def report_everyday(details: bool) -> None:
    """Everyday questions flagged: how many ordinary patient questions would get a crisis reply
    instead of an answer. Unlabelled (a few describe real emergencies), so an upper bound."""
    sets = everyday_questions()
    if not sets:
        print(f"\neveryday questions flagged: skipped, {DATASETS} is not there")
        return
    print("\nEveryday questions flagged (unlabelled patient questions; never trained on):")
    for name, questions in sets.items():
        flagged = [q for q in questions if detect_crisis(q) is not None]
        rules = sum(rules_crisis(q) is not None for q in questions)
        print(
            f"  {name:8} learned model {len(flagged):>5}/{len(questions)} "
            f"({len(flagged) / len(questions):.2%}); rules alone {rules} "
            f"({rules / len(questions):.2%})"
        )
        if details:
            print(*flagged[:60], sep="\n    ")


def report_speed(texts: Sequence[str]) -> None:
    """Messages per second on one core for each stage and the whole scan."""
    model = shipped_model()
    print(
        f"\nSpeed, messages per second on one core ({len(texts)} texts, mean "
        f"{sum(map(len, texts)) / max(1, len(texts)):.0f} characters):"
    )
    for name, fn in (
        ("crisis: learned model", model.classify),
        ("crisis: rules alone", rules_crisis),
        ("crisis: keyword list", keyword_crisis),
        ("PHI: careline redaction", find_spans),
        ("scan (model + redaction)", scan),
    ):
        print(f"  {name:28} {throughput(fn, texts, 2.0):>10,.0f}")


def report_summary(
    rows: list[str], totals: dict[str, dict[str, CrisisScore]], phi: dict[str, PhiScore]
) -> None:
    """The one-line-per-set table and the totals of the training and the blind sets."""
    print("\n## Summary\n")
    print(
        "| set | learned model | rules alone | keyword list (recall, false alarms) "
        "| PHI span recall (spans) | over-redaction |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    print(*rows, sep="\n")
    for group, methods in totals.items():
        if not methods:
            continue  # no set of this group was scored
        for method, s in methods.items():
            print(f"{group} sets together, {method}: {s.summary()}")
        together = phi[group]
        print(
            f"{group} sets together, PHI: span recall {together.recall():.3f} "
            f"({together.spans} spans), over-redaction {together.over_rate():.2%}"
        )


def report_out_of_fold(jobs: int) -> dict[str, list[str | None]] | None:
    """The out-of-fold decisions (None without scikit-learn), and how many of the everyday
    questions trained on as "none" they flag."""
    started = time.perf_counter()
    oof = out_of_fold_decisions(jobs)
    if oof is None:
        print("scikit-learn is not installed: the model is scored in sample on training sets")
        return None
    print(f"out-of-fold decisions for the training sets: {time.perf_counter() - started:.0f} s")
    everyday = [d for f, ds in oof.items() if f not in TRAINING for d in ds]
    if everyday:
        flagged = sum(d is not None for d in everyday)
        print(
            f"everyday questions trained on as 'none' (matching pairs, FAQ), out of fold: "
            f"{flagged}/{len(everyday)} flagged ({flagged / len(everyday):.2%})"
        )
    return oof


def main() -> int:
    """Score the sets, print the tables and the summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="+", choices=[*TRAINING, *BLIND, *PENDING], metavar="SET")
    parser.add_argument("--details", action="store_true", help="list misses and false alarms")
    parser.add_argument("--jobs", type=int, default=2, help="folds trained in parallel (2)")
    parser.add_argument(
        "--in-sample", action="store_true", help="skip the out-of-fold retraining of the model"
    )
    args = parser.parse_args()
    names = args.sets or [*TRAINING, *BLIND]
    oof = None
    if not args.in_sample and any(n in TRAINING for n in names):
        oof = report_out_of_fold(args.jobs)
    rows = []
    totals: dict[str, dict[str, CrisisScore]] = {"training": {}, "blind": {}, "pending": {}}
    phi_totals = {"training": PhiScore(), "blind": PhiScore(), "pending": PhiScore()}
    all_texts: list[str] = []
    for name in names:
        cases = load(name)
        texts = [str(c["text"]) for c in cases]
        all_texts += texts
        blind = name in BLIND
        pending = name in PENDING
        if blind or pending:
            label = "BLIND" if blind else "PENDING: not yet trained on"
            model = [detect_crisis(t) for t in texts]
        elif oof is not None:
            label, model = "training, model out of fold", oof[name]
        else:
            label, model = "training, model IN SAMPLE", [detect_crisis(t) for t in texts]
        rules_note = "tuned on" if name in RULES_TUNED_ON else "unseen"
        print(f"\n=== {name} ({label}; rules {rules_note}): {len(cases)} cases ===")
        scores = {
            "learned model": score_crisis(cases, model),
            "rules alone": score_crisis(cases, [rules_crisis(t) for t in texts]),
            "keyword list": score_crisis(cases, [keyword_crisis(t) for t in texts]),
        }
        crisis_tables(name, scores, args.details)
        phi = phi_tables(name, cases, args.details)
        group = "blind" if blind else "pending" if pending else "training"
        for method, s in scores.items():
            totals[group].setdefault(method, CrisisScore()).add(s)
        mine = phi["careline"]
        phi_totals[group].add(mine)
        phi_cell = f"{mine.recall():.3f} ({mine.spans})" if mine.spans else "-"
        rows.append(
            f"| {name}{' (blind)' if blind else ''} | {scores['learned model'].summary()} "
            f"| {scores['rules alone'].summary()} | {scores['keyword list'].recall():.3f}, "
            f"{scores['keyword list'].alarm_rate():.1%} | {phi_cell} | {mine.over_rate():.2%} |"
        )
    report_summary(rows, totals, phi_totals)
    report_everyday(args.details)
    report_speed(all_texts)
    model = shipped_model()
    print(f"\nmodel: threshold {model.threshold:.3f}, classes {', '.join(CLASSES)}")
    print("presidio-analyzer: not evaluated (its recognizers need a spaCy model download).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
