"""Knowledge files: every problem is named as file:line: field: message; nothing half-loads."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from bot.knowledge.entry import EntryStatus
from bot.knowledge.loader import KnowledgeErrors, Limits, check_knowledge, load_knowledge

GOOD = """\
entries:
  - id: flu-basics
    question: What is the flu?
    alternates:
      - what is influenza
    answer: |
      Flu is an infection caused by influenza viruses.
    sources:
      - title: CDC flu
        url: https://www.cdc.gov/flu/index.html
    tags: [infections]
    locale: en
    reviewed_by: Dr Example
    reviewed_on: 2026-06-01
    status: approved
"""

TODAY = Limits(today=date(2026, 11, 25))


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def messages(folder: Path, limits: Limits = TODAY) -> list[str]:
    _, errors = check_knowledge(folder, limits)
    return [str(e).replace(str(folder) + "/", "") for e in errors]


def test_a_valid_file_loads_every_field(tmp_path: Path) -> None:
    write(tmp_path, "flu.yaml", GOOD)
    kb = load_knowledge(tmp_path, TODAY)
    (entry,) = kb.entries
    assert entry.id == "flu-basics"
    assert entry.alternates == ("what is influenza",)
    assert entry.answer == "Flu is an infection caused by influenza viruses."
    assert entry.sources[0].url == "https://www.cdc.gov/flu/index.html"
    assert entry.reviewed_on == date(2026, 6, 1)
    assert entry.status is EntryStatus.APPROVED
    assert kb.warnings == []


def test_bad_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "broken.yaml", "entries:\n  - id: a\n    question: [unclosed\n")
    assert messages(tmp_path) == [
        "broken.yaml:4: not valid YAML: expected ',' or ']', but got '<stream end>'"
    ]


def test_missing_fields_wrong_types_and_unknown_fields_are_each_reported(tmp_path: Path) -> None:
    write(
        tmp_path,
        "flu.yaml",
        """\
        entries:
          - id: flu-basics
            question: 42
            answer: Flu is a virus.
            tags: infections
            colour: red
            status: draft
          - id: no-question
            answer: Something.
            status: draft
        """,
    )
    assert messages(tmp_path) == [
        "flu.yaml:3: question: expected text",
        "flu.yaml:5: tags: expected a list",
        "flu.yaml:6: colour: unknown field",
        "flu.yaml:8: question: required field is missing",
    ]


def test_bad_urls_empty_answers_and_bad_ids_are_reported(tmp_path: Path) -> None:
    write(
        tmp_path,
        "flu.yaml",
        """\
        entries:
          - id: Flu_Basics
            question: What is the flu?
            answer: "   "
            sources:
              - title: CDC
                url: http://www.cdc.gov/flu
            reviewed_on: not-a-date
            status: aproved
        """,
    )
    assert messages(tmp_path) == [
        "flu.yaml:2: id: not a slug (lowercase letters, digits and single hyphens)",
        "flu.yaml:4: answer: must not be empty",
        "flu.yaml:7: sources[0].url: not an https URL",
        "flu.yaml:8: reviewed_on: expected a date (YYYY-MM-DD)",
        "flu.yaml:9: status: expected one of draft, approved, retired",
    ]


def test_duplicate_ids_across_files_name_both_places(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "b.yaml", "# another file\n" + GOOD)
    assert messages(tmp_path) == ["b.yaml:3: id: duplicate id (first at a.yaml:2)"]


def test_answers_too_long_for_a_chat_message_are_errors(tmp_path: Path) -> None:
    long_answer = GOOD.replace("Flu is an infection caused by influenza viruses.", "word " * 400)
    write(tmp_path, "flu.yaml", long_answer)
    assert messages(tmp_path) == [
        "flu.yaml:6: answer: too long for a chat message (1999 characters, at most 1500)"
    ]


def test_approved_entries_need_sources_and_a_review(tmp_path: Path) -> None:
    write(
        tmp_path,
        "flu.yaml",
        """\
        entries:
          - id: flu-basics
            question: What is the flu?
            answer: A virus.
            status: approved
        """,
    )
    assert messages(tmp_path) == [
        "flu.yaml:2: sources: an approved entry needs at least one source",
        "flu.yaml:2: reviewed_by: an approved entry needs its reviewer",
        "flu.yaml:2: reviewed_on: an approved entry needs its review date",
    ]


def test_old_reviews_are_warnings_not_errors(tmp_path: Path) -> None:
    write(tmp_path, "flu.yaml", GOOD.replace("2026-06-01", "2024-01-01"))
    kb = load_knowledge(tmp_path, Limits(review_max_age_days=365, today=date(2026, 11, 25)))
    assert [str(w).replace(str(tmp_path) + "/", "") for w in kb.warnings] == [
        "flu.yaml:14: reviewed_on: review is 1059 days old (over 365): due for review"
    ]
    assert len(kb.entries) == 1


def test_one_bad_entry_means_nothing_loads(tmp_path: Path) -> None:
    write(tmp_path, "good.yaml", GOOD)
    write(tmp_path, "bad.yaml", "entries:\n  - id: bad\n    question: Q?\n    status: draft\n")
    with pytest.raises(KnowledgeErrors) as caught:
        load_knowledge(tmp_path, TODAY)
    assert caught.value.describe().endswith("bad.yaml:2: answer: required field is missing")


def test_a_file_without_an_entries_list_is_rejected(tmp_path: Path) -> None:
    write(tmp_path, "flu.yaml", "- id: a\n")
    write(tmp_path, "other.yaml", "entries: {}\nnotes: hi\n")
    assert messages(tmp_path) == [
        "flu.yaml:1: expected a mapping with an `entries:` list",
        "other.yaml:1: entries: expected a list",
        "other.yaml:2: notes: unknown field",
    ]


def test_the_synonyms_file_is_not_read_as_entries(tmp_path: Path) -> None:
    write(tmp_path, "flu.yaml", GOOD)
    write(tmp_path, "synonyms.yaml", "groups:\n  - [flu, influenza]\n")
    assert len(load_knowledge(tmp_path, TODAY).entries) == 1


def test_a_missing_folder_is_reported() -> None:
    _, errors = check_knowledge(Path("/nonexistent/knowledge"))
    assert [str(e) for e in errors] == ["/nonexistent/knowledge:1: no such file or folder"]
