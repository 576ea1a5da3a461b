"""Synonym groups (lay ↔ clinical terms, misspellings) from `knowledge/synonyms.yaml`.

The file is a mapping with one key, `groups`: a list of groups, each a list of at least two
terms; the first term is the canonical one. A term may appear in one group only, so expansion
is unambiguous.
"""

from __future__ import annotations

from pathlib import Path

from bot.knowledge.loader import KnowledgeErrors, Problem, shown_path
from bot.knowledge.yamlsource import YamlSyntaxError, read_located

Group = tuple[str, ...]


def synonyms_beside(knowledge: Path, name: str) -> Path:
    """The synonyms file of a knowledge folder (or of the folder holding a knowledge file)."""
    return (knowledge if knowledge.is_dir() else knowledge.parent) / name


def load_synonyms(path: Path) -> list[Group]:
    """Read and validate the synonym groups; raise `KnowledgeErrors` listing every problem.

    A missing file means no synonyms.
    """
    if not path.exists():
        return []
    groups, problems = check_synonyms(path)
    if problems:
        raise KnowledgeErrors(problems)
    return groups


def check_synonyms(path: Path) -> tuple[list[Group], list[Problem]]:
    """Validate the synonym file; return the groups and every problem (never raises)."""
    shown = shown_path(path)
    try:
        doc = read_located(path)
    except YamlSyntaxError as exc:
        return [], [Problem(shown, exc.line, "", f"not valid YAML: {exc.message}")]
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("groups"), list):
        return [], [Problem(shown, 1, "groups", "expected a mapping with a `groups:` list")]
    problems = [
        Problem(shown, doc.line(key), str(key), "unknown field") for key in data if key != "groups"
    ]
    groups: list[Group] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(data["groups"]):
        line = doc.line("groups", index)
        where = f"groups[{index}]"
        if not isinstance(raw, list) or len(raw) < 2:  # noqa: PLR2004
            problems.append(Problem(shown, line, where, "expected a list of at least two terms"))
            continue
        terms: list[str] = []
        for position, term in enumerate(raw):
            term_line = doc.line("groups", index, position)
            if not isinstance(term, str) or not term.strip():
                message = "expected a non-empty term"
                problems.append(Problem(shown, term_line, f"{where}[{position}]", message))
                continue
            normalised = " ".join(term.lower().split())
            if normalised in seen:
                message = f"{normalised!r} is already in the group at line {seen[normalised]}"
                problems.append(Problem(shown, term_line, f"{where}[{position}]", message))
                continue
            seen[normalised] = line
            terms.append(normalised)
        if len(terms) >= 2:  # noqa: PLR2004
            groups.append(tuple(terms))
    return groups, problems
