"""`careline kb match`: match questions on stdin against a knowledge folder or CSV."""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import logging
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import yaml

from bot.errors import KnowledgeFileError
from bot.knowledge.entry import Entry, EntryStatus
from bot.matching.types import MatchResult

log = logging.getLogger(__name__)

TOP_K = 5
SYNONYMS_FILE = "synonyms.yaml"


def match_main(args: argparse.Namespace) -> int:
    """Read queries from stdin, write one JSON result per line to stdout."""
    from bot.matching.matcher import build_matcher
    from bot.settings import load_settings

    settings = load_settings(getattr(args, "config", None))
    path = Path(args.kb)
    entries, synonyms = load_kb(path)
    print(f"careline: matching against {len(entries)} entries from {path}", file=sys.stderr)
    matcher = build_matcher(entries, settings.matching, synonyms)
    explain = bool(getattr(args, "explain", False))
    for query in read_queries(sys.stdin):
        result = matcher.match(query, limit=TOP_K)
        sys.stdout.write(json.dumps(to_json(result, explain=explain), ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


def to_json(result: MatchResult, *, explain: bool = False) -> dict[str, Any]:
    """The CLI's output object for one query."""
    matches: list[dict[str, Any]] = []
    for candidate in result.candidates[:TOP_K]:
        item: dict[str, Any] = {"id": candidate.entry_id, "score": round(candidate.score, 6)}
        if explain:
            item["matched"] = candidate.matched
            item["signals"] = {name: round(value, 6) for name, value in candidate.signals.items()}
        matches.append(item)
    return {"query": result.query, "decision": result.decision.value, "matches": matches}


def read_queries(stream: TextIO) -> Iterator[str]:
    """One query per line; a line holding a JSON object with "query" is that query."""
    for raw in stream:
        line = raw.rstrip("\r\n")
        stripped = line.strip()
        if stripped.startswith("{"):
            try:
                parsed = json.loads(stripped)
            except json.JSONDecodeError:
                parsed = None
            if isinstance(parsed, dict) and "query" in parsed:
                value = parsed["query"]
                yield value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                continue
        yield line


def load_kb(path: Path) -> tuple[list[Entry], list[tuple[str, ...]]]:
    """Entries and synonym groups from a knowledge folder, or entries from a CSV."""
    if not path.exists():
        raise KnowledgeFileError(path, None, "", "no such file or folder")
    if path.is_dir():
        return _load_folder(path), _load_synonyms(path / SYNONYMS_FILE)
    return load_csv(path), []


def load_csv(path: Path) -> list[Entry]:
    """A CSV with at least `id,question`; `answer` and `alternates` (split on |) are optional."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = [name.strip() for name in reader.fieldnames or ()]
        for required in ("id", "question"):
            if required not in columns:
                raise KnowledgeFileError(path, 1, required, f"missing column {required!r}")
        entries: list[Entry] = []
        for row in reader:
            values = {(key or "").strip(): (value or "") for key, value in row.items()}
            entry_id = values.get("id", "").strip()
            question = values.get("question", "").strip()
            if not entry_id or not question:
                continue
            alternates = tuple(
                text.strip() for text in values.get("alternates", "").split("|") if text.strip()
            )
            entries.append(
                Entry(
                    id=entry_id,
                    question=question,
                    answer=values.get("answer", "").strip(),
                    alternates=alternates,
                )
            )
    return entries


def _load_folder(path: Path) -> list[Entry]:
    try:
        loader = importlib.import_module("bot.knowledge.loader")
    except ImportError:
        loader = None
    if loader is not None and hasattr(loader, "load_knowledge"):
        return list(loader.load_knowledge(path).entries)
    return _load_yaml_entries(path)


def _load_yaml_entries(path: Path) -> list[Entry]:
    """A minimal reader for knowledge YAML, used only until the knowledge loader exists."""
    entries: list[Entry] = []
    for file in sorted(path.rglob("*.y*ml")):
        if file.name == SYNONYMS_FILE:
            continue
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        items: Sequence[Any] = data.get("entries", []) if isinstance(data, dict) else data or []
        for item in items:
            if not isinstance(item, dict) or not item.get("id") or not item.get("question"):
                continue
            status = str(item.get("status", EntryStatus.APPROVED.value))
            entries.append(
                Entry(
                    id=str(item["id"]),
                    question=str(item["question"]),
                    answer=str(item.get("answer", "")),
                    alternates=tuple(str(text) for text in item.get("alternates", ()) or ()),
                    status=EntryStatus(status) if status in set(EntryStatus) else EntryStatus.DRAFT,
                )
            )
    return entries


def _load_synonyms(path: Path) -> list[tuple[str, ...]]:
    if not path.is_file():
        return []
    try:
        module = importlib.import_module("bot.knowledge.synonyms")
    except ImportError:
        module = None
    if module is not None and hasattr(module, "load_synonyms"):
        return list(module.load_synonyms(path))
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    groups = data.get("groups", []) if isinstance(data, dict) else []
    return [tuple(str(term).lower() for term in group) for group in groups if group]
