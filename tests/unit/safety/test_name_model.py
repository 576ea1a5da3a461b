"""The learned name tagger: the shipped file, its features, and what it adds to the rules."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from bot.safety import name_model as nm
from bot.safety.name_model import NameModel, char_grams, shipped_name_model
from bot.safety.redaction import find_spans, redact
from bot.safety.types import PhiKind

ROOT = Path(__file__).resolve().parents[3]
MQP = ROOT.parent / "shared" / "datasets" / "mqp" / "queries.csv"
ODD_TEXTS = [
    "",
    "a I ok x y z",
    "💊💊💊 all of them 🔪",
    "   \n\n  ",
    "O'Brien's co-codamol 5-HTP Ü",
    "ALL CAPS MESSAGE WITH NO NAME IN IT AT ALL",
    "Ñ" * 50,
]


def person_names(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_spans(text) if s.kind is PhiKind.PERSON]


def test_the_shipped_model_loads_small_and_whole() -> None:
    model = shipped_name_model()
    assert nm.MODEL_FILE.stat().st_size < 2_500_000
    assert 0.05 < model.threshold < 0.99
    assert len(model.weights) > 1000
    assert "" in model.spelling  # the spelling model's bias
    assert all(isinstance(w, float) for w in model.weights.values())


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("went to the clinic with Sarah yesterday and the wait was four hours", "Sarah"),
        ("Priyanka from HR says the flu jabs are free this year", "Priyanka"),
        ("Okonkwo drove me home after the scan, what a star", "Okonkwo"),
        ("asked Bjørn about his inhaler and he said it's the brown one", "Bjørn"),
        ("me and tasha both got the same rash after the camping trip", "tasha"),
        ("my son lives with Crohn's and I spoke with Grace about it", "Grace"),
    ],
)
def test_names_with_no_cue_around_them_are_found(text: str, name: str) -> None:
    assert name in person_names(text)
    assert name not in redact(text)[0]


def test_a_particle_joins_the_parts_of_one_name() -> None:
    text = "Pieter de Vries drove me to the hospital this morning"
    assert person_names(text) == ["Pieter de Vries"]


@pytest.mark.parametrize(
    "text",
    [
        "Is isolated Pierre Robin sequence inherited?",
        "What are the symptoms of Dennis Fairhurst Moore syndrome?",
        "What is the outlook for Kennedy's disease?",
        "My cardiologist did the Bruce protocol on the treadmill",
        "see ghr.nlm.nih.gov/condition/aniridia for the genetics",
        "Is Tylenol or Advil better for a migraine on Monday mornings?",
        "Abdominal aortic aneurysms (AAAs) run in my family",
    ],
)
def test_eponyms_links_drugs_and_days_are_not_names(text: str) -> None:
    assert person_names(text) == []


def test_odd_texts_give_spans_inside_the_text_every_time() -> None:
    model = shipped_name_model()
    for text in ODD_TEXTS:
        first = list(model.names(text))
        assert first == list(model.names(text))
        assert all(0 <= s < e <= len(text) for s, e in first)


def test_a_model_that_never_fires_leaves_the_rules_alone() -> None:
    silent = NameModel({}, 2.0, {})
    assert list(silent.names("went to the clinic with Sarah yesterday")) == []


def test_the_spelling_pieces_are_exactly_scikit_learns() -> None:
    text = pytest.importorskip("sklearn.feature_extraction.text")
    analyzer = text.CountVectorizer(analyzer="char_wb", ngram_range=(2, 4)).build_analyzer()
    for word in ("Okonkwo", "Aiyana", "O'Brien", "Zoë", "al-Farsi", "x"):
        assert sorted(char_grams(word)) == sorted(analyzer(word))


def test_the_spelling_model_tells_names_from_drugs() -> None:
    model = shipped_name_model()
    names = [model.likeness(w) for w in ("Okonkwo", "Aiyana", "Siobhan", "Kowalczyk")]
    drugs = [model.likeness(w) for w in ("Ozempic", "Sertraline", "Metformin", "Ibuprofen")]
    assert min(names) > max(drugs)


def test_ordinary_health_questions_keep_their_words() -> None:
    """Patients' real questions name no one: the tagger may change almost nothing in them."""
    if not MQP.is_file():
        pytest.skip(f"{MQP} is missing (../shared/datasets is not on this machine)")
    with MQP.open(encoding="utf-8") as f:
        queries = [row["query"] for row in csv.DictReader(f)]
    model = shipped_name_model()
    taken = sum(len(list(model.names(q))) for q in queries)
    words = sum(len(q.split()) for q in queries)
    assert words > 10_000
    assert taken / words < 0.001, taken


def test_the_model_file_is_plain_json() -> None:
    data = json.loads(nm.MODEL_FILE.read_text(encoding="utf-8"))
    assert set(data) == {"threshold", "weights", "spelling"}
