"""The safety layer: crisis detection, PHI redaction, safe output, rate limits."""
