"""Near-miss cues: a different body part, drug, age group, time frame, number, or a negation.

Each cue turns normalised text into a set of mentions; a pair of texts conflicts on a cue when both
mention something of that kind and the mentions differ. The benchmark measures whether these cues
help the learned decision (see docs/matching.md); the matcher reports them as signals either way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_BODY = {
    "head", "scalp", "brain", "face", "eye", "eyes", "eyelid", "ear", "ears", "nose", "sinus",
    "mouth", "lip", "lips", "tongue", "tooth", "teeth", "gum", "gums", "jaw", "throat", "neck",
    "shoulder", "arm", "elbow", "wrist", "hand", "finger", "thumb", "nail", "chest", "breast",
    "nipple", "heart", "lung", "lungs", "rib", "back", "spine", "abdomen", "stomach", "belly",
    "liver", "kidney", "kidneys", "bladder", "bowel", "colon", "rectum", "anus", "hip", "groin",
    "penis", "testicle", "testicles", "scrotum", "vagina", "vulva", "uterus", "cervix", "ovary",
    "ovaries", "prostate", "thigh", "leg", "legs", "knee", "ankle", "foot", "feet", "toe", "toes",
    "heel", "skin", "hair", "thyroid", "gallbladder", "pancreas", "spleen", "bone", "joint",
    "muscle", "vein", "artery", "blood",
}  # fmt: skip
_BODY_CANON = {
    "eyes": "eye", "ears": "ear", "teeth": "tooth", "gums": "gum", "lips": "lip", "lungs": "lung",
    "kidneys": "kidney", "testicles": "testicle", "ovaries": "ovary", "legs": "leg", "feet": "foot",
    "toes": "toe", "belly": "abdomen", "stomach": "abdomen",
}  # fmt: skip
_DRUGS = {
    "tylenol", "acetaminophen", "paracetamol", "advil", "motrin", "ibuprofen", "aspirin",
    "aleve", "naproxen", "benadryl", "zyrtec", "claritin", "xanax", "valium", "ambien",
    "adderall", "ritalin", "prozac", "zoloft", "lexapro", "wellbutrin", "insulin", "metformin",
    "prednisone", "warfarin", "coumadin", "plavix", "lipitor", "viagra", "cialis", "tamiflu",
    "antibiotic", "antibiotics", "penicillin", "amoxicillin", "augmentin", "cipro", "keflex",
    "zithromax", "azithromycin", "doxycycline", "flagyl", "metronidazole", "levothyroxine",
    "synthroid", "tramadol", "vicodin", "oxycodone", "codeine", "morphine", "suboxone", "nyquil",
    "dayquil", "sudafed", "mucinex", "imodium", "pepto", "omeprazole", "prilosec", "nexium",
    "zantac", "vitamin", "melatonin", "birth", "contraceptive", "steroid", "steroids",
    "antidepressant", "antidepressants", "vaccine", "ointment", "cream",
}  # fmt: skip
_DRUG_SUFFIX = re.compile(
    r"(?:cillin|mycin|micin|cycline|floxacin|azole|prazole|tidine|olol|pril|sartan|statin|"
    r"dipine|pam|lam|zepam|triptan|mab|nib|vir|profen|fenac|oxetine|aline|pramine|done|codone|"
    r"semide|thiazide|lukast|sone|olone|asone|gliptin|formin|glitazone)$"
)
_AGE = {
    "baby": "infant", "babies": "infant", "infant": "infant", "newborn": "infant",
    "toddler": "child", "child": "child", "children": "child", "kid": "child", "kids": "child",
    "son": "child", "daughter": "child", "boy": "child", "girl": "child",
    "teen": "teen", "teenager": "teen", "adolescent": "teen",
    "elderly": "senior", "senior": "senior", "grandmother": "senior", "grandfather": "senior",
    "grandma": "senior", "grandpa": "senior", "pregnant": "pregnant", "pregnancy": "pregnant",
}  # fmt: skip
_NEGATION = {"not", "no", "never", "without", "nothing", "none", "cannot", "nor"}
_TIME_UNITS = {
    "second": "second", "seconds": "second", "minute": "minute", "minutes": "minute",
    "min": "minute", "mins": "minute", "hour": "hour", "hours": "hour", "hr": "hour",
    "hrs": "hour", "day": "day", "days": "day", "week": "week", "weeks": "week", "wk": "week",
    "wks": "week", "month": "month", "months": "month", "year": "year", "years": "year",
    "yr": "year", "yrs": "year", "today": "day", "yesterday": "day", "tonight": "day",
}  # fmt: skip
_AGE_LIMITS = ((2.0, "infant"), (13.0, "child"), (18.0, "teen"))
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_STOP_AFTER_NUMBER = {"year", "years", "yr", "yrs", "y", "yo"}


def _body(words: list[str]) -> frozenset[str]:
    return frozenset(_BODY_CANON.get(word, word) for word in words if word in _BODY)


def _drugs(words: list[str]) -> frozenset[str]:
    found = {word for word in words if word in _DRUGS}
    found |= {word for word in words if len(word) > 5 and _DRUG_SUFFIX.search(word)}  # noqa: PLR2004
    return frozenset(found)


def _age(words: list[str]) -> frozenset[str]:
    groups = {_AGE[word] for word in words if word in _AGE}
    for index, word in enumerate(words[:-1]):
        # "my 2 year old", "39 yo": an explicit age puts the question in an age group.
        if _NUMBER.match(word) and words[index + 1] in _STOP_AFTER_NUMBER:
            groups.add(_age_group(float(word)))
    return frozenset(groups)


def _age_group(age: float) -> str:
    for limit, group in _AGE_LIMITS:
        if age < limit:
            return group
    return "adult"


def _negation(words: list[str]) -> frozenset[str]:
    return frozenset({"negated"}) if any(word in _NEGATION for word in words) else frozenset()


def _time(words: list[str]) -> frozenset[str]:
    return frozenset(_TIME_UNITS[word] for word in words if word in _TIME_UNITS)


def _numbers(words: list[str]) -> frozenset[str]:
    return frozenset(word for word in words if _NUMBER.match(word))


CUES: dict[str, Callable[[list[str]], frozenset[str]]] = {
    "body": _body,
    "drug": _drugs,
    "age": _age,
    "negation": _negation,
    "time": _time,
    "number": _numbers,
}


@dataclass(frozen=True, slots=True)
class Mentions:
    """What one text mentions, per cue."""

    by_cue: dict[str, frozenset[str]]


def mentions(normalized_text: str) -> Mentions:
    """The cue mentions of already-normalised text."""
    words = normalized_text.split()
    return Mentions({name: cue(words) for name, cue in CUES.items()})


def conflicts(query: Mentions, phrasing: Mentions) -> dict[str, float]:
    """Per cue: 1.0 when both texts mention that kind of thing and the mentions differ.

    Negation is a presence cue: it conflicts when exactly one of the texts is negated.
    """
    out: dict[str, float] = {}
    for name in CUES:
        left, right = query.by_cue[name], phrasing.by_cue[name]
        if name == "negation":
            out[name] = float(bool(left) != bool(right))
        else:
            out[name] = float(bool(left) and bool(right) and left.isdisjoint(right))
    return out
