"""Normalisation, synonyms and near-miss cues."""

from __future__ import annotations

from bot.matching.nearmiss import conflicts, mentions
from bot.matching.normalize import SynonymMap, clean, normalize


def test_normalize_expands_contractions_and_drops_punctuation_and_case() -> None:
    assert normalize("I CAN\u2019T sleep, it's 3am!!") == "i can not sleep it is 3am"
    assert normalize("Won't it hurt? She'd know.") == "will not it hurt she would know"


def test_normalize_keeps_decimal_numbers_and_splits_hyphens() -> None:
    assert normalize("Take 2.5 mg of covid-19 meds.") == "take 2.5 mg of covid 19 meds"


def test_clean_removes_urls_mentions_emoji_and_chat_markup_but_keeps_case() -> None:
    text = "<@123456789> Hey @nurse_jo 😷 see https://example.com/x?y=1 — Is <#C123|general> OK?"
    text += " :smile:"
    assert clean(text) == "Hey see — Is OK?"


def test_normalize_applies_unicode_compatibility_forms() -> None:
    assert normalize("my \ufb01nger hurt \uff12 days") == "my finger hurt 2 days"


def test_synonyms_rewrite_variants_to_the_canonical_term_longest_phrase_first() -> None:
    synonyms = SynonymMap([("abdomen", "stomach", "tummy"), ("navel", "belly button")])
    assert synonyms.canonical("my tummy and belly button hurt") == "my abdomen and navel hurt"
    assert synonyms.canonical("stomachache") == "stomachache"


def test_a_different_body_part_or_drug_is_a_conflict_but_the_same_one_is_not() -> None:
    knee = mentions(normalize("Why does my knee hurt after running?"))
    ankle = mentions(normalize("Why does my ankle hurt after running?"))
    assert conflicts(knee, ankle)["body"] == 1.0
    assert conflicts(knee, knee)["body"] == 0.0
    ibuprofen = mentions(normalize("Can I take ibuprofen with food?"))
    tylenol = mentions(normalize("Can I take Tylenol with food?"))
    assert conflicts(ibuprofen, tylenol)["drug"] == 1.0


def test_negation_and_age_group_cues() -> None:
    plain = mentions(normalize("Is it safe to exercise with a cold?"))
    negated = mentions(normalize("Is it not safe to exercise with a cold?"))
    assert conflicts(plain, negated)["negation"] == 1.0
    toddler = mentions(normalize("My 2 year old has a rash"))
    adult = mentions(normalize("My 40 year old husband has a rash"))
    assert conflicts(toddler, adult)["age"] == 1.0
