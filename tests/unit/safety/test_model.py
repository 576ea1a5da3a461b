"""The learned crisis classifier: the shipped file, its features, its decisions, the policy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.safety import detect_crisis, scan
from bot.safety.model import (
    CLASSES,
    MODEL_FILE,
    CrisisModel,
    char_wb_ngrams,
    shipped_model,
    without_personal_details,
    word_ngrams,
)
from bot.safety.types import CrisisCategory as C

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"
SHIPPED = ROOT / "bot" / "safety" / MODEL_FILE
ODD_TEXTS = [
    "I want to kill myself",
    "  lots   of\tspaces\nand lines  ",
    "a I ok x y z",  # one-letter words
    "Überweisung für Müller — naïve café, ½ dose, \uff12\uff10 mg",
    "💊💊💊 all of them 🔪 myself",
    "can't won't i'm it's O'Brien's 5-HTP co-codamol",
    "",
    "supercalifragilisticexpialidocious",
]


def test_the_shipped_model_loads_small_and_whole() -> None:
    model = shipped_model()
    assert SHIPPED.stat().st_size < 2_000_000
    rows = len(model.char_vocab) + len(model.word_vocab)
    # the eight categories and "none", and "everyday" (ordinary questions, never a crisis)
    assert model.weights.shape == (rows, len(CLASSES) + 1)
    assert model.probabilities("what is a normal blood pressure?").shape == (len(CLASSES),)
    assert model.idf.shape == (model.weights.shape[0],)
    assert 0.5 <= model.threshold < 1
    assert len(model.char_vocab) > 1000
    assert len(model.word_vocab) > 1000


def test_decisions_are_deterministic_and_independent_of_what_came_before() -> None:
    model = shipped_model()
    first = [model.probabilities(t) for t in ODD_TEXTS]
    fresh = CrisisModel.load(SHIPPED)  # a new cache of word features
    again = [fresh.probabilities(t) for t in reversed(ODD_TEXTS)][::-1]
    for a, b in zip(first, again, strict=True):
        assert np.array_equal(a, b)
        assert a.sum() == pytest.approx(1.0)


def test_save_and_load_keep_every_decision(tmp_path: Path) -> None:
    model = shipped_model()
    path = tmp_path / "copy.npz"
    model.save(path)
    copy = CrisisModel.load(path)
    for text in ODD_TEXTS:
        assert np.array_equal(copy.probabilities(text), model.probabilities(text))


def test_a_file_with_other_classes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.npz"
    with np.load(SHIPPED, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    arrays["classes"] = np.array(["a", "b"])
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="classes"):
        CrisisModel.load(path)


def test_the_features_are_exactly_scikit_learns() -> None:
    text = pytest.importorskip("sklearn.feature_extraction.text")
    chars = text.TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)).build_analyzer()
    words = text.TfidfVectorizer(analyzer="word", ngram_range=(1, 2)).build_analyzer()
    one_letter = text.TfidfVectorizer(
        analyzer="word", ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b"
    ).build_analyzer()
    for sample in ODD_TEXTS:
        assert char_wb_ngrams(sample.lower()) == chars(sample)
        assert word_ngrams(sample.lower()) == words(sample)
        assert word_ngrams(sample.lower(), one_letter_words=True) == one_letter(sample)


def test_the_safety_layer_does_not_need_scikit_learn() -> None:
    code = (
        "import sys; import bot.safety; from bot.safety import scan; "
        "scan('I took 30 pills'); assert 'sklearn' not in sys.modules and "
        "'scipy' not in sys.modules, sorted(m for m in sys.modules if 'sk' in m)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I want to kill myself tonight, I have the pills ready", C.SUICIDE_SELF_HARM),
        ("I took 30 of my sleeping pills an hour ago", C.OVERDOSE_POISONING),
        ("she drank bleach, what do I do", C.OVERDOSE_POISONING),
        ("crushing chest pain going down my left arm, I'm sweating", C.CARDIAC),
        ("his face is drooping on one side and his speech is slurred", C.STROKE),
        ("I can't breathe and my lips are turning blue", C.BREATHING),
        ("I cut my arm and it won't stop bleeding, there is blood everywhere", C.SEVERE_BLEEDING),
        ("my throat is closing after eating shrimp", C.ANAPHYLAXIS),
        ("my husband hits me and he said he will kill me tonight", C.VIOLENCE_ABUSE),
    ],
)
def test_each_category_is_recognised(text: str, category: C) -> None:
    assert detect_crisis(text) is category
    assert scan(text).crisis is category


# The README's policy ("Safety and privacy"), both ways: its examples are a training file
# (tests/data/safety_policy.jsonl), so the shipped model must get every one of them right.
POLICY = [
    json.loads(line)
    for line in (DATA / "safety_policy.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


def test_the_policy_file_holds_the_readme_examples() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[
        readme.index("## Safety and privacy") : readme.index("### Personal information")
    ]
    section = " ".join(section.split())  # quotes may wrap across lines
    crises = [c for c in POLICY if c["group"] == "crisis_positive"]
    look_alikes = [c for c in POLICY if c["group"] == "crisis_negative"]
    assert len(crises) >= 35
    assert len(look_alikes) >= 20
    for case in POLICY:  # each example is quoted there (the start of it: "in case of…")
        assert f'"{str(case["text"])[:30]}' in section, case["text"]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        pytest.param(c["text"], C(c["crisis"]), id=c["text"])
        for c in POLICY
        if c["group"] == "crisis_positive"
    ],
)
def test_the_policy_crises_are_crises(text: str, category: C) -> None:
    assert detect_crisis(text) is category


@pytest.mark.parametrize(
    "text",
    [pytest.param(c["text"], id=c["text"]) for c in POLICY if c["group"] == "crisis_negative"],
)
def test_the_policy_look_alikes_are_not_crises(text: str) -> None:
    assert detect_crisis(text) is None


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("my NHS number is 943 476 5919 and I want to die tonight", C.SUICIDE_SELF_HARM),
        ("Call me on 555-201-7734, my son has stopped breathing", C.BREATHING),
        # detail wordings that the training copies (DETAIL_WORDS) do not use
        (
            "my insurance policy number is XGH-884211-07 and I am going to end it tonight",
            C.SUICIDE_SELF_HARM,
        ),
        (
            "Patient ID 88213-44, DOB 4/5/1990: I took 40 paracetamol an hour ago",
            C.OVERDOSE_POISONING,
        ),
        (
            "my address is 12 Elm Street, Leeds LS6 2AB and my husband just hit me with a bottle",
            C.VIOLENCE_ABUSE,
        ),
    ],
)
def test_personal_details_in_a_crisis_do_not_hide_it(text: str, category: C) -> None:
    # The model reads the message without them, in the bot (scan) and alone (detect_crisis).
    assert scan(text).crisis is category
    assert detect_crisis(text) is category


def test_the_model_reads_a_redacted_text_without_its_placeholders() -> None:
    assert without_personal_details("ring [PERSON] on [PHONE] now") == "ring on now"
    assert without_personal_details("no details here") == "no details here"
