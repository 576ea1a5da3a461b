"""The learned address tagger: the shipped file, and what it adds to the rules."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from bot.safety import address_model as am
from bot.safety.address_model import AddressModel, shipped_address_model
from bot.safety.redaction import find_spans, redact
from bot.safety.types import PhiKind

ROOT = Path(__file__).resolve().parents[3]
MQP = ROOT.parent / "shared" / "datasets" / "mqp" / "queries.csv"
MEDQUAD = ROOT.parent / "shared" / "datasets" / "medquad" / "questions.csv"


def addresses(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_spans(text) if s.kind is PhiKind.ADDRESS]


def rule_addresses(text: str) -> list[str]:
    return [
        text[s.start : s.end] for s in find_spans(text, tagger=False) if s.kind is PhiKind.ADDRESS
    ]


def test_the_shipped_model_loads_small_and_whole() -> None:
    model = shipped_address_model()
    assert am.MODEL_FILE.stat().st_size < 1_500_000
    assert 0.05 < model.threshold < 0.99
    assert len(model.weights) > 1000
    assert all(isinstance(w, float) for w in model.weights.values())
    data = json.loads(am.MODEL_FILE.read_text(encoding="utf-8"))
    assert set(data) == {"threshold", "core", "weights"}


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "the carer needs to come to Plot 9, Block F, Ring Road, Ikeja, Lagos every morning",
            "Plot 9, Block F, Ring Road, Ikeja, Lagos",
        ),
        (
            "Mein Vater wohnt in der Bahnhofstr. 12, 2. OG, 04109 Leipzig und braucht Hilfe",
            "Bahnhofstr. 12, 2. OG, 04109 Leipzig",
        ),
        (
            "we live at Flat 3B, Sunrise Towers, 14 Park Street, Kolkata 700016, please send it",
            "Flat 3B, Sunrise Towers, 14 Park Street, Kolkata 700016",
        ),
    ],
)
def test_addresses_written_many_ways_are_found_whole(text: str, address: str) -> None:
    found = addresses(text)
    assert any(address in f for f in found), found
    assert address not in redact(text)[0]


def test_the_tagger_finds_what_the_rules_miss_or_cut_short() -> None:
    cases = [
        "the carer needs to come to Plot 9, Block F, Ring Road, Ikeja, Lagos every morning",
        "send the forms to House 7, Street 12, Sector G-9/2, Islamabad thanks",
        "my mum is at Unit 5, Block 2, Jalan Ampang, Kuala Lumpur, ring first",
        "nurse can visit Kamer 4, Blok B, Jalan Merdeka 12, Bandung anytime",
    ]
    for text in cases:
        assert max(map(len, addresses(text))) > max(map(len, rule_addresses(text)), default=0)


@pytest.mark.parametrize(
    "text",
    [
        "I take 500 mg of metformin twice a day, 1000 mg in total",
        "BP was 142/91 this morning and 128/84 at 6 pm",
        "my A1c went from 8.2 to 6.9 in 3 months on Ozempic 0.5 mg",
        "Room 12 on Ward 4, visiting hours 2 to 8 pm",
        "born at 31 weeks, now 2 years old and 12 kg",
        "ICD-10 code E11.9 on the form, and 3 refills left",
        "sharp pain in chest when i breathe in deep, 24 M, no heart problems",
    ],
)
def test_medical_numbers_are_not_addresses(text: str) -> None:
    assert addresses(text) == []


def test_a_public_places_address_is_kept() -> None:
    text = "The Boots pharmacy at 22 Market Street, Bolton BL1 1BN has the flu jab in stock"
    assert addresses(text) == []


def test_an_address_never_reaches_into_a_phone_number() -> None:
    text = "Plot 9, Block F, Ring Road, Ikeja, Lagos 0803 456 7812 is my number"
    kinds = {s.kind for s in find_spans(text)}
    assert PhiKind.PHONE in kinds
    spans = find_spans(text)
    assert all(a.end <= b.start or b.end <= a.start for a in spans for b in spans if a is not b)


def test_a_model_that_never_fires_leaves_the_rules_alone() -> None:
    silent = AddressModel({}, 2.0, 2.0)
    assert list(silent.addresses("we live at Plot 9, Block F, Ring Road, Ikeja, Lagos")) == []


def test_odd_texts_give_spans_inside_the_text_every_time() -> None:
    model = shipped_address_model()
    for text in ("", "1", "12 12 12 12", "東京都世田谷区北沢3-24-9", "\n5\n5\n", "a1 b2 c3 " * 40):
        first = list(model.addresses(text))
        assert first == list(model.addresses(text))
        assert all(0 <= s < e <= len(text) for s, e in first)


@pytest.mark.parametrize("path", [MQP, MEDQUAD], ids=["mqp", "medquad"])
def test_ordinary_health_questions_keep_their_words(path: Path) -> None:
    """Patients' real questions give no address: the tagger may change almost nothing."""
    if not path.is_file():
        pytest.skip(f"{path} is missing (../shared/datasets is not on this machine)")
    column = "query" if path == MQP else "question"
    with path.open(encoding="utf-8") as f:
        texts = [row[column] for row in csv.DictReader(f)][:20_000]
    model = shipped_address_model()
    taken = sum(len(text[s:e].split()) for text in texts for s, e in model.addresses(text))
    words = sum(len(text.split()) for text in texts)
    assert words > 10_000
    assert taken / words < 0.0005, taken
