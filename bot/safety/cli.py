"""`careline safety scan`: one JSON object per input line, crisis category and redacted text.

Rules only by default (thousands of lines a second). With ``--semantic`` the lines the rules do
not flag also go through the second stage, as questions do in the bot: the sentence model reads
them in batches, which is far slower (a model pass per line) but finds indirect wording.
"""

from __future__ import annotations

import argparse
import json
import queue
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any, TextIO

from bot.safety.scan import scan
from bot.safety.types import CrisisCategory, ScanResult

CHUNK = 64  # lines per model batch with --semantic
Classify = Callable[[Sequence[str]], list[CrisisCategory | None]]


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


def _record(result: ScanResult, stage: str | None = None, *, semantic: bool = False) -> str:
    record: dict[str, Any] = {
        "crisis": result.crisis.value if result.crisis else None,
        "phi": [kind.value for kind in result.phi],
        "redacted": result.redacted,
    }
    if semantic:
        record["stage"] = stage
    return json.dumps(record, ensure_ascii=False) + "\n"


def scan_stream(stdin: TextIO, stdout: TextIO, classify: Classify | None = None) -> int:
    """Scan every non-blank line of `stdin`, writing and flushing one JSON line for each.

    With `classify` (the second stage, texts in, categories out) lines the rules do not flag
    are classified in batches; each record then also says which ``stage`` flagged it.
    """
    if classify is None:
        for line in stdin:
            text = line_text(line)
            if text is not None:
                stdout.write(_record(scan(text)))
                stdout.flush()
        return 0
    for lines in _batches(stdin, CHUNK):
        results = [scan(text) for line in lines if (text := line_text(line)) is not None]
        unflagged = [i for i, r in enumerate(results) if r.crisis is None and r.redacted.strip()]
        found = classify([results[i].redacted.strip() for i in unflagged]) if unflagged else []
        second = dict(zip(unflagged, found, strict=True))
        for index, result in enumerate(results):
            category = second.get(index)
            if category is not None:
                flagged = replace(result, crisis=category)
                stdout.write(_record(flagged, "semantic", semantic=True))
            else:
                stage = "rules" if result.crisis is not None else None
                stdout.write(_record(result, stage, semantic=True))
        stdout.flush()
    return 0


def _batches(stdin: TextIO, size: int) -> Iterator[list[str]]:
    """Lines in batches of up to `size`: whatever has arrived, so a live pipe is not kept waiting.

    A reader thread feeds a queue; each batch is the first line waited for plus every line
    already queued, so a file is read in full batches and a person typing gets each answer.
    """
    lines: queue.Queue[str | None] = queue.Queue(maxsize=size * 4)

    def read() -> None:
        try:
            for line in stdin:
                lines.put(line)
        finally:
            lines.put(None)

    threading.Thread(target=read, name="careline-scan-reader", daemon=True).start()
    while True:
        first = lines.get()
        if first is None:
            return
        batch = [first]
        while len(batch) < size:
            try:
                line = lines.get_nowait()
            except queue.Empty:
                break
            if line is None:
                yield batch
                return
            batch.append(line)
        yield batch


def semantic_classifier(config: str | None = None) -> Classify:
    """The second stage as the bot runs it: `clean`, the configured sentence model, the head."""
    from bot.matching.minilm import load_embedder
    from bot.matching.normalize import clean
    from bot.safety.semantic import shipped_head
    from bot.settings import load_settings

    head = shipped_head()
    embedder = load_embedder(load_settings(config).matching.model_path)

    def classify(texts: Sequence[str]) -> list[CrisisCategory | None]:
        return head.classify_many(embedder.encode([clean(text) for text in texts]))

    return classify


def scan_main(args: argparse.Namespace) -> int:
    """Entry point of `careline safety scan [--semantic]`."""
    semantic = bool(getattr(args, "semantic", False))
    classify = semantic_classifier(getattr(args, "config", None)) if semantic else None
    stdin = sys.stdin
    if hasattr(stdin, "reconfigure"):
        # A stray invalid byte must not stop the scan: replace it and go on.
        stdin.reconfigure(errors="replace")
    return scan_stream(stdin, sys.stdout, classify)
