"""A learned tagger for street addresses, beside the rules of `redaction`.

The rules know how addresses are written in the countries they were written for. People write
them in many more ways: "Plot 14, Block C, Admiralty Way, Lekki Phase 1, Lagos", "Götgatan 48,
lgh 1102, 118 26 Stockholm", "H.No. 112, Vill. Rampur, PO Khurja". What they share is a shape:
short pieces of capitalised words and house, flat and post numbers, strung together with commas
after a word that says where someone lives. This tagger scores the words and numbers around a
number by a logistic regression over each word, its shape, its neighbours and the gaps between
them, whether it is a street or unit word, a place, or a name, and whether a word like
"address" or "live" came before. Words it takes next to each other, with a number among them,
are one address.

It only reads a message with a number in it, and only around a number that looks like part of
an address ("45" in "Via Roma 45", not "500" in "500 mg"): most messages cost one test. The
weights are learned by `scripts/train_address_model.py` from the labelled safety files and from
ordinary health text (doses, readings, dates and times, never addresses); they ship in
`address_model.json`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.safety.name_model import PARTICLES, Token, _word_list, name_lists, places

HERE = Path(__file__).parent
MODEL_FILE = HERE / "address_model.json"

WINDOW = 8  # tokens either side of a number that the tagger learns from
REACH = 4  # tokens either side of an address's token that may belong to it too
ANCHOR = 0.2  # a number scored this high has its neighbours scored too
CUE_REACH = 10  # how far back a word like "address" still says where someone lives
MAX_TOKEN = 24  # longer "words" are whole sentences of a script written without spaces
NEAR = 3  # a cue or a number this close counts as next to the word
DIGIT_REACH = 6  # how far a number is looked for
SHORT = 3  # letters of a short word ("at", "the"; "int." and "Ct." are short, so abbreviations)


# Words, numbers and codes (letters and digits written together: "7a", "4ºB", "HG1", "H1N1"
# are one token each), single marks and line breaks.
TOKEN = re.compile(r"[^\W_]+|\n|[^\w\s]")


def tokens(text: str) -> list[Token]:
    return list(TOKEN.finditer(text))


def _has_digit(word: str) -> bool:
    """Whether a token holds a digit: a token of letters and digits that is not all letters
    (a quick test, and the tagger's hottest)."""
    return word[0].isalnum() and not word.isalpha()


@cache
def address_words() -> frozenset[str]:
    """Street, unit and area words in many languages, lower case ("rue", "lgh", "brgy")."""
    return _word_list("addresses.toml", "address_words")


@cache
def address_abbreviations() -> frozenset[str]:
    """Street and unit words written short with a full stop ("Avda.", "int.", "Bo.")."""
    return _word_list("addresses.toml", "address_abbreviations")


@cache
def address_cues() -> frozenset[str]:
    """Words before an address ("address", "live", "domicilio", "wohne"), lower case."""
    return _word_list("addresses.toml", "address_cues")


def _shape(word: str) -> str:
    """A number's length; a code's form (a number with a letter, "7a", "3rd"; letters with
    digits, "HG1", "B2"); a word's capitals and script; or a mark itself."""
    if word.isdigit():
        return f"d{min(len(word), 6)}"
    if not word[0].isalnum():
        return word
    if _has_digit(word):
        if word[0].isdigit():
            return "dth" if word[-2:].lower() in ("st", "nd", "rd", "th") else "dA"
        return f"Ad{min(len(word), 5)}"
    script = "" if word.isascii() else "u"
    if word.isupper():
        return "U" + script if len(word) > 1 else "A" + script
    if word[0].isupper():
        return "C" + script
    return "l" + script


def _key(word: str) -> str:
    """How a neighbour is named in a feature: a word in lower case, a number or a code by its
    shape."""
    return _shape(word) if _has_digit(word) else word.lower()


def _gap(text: str, a: Token | None, b: Token | None) -> str:
    """What separates two tokens: nothing, a space, or the marks between them."""
    if a is None or b is None:
        return "edge"
    between = text[a.end() : b.start()]
    if not between:
        return "none"
    if between == " ":
        return "space"
    return "nl" if "\n" in between else "other"


def features(
    text: str,
    toks: Sequence[Token],
    words: Sequence[str],
    i: int,
    digits: Sequence[bool] | None = None,
) -> list[str]:
    """The features of token `i` (a word or a number) of a message; `digits`, which tokens
    hold a digit, when the caller has them already."""
    first, last = name_lists()
    streets = address_words()
    word = words[i]
    low = word.lower()
    shape = _shape(word)
    n = len(words)
    keys = [
        _key(words[j]) if 0 <= j < n else "<s>" if j < 0 else "</s>" for j in range(i - 3, i + 4)
    ]
    shapes = [_shape(words[j]) if 0 <= j < n else "edge" for j in range(i - 3, i + 4)]
    out = [
        "bias",
        f"w={_key(word)}",
        f"shape={shape}",
        f"p1={keys[2]}",
        f"n1={keys[4]}",
        f"p2={keys[1]} {keys[2]}",
        f"n2={keys[4]} {keys[5]}",
        f"ps={shapes[2]}",
        f"ns={shapes[4]}",
        f"ps2={shapes[1]} {shapes[2]}",
        f"ns2={shapes[4]} {shapes[5]}",
        f"ps3={shapes[0]} {shapes[1]} {shapes[2]}",
        f"ns3={shapes[4]} {shapes[5]} {shapes[6]}",
        f"around={shapes[2]} {shape} {shapes[4]}",
        f"gb={_gap(text, toks[i - 1] if i else None, toks[i])}",
        f"ga={_gap(text, toks[i], toks[i + 1] if i + 1 < n else None)}",
    ]
    if not _has_digit(word):
        out.append(f"s3={low[-3:]}")
        if low in streets:
            out.append("street")
        if low in places():
            out.append("place")
        if low in first:
            out.append("first")
        if low in last:
            out.append("last")
    for j, name in ((i - 2, "-2"), (i - 1, "-1"), (i + 1, "+1"), (i + 2, "+2")):
        if 0 <= j < n and words[j].lower() in streets:
            out.append(f"street{name}")
        if 0 <= j < n and words[j].lower() in places():
            out.append(f"place{name}")
    cues = address_cues()
    for j in range(i - 1, max(-1, i - CUE_REACH - 1), -1):
        if words[j].lower() in cues:
            out.append(f"cue<{'3' if i - j <= NEAR else '10'}")
            break
    reach = range(max(0, i - DIGIT_REACH), min(n, i + DIGIT_REACH + 1))
    if digits is None:
        digits = [_has_digit(w) for w in words]
    nearest = min((abs(i - j) for j in reach if digits[j]), default=9)
    out.append(f"digit~{nearest if nearest < NEAR else '3-6' if nearest <= DIGIT_REACH else 'far'}")
    return out


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def scored_tokens(toks: Sequence[Token]) -> list[int]:
    """The tokens the tagger can take: words and numbers (marks and line breaks join them)."""
    return [i for i, t in enumerate(toks) if t[0][0].isalnum() and len(t[0]) <= MAX_TOKEN]


@dataclass(frozen=True, slots=True)
class AddressModel:
    """The tagger's weights and its threshold."""

    weights: dict[str, float]
    threshold: float  # a token this likely is part of an address next to it
    core: float  # an address needs one token this likely

    def score(self, feats: list[str]) -> float:
        return _sigmoid(sum(self.weights.get(f, 0.0) for f in feats))

    def addresses(
        self, text: str, blocked: Sequence[tuple[int, int]] = ()
    ) -> Iterator[tuple[int, int]]:
        """Offsets of the addresses found in `text`, none of them inside `blocked` (details
        the rules took as something else)."""
        toks = tokens(text)
        words = [t[0] for t in toks]
        digits = [_has_digit(w) for w in words]
        free = scored_tokens(toks)
        if blocked:
            free = [
                i
                for i in free
                if not any(s < toks[i].end() and toks[i].start() < e for s, e in blocked)
            ]
        p: dict[int, float] = {}
        for i in free:
            if digits[i]:
                p[i] = self.score(features(text, toks, words, i, digits))
        anchors = [i for i, q in p.items() if q >= ANCHOR]
        if not anchors:
            return  # most messages with a number: a dose, a reading, a date

        def score(i: int) -> float:
            if i not in p:
                p[i] = self.score(features(text, toks, words, i, digits))
            return p[i]

        free_set = set(free)
        taken = grown(anchors, free_set, score, self.threshold)
        for run in _runs(text, toks, words, taken, free_set):
            if max(p[i] for i in run) >= self.core:
                yield _offsets(text, toks, run)


def grown(
    anchors: Sequence[int], free: set[int], score: Callable[[int], float], threshold: float
) -> list[int]:
    """The tokens taken, grown from the anchors: every free token within REACH of an anchor
    or of a token taken is scored, so a long address ("Flat C, 18/F, Tower 3, Harbour View
    Garden, 2 Tai Hong Street, Sai Wan Ho") is followed to its end."""
    taken: set[int] = set()
    frontier = list(anchors)
    seen: set[int] = set()
    while frontier:
        i = frontier.pop()
        for j in range(i - REACH, i + REACH + 1):
            if j in free and j not in seen:
                seen.add(j)
                if score(j) >= threshold:
                    taken.add(j)
                    frontier.append(j)
    return sorted(taken)


def _runs(
    text: str, toks: Sequence[Token], words: Sequence[str], taken: list[int], free: set[int]
) -> Iterator[list[int]]:
    """Taken tokens next to each other (only marks between them, no line break, no full stop
    after a whole word) as runs, short lower-case words and cue words trimmed off their ends
    ("at", "the", "Address") and so are names before or after it; a run needs a number and a
    word."""
    run: list[int] = []
    for i in [*taken, None]:
        if i is not None and run and _joined(text, toks, run[-1], i, free):
            run.append(i)
            continue
        # "no" only comes before a number: "24 M, no heart problems" ends before it
        while run and (_loose_end(words[run[-1]]) or words[run[-1]].lower() in NUMBER_WORDS):
            run.pop()
        while run and _loose_start(words, run):
            run.pop(0)
        run = _without_names(text, toks, words, run)
        if any(_has_digit(words[j]) for j in run) and any(words[j].isalpha() for j in run):
            yield run
        run = [i] if i is not None else []


def _offsets(text: str, toks: Sequence[Token], run: list[int]) -> tuple[int, int]:
    start, end = toks[run[0]].start(), toks[run[-1]].end()
    if text[end : end + 1] == "." and _abbreviation(toks[run[-1]][0]):
        end += 1  # "Quincy, Mass."
    return start, end


def _without_names(
    text: str, toks: Sequence[Token], words: Sequence[str], run: list[int]
) -> list[int]:
    """The run without a person's name before or after the address, set off by a comma
    ("Edith Morrow, 1 Station Cottages, …", "…, Cork, Síle"): a first or last piece, split at
    commas, with a known first or last name and no number, street word or place."""
    pieces: list[list[int]] = [[]]
    for a, b in zip([None, *run], run, strict=False):
        if a is not None and "," in text[toks[a].end() : toks[b].start()]:
            pieces.append([])
        pieces[-1].append(b)
    while len(pieces) > 1 and _a_name(words, pieces[0]):
        pieces.pop(0)
    while len(pieces) > 1 and _a_name(words, pieces[-1]):
        pieces.pop()
    return [i for piece in pieces for i in piece]


def _a_name(words: Sequence[str], piece: list[int]) -> bool:
    first, last = name_lists()
    lows = [words[i].lower() for i in piece]
    if any(_has_digit(w) or w in address_words() or w in places() for w in lows):
        return False
    return any(w in first or w in last for w in lows)


def _cue(word: str) -> bool:
    """A word that says an address follows and is not part of it ("Address", "live")."""
    low = word.lower()
    return low in address_cues() and low not in address_words()


def _loose_end(word: str) -> bool:
    """A short lower-case word or a pronoun that is no street or unit word ("at", "the", "no"
    in "627, no Morumbi", "I'm"): it does not begin or end an address."""
    low = word.lower()
    if not word.isalpha() or low in address_words():
        return False
    return (word.islower() and len(word) <= SHORT) or low in PRONOUNS


def _loose_start(words: Sequence[str], run: list[int]) -> bool:
    """Whether the run's first word is no part of the address: a loose word, a cue ("Address",
    "live"), or a lower-case word that is no street word and not before the number ("way out
    at 12850 County Road", but "hauptstr. 7a")."""
    word = words[run[0]]
    if _loose_end(word) or _cue(word):
        return True
    after = words[run[1]] if len(run) > 1 else ""
    if after and word.isalpha() and word.islower() and _loose_end(after) and after not in PARTICLES:
        return True  # "flat is 12 Shehab St", "casa es Pasaje Los Aromos 1432"
    return loose_word(word) and not (after and _has_digit(after))


def loose_word(word: str) -> bool:
    """A lower-case word that is no street, unit or area word ("downtown", "hurry"): the
    sentence, not the address (the redaction grows addresses up to one too)."""
    return word.isalpha() and word.islower() and word not in address_words()


_PRONOUN_WORDS = "i m s we my our me us he she his her they their it its you your"
NUMBER_WORDS = frozenset({"no", "nos", "nr", "n", "nº"})
PRONOUNS = frozenset(_PRONOUN_WORDS.split())  # "m" and "s" of "I'm", "it's"


def _abbreviation(word: str) -> bool:
    """A word that may end in an abbreviation's full stop ("int.", "Avda.", "Mass."), not a
    sentence's ("flat.", "home.")."""
    return word.isalpha() and (len(word) <= SHORT or (len(word) == SHORT + 1 and word[0].isupper()))


def _joined(text: str, toks: Sequence[Token], a: int, b: int, free: set[int]) -> bool:
    """Whether taken tokens `a` and `b` are one address: only marks between them, and a full
    stop only after an initial or an abbreviation ("Lovenox. 12 bis, rue …" is two)."""
    if any(t[0][0].isalnum() or t[0] == "\n" for t in toks[a + 1 : b]):
        return False
    between = text[toks[a].end() : toks[b].start()]
    if "\n" in between:
        return False
    if between.startswith("."):  # "int. 6", "Bo. Cambalache", "N. S. de", not "Cork. Síle"
        word = toks[a][0]
        return b in free and (len(word) == 1 or word.lower() in address_abbreviations())
    return b in free


@cache
def shipped_address_model() -> AddressModel:
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    return AddressModel(data["weights"], data["threshold"], data["core"])
