"""Safety benchmark: crisis recall and false alarms, PHI span recall and over-redaction, speed.

Run from the repository root:

    .venv/bin/python benchmarks/safety.py [--holdout] [--details]

It reads `tests/data/safety_cases.jsonl` (and `tests/data/safety_holdout.jsonl` if present) and
compares Careline's rules with a plain keyword list (crisis) and with a regex-only baseline,
`phonenumbers` and `scrubadub` (PHI) where those libraries are installed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.safety.crisis import detect_crisis  # noqa: E402
from bot.safety.redaction import find_spans  # noqa: E402
from bot.safety.scan import scan  # noqa: E402
from bot.safety.types import CrisisCategory, PhiKind  # noqa: E402

DATA = ROOT / "tests" / "data"
SETS = {
    "labelled": DATA / "safety_cases.jsonl",
    "holdout": DATA / "safety_holdout.jsonl",
    "holdout2": DATA / "safety_holdout2.jsonl",
    "holdout3": DATA / "safety_holdout3.jsonl",
    "holdout4": DATA / "safety_holdout4.jsonl",
    "holdout5": DATA / "safety_holdout5.jsonl",
    "holdout6": DATA / "safety_holdout6.jsonl",
    "holdout7": DATA / "safety_holdout7.jsonl",
    "holdout8": DATA / "safety_holdout8.jsonl",
    "holdout9": DATA / "safety_holdout9.jsonl",
    "holdout10": DATA / "safety_holdout10.jsonl",
}

Case = dict[str, object]
Detector = Callable[[str], CrisisCategory | None]
SpanFinder = Callable[[str], list[tuple[str, int, int]]]


def load(path: Path) -> list[Case]:
    """The cases of one JSONL file."""
    with path.open(encoding="utf-8") as f:
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


def phonenumbers_finder() -> SpanFinder | None:
    """Phones found by `phonenumbers` (US first, then GB), or None when not installed."""
    try:
        import phonenumbers
    except ImportError:
        return None

    def find(text: str) -> list[tuple[str, int, int]]:
        found: list[tuple[str, int, int]] = []
        for region in ("US", "GB"):
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


# --- measures -------------------------------------------------------------------------------------


@dataclass
class CrisisScore:
    """Recall per category and false alarms per negative style."""

    hits: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    alarms: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    def recall(self) -> float:
        got = sum(v[0] for v in self.hits.values())
        return got / max(1, sum(v[1] for v in self.hits.values()))

    def any_recall(self) -> float:
        return self._any[0] / max(1, self._any[1])

    def alarm_rate(self) -> float:
        got = sum(v[0] for v in self.alarms.values())
        return got / max(1, sum(v[1] for v in self.alarms.values()))

    _any: list[int] = field(default_factory=lambda: [0, 0])


def score_crisis(cases: Iterable[Case], detect: Detector) -> CrisisScore:
    """Recall (right category) on positives and false-alarm rate on hard negatives."""
    score = CrisisScore()
    for case in cases:
        text = str(case["text"])
        got = detect(text)
        if case["group"] == "crisis_positive":
            want = str(case["crisis"])
            cell = score.hits[want]
            cell[1] += 1
            score._any[1] += 1
            cell[0] += got == want
            score._any[0] += got is not None
            if got != want:
                score.misses.append(f"{want} <- {got}: {text}")
        elif case["group"] == "crisis_negative":
            cell = score.alarms[str(case["style"])]
            cell[1] += 1
            cell[0] += got is not None
            if got is not None:
                score.false_alarms.append(f"{got}: {text}")
    return score


@dataclass
class PhiScore:
    """Span recall per kind, over-redaction of non-PHI tokens."""

    found: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    changed: int = 0
    tokens: int = 0
    misses: list[str] = field(default_factory=list)
    over: list[str] = field(default_factory=list)

    def recall(self) -> float:
        return sum(v[0] for v in self.found.values()) / max(
            1, sum(v[1] for v in self.found.values())
        )

    def over_rate(self) -> float:
        return self.changed / max(1, self.tokens)


def expected_spans(case: Case) -> list[tuple[str, int, int]]:
    """Each labelled span as offsets: the first occurrence of its exact text."""
    text = str(case["text"])
    out = []
    for span in case["spans"]:  # type: ignore[attr-defined]
        start = text.find(span["text"])
        assert start >= 0, (case["id"], span)
        out.append((span["kind"], start, start + len(span["text"])))
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
            covered = set()
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


def throughput(fn: Callable[[str], object], texts: list[str], seconds: float = 1.0) -> float:
    """Messages per second on one core (loops over the texts for about `seconds`)."""
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in texts:
            fn(text)
        done += len(texts)
    return done / (time.perf_counter() - start)


# --- report ---------------------------------------------------------------------------------


def report(name: str, cases: list[Case], details: bool) -> list[str]:
    """Print one set's numbers; return its markdown table rows."""
    print(f"\n=== {name}: {len(cases)} cases ===")
    texts = [str(c["text"]) for c in cases]
    rows = []
    scores = {
        "careline rules": score_crisis(cases, detect_crisis),
        "keyword list": score_crisis(cases, keyword_crisis),
    }
    print("\nCrisis recall (right category) per category:")
    print(f"  {'category':22} " + " ".join(f"{n:>16}" for n in scores))
    for category in CrisisCategory:
        cells = []
        for s in scores.values():
            got, total = s.hits[category.value]
            cells.append(f"{got / max(1, total):>10.3f} ({got}/{total})")
        print(f"  {category.value:22} " + " ".join(f"{c:>16}" for c in cells))
    print("\nFalse alarms on hard negatives per kind:")
    styles = sorted(next(iter(scores.values())).alarms)
    for style in styles:
        cells = [f"{s.alarms[style][0]}/{s.alarms[style][1]}" for s in scores.values()]
        print(f"  {style:22} " + " ".join(f"{c:>16}" for c in cells))
    speeds = {
        "careline rules": throughput(detect_crisis, texts),
        "keyword list": throughput(keyword_crisis, texts),
    }
    for n, s in scores.items():
        rows.append(
            f"| {name} | crisis | {n} | recall {s.recall():.3f} (any category "
            f"{s.any_recall():.3f}) | false alarms {s.alarm_rate():.3f} | {speeds[n]:,.0f} |"
        )
    ours_crisis = scores["careline rules"]
    if details:
        print("\n  misses:", *ours_crisis.misses, sep="\n    ")
        print("\n  false alarms:", *ours_crisis.false_alarms, sep="\n    ")

    finders: dict[str, tuple[SpanFinder, set[str] | None]] = {
        "careline rules": (ours, None),
        "regex only": (naive_regex, None),
    }
    phone_lib = phonenumbers_finder()
    if phone_lib:
        finders["phonenumbers (PHONE only)"] = (phone_lib, {"PHONE"})
    scrub = scrubadub_finder()
    if scrub:
        finders["scrubadub"] = (scrub, None)
    else:
        print("\n(scrubadub not installed: skipped)")
    phi_scores = {n: score_phi(cases, f, k) for n, (f, k) in finders.items()}
    print("\nPHI span recall per kind:")
    print(f"  {'kind':16} " + " ".join(f"{n[:18]:>18}" for n in phi_scores))
    for kind in PhiKind:
        cells = []
        for s in phi_scores.values():
            got, total = s.found.get(kind.value, [0, 0])
            cells.append(f"{got / total:.3f} ({got}/{total})" if total else "-")
        print(f"  {kind.value:16} " + " ".join(f"{c:>18}" for c in cells))
    print("  over-redaction  " + " ".join(f"{s.over_rate():>18.4f}" for s in phi_scores.values()))
    for n, s in phi_scores.items():
        fn = finders[n][0]
        speed = throughput(fn, texts, 0.5 if n == "scrubadub" else 1.0)
        labelled = sum(v[1] for v in s.found.values())
        recall = f"{s.recall():.3f} ({labelled} spans)" if labelled else "n/a (no spans)"
        rows.append(
            f"| {name} | PHI | {n} | span recall {recall} | over-redaction "
            f"{s.over_rate():.4f} | {speed:,.0f} |"
        )
    mine = phi_scores["careline rules"]
    if details:
        print("\n  PHI misses:", *mine.misses, sep="\n    ")
        print("\n  over-redacted tokens:", *mine.over, sep="\n    ")
    rows.append(f"| {name} | scan (both) | careline rules | | | {throughput(scan, texts):,.0f} |")
    return rows


def main() -> int:
    """Run the benchmark over the labelled set (and the held-out set with --holdout)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--holdout", action="store_true", help="also score the held-out sets")
    parser.add_argument("--details", action="store_true", help="list misses and false alarms")
    parser.add_argument(
        "--sets", nargs="+", choices=list(SETS), metavar="SET", help="score only these sets"
    )
    args = parser.parse_args()
    rows = []
    names = args.sets or (list(SETS) if args.holdout else ["labelled"])
    for name in names:
        if not SETS[name].is_file():
            print(f"{SETS[name]} is missing: skipped")
            continue
        rows += report(name, load(SETS[name]), args.details)
    print("\n| set | task | method | recall | false alarms / over-redaction | msgs/s (1 core) |")
    print("| --- | --- | --- | --- | --- | --- |")
    print(*rows, sep="\n")
    print("\npresidio-analyzer: not evaluated (its recognizers need a spaCy model download).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
