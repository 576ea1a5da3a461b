"""A gated regex answers exactly as the regex itself: the probe only skips texts that cannot
match. Checked on every regex of the redaction over every labelled message, and on the
Unicode corners of case-insensitive matching."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from bot.safety import redaction
from bot.safety.prefilter import Gated, any_of, fold

DATA = Path(__file__).resolve().parents[2] / "data"


def labelled_texts() -> list[str]:
    out: list[str] = []
    for path in sorted(DATA.glob("safety_*.jsonl")):
        with path.open(encoding="utf-8") as f:
            out += [json.loads(line)["text"] for line in f if line.strip()]
    return out


def spans(found: object) -> list[tuple[int, int]]:
    if isinstance(found, re.Match):
        return [found.span()]
    return [] if found is None else [m.span() for m in found]  # type: ignore[attr-defined]


def same(gated: Gated, text: str, pos: int = 0, endpos: int = sys.maxsize) -> None:
    plain = gated.regex
    for method in ("search", "match", "fullmatch", "finditer"):
        want = spans(getattr(plain, method)(text, pos, endpos))
        got = spans(getattr(gated, method)(text, pos, endpos))
        assert got == want, (gated.pattern[:60], method, text[:80])


def test_every_redaction_regex_finds_what_it_found_ungated() -> None:
    gated = [value for value in vars(redaction).values() if isinstance(value, Gated)]
    assert len(gated) > 100
    probed = [g for g in gated if g._probe is not None]
    assert len(probed) > 80, "most regexes have strings to look for"
    texts = labelled_texts()[::2]  # half of them keeps this test to seconds
    assert len(texts) > 8_000
    for g in probed:
        for text in texts:
            # finditer is what the redaction calls; compare it on every text, cheaply
            assert [m.span() for m in g.finditer(text)] == [
                m.span() for m in g.regex.finditer(text)
            ], (g.pattern[:60], text[:80])


def test_a_text_without_the_needed_strings_is_skipped() -> None:
    gated = Gated(r"\b(?:overdosed?|poisoned)\b", re.IGNORECASE)
    assert gated._absent("I feel fine today", 0, sys.maxsize)
    assert not gated._absent("I think he OVERDOSED", 0, sys.maxsize)
    assert gated.search("I think he OVERDOSED") is not None


def test_a_regex_without_needed_strings_always_runs() -> None:
    gated = Gated(r"\b[A-Z][a-z]+\b")
    assert gated._probe is None
    same(gated, "Hello there Maria")


@pytest.mark.parametrize(
    "text",
    [
        "Kind Regards, Bob",
        "KIND REGARDS Bob",
        "kind regards bob",
        "Best, Bob",
        "\u212aind regards Bob",
    ],
)
def test_a_group_with_its_own_case_flag_is_probed_folded(text: str) -> None:
    scoped = Gated(r"\b(?i:kind regards),?\s+(\w+)")
    assert scoped._probe is not None
    assert scoped._folded
    same(scoped, text)
    inside = Gated(r"(?:regards|best),?\s+((?-i:B)ob)", re.IGNORECASE)
    assert inside._probe is not None
    assert inside._folded
    same(inside, text)
    assert scoped._absent("thanks a lot, Bob", 0, sys.maxsize)


@pytest.mark.parametrize(
    "text",
    [
        "call SARAH now",
        "call \u212a",  # KELVIN SIGN matches "k" case-insensitively
        "ca\u0131l me",  # dotless i matches "i" case-insensitively
        "CAL\u0130 ME",  # dotted capital I
        "stra\u1e9ee 5",  # capital sharp s
        "\u017fmith",  # long s matches "s"
        "nothing here",
    ],
)
def test_case_insensitive_literals_are_found_in_any_case(text: str) -> None:
    for pattern in (r"call", r"ca[il]l", r"\bk\b", r"stra\u00dfe", r"smith", r"cal\u0131"):
        gated = Gated(pattern, re.IGNORECASE)
        same(gated, text)


def test_positions_are_honoured() -> None:
    gated = Gated(r"\bdob\b", re.IGNORECASE)
    text = "DOB 1/2/1990, then dob again"
    same(gated, text, 5)
    same(gated, text, 0, 3)
    same(gated, text, 19, 22)
    assert gated.search(text, 5) is not None
    assert gated.search(text, 5, 18) is None


def test_fold_keeps_each_literal_inside_what_it_matches() -> None:
    everything = "".join(chr(c) for c in range(0x20, 0x3000) if not 0xD800 <= c < 0xE000)
    for c in "abcdefghijklmnopqrstuvwxyz\u00df\u00e9":
        for m in re.finditer(re.escape(c), everything, re.IGNORECASE):
            assert fold(c) in fold(m.group()), (c, hex(ord(m.group())))


def test_any_of_is_any_substring() -> None:
    words = ("than", "thx", "ty ", "cheers", "ch")
    search = any_of(words)
    for text in ("thanks", "ok ty ", "cheese", "nothing", "t h x", "THX", "chat"):
        assert (search.search(text) is not None) == any(w in text for w in words), text
