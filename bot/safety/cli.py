"""`careline safety scan`: one JSON object per input line, crisis category and redacted text."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from bot.safety.scan import scan
from bot.safety.types import ScanResult


def line_text(line: str) -> str | None:
    """The text a stdin line stands for; None for a blank line (skipped, no output).

    A line holding a JSON object with a string ``text`` is that text; anything else (plain
    words, invalid JSON, a JSON string or number, an object without ``text``) is read as the
    line itself, so no input can crash the scan.
    """
    stripped = line.rstrip("\r\n")
    if not stripped.strip():
        return None
    if stripped.lstrip().startswith("{"):
        try:
            data: Any = json.loads(stripped)
        except ValueError:
            return stripped
        if isinstance(data, dict) and isinstance(data.get("text"), str):
            # JSON may carry lone surrogates ("\\ud800") that no output encoding accepts.
            return str(data["text"]).encode("utf-8", "replace").decode("utf-8")
    return stripped


def _record(result: ScanResult) -> str:
    record: dict[str, Any] = {
        "crisis": result.crisis.value if result.crisis else None,
        "phi": [kind.value for kind in result.phi],
        "redacted": result.redacted,
    }
    return json.dumps(record, ensure_ascii=False) + "\n"


def scan_stream(stdin: TextIO, stdout: TextIO) -> int:
    """Scan every non-blank line of `stdin`, writing and flushing one JSON line for each."""
    for line in stdin:
        text = line_text(line)
        if text is not None:
            stdout.write(_record(scan(text)))
            stdout.flush()
    return 0


def scan_main(args: argparse.Namespace) -> int:
    """Entry point of `careline safety scan`."""
    stdin = sys.stdin
    if hasattr(stdin, "reconfigure"):
        # A stray invalid byte must not stop the scan: replace it and go on.
        stdin.reconfigure(errors="replace")
    return scan_stream(stdin, sys.stdout)
