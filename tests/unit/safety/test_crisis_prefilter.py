"""The crisis prefilter only skips work: it never hides a match a rule or an idiom would find."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.safety import crisis
from bot.safety.prefilter import Alternation, Prefilter, required_literals, top_level_parts

DATA = Path(__file__).resolve().parents[2] / "data"
# The sets the rules were developed on; the blind sets are left for scoring.
SETS = ["safety_cases.jsonl", "safety_holdout.jsonl", "safety_holdout2.jsonl"]


def texts() -> list[str]:
    out = []
    for name in SETS:
        with (DATA / name).open(encoding="utf-8") as f:
            out += [crisis.normalise(json.loads(line)["text"]) for line in f if line.strip()]
    return out


def test_literals_come_from_the_rarest_required_part() -> None:
    assert required_literals(r"\b(?:took|swallowed) (?:\w+ )?pills\b") == {"pills"}
    assert required_literals(r"\bcan'?t breathe\b") == {"cant breathe", "can't breathe"}
    # An alternative with nothing required makes the whole pattern require nothing.
    assert required_literals(r"\bkill\b|\w+ing") == {"kill", "ing"}
    assert required_literals(r"\bkill\b|\w+") is None
    assert required_literals(r"(?:a|b)?c*") is None
    # Inline flags change what a literal means: no literals are claimed.
    assert required_literals(r"(?i)overdose") is None


def test_literals_of_alternatives_are_pooled_and_longer_ones_dropped() -> None:
    assert required_literals(r"\b(?:chok\w+|choke|strangl\w+)\b") == {"chok", "strangl"}
    assert required_literals(r"x(?:ab|abc)y") == {"xaby", "xabcy"}


def test_every_match_of_every_rule_contains_one_of_its_literals() -> None:
    sample = texts()
    checked = 0
    for rule in crisis.RULES:
        literals = required_literals(rule.pattern)
        if literals is None:
            continue
        for text in sample:
            for match in re.finditer(rule.pattern, text):
                assert any(s in match.group() for s in literals), (rule.pattern, match.group())
                checked += 1
    assert checked > 1000


def test_the_prefilter_keeps_every_rule_that_matches() -> None:
    patterns = [rule.pattern for rule in crisis.RULES]
    prefilter = Prefilter(patterns)
    compiled = [re.compile(p) for p in patterns]
    skipped = 0
    for text in texts():
        kept = prefilter.candidates(text)
        assert kept == sorted(kept)
        matching = [i for i, p in enumerate(compiled) if p.search(text)]
        assert set(matching) <= set(kept), text
        skipped += len(patterns) - len(kept)
    assert skipped > 0


def test_a_rule_without_literals_always_runs() -> None:
    prefilter = Prefilter([r"pills", r"\w+"])
    assert prefilter.candidates("nothing here") == [1]
    assert prefilter.candidates("my pills") == [0, 1]


def test_a_longer_literal_stands_for_its_prefixes() -> None:
    # The search reports "pillsx" at position 0; "pill" starting there must count too.
    prefilter = Prefilter([r"pill", r"pillsx", r"zzz"])
    assert prefilter.candidates("pillsx") == [0, 1]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"a|b", ["a", "b"]),
        (r"a(?:b|c)|d", ["a(?:b|c)", "d"]),
        (r"[|]|x", ["[|]", "x"]),
        (r"[]|]|x", ["[]|]", "x"]),
        (r"[^]|]|x", ["[^]|]", "x"]),
        (r"\||x", [r"\|", "x"]),
        (r"[\]|]|x", [r"[\]|]", "x"]),
    ],
)
def test_top_level_parts(pattern: str, expected: list[str]) -> None:
    assert top_level_parts(pattern) == expected


@pytest.mark.parametrize(
    "text",
    [
        "abcd",
        "xabcdx abc ab bcd",
        "",
        "the exam is killing me and my boss is killing me lol",
        "aaaa",
    ],
)
def test_an_alternation_finds_what_the_whole_regex_finds(text: str) -> None:
    # Overlapping parts: the first part that matches at the leftmost position wins.
    pattern = r"bcd|abc|\bab|a(?=a)|c\w*"
    assert Alternation(pattern).spans(text) == [m.span() for m in re.finditer(pattern, text)]


def test_the_idioms_give_the_same_spans_as_one_regex() -> None:
    whole = re.compile(crisis._IDIOMS.pattern.pattern)
    found = 0
    for text in texts():
        want = [m.span() for m in whole.finditer(text)]
        assert crisis._IDIOMS.spans(text) == want, text
        found += len(want)
    assert found > 50
