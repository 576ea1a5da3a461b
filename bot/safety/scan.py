"""One pass of the safety layer over a message: crisis category and PHI redaction."""

from __future__ import annotations

from bot.safety.model import detect_crisis
from bot.safety.redaction import redact
from bot.safety.types import ScanResult


def scan(text: str) -> ScanResult:
    """The learned crisis classifier on the original text, and the text with its PHI replaced."""
    redacted, spans = redact(text)
    return ScanResult(crisis=detect_crisis(text), spans=spans, redacted=redacted)
