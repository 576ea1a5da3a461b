"""A learned tagger for person names in free context, beside the rules of `redaction`.

The rules find names where a cue says so ("my son Jacob", "thanks, Mike", "Dr. Ahmed"). People
also name people with no cue at all: "went to the clinic with Sarah", "Priyanka from HR said",
"told Okafor about it". This tagger scores each capitalised word (and each lower-case known
first name) by a logistic regression over the word, its shape and suffix, whether it is a
known first or last name or a place word, whether it starts a sentence, the words around it,
and how much its spelling looks like a name's (a small model over letter pieces). Its weights
are learned by `scripts/train_name_model.py` from the labelled safety files (names) and from
ordinary health questions (eponyms, drugs, places and sentence-initial words, never names);
they ship in `name_model.json`. Pure Python at run time: a few candidate words a message.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent
MODEL_FILE = HERE / "name_model.json"

# Words, numbers, single punctuation marks and line breaks. An apostrophe joins a word only
# when two or more letters follow it: "O'Brien" is one word, "Sarah's" is "Sarah" "'" "s".
TOKEN = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]{2,})*|\d+|\n|[^\w\s]")
# Particles inside names: "de Vries", "van der Berg", "bin Saeed", "Nguyễn Thị Lan".
_PARTICLE_WORDS = (
    "de des du la le del della di da do dos das van von der den ter ten y bin binti bint al el "
    "ibn ben bat ap"
)
PARTICLES = frozenset(_PARTICLE_WORDS.split())
_SENTENCE_BREAK = frozenset({"<s>", ".", "!", "?", "\n", ":", ";", '"', "\u201c", "-", "*", "("})


# A token is its match: `tok[0]` its text, `tok.start()` and `tok.end()` its offsets (a match
# object costs a quarter of a small class built from it, and a message has dozens).
Token = re.Match[str]


def tokens(text: str) -> list[Token]:
    return list(TOKEN.finditer(text))


@cache
def word_lists(file: str) -> dict[str, str]:
    """One of this folder's TOML word lists, read once (the rules of `redaction` use it too)."""
    return tomllib.loads((HERE / file).read_text(encoding="utf-8"))


@cache
def _word_list(file: str, *keys: str) -> frozenset[str]:
    """The words under `keys` in `file`."""
    return frozenset(word for key in keys for word in word_lists(file)[key].split())


def not_names() -> frozenset[str]:
    """Capitalised words `names.toml` keeps from the rules (sentence openers, places and
    institutions, eponyms, hospitals' namesakes): a feature of the tagger's, and a word
    after a name that makes it an institution's ("Macmillan Cancer Support")."""
    return _word_list("names.toml", "not_names", "not_name_parts", "eponyms", "hospital_owners")


def word_names() -> frozenset[str]:
    """Names that are ordinary words too ("grace", "hope", "will"), lower case."""
    return _word_list("names.toml", "word_names")


def places() -> frozenset[str]:
    """Words of the names of towns, countries and US states, lower case ("köln", "austin")."""
    return _word_list("places.toml", "places")


@cache
def first_names() -> frozenset[str]:
    """Known first names, lower case: the hand-kept ones and Faker's (the rules use them too)."""
    return _word_list("names.toml", "first_names") | _word_list("first_names.toml", "first_names")


def name_lists() -> tuple[frozenset[str], frozenset[str]]:
    """Known first names and known last names, lower case."""
    return first_names(), _word_list("last_names.toml", "last_names")


def _shape(word: str) -> str:
    if word.isupper():
        return "upper"
    if word[0].isupper():
        return "mixed" if any(c.isupper() for c in word[1:]) else "cap"
    return "lower"


_LENGTHS = ((3, "1-2"), (4, "3"), (6, "4-5"), (9, "6-8"))
_LIKENESS_STEPS = (0.2, 0.5, 0.8)
_SHOUTING = 0.8  # the share of words in capitals that makes a message shouted
_MIN_WORDS = 3  # fewer words than this tell nothing about how the writer capitalises


def _length(word: str) -> str:
    return next((name for below, name in _LENGTHS if len(word) < below), "9+")


