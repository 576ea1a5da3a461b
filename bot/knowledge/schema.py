"""The knowledge-file schema: what an entry in `knowledge/*.yaml` may and must contain."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from bot.knowledge.entry import Entry, EntryStatus, Source

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
Text = Annotated[str, StringConstraints(strip_whitespace=True)]


class SourceModel(BaseModel):
    """A cited source."""

    model_config = ConfigDict(extra="forbid", strict=True)

    title: Text = Field(min_length=1)
    url: Text

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        if not re.match(r"^https://[^\s/$.?#][^\s]*\.[^\s]+$", value):
            raise ValueError("not an https URL")
        return value


class EntryModel(BaseModel):
    """One entry as written in a knowledge file."""

    model_config = ConfigDict(extra="forbid", strict=True)

    id: Text
    question: Text = Field(min_length=1)
    alternates: list[Text] = Field(default_factory=list)
    answer: Text = Field(min_length=1)
    sources: list[SourceModel] = Field(default_factory=list)
    tags: list[Text] = Field(default_factory=list)
    locale: Text = "en"
    reviewed_by: Text = ""
    reviewed_on: date | None = None
    status: EntryStatus = EntryStatus.DRAFT

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.match(value):
            raise ValueError("not a slug (lowercase letters, digits and single hyphens)")
        return value

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: object) -> object:
        if isinstance(value, str) and value in EntryStatus.__members__.values():
            return EntryStatus(value)
        if isinstance(value, EntryStatus):
            return value
        raise ValueError("expected one of draft, approved, retired")

    def to_entry(self) -> Entry:
        """The core's immutable view of this entry."""
        return Entry(
            id=self.id,
            question=self.question,
            answer=self.answer,
            alternates=tuple(a for a in self.alternates if a),
            sources=tuple(Source(s.title, s.url) for s in self.sources),
            tags=tuple(self.tags),
            locale=self.locale,
            reviewed_by=self.reviewed_by,
            reviewed_on=self.reviewed_on,
            status=self.status,
        )


FRIENDLY = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field",
    "string_type": "expected text",
    "list_type": "expected a list",
    "date_type": "expected a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "expected a date (YYYY-MM-DD)",
    "date_parsing": "expected a date (YYYY-MM-DD)",
    "model_type": "expected a mapping of fields",
    "string_too_short": "must not be empty",
}
