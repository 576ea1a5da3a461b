"""One pass of the safety layer over a message: crisis category and PHI redaction."""

from __future__ import annotations

from bot.safety.model import detect_crisis
from bot.safety.redaction import redact
from bot.safety.types import ScanResult


def scan(text: str) -> ScanResult:
    """The text with its PHI replaced, and the learned crisis classifier on it (without the
    placeholders: personal details say nothing about an emergency)."""
    redacted, spans = redact(text)
    return ScanResult(crisis=detect_crisis(text, redacted), spans=spans, redacted=redacted)
