"""Convert entries to and from YAML, CSV and JSONL (import, export, review in git)."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.knowledge.entry import Entry, EntryStatus
from bot.knowledge.loader import Limits, field_name, friendly_error
from bot.knowledge.schema import EntryModel

CSV_COLUMNS = (
    "id",
    "question",
    "alternates",
    "answer",
    "sources",
    "tags",
    "locale",
    "reviewed_by",
    "reviewed_on",
    "status",
)
LIST_SEPARATOR = " | "


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    """An entry in the knowledge-file shape (what `EntryModel` reads back)."""
    data: dict[str, Any] = {"id": entry.id, "question": entry.question}
    data["alternates"] = list(entry.alternates)
    data["answer"] = entry.answer
    data["sources"] = [{"title": s.title, "url": s.url} for s in entry.sources]
    data["tags"] = list(entry.tags)
    data["locale"] = entry.locale
    data["reviewed_by"] = entry.reviewed_by
    if entry.reviewed_on is not None:
        data["reviewed_on"] = entry.reviewed_on
    data["status"] = entry.status.value
    return data


class _Dumper(yaml.SafeDumper):
    """Writes multi-line text as `|` blocks, so answers read naturally in review."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_entries(entries: Iterable[Entry], header: str = "") -> str:
    """A knowledge file holding `entries`, with an optional comment header."""
    body = yaml.dump(
        {"entries": [entry_to_dict(e) for e in entries]},
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
    comment = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return comment + body


def entries_to_csv(entries: Iterable[Entry]) -> str:
    """One row per entry; lists joined with `` | ``, sources as ``title <url>``."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        row = entry_to_dict(entry)
        row["alternates"] = LIST_SEPARATOR.join(entry.alternates)
        row["sources"] = LIST_SEPARATOR.join(f"{s.title} <{s.url}>" for s in entry.sources)
        row["tags"] = LIST_SEPARATOR.join(entry.tags)
        row["reviewed_on"] = entry.reviewed_on.isoformat() if entry.reviewed_on else ""
        writer.writerow(row)
    return out.getvalue()


def entries_to_jsonl(entries: Iterable[Entry]) -> str:
    """One JSON object per line, in the knowledge-file shape."""
    return "".join(
        json.dumps(entry_to_dict(e), default=str, ensure_ascii=False) + "\n" for e in entries
    )


@dataclass(frozen=True, slots=True)
class Rejected:
    """An imported row that did not make a valid entry, and why."""

    row: int
    field: str
    reason: str


def slugify(text: str, taken: set[str]) -> str:
    """A stable, unique slug for `text` (a question): ascii words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())[:8]
    base = "-".join(words) or "entry"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Rows of a CSV (header required) or JSONL file, numbered by their line in the file.

    Raises:
        ValueError: when the file cannot be read as rows at all (naming what is wrong).
    """
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, {"__error__": f"not valid JSON ({exc.msg})"}
                continue
            yield number, value if isinstance(value, dict) else {"__error__": "not a JSON object"}
        return
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise ValueError("the CSV file has no header row")
    for row in reader:
        yield reader.line_num, {k.strip().lower(): v for k, v in row.items() if k is not None}


def import_rows(
    path: Path, taken_ids: set[str], limits: Limits
) -> tuple[list[Entry], list[Rejected]]:
    """Turn the rows of `path` into draft entries; rows that fail validation are rejected."""
    entries: list[Entry] = []
    rejected: list[Rejected] = []
    for number, row in read_rows(path):
        if "__error__" in row:
            rejected.append(Rejected(number, "", row["__error__"]))
            continue
        missing = [c for c in ("question", "answer") if not str(row.get(c) or "").strip()]
        if missing:
            rejected.append(Rejected(number, missing[0], "required column is missing or empty"))
            continue
        data = _row_to_entry_data(row, taken_ids)
        try:
            model = EntryModel.model_validate(data)
        except ValidationError as exc:
            error = exc.errors()[0]
            rejected.append(
                Rejected(number, field_name(tuple(error["loc"])), friendly_error(error))
            )
            taken_ids.discard(data["id"])
            continue
        if len(model.answer) > limits.max_answer_chars:
            reason = f"answer too long for a chat message ({len(model.answer)} characters)"
            rejected.append(Rejected(number, "answer", reason))
            taken_ids.discard(model.id)
            continue
        entries.append(model.to_entry())
    return entries, rejected


def _row_to_entry_data(row: dict[str, Any], taken_ids: set[str]) -> dict[str, Any]:
    question = str(row["question"]).strip()
    given_id = str(row.get("id") or "").strip()
    if given_id and given_id not in taken_ids:
        taken_ids.add(given_id)
        entry_id = given_id
    else:
        entry_id = slugify(question, taken_ids)
    data: dict[str, Any] = {
        "id": entry_id,
        "question": question,
        "answer": str(row["answer"]).strip(),
        "alternates": _as_list(row.get("alternates")),
        "tags": _as_list(row.get("tags")),
        "status": EntryStatus.DRAFT.value,
        "sources": _as_sources(row),
    }
    if row.get("locale"):
        data["locale"] = str(row["locale"]).strip()
    return data


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split("|") if part.strip()]


def _as_sources(row: dict[str, Any]) -> list[dict[str, str]]:
    raw = row.get("sources")
    if isinstance(raw, list):
        return [s for s in raw if isinstance(s, dict)]
    if isinstance(raw, str) and raw.strip():
        sources = []
        for part in raw.split("|"):
            found = re.match(r"\s*(.*?)\s*<(\S+)>\s*$", part)
            if found:
                sources.append({"title": found.group(1) or found.group(2), "url": found.group(2)})
        return sources
    url = str(row.get("source_url") or "").strip()
    if url:
        return [{"title": str(row.get("source_title") or url).strip(), "url": url}]
    return []
