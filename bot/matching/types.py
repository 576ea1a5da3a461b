"""The matcher's results, shared with the workflow and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Decision(StrEnum):
    """What Careline does with a question."""

    ANSWER = "answer"
    SUGGEST = "suggest"
    ESCALATE = "escalate"


@dataclass(frozen=True, slots=True)
class Candidate:
    """One knowledge-base entry the question may mean.

    `score` is a calibrated confidence in [0, 1] that this entry answers the question;
    `matched` is the phrasing (question or alternate) that matched best.
    """

    entry_id: str
    score: float
    matched: str
    signals: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The decision and the top candidates, best first."""

    query: str
    decision: Decision
    candidates: tuple[Candidate, ...] = ()

    @property
    def best(self) -> Candidate | None:
        """The top candidate, if any."""
        return self.candidates[0] if self.candidates else None