def candidates(text: str, toks: list[Token], words: list[str]) -> list[int]:
    """The indices of the words the tagger scores: capitalised words (not all capitals, not
    "AAAs", not one letter, not after a public title) and lower-case known first names,
    outside links and emails ("ghr.nlm.nih.gov", "jo_smith@…")."""
    first, _ = name_lists()
    known = first.intersection(map(str.lower, words))  # one set operation for the message
    out = []
    for i, (tok, word) in enumerate(zip(toks, words, strict=True)):
        if not (word[0].isupper() or (known and word.lower() in known)):
            continue  # most words: cheapest test first
        if len(word) == 1 or not word[0].isalpha() or word[1].isupper():
            continue
        if i > 0 and words[i - 1].lower() in PUBLIC_TITLES:  # "Prince William", "St Thomas"
            continue
        start, end = tok.span()
        before = text[start - 1 : start]
        after = text[end : end + 2]
        if before in _IN_LINK or (after[:1] in _IN_LINK and after[1:].isalnum()):
            continue
        out.append(i)
    return out


_IN_LINK = frozenset("./@_=#")


def char_grams(word: str) -> list[str]:
    """The 2-4 letter pieces of the word, with a space at each end (scikit-learn's char_wb)."""
    padded = f" {word.lower()} "
    return [padded[i : i + n] for n in (2, 3, 4) for i in range(len(padded) - n + 1)]


def likeness_feature(likeness: float) -> str:
    """How much the word's spelling looks like a name's, in four steps."""
    return f"namelike={sum(likeness >= step for step in _LIKENESS_STEPS)}"


def features(words: list[str], i: int, lower_message: bool, likeness: float) -> list[str]:
    """The features of `words[i]`; `words` are the token texts of one message, `likeness`
    the spelling model's score of `words[i]` (`NameModel.likeness`)."""
    first, last = name_lists()
    word = words[i]
    low = word.lower()
    prev = words[i - 1].lower() if i > 0 else "<s>"
    prev2 = words[i - 2].lower() if i > 1 else "<s>"
    nxt = words[i + 1].lower() if i + 1 < len(words) else "</s>"
    nxt2 = words[i + 2].lower() if i + 2 < len(words) else "</s>"
    start = prev in _SENTENCE_BREAK
    shape = _shape(word)
    place = "start" if start else "mid"
    like = likeness_feature(likeness)
    out = [
        "bias",
        f"w={low}",
        f"s3={low[-3:]}",
        f"shape={shape}",
        f"len={_length(word)}",
        f"shape={shape}&{place}",
        f"p1={prev}",
        f"p2={prev2} {prev}",
        f"n1={nxt}",
        f"n2={nxt} {nxt2}",
        f"n1s2={nxt[-2:]}",  # "came", "says", "asked": a name is often the subject
        like,
        f"{like}&{place}",
    ]
    if word in not_names():
        out += ["listed_not_name", f"listed_not_name&{place}"]
    if low in places():
        out += ["place", f"place&{place}", "place&first" if low in first else "place&unknown"]
    if low in first:
        out += ["first", f"first&{place}", f"first&{shape}"]
    if low in last:
        out += ["last", f"last&{place}"]
    out += [f"{like}&{shape}", f"{like}&{shape}&{place}"]
    if prev in first and i > 0 and words[i - 1][0].isupper():
        out.append("after_first")
    if nxt in last or (i + 1 < len(words) and words[i + 1][0].isupper() and nxt.isalpha()):
        out.append("before_cap")
    if lower_message and shape != "lower" and not start:
        out.append("cap_in_lower_message")
    return out


def shouting(words: list[str]) -> bool:
    """Whether the message is written in capitals."""
    letters = [w for w in words if len(w) > 1 and w[0].isalpha()]
    upper = sum(w.isupper() for w in letters)
    return len(letters) >= _MIN_WORDS and upper >= _SHOUTING * len(letters)


