"""Results of the safety layer, shared with the workflow and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CrisisCategory(StrEnum):
    """Emergencies that get emergency resources at once."""

    SUICIDE_SELF_HARM = "suicide_self_harm"
    OVERDOSE_POISONING = "overdose_poisoning"
    CARDIAC = "cardiac"
    STROKE = "stroke"
    BREATHING = "breathing"
    SEVERE_BLEEDING = "severe_bleeding"
    ANAPHYLAXIS = "anaphylaxis"
    VIOLENCE_ABUSE = "violence_abuse"


class PhiKind(StrEnum):
    """Kinds of personal information that are redacted as ``[KIND]``."""

    EMAIL = "EMAIL"
    PHONE = "PHONE"
    DATE_OF_BIRTH = "DATE_OF_BIRTH"
    ADDRESS = "ADDRESS"
    MRN = "MRN"
    INSURANCE_ID = "INSURANCE_ID"
    SSN = "SSN"
    NHS_NUMBER = "NHS_NUMBER"
    PERSON = "PERSON"
    URL_WITH_ID = "URL_WITH_ID"


@dataclass(frozen=True, slots=True)
class Span:
    """A redacted stretch of the original text."""

    kind: PhiKind
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Crisis category (or None), the PHI kinds found, and the redacted text."""

    crisis: CrisisCategory | None
    spans: tuple[Span, ...]
    redacted: str

    @property
    def phi(self) -> list[PhiKind]:
        """The distinct kinds redacted, in order of first appearance."""
        return list(dict.fromkeys(s.kind for s in self.spans))
