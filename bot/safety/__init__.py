"""The safety layer: crisis detection, PHI redaction, safe output, rate limits."""

from bot.safety.model import detect_crisis
from bot.safety.redaction import redact
from bot.safety.scan import scan

__all__ = ["detect_crisis", "redact", "scan"]
