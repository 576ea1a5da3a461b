"""The learned crisis classifier: TF-IDF n-grams and a 9-way logistic regression, in numpy.

`scripts/train_crisis_model.py` fits the model with scikit-learn on the labelled safety sets
and writes `crisis_model.npz`; this module reproduces its features exactly without
scikit-learn, so the running bot needs only numpy:

- character n-grams of 2 to 5 characters inside word boundaries (scikit-learn's ``char_wb``:
  each whitespace-separated word padded with one space), and word unigrams and bigrams (words
  of two or more letters or digits), both on the lower-cased text;
- per block: term counts, sublinear (``1 + log(count)``), times the idf learned in training,
  scaled to unit length; n-grams outside the (pruned) vocabulary are ignored;
- class scores ``x @ W + b`` over the eight crisis categories, "none" and "everyday" (ordinary
  health questions, learned as a class of their own), then softmax; "everyday" counts as none.

A message is a crisis when ``1 - P(none)`` reaches the threshold chosen by leave-one-file-out
cross-validation; its category is the most probable of the eight.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

from bot.safety.redaction import redact
from bot.safety.types import CrisisCategory, PhiKind

MODEL_FILE = "crisis_model.npz"
NONE = "none"
CLASSES = (*(category.value for category in CrisisCategory), NONE)
EVERYDAY = "everyday"  # a second "not a crisis" class a model file may have after "none"
F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

_SPACES = re.compile(r"\s\s+")  # scikit-learn's white-space squeeze before char_wb n-grams
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern
_TOKEN_ONE_LETTER = re.compile(r"(?u)\b\w+\b")  # the same, keeping one-letter words ("i")
_WORD_CACHE = 1 << 16  # distinct words whose character n-grams are remembered


def char_wb_ngrams(text: str, low: int = 2, high: int = 5) -> list[str]:
    """scikit-learn's ``char_wb`` n-grams of an already lower-cased text, in its order."""
    grams: list[str] = []
    for word in _SPACES.sub(" ", text).split():
        grams += _word_ngrams(word, low, high)
    return grams


def _word_ngrams(word: str, low: int, high: int) -> list[str]:
    padded = f" {word} "
    size = len(padded)
    grams: list[str] = []
    for n in range(low, high + 1):
        if n >= size:  # a short word counts once, whole, and longer n-grams stop
            grams.append(padded)
            break
        grams += [padded[i : i + n] for i in range(size - n + 1)]
    return grams


def word_ngrams(
    text: str, low: int = 1, high: int = 2, *, one_letter_words: bool = False
) -> list[str]:
    """scikit-learn's word n-grams of an already lower-cased text, in its order."""
    tokens = (_TOKEN_ONE_LETTER if one_letter_words else _TOKEN).findall(text)
    grams: list[str] = list(tokens) if low == 1 else []
    for n in range(max(low, 2), high + 1):
        grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return grams


