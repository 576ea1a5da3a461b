"""The safety layer: crisis detection, PHI redaction, safe output, rate limits."""

from bot.safety.crisis import detect_crisis
from bot.safety.redaction import redact
from bot.safety.scan import scan

__all__ = ["detect_crisis", "redact", "scan"]
