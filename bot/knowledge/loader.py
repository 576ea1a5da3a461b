"""Load and validate knowledge files; report every problem as `file:line: field: message`.

A knowledge folder holds YAML topic files, each a mapping with one key, `entries`, whose value is
a list of entries (see `schema.EntryModel`). Loading is all or nothing: one error anywhere and no
entry is loaded, so a half-valid knowledge base never reaches patients.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from bot.errors import KnowledgeFileError
from bot.knowledge.entry import Entry, EntryStatus
from bot.knowledge.schema import FRIENDLY, EntryModel
from bot.knowledge.yamlsource import Located, YamlSyntaxError, read_located

SYNONYMS_FILE = "synonyms.yaml"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or worth a look) in a knowledge file."""

    path: str
    line: int
    field: str
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        prefix = f"{self.path}:{self.line}: "
        return prefix + (f"{self.field}: {self.message}" if self.field else self.message)


class KnowledgeErrors(KnowledgeFileError):
    """Every error found while loading; the first one names the file, line and field."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0]
        super().__init__(first.path, first.line, first.field, first.message)

    def describe(self) -> str:
        """All problems, one per line."""
        return "\n".join(str(p) for p in self.problems)


@dataclass(slots=True)
class KnowledgeBase:
    """Validated entries, where they came from, and the warnings worth showing."""

    entries: list[Entry]
    files: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    locations: dict[str, tuple[str, int]] = field(default_factory=dict)

    @property
    def approved(self) -> list[Entry]:
        """The entries patients may be answered with."""
        return [e for e in self.entries if e.status is EntryStatus.APPROVED]


@dataclass(frozen=True, slots=True)
class Limits:
    """What makes an entry acceptable beyond its schema."""

    max_answer_chars: int = 1500
    review_max_age_days: int = 365
    today: date | None = None


def knowledge_files(path: Path, synonyms_file: str = SYNONYMS_FILE) -> list[Path]:
    """The entry files under `path` (a folder, searched recursively, or one file)."""
    if path.is_file():
        return [path]
    return sorted(
        p
        for p in path.rglob("*")
        if p.suffix in YAML_SUFFIXES and p.is_file() and p.name != synonyms_file
    )


def check_knowledge(
    path: Path, limits: Limits | None = None, *, synonyms_file: str = SYNONYMS_FILE
) -> tuple[KnowledgeBase, list[Problem]]:
    """Validate every file under `path`; return what loaded and every error (never raises)."""
    limits = limits or Limits()
    if not path.exists():
        return KnowledgeBase([]), [Problem(shown_path(path), 1, "", "no such file or folder")]
    files = knowledge_files(path, synonyms_file)
    kb = KnowledgeBase([], files)
    errors: list[Problem] = []
    for file in files:
        for entry, line, problems in _read_file(file, limits):
            errors.extend(p for p in problems if p.severity == "error")
            kb.warnings.extend(p for p in problems if p.severity == "warning")
            if entry is None:
                continue
            if entry.id in kb.locations:
                first_path, first_line = kb.locations[entry.id]
                message = f"duplicate id (first at {first_path}:{first_line})"
                errors.append(Problem(shown_path(file), line, "id", message))
                continue
            kb.locations[entry.id] = (shown_path(file), line)
            kb.entries.append(entry)
    errors.sort(key=lambda p: (p.path, p.line))
    return kb, errors


def load_knowledge(
    path: Path, limits: Limits | None = None, *, synonyms_file: str = SYNONYMS_FILE
) -> KnowledgeBase:
    """Load every entry under `path`, or raise `KnowledgeErrors` listing every problem."""
    kb, errors = check_knowledge(path, limits, synonyms_file=synonyms_file)
    if errors:
        raise KnowledgeErrors(errors)
    return kb


def _read_file(file: Path, limits: Limits) -> list[tuple[Entry | None, int, list[Problem]]]:
    shown = shown_path(file)
    try:
        doc = read_located(file)
    except YamlSyntaxError as exc:
        return [(None, exc.line, [Problem(shown, exc.line, "", f"not valid YAML: {exc.message}")])]
    except UnicodeDecodeError:
        return [(None, 1, [Problem(shown, 1, "", "not UTF-8 text")])]
    data = doc.data
    if not isinstance(data, dict) or "entries" not in data:
        message = "expected a mapping with an `entries:` list"
        return [(None, 1, [Problem(shown, 1, "", message)])]
    results: list[tuple[Entry | None, int, list[Problem]]] = []
    extra = [key for key in data if key != "entries"]
    if extra:
        line = doc.line(extra[0])
        results.append((None, line, [Problem(shown, line, str(extra[0]), "unknown field")]))
    raw_entries = data["entries"]
    if not isinstance(raw_entries, list):
        line = doc.line("entries")
        results.append((None, line, [Problem(shown, line, "entries", "expected a list")]))
        return results
    for index, raw in enumerate(raw_entries):
        results.append(_read_entry(shown, doc, index, raw, limits))
    return results


def _read_entry(
    shown: str, doc: Located, index: int, raw: Any, limits: Limits
) -> tuple[Entry | None, int, list[Problem]]:
    start = doc.line("entries", index)
    label = f"entries[{index}]"
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        label = raw["id"]
    if not isinstance(raw, dict):
        return None, start, [Problem(shown, start, label, "expected a mapping of fields")]
    try:
        model = EntryModel.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            problems.append(
                Problem(
                    shown,
                    doc.line("entries", index, *loc),
                    field_name(loc),
                    friendly_error(error),
                )
            )
        return None, start, problems
    problems = _rules(model, shown, doc, index, limits)
    entry = model.to_entry() if not any(p.severity == "error" for p in problems) else None
    return entry, start, problems


def _rules(
    model: EntryModel, shown: str, doc: Located, index: int, limits: Limits
) -> list[Problem]:
    def at(*loc: str | int) -> int:
        return doc.line("entries", index, *loc)

    problems: list[Problem] = []
    if len(model.answer) > limits.max_answer_chars:
        message = (
            f"too long for a chat message ({len(model.answer)} characters, "
            f"at most {limits.max_answer_chars})"
        )
        problems.append(Problem(shown, at("answer"), "answer", message))
    for i, alternate in enumerate(model.alternates):
        if not alternate:
            problems.append(Problem(shown, at("alternates", i), f"alternates[{i}]", "is empty"))
    if model.status is EntryStatus.APPROVED:
        if not model.sources:
            message = "an approved entry needs at least one source"
            problems.append(Problem(shown, at("sources"), "sources", message))
        if not model.reviewed_by:
            message = "an approved entry needs its reviewer"
            problems.append(Problem(shown, at("reviewed_by"), "reviewed_by", message))
        if model.reviewed_on is None:
            message = "an approved entry needs its review date"
            problems.append(Problem(shown, at("reviewed_on"), "reviewed_on", message))
    today = limits.today or date.today()  # noqa: DTZ011  (a calendar date, not an instant)
    if model.reviewed_on is not None:
        age = (today - model.reviewed_on).days
        if age < 0:
            problems.append(Problem(shown, at("reviewed_on"), "reviewed_on", "is in the future"))
        elif age > limits.review_max_age_days and model.status is EntryStatus.APPROVED:
            limit = limits.review_max_age_days
            message = f"review is {age} days old (over {limit}): due for review"
            problems.append(Problem(shown, at("reviewed_on"), "reviewed_on", message, "warning"))
    return problems


def field_name(loc: tuple[str | int, ...]) -> str:
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def friendly_error(error: Any) -> str:
    kind = error["type"]
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return FRIENDLY.get(kind, str(error["msg"]))


def shown_path(path: Path) -> str:
    """A path as the user typed it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative
