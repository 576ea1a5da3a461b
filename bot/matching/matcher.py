"""The matcher: knowledge-base entries in, a decision and ranked candidates out."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz, process

from bot.knowledge.entry import Entry, EntryStatus
from bot.matching.embedder import Embedder
from bot.matching.normalize import SynonymMap, normalize
from bot.matching.types import Candidate, Decision, MatchResult
from bot.settings import MatchingSettings

log = logging.getLogger(__name__)


class Matcher:
    """Matches questions against approved entries; entries can be added or removed live."""

    def __init__(
        self,
        entries: Iterable[Entry],
        *,
        settings: MatchingSettings,
        synonyms: Sequence[tuple[str, ...]] = (),
        embedder: Embedder | None = None,
    ) -> None:
        self._settings = settings
        self._synonyms = SynonymMap(synonyms)
        self._embedder = embedder
        self._entries: dict[str, Entry] = {}
        # One row per phrasing: (entry id, original text, normalised text).
        self._rows: dict[str, list[tuple[str, str]]] = {}
        for entry in entries:
            self.upsert(entry)

    def __len__(self) -> int:
        return len(self._entries)

    def entry(self, entry_id: str) -> Entry | None:
        """The matchable entry with this id, if any."""
        return self._entries.get(entry_id)

    def upsert(self, entry: Entry) -> None:
        """Add or replace an entry; a draft or retired entry is removed instead."""
        self.remove(entry.id)
        if entry.status is not EntryStatus.APPROVED:
            return
        self._entries[entry.id] = entry
        self._rows[entry.id] = [
            (text, self._synonyms.canonical(normalize(text))) for text in entry.phrasings
        ]

    def remove(self, entry_id: str) -> None:
        """Forget an entry (no error when it is unknown)."""
        self._entries.pop(entry_id, None)
        self._rows.pop(entry_id, None)

    def match(self, text: str, *, limit: int = 5) -> MatchResult:
        """Rank entries for a question and decide: answer, suggest or escalate."""
        query = self._synonyms.canonical(normalize(text))
        if not query or not self._entries:
            return MatchResult(query=text, decision=Decision.ESCALATE)
        choices = {
            (entry_id, index): normalized
            for entry_id, rows in self._rows.items()
            for index, (_, normalized) in enumerate(rows)
        }
        best: dict[str, Candidate] = {}
        for _, score, (entry_id, index) in process.extract(
            query, choices, scorer=fuzz.token_set_ratio, limit=None
        ):
            value = float(score) / 100.0
            if entry_id not in best or value > best[entry_id].score:
                best[entry_id] = Candidate(
                    entry_id=entry_id,
                    score=value,
                    matched=self._rows[entry_id][index][0],
                    signals={"fuzzy": value},
                )
        ranked = sorted(best.values(), key=lambda candidate: -candidate.score)[: max(limit, 0)]
        return MatchResult(query=text, decision=self._decide(ranked), candidates=tuple(ranked))

    def _decide(self, ranked: Sequence[Candidate]) -> Decision:
        top = ranked[0].score if ranked else 0.0
        if top >= self._settings.answer_threshold:
            return Decision.ANSWER
        if top >= self._settings.suggest_threshold:
            return Decision.SUGGEST
        return Decision.ESCALATE

    def suggestions(self, result: MatchResult) -> tuple[Candidate, ...]:
        """The candidates worth offering as "did you mean…" (at most `max_suggestions`)."""
        return tuple(
            candidate
            for candidate in result.candidates[: self._settings.max_suggestions]
            if candidate.score >= self._settings.suggest_threshold
        )


def build_matcher(
    entries: Iterable[Entry],
    settings: MatchingSettings,
    synonyms: Sequence[tuple[str, ...]] = (),
) -> Matcher:
    """A matcher with the default embedding model (loaded once per process)."""
    return Matcher(entries, settings=settings, synonyms=synonyms, embedder=None)
