"""One knowledge-base entry as the core uses it (validated elsewhere, at the file edge)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class EntryStatus(StrEnum):
    """An entry's review status; only approved entries are matched."""

    DRAFT = "draft"
    APPROVED = "approved"
    RETIRED = "retired"


@dataclass(frozen=True, slots=True)
class Source:
    """A cited source: a title and an https URL."""

    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Entry:
    """A curated FAQ entry: a question, its other phrasings, a reviewed answer and its sources."""

    id: str
    question: str
    answer: str
    alternates: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    tags: tuple[str, ...] = ()
    locale: str = "en"
    reviewed_by: str = ""
    reviewed_on: date | None = None
    status: EntryStatus = EntryStatus.APPROVED

    @property
    def phrasings(self) -> tuple[str, ...]:
        """The question first, then every alternate."""
        return (self.question, *self.alternates)
