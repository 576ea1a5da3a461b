"""The message catalog: every locale file parses, and every key the code asks for exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bot.i18n import LOCALES_DIR, load_catalog

ROOT = Path(__file__).resolve().parents[2]
KEY = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)+$")


def catalog_keys_used_in_code(areas: set[str]) -> set[tuple[str, str]]:
    """(file, key) for every call whose first argument is a literal catalog key."""
    used = set()
    for path in [*ROOT.joinpath("bot").rglob("*.py"), *ROOT.joinpath("adapters").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            first = node.args[0]
            if (
                isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and KEY.match(first.value)
                and first.value.split(".")[0] in areas
            ):
                used.add((str(path.relative_to(ROOT)), first.value))
    return used


def test_every_locale_loads() -> None:
    for folder in LOCALES_DIR.iterdir():
        if folder.is_dir():
            assert load_catalog.__wrapped__(folder.name).keys()


def test_every_key_the_code_uses_is_in_the_english_catalog() -> None:
    known = load_catalog("en").keys()
    areas = {key.split(".")[0] for key in known}
    used = catalog_keys_used_in_code(areas)
    assert len(used) > 50, "the scan found the code's catalog lookups"
    missing = sorted(f"{file}: {key}" for file, key in used if key not in known)
    assert missing == []