def lower_message(words: list[str]) -> bool:
    """Whether the writer hardly capitalises inside sentences: then a capital there means
    more."""
    letters = [
        w
        for i, w in enumerate(words)
        if w[0].isalpha() and i > 0 and words[i - 1] not in _SENTENCE_BREAK
    ]
    capitalised = sum(1 for w in letters if w[0].isupper() and w != "I")
    return len(letters) > _MIN_WORDS and capitalised <= len(letters) // 10


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True, slots=True)
class NameModel:
    """The tagger's weights, and the spelling model's (`spelling`: letter piece to weight,
    "" the bias), which tells how much a word looks like a name ("Aiyana", "Okonkwo") when
    it is in no list."""

    weights: dict[str, float]
    threshold: float
    spelling: dict[str, float]

    def score(self, feats: list[str]) -> float:
        return _sigmoid(sum(self.weights.get(f, 0.0) for f in feats))

    def likeness(self, word: str) -> float:
        grams = self.spelling
        return _sigmoid(grams.get("", 0.0) + sum(grams.get(g, 0.0) for g in char_grams(word)))

    def names(self, text: str) -> Iterator[tuple[int, int]]:
        """Offsets of the names found in `text`: name words next to each other, or with a
        particle between them ("Pieter de Vries"), are one name."""
        toks = tokens(text)
        words = [t[0] for t in toks]
        if shouting(words):  # "MY NAME IS JOHN OKONKWO": read it as if lower case
            words = [w.lower() for w in words]
        scored = [i for i in candidates(text, toks, words) if not _never_a_name(words, i)]
        if not scored:
            return  # most messages: nothing to score
        lowered = lower_message(words)
        hits = [
            i
            for i in scored
            if self.score(features(words, i, lowered, self.likeness(words[i]))) >= self.threshold
        ]
        runs: list[list[int]] = []  # token indices
        for i in hits:
            if runs and _joined(text, toks, runs[-1][-1], i):
                runs[-1].append(i)
            else:
                runs.append([i])
        for run in runs:
            if not _eponym(words, run[-1]):
                yield toks[run[0]].start(), toks[run[-1]].end()


# A name before these words names a condition, a sign or a test ("Pierre Robin sequence",
# "Kennedy's disease", "the Bruce protocol"), not a person.
_EPONYM_HEAD_WORDS = (
    "syndrome syndromes disease diseases disorder sequence type myopathy palsy anomaly sign "
    "test protocol score scale criteria classification procedure operation manoeuvre "
    "maneuver method reflex phenomenon"
)
EPONYM_HEADS = frozenset(_EPONYM_HEAD_WORDS.split())


def _never_a_name(words: list[str], i: int) -> bool:
    """Words the tagger never takes, whatever the model says: the rules' kept words, names
    that are words when written in lower case ("says grace"), hyphenated words with such a
    part or a lower-case one ("Guillain-Barre", "Rh-negative"), and a place after a word that
    says where ("aus Köln", "going to Bali")."""
    word = words[i]
    if word in not_names() or (word.islower() and word in word_names()):
        return True
    parts = word.split("-")[1:]  # "Guillain-Barre", "Charcot-Marie-Tooth", "Rh-negative"
    if any(part in not_names() or part.islower() for part in parts):
        return True
    return i > 0 and words[i - 1].lower() in WHERE and word.lower() in places()


# Words before a place: English, German, French, Spanish, Italian, Portuguese, Dutch, Polish.
_WHERE_WORDS = "from in to near outside aus nach bei à en de desde da di em uit te w z ze"
WHERE = frozenset(_WHERE_WORDS.split())


# Titles of public figures and saints: "Prince William", "Queen Elizabeth", "St Thomas'".
PUBLIC_TITLES = frozenset({"prince", "princess", "king", "queen", "pope", "saint", "st"})


def _eponym(words: list[str], last: int) -> bool:
    """Whether the name ending at `last` names a condition or an institution ("Kennedy's
    disease", "Dennis Fairhurst Moore syndrome", "Macmillan Cancer Support")."""
    after = words[last + 1 : last + 1 + _EPONYM_REACH]
    if after[:2] in (["'", "s"], ["\u2019", "s"]):
        after = after[2:]
    for word in after:  # past the other capitalised parts of the name
        if word.lower() in EPONYM_HEADS or word in not_names():
            return True
        if not (word[:1].isupper() or word == "-"):
            return False
    return False


_EPONYM_REACH = 5  # words after a name that may still belong to it


def _joined(text: str, toks: list[Token], last: int, nxt: int) -> bool:
    """Whether tokens `last` and `nxt` belong to one name: only spaces, hyphens and
    particles between them."""
    between = toks[last + 1 : nxt]
    if any(t[0] not in PARTICLES for t in between):
        return False
    pairs = zip(toks[last:nxt], toks[last + 1 : nxt + 1], strict=True)
    gaps = [text[a.end() : b.start()] for a, b in pairs]
    return all(gap in (" ", "-") for gap in gaps)


@cache
def shipped_name_model() -> NameModel:
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    return NameModel(data["weights"], data["threshold"], data["spelling"])
