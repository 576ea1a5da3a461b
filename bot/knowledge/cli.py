"""`careline kb validate | stats | import | export`: the knowledge base from the terminal."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from bot.knowledge.configured import limits_from
from bot.knowledge.entry import Entry, EntryStatus
from bot.knowledge.io import dump_entries, entries_to_csv, entries_to_jsonl, import_rows
from bot.knowledge.loader import KnowledgeBase, check_knowledge, load_knowledge
from bot.knowledge.synonyms import check_synonyms, synonyms_beside
from bot.settings import Settings, load_settings

IMPORT_HEADER = (
    "Imported by `careline kb import` as drafts: review each entry, add sources and the\n"
    "reviewer, then set status: approved."
)


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(getattr(args, "config", None))


def validate_main(args: argparse.Namespace) -> int:
    """Check every knowledge file (and the synonyms); exit 1 listing all errors."""
    settings = _settings(args)
    path = Path(args.path) if args.path else settings.knowledge.path
    synonyms_name = settings.knowledge.synonyms_file
    kb, errors = check_knowledge(path, limits_from(settings), synonyms_file=synonyms_name)
    synonym_groups = 0
    synonyms_path = synonyms_beside(path, synonyms_name)
    if path.is_dir() and synonyms_path.exists():
        groups, synonym_errors = check_synonyms(synonyms_path)
        synonym_groups = len(groups)
        errors.extend(synonym_errors)
    for problem in errors:
        print(problem, file=sys.stderr)
    for warning in kb.warnings:
        print(f"{warning} (warning)", file=sys.stderr)
    if errors:
        print(f"{len(errors)} error(s) in {path}: nothing was loaded.", file=sys.stderr)
        return 1
    print(
        f"OK: {len(kb.entries)} entries in {len(kb.files)} file(s), "
        f"{synonym_groups} synonym groups, {len(kb.warnings)} warning(s)."
    )
    return 0


def stats_main(args: argparse.Namespace) -> int:
    """Entries by status and tag, and the entries due for review."""
    settings = _settings(args)
    kb = _load(settings)
    by_status = Counter(e.status.value for e in kb.entries)
    by_tag = Counter(tag for e in kb.entries for tag in e.tags)
    print(f"{len(kb.entries)} entries in {len(kb.files)} file(s)")
    print("by status: " + ", ".join(f"{s.value} {by_status.get(s.value, 0)}" for s in EntryStatus))
    phrasings = sum(len(e.phrasings) for e in kb.entries)
    print(f"phrasings (questions + alternates): {phrasings}")
    print("by tag:")
    for tag, count in sorted(by_tag.items(), key=lambda item: (-item[1], item[0])):
        print(f"  {tag:<28} {count}")
    due = [w for w in kb.warnings if w.field == "reviewed_on"]
    print(f"due for review (older than {settings.knowledge.review_max_age_days} days): {len(due)}")
    for warning in due:
        print(f"  {warning}")
    return 0


def import_main(args: argparse.Namespace) -> int:
    """Turn a CSV or JSONL file into draft YAML entries, reporting every rejected row."""
    settings = _settings(args)
    source = Path(args.file)
    if not source.is_file():
        print(f"careline: {source}: no such file", file=sys.stderr)
        return 2
    existing = _load(settings)
    taken = {e.id for e in existing.entries}
    try:
        entries, rejected = import_rows(source, taken, limits_from(settings))
    except (ValueError, UnicodeDecodeError) as exc:
        print(f"careline: {source}: {exc}", file=sys.stderr)
        return 2
    for row in rejected:
        field = f"{row.field}: " if row.field else ""
        print(f"{source}:{row.row}: {field}{row.reason} (row rejected)", file=sys.stderr)
    if not entries:
        print(f"No entries imported from {source}.", file=sys.stderr)
        return 1
    out_dir = Path(args.out) if args.out else settings.knowledge.path / "imported"
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{source.stem}.yaml"
    if target.exists():
        print(f"careline: {target} already exists; remove it or pass --out", file=sys.stderr)
        return 2
    target.write_text(dump_entries(entries, IMPORT_HEADER), encoding="utf-8")
    print(f"Imported {len(entries)} draft entries to {target}; rejected {len(rejected)} row(s).")
    return 0


def export_main(args: argparse.Namespace) -> int:
    """Write entries as CSV, JSONL or YAML (to --out or standard output)."""
    settings = _settings(args)
    entries = _promoted(settings) if args.promoted else _load(settings).entries
    if args.format == "csv":
        text = entries_to_csv(entries)
    elif args.format == "jsonl":
        text = entries_to_jsonl(entries)
    else:
        header = "Entries promoted from answered escalations: review, then move into a topic file."
        text = dump_entries(entries, header if args.promoted else "")
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"Wrote {len(entries)} entries to {args.out}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _load(settings: Settings) -> KnowledgeBase:
    return load_knowledge(
        settings.knowledge.path,
        limits_from(settings),
        synonyms_file=settings.knowledge.synonyms_file,
    )


def _promoted(settings: Settings) -> list[Entry]:
    from bot.learning import promoted_entries

    return promoted_entries(settings)
