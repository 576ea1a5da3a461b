"""The matcher: knowledge-base entries in, a decision and ranked candidates out.

Pipeline per question: normalise -> encode with MiniLM twice (the base model's ranking vector and
the adapted model's decision vector, `dual.py`) -> dense search over every phrasing (question
and alternates) by the ranking vector, exact, or on a large knowledge base exact over a shortlist
(`shortlist.py`) -> the best phrasing per entry -> the decision
cosine of that phrasing, calibrated (`head.py`) into the chance that answering with it is right
-> answer / suggest / escalate by the configured thresholds.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from bot.knowledge.entry import Entry, EntryStatus
from bot.matching.embedder import Embedder
from bot.matching.head import DecisionHead
from bot.matching.nearmiss import Mentions, conflicts, mentions
from bot.matching.normalize import SynonymMap, clean, normalize
from bot.matching.shortlist import Shortlist
from bot.matching.types import Candidate, Decision, MatchResult
from bot.settings import MatchingSettings

log = logging.getLogger(__name__)

ENCODE_CHUNK = 1024
SEARCH_DEPTH = 8  # phrasings fetched per requested candidate (alternates share an entry)
RECENT_QUERIES = 256  # query vectors kept so a second look at the same text costs nothing
# From this many phrasings on, exact scoring runs over a shortlist (`shortlist.py`): below it
# reading every vector takes about a millisecond anyway.
SHORTLIST_FROM = 8192
SHORTLIST_DEPTH = 512  # rows scored exactly per question
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class _Row:
    entry_id: str
    text: str
    lexical: str  # normalised, synonyms made canonical
    words: int
    mentions: Mentions


class Matcher:
    """Matches questions against approved entries; entries can be added or removed live.

    Thread-safe: `match`, `upsert` and `remove` may be called from different threads.
    """

    def __init__(
        self,
        entries: Iterable[Entry],
        *,
        settings: MatchingSettings,
        synonyms: Sequence[tuple[str, ...]] = (),
        embedder: Embedder | None = None,
        head: DecisionHead | None = None,
        progress: Progress | None = None,
    ) -> None:
        self._settings = settings
        self._synonyms = SynonymMap(synonyms)
        self._embedder = embedder
        self._head = head if head is not None or embedder is None else DecisionHead.load()
        self._lock = threading.RLock()
        self._entries: dict[str, Entry] = {}
        self._entry_rows: dict[str, list[int]] = {}
        self._rows: list[_Row | None] = []
        self._free: list[int] = []
        dim = embedder.dim if embedder is not None else 1
        # Columns [0, split) rank, the rest decide; a single-view model (tests) does both.
        self._split: int = getattr(embedder, "ranking_dim", dim)
        self._matrix: npt.NDArray[np.float32] = np.zeros((0, dim), dtype=np.float32)
        self._alive: npt.NDArray[np.bool_] = np.zeros(0, dtype=bool)
        self._shortlist: Shortlist | None = None
        self._recent: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()
        self._bulk_load(list(entries), progress)

    # -- the knowledge base ---------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def entry(self, entry_id: str) -> Entry | None:
        """The matchable entry with this id, if any."""
        return self._entries.get(entry_id)

    def upsert(self, entry: Entry) -> None:
        """Add or replace an entry, matchable at once; a draft or retired entry is removed."""
        if entry.status is not EntryStatus.APPROVED:
            self.remove(entry.id)
            return
        vectors = self._encode(entry.phrasings)
        with self._lock:
            self._remove_locked(entry.id)
            self._add_locked(entry, vectors)
            self._start_shortlist()
        self._flush_cache()

    def remove(self, entry_id: str) -> None:
        """Forget an entry (no error when it is unknown)."""
        with self._lock:
            self._remove_locked(entry_id)

    # -- matching -------------------------------------------------------------------------

    def match(self, text: str, *, limit: int = 5) -> MatchResult:
        """Rank entries for a question and decide: answer, suggest or escalate."""
        lexical = self._synonyms.canonical(normalize(text))
        limit = max(limit, 0)
        if not lexical or limit == 0:
            return MatchResult(query=text, decision=Decision.ESCALATE)
        query_vector = self.embed_query(text)
        with self._lock:
            if not self._entries:
                return MatchResult(query=text, decision=Decision.ESCALATE)
            if query_vector is None or self._head is None:
                ranked = self._lexical_candidates(lexical, limit)
            else:
                ranked = self._semantic_candidates(query_vector, lexical, limit)
        return MatchResult(query=text, decision=self._decide(ranked), candidates=tuple(ranked))

    def suggestions(self, result: MatchResult) -> tuple[Candidate, ...]:
        """The candidates worth offering as "did you mean…" (at most `max_suggestions`)."""
        return tuple(
            candidate
            for candidate in result.candidates[: self._settings.max_suggestions]
            if candidate.score >= self._settings.suggest_threshold
        )

    def _decide(self, ranked: Sequence[Candidate]) -> Decision:
        top = ranked[0].score if ranked else 0.0
        if top >= self._settings.answer_threshold:
            return Decision.ANSWER
        if top >= self._settings.suggest_threshold:
            return Decision.SUGGEST
        return Decision.ESCALATE

    def _semantic_candidates(
        self, query: npt.NDArray[np.float32], lexical: str, limit: int
    ) -> list[Candidate]:
        assert self._head is not None  # noqa: S101 - guarded by the caller
        pool, scores = self._ranking_scores(query[: self._split])
        depth = min(len(pool), limit * SEARCH_DEPTH)
        top = (
            np.argpartition(-scores, depth - 1)[:depth]
            if depth < len(pool)
            else np.arange(len(pool))
        )
        best: dict[str, int] = {}
        for index in top[np.argsort(-scores[top], kind="stable")]:
            stored = self._rows[pool[index]]
            if stored is not None and np.isfinite(scores[index]) and stored.entry_id not in best:
                best[stored.entry_id] = int(index)
            if len(best) == limit:
                break
        rows = [int(pool[index]) for index in best.values()]
        split = self._split
        ranking = scores[list(best.values())]
        decision = self._matrix[rows, split:] @ query[split:] if split < len(query) else ranking
        confidence = self._head.confidence(decision)
        query_mentions = mentions(lexical)
        candidates: list[Candidate] = []
        for index, row in enumerate(rows):
            stored = self._rows[row]
            assert stored is not None  # noqa: S101 - rows come from live entries above
            candidates.append(
                Candidate(
                    entry_id=stored.entry_id,
                    score=float(np.clip(confidence[index], 0.0, 1.0)),
                    matched=stored.text,
                    signals={
                        "cosine": float(ranking[index]),
                        "decision_cosine": float(decision[index]),
                        "fuzzy": fuzz.token_set_ratio(lexical, stored.lexical) / 100.0,
                        **{
                            f"conflict_{name}": value
                            for name, value in conflicts(query_mentions, stored.mentions).items()
                        },
                        "confidence": float(confidence[index]),
                    },
                )
            )
        # Ranked by the base model's similarity (the adapted model ranks worse: top-1 0.94 vs
        # 0.96 on MQP). Scores down the list are capped by the one above so "best first" also holds
        # for scores; each candidate's own confidence stays in its signals.
        ceiling = 1.0
        ranked: list[Candidate] = []
        for candidate in candidates:
            ceiling = min(ceiling, candidate.score)
            ranked.append(replace(candidate, score=ceiling))
        return ranked

    def _ranking_scores(
        self, query: npt.NDArray[np.float32]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """The rows worth scoring and their exact ranking cosines (-inf for a freed row)."""
        count = len(self._rows)
        if self._shortlist is None:
            pool = np.arange(count)
            scores = self._matrix[:count, : self._split] @ query
        else:
            pool = self._shortlist.candidates(query, count, SHORTLIST_DEPTH)
            scores = self._matrix[pool, : self._split] @ query
        scores[~self._alive[pool]] = -np.inf
        return pool, scores

    def _lexical_candidates(self, lexical: str, limit: int) -> list[Candidate]:
        # Without a sentence model only fuzzy overlap is available: good for ranking, not for
        # telling a paraphrase from a near-miss, so scores are the plain ratio.
        choices = {
            row_index: row.lexical for row_index, row in enumerate(self._rows) if row is not None
        }
        best: dict[str, Candidate] = {}
        for _, score, row_index in process.extract(
            lexical, choices, scorer=fuzz.token_set_ratio, limit=None
        ):
            row = self._rows[row_index]
            if row is None or row.entry_id in best:
                continue
            value = float(score) / 100.0
            best[row.entry_id] = Candidate(
                entry_id=row.entry_id, score=value, matched=row.text, signals={"fuzzy": value}
            )
            if len(best) == limit:
                break
        return list(best.values())

    # -- storage --------------------------------------------------------------------------

    def _bulk_load(self, entries: list[Entry], progress: Progress | None) -> None:
        approved: dict[str, Entry] = {}
        for entry in entries:
            if entry.status is EntryStatus.APPROVED:
                approved[entry.id] = entry
            else:
                approved.pop(entry.id, None)
        texts = [text for entry in approved.values() for text in entry.phrasings]
        vectors = np.zeros((len(texts), self._matrix.shape[1]), dtype=np.float32)
        if self._embedder is not None:
            for start in range(0, len(texts), ENCODE_CHUNK):
                chunk = texts[start : start + ENCODE_CHUNK]
                vectors[start : start + len(chunk)] = self._encode(chunk)
                if progress is not None:
                    progress(start + len(chunk), len(texts))
            self._flush_cache()
        self._reserve(len(texts))
        offset = 0
        with self._lock:
            for entry in approved.values():
                size = len(entry.phrasings)
                self._add_locked(entry, vectors[offset : offset + size])
                offset += size
            self._start_shortlist()
        log.info("matcher ready: %s entries, %s phrasings", len(self._entries), len(texts))

    def _encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if self._embedder is None:
            return np.zeros((len(texts), 1), dtype=np.float32)
        return self._embedder.encode([clean(text) for text in texts])

    def embed_query(self, text: str) -> npt.NDArray[np.float32] | None:
        """The question's unit vector (None without a model); recent ones are remembered.

        The safety layer looks at the same vector before matching, so one question costs one
        model pass. Questions bypass the on-disk cache: it would grow with every question asked.
        """
        embedder = self._embedder
        if embedder is None:
            return None
        key = clean(text)
        with self._lock:
            cached = self._recent.get(key)
            if cached is not None:
                self._recent.move_to_end(key)
                return cached
        inner = getattr(embedder, "inner", None)
        if isinstance(inner, Embedder):
            embedder = inner
        row: npt.NDArray[np.float32] = embedder.encode([key])[0]
        row.setflags(write=False)
        with self._lock:
            self._recent[key] = row
            if len(self._recent) > RECENT_QUERIES:
                self._recent.popitem(last=False)
        return row

    def _flush_cache(self) -> None:
        flush = getattr(self._embedder, "flush", None)
        if callable(flush):
            flush()

    def _reserve(self, extra: int) -> None:
        needed = len(self._rows) + extra
        if needed <= len(self._matrix):
            return
        capacity = max(needed, int(len(self._matrix) * 1.5) + 16)
        grown = np.zeros((capacity, self._matrix.shape[1]), dtype=np.float32)
        grown[: len(self._matrix)] = self._matrix
        alive = np.zeros(capacity, dtype=bool)
        alive[: len(self._alive)] = self._alive
        self._matrix, self._alive = grown, alive
        if self._shortlist is not None:
            self._shortlist.grow(capacity)

    def _start_shortlist(self) -> None:
        """Shortlist once the knowledge base is large (its directions come from its vectors)."""
        count = len(self._rows)
        alive = self._alive[:count]
        if self._shortlist is None and self._embedder is not None and alive.sum() >= SHORTLIST_FROM:
            ranking = self._matrix[:count, : self._split]
            self._shortlist = Shortlist.fit(ranking[alive], len(self._matrix))
            self._shortlist.fill(ranking)  # row for row; freed rows are zeros

    def _add_locked(self, entry: Entry, vectors: npt.NDArray[np.float32]) -> None:
        self._entries[entry.id] = entry
        rows: list[int] = []
        for text, vector in zip(entry.phrasings, vectors, strict=True):
            lexical = self._synonyms.canonical(normalize(text))
            stored = _Row(entry.id, text, lexical, len(lexical.split()), mentions(lexical))
            if self._free:
                row = self._free.pop()
                self._rows[row] = stored
            else:
                self._reserve(1)
                row = len(self._rows)
                self._rows.append(stored)
            self._matrix[row] = vector
            self._alive[row] = True
            if self._shortlist is not None:
                self._shortlist.set(row, vector[: self._split])
            rows.append(row)
        self._entry_rows[entry.id] = rows

    def _remove_locked(self, entry_id: str) -> None:
        self._entries.pop(entry_id, None)
        for row in self._entry_rows.pop(entry_id, []):
            self._rows[row] = None
            self._alive[row] = False
            self._matrix[row] = 0.0
            if self._shortlist is not None:
                self._shortlist.set(row, self._matrix[row, : self._split])
            self._free.append(row)


def build_matcher(
    entries: Iterable[Entry],
    settings: MatchingSettings,
    synonyms: Sequence[tuple[str, ...]] = (),
    *,
    progress: Progress | None = None,
) -> Matcher:
    """A matcher with the default sentence model (loaded once per process) and embedding cache.

    Raises `ConfigError` naming what to install when the model is missing.
    """
    from bot.matching.cache import CachedEmbedder
    from bot.matching.dual import load_dual

    embedder = CachedEmbedder(
        load_dual(settings.model_path, settings.cache_dir), settings.cache_dir
    )
    return Matcher(
        entries, settings=settings, synonyms=synonyms, embedder=embedder, progress=progress
    )
