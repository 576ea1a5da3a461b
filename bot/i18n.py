"""The message catalog: every user-facing text, keyed by locale, loaded from `bot/locales/`.

Each locale is a folder of TOML files (`bot/locales/en/*.toml`); each file's tables become
dotted keys (`[workflow] escalated = "…"` is `workflow.escalated`). Texts use `str.format`
placeholders. A missing key in another locale falls back to English, so a partial translation
still works.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from bot.errors import ConfigError

LOCALES_DIR = Path(__file__).parent / "locales"
FALLBACK_LOCALE = "en"


class Catalog:
    """The texts of one locale, with English as fallback."""

    def __init__(self, locale: str, texts: dict[str, str], fallback: Catalog | None = None):
        self.locale = locale
        self._texts = texts
        self._fallback = fallback

    def __call__(self, key: str, /, **values: Any) -> str:
        """The text for `key`, formatted with `values`."""
        return self.raw(key).format(**values)

    def raw(self, key: str) -> str:
        """The unformatted text for `key`; KeyError when no locale has it."""
        if key in self._texts:
            return self._texts[key]
        if self._fallback is not None:
            return self._fallback.raw(key)
        raise KeyError(f"no message {key!r} in locale {self.locale!r}")

    def keys(self) -> set[str]:
        """Every key this locale (or its fallback) defines."""
        own = set(self._texts)
        return own | (self._fallback.keys() if self._fallback else set())


@cache
def load_catalog(locale: str = FALLBACK_LOCALE) -> Catalog:
    """Load a locale's catalog; an unknown locale is a configuration error."""
    folder = LOCALES_DIR / locale
    if not folder.is_dir():
        known = ", ".join(sorted(p.name for p in LOCALES_DIR.iterdir() if p.is_dir()))
        raise ConfigError(
            "community.locale", None, "", f"no messages for locale {locale!r} (have: {known})"
        )
    texts: dict[str, str] = {}
    for file in sorted(folder.glob("*.toml")):
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(file, getattr(exc, "lineno", None), "", str(exc)) from None
        _flatten(data, "", texts)
    fallback = None if locale == FALLBACK_LOCALE else load_catalog(FALLBACK_LOCALE)
    return Catalog(locale, texts, fallback)


def _flatten(data: dict[str, Any], prefix: str, out: dict[str, str]) -> None:
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            _flatten(value, f"{name}.", out)
        else:
            out[name] = str(value)
