"""Synonym groups are validated like entries: file, line and field for every problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.loader import KnowledgeErrors
from bot.knowledge.synonyms import check_synonyms, load_synonyms


def test_groups_load_lowercased_with_the_canonical_term_first(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.yaml"
    path.write_text("groups:\n  - [Abdomen, tummy,  Belly ]\n  - [bp, blood  pressure]\n")
    assert load_synonyms(path) == [("abdomen", "tummy", "belly"), ("bp", "blood pressure")]


def test_a_missing_synonyms_file_means_no_synonyms(tmp_path: Path) -> None:
    assert load_synonyms(tmp_path / "synonyms.yaml") == []


def test_bad_groups_and_repeated_terms_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.yaml"
    path.write_text(
        "groups:\n"
        "  - [stomach, tummy]\n"
        "  - [lonely]\n"
        "  - [belly, Tummy]\n"
        "  - [fever, 38]\n"
        "extra: 1\n"
    )
    _, problems = check_synonyms(path)
    shown = [str(p).replace(str(tmp_path) + "/", "") for p in problems]
    assert shown == [
        "synonyms.yaml:6: extra: unknown field",
        "synonyms.yaml:3: groups[1]: expected a list of at least two terms",
        "synonyms.yaml:4: groups[2][1]: 'tummy' is already in the group at line 2",
        "synonyms.yaml:5: groups[3][1]: expected a non-empty term",
    ]
    with pytest.raises(KnowledgeErrors):
        load_synonyms(path)
