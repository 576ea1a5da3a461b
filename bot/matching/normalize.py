"""Text normalisation and synonym canonicalisation shared by the index and the query path."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# Chat markup that carries no meaning for matching: Discord/Slack mentions, channels, custom emoji.
_MARKUP = re.compile(r"<(?:@[!&]?|#)[A-Za-z0-9]+(?:\|[^>]*)?>|<a?:\w+:\d+>|<![^>]*>")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<!\w)@\w[\w.-]*")
_SHORTCODE = re.compile(r":[a-z0-9_+-]+:")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_CONTRACTIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\bwon't\b", "will not"),
        (r"\bcan't\b", "can not"),
        (r"\bshan't\b", "shall not"),
        (r"\bain't\b", "is not"),
        (r"\b(\w+)n't\b", r"\1 not"),
        (r"\b(i)'m\b", r"\1 am"),
        (r"\b(\w+)'re\b", r"\1 are"),
        (r"\b(\w+)'ve\b", r"\1 have"),
        (r"\b(\w+)'ll\b", r"\1 will"),
        (r"\b(\w+)'d\b", r"\1 would"),
        (r"\b(it|that|what|there|here|who|where|how|he|she)'s\b", r"\1 is"),
        (r"\b(let)'s\b", r"\1 us"),
    )
)
# Keep letters, digits and decimal points inside numbers; everything else separates words.
_NON_WORD = re.compile(r"(?:(?<!\d)\.|\.(?!\d)|[^\w.])+")
_SPACES = re.compile(r"\s+")


def _is_symbol(char: str) -> bool:
    category = unicodedata.category(char)
    # So = emoji and pictographs, Sk = skin-tone modifiers, Cf = zero-width joiners/selectors.
    return category in {"So", "Sk", "Cs", "Co", "Cf"}


def clean(text: str) -> str:
    """Strip chat noise (markup, URLs, mentions, emoji) but keep case and punctuation.

    This is what the sentence encoder reads: it was trained on ordinary written text.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _MARKUP.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _MENTION.sub(" ", text)
    text = _SHORTCODE.sub(" ", text)
    text = "".join(" " if _is_symbol(char) else char for char in text)
    return _SPACES.sub(" ", text).strip()


def normalize(text: str) -> str:
    """Lower-case words separated by single spaces: contractions expanded, punctuation removed."""
    text = clean(text).casefold().translate(_APOSTROPHES)
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    text = text.replace("'s", "").replace("'", "")
    text = _NON_WORD.sub(" ", text).replace("_", " ")
    return _SPACES.sub(" ", text).strip()


class SynonymMap:
    """Rewrites every term of a synonym group to the group's first (canonical) term."""

    def __init__(self, groups: Sequence[Sequence[str]] = ()) -> None:
        mapping: dict[str, str] = {}
        for group in groups:
            terms = [normalize(term) for term in group]
            terms = [term for term in terms if term]
            if len(terms) < 2:  # noqa: PLR2004 - a group needs a canonical term and a variant
                continue
            canonical = terms[0]
            for term in terms[1:]:
                mapping.setdefault(term, canonical)
        self._mapping = mapping
        self._pattern: re.Pattern[str] | None = None
        if mapping:
            # Longest first so "heart attack" wins over "heart".
            alternatives = sorted(mapping, key=len, reverse=True)
            self._pattern = re.compile(
                r"(?<!\S)(?:" + "|".join(re.escape(term) for term in alternatives) + r")(?!\S)"
            )

    def __len__(self) -> int:
        return len(self._mapping)

    def canonical(self, normalized_text: str) -> str:
        """Replace known variants in already-normalised text by their canonical terms."""
        if self._pattern is None:
            return normalized_text
        return self._pattern.sub(lambda match: self._mapping[match.group(0)], normalized_text)