@dataclass(frozen=True, slots=True)
class CrisisModel:
    """Vocabularies, idf, class weights and the threshold of the learned classifier."""

    char_vocab: dict[str, int]  # char_wb n-gram -> row of `weights` (rows 0 .. n_char - 1)
    word_vocab: dict[str, int]  # word n-gram -> row of `weights` (rows n_char ..)
    idf: F64  # per row
    weights: F32  # (rows, classes): CLASSES, then EVERYDAY when the model has it
    bias: F64  # (classes,)
    threshold: float  # a crisis when 1 - P(none) >= threshold
    char_range: tuple[int, int] = (2, 5)
    word_range: tuple[int, int] = (1, 2)
    one_letter_words: bool = False  # word n-grams keep one-letter words ("i wish i was dead")
    # Character n-grams never cross a word: each word's feature rows, remembered.
    _word_rows: dict[str, tuple[int, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def _rows_of_word(self, word: str) -> tuple[int, ...]:
        rows = self._word_rows.get(word)
        if rows is None:
            if len(self._word_rows) >= _WORD_CACHE:
                self._word_rows.clear()
            vocab = self.char_vocab
            grams = _word_ngrams(word, *self.char_range)
            rows = self._word_rows[word] = tuple(vocab[g] for g in grams if g in vocab)
        return rows

    def features(self, text: str) -> tuple[I64, F64]:
        """The non-zero features of `text`: rows and values (each block of unit length)."""
        low = text.lower()
        found: list[int] = []
        for word in low.split():  # str.split() squeezes white space as scikit-learn does
            found += self._rows_of_word(word)
        # A Counter keeps first-seen order: the character block's rows, then the word block's.
        counts = Counter(found)
        n_char = len(counts)
        vocab = self.word_vocab
        grams = word_ngrams(low, *self.word_range, one_letter_words=self.one_letter_words)
        # Word rows follow the character rows, so none is 0: `filter(None, …)` drops the misses.
        counts.update(filter(None, map(vocab.get, grams)))
        size = len(counts)
        rows = np.fromiter(counts.keys(), dtype=np.int64, count=size)
        tfidf = np.fromiter(counts.values(), dtype=np.float64, count=size)
        np.log(tfidf, out=tfidf)
        tfidf += 1.0
        tfidf *= self.idf[rows]
        for block in (tfidf[:n_char], tfidf[n_char:]):  # views: scaled in place
            norm = math.sqrt(float(block @ block))
            if norm:
                np.divide(block, norm, out=block)
        return rows, tfidf

    def probabilities(self, text: str) -> F64:
        """Class probabilities of `text`, in `CLASSES` order (the eight categories, then none;
        an everyday question counts as none)."""
        return np.array(self._probabilities(text))

    def _probabilities(self, text: str) -> list[float]:
        rows, values = self.features(text)
        # float32 rows: shipped as float16, and gathering half the bytes is most of the cost
        scores = (values.astype(np.float32) @ self.weights[rows] + self.bias).tolist()
        # Ten numbers: plain Python is quicker than numpy's per-call overhead here.
        top = max(scores)
        exps = [math.exp(z - top) for z in scores]
        total = sum(exps)
        p = [e / total for e in exps]
        if len(p) > len(CLASSES):  # "everyday" counts as none
            p[len(CLASSES) - 1] = sum(p[len(CLASSES) - 1 :])
            del p[len(CLASSES) :]
        return p

    def crisis_score(self, text: str) -> float:
        """``1 - P(none)``: how likely `text` is a crisis of any kind."""
        return float(1.0 - self.probabilities(text)[-1])

    def classify(self, text: str) -> CrisisCategory | None:
        """The crisis category `text` signals, or None below the threshold."""
        p = self._probabilities(text)
        if 1.0 - p[-1] < self.threshold:
            return None
        crises = p[:-1]
        return CrisisCategory(CLASSES[crises.index(max(crises))])

    def save(self, path: Path | BinaryIO) -> None:
        """Write the model as a compressed .npz: float16 weights, no pickled objects."""
        extra = (EVERYDAY,) if self.weights.shape[1] > len(CLASSES) else ()
        np.savez_compressed(
            path,
            classes=np.array((*CLASSES, *extra)),
            char_vocab=_join(self.char_vocab),
            word_vocab=_join(self.word_vocab),
            idf=self.idf.astype(np.float32),
            weights=self.weights.astype(np.float16),
            bias=self.bias.astype(np.float32),
            threshold=np.array(self.threshold, dtype=np.float64),
            ranges=np.array([*self.char_range, *self.word_range], dtype=np.int64),
            one_letter_words=np.array(self.one_letter_words),
        )

    @classmethod
    def load(cls, path: Path | None = None) -> CrisisModel:
        """A saved model; the one shipped in this package by default."""
        source = path if path is not None else resources.files("bot.safety") / MODEL_FILE
        with source.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
            classes = tuple(str(name) for name in data["classes"])
            if classes not in (CLASSES, (*CLASSES, EVERYDAY)):
                raise ValueError(f"{source}: unexpected classes {classes}")
            char_vocab = _split(data["char_vocab"])
            word_vocab = _split(data["word_vocab"], offset=len(char_vocab))
            weights = data["weights"].astype(np.float32)
            if weights.shape != (len(char_vocab) + len(word_vocab), len(classes)):
                raise ValueError(f"{source}: weights of shape {weights.shape} do not fit")
            c_low, c_high, w_low, w_high = (int(v) for v in data["ranges"])
            one_letter = bool(data["one_letter_words"]) if "one_letter_words" in data else False
            return cls(
                char_vocab=char_vocab,
                word_vocab=word_vocab,
                idf=data["idf"].astype(np.float64),
                weights=weights,
                bias=data["bias"].astype(np.float64),
                threshold=float(data["threshold"]),
                char_range=(c_low, c_high),
                word_range=(w_low, w_high),
                one_letter_words=one_letter,
            )


def _join(vocab: dict[str, int]) -> npt.NDArray[np.uint8]:
    """A vocabulary as UTF-8 bytes, one n-gram a line, in row order (n-grams hold no newline)."""
    ordered = sorted(vocab, key=vocab.__getitem__)
    return np.frombuffer("\n".join(ordered).encode("utf-8"), dtype=np.uint8)


def _split(data: npt.NDArray[np.uint8], offset: int = 0) -> dict[str, int]:
    grams = data.tobytes().decode("utf-8").split("\n") if data.size else []
    return {gram: offset + i for i, gram in enumerate(grams)}


@functools.cache
def shipped_model() -> CrisisModel:
    """The packaged model, loaded once per process."""
    return CrisisModel.load()


# "[PHONE]", "[PERSON]"…: what the redaction leaves where personal details were.
_PLACEHOLDER = re.compile(rf"\[(?:{'|'.join(kind.value for kind in PhiKind)})\]")


def without_personal_details(redacted: str) -> str:
    """A redacted text with its placeholders dropped: what the crisis model reads.

    Personal details say nothing about an emergency, but the training files hold far more of
    them in calm messages than in crises, so a model that saw them learned "a phone number or an
    NHS number: no crisis" and missed "my NHS number is … and I want to die tonight".
    """
    return _SPACES.sub(" ", _PLACEHOLDER.sub(" ", redacted)).strip()


def detect_crisis(text: str, redacted: str | None = None) -> CrisisCategory | None:
    """The crisis category `text` signals (the shipped model's decision), or None.

    The model reads the text without its personal details; pass `redacted` (the text as
    `bot.safety.redaction.redact` returns it) when it is at hand, to skip redacting again.
    """
    if redacted is None:
        redacted, _ = redact(text)
    return shipped_model().classify(without_personal_details(redacted))
