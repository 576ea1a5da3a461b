"""Typed settings: `config/careline.toml`, overridden by `CARELINE_*` variables and `.env`.

Secrets (`DATABASE_URL` and platform tokens) come only from the environment or `.env`, never
from the TOML file, so the file can be committed. A bad value raises `ConfigError` naming the key,
where it came from (file and line, or variable) and what was expected.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from bot.errors import ConfigError

DEFAULT_CONFIG = Path("config/careline.toml")
ENV_PREFIX = "CARELINE_"
ENV_NESTING = "__"


class Section(BaseModel):
    """A settings table: unknown keys are errors, so typos do not pass silently."""

    model_config = ConfigDict(extra="forbid")


class CommunitySettings(Section):
    """Who the bot serves: language of its messages and region of its emergency numbers."""

    name: str = "Careline community"
    locale: str = "en"
    region: str = "US"


class StorageSettings(Section):
    """Where data lives when `DATABASE_URL` is not set."""

    sqlite_path: Path = Path("var/careline.db")
    auto_migrate: bool = True


class KnowledgeSettings(Section):
    """The curated FAQ knowledge base."""

    path: Path = Path("knowledge")
    synonyms_file: str = "synonyms.yaml"
    max_answer_chars: int = Field(default=1500, ge=100, le=4000)
    review_max_age_days: int = Field(default=365, ge=1)


class MatchingSettings(Section):
    """Matching thresholds (calibrated confidences in [0, 1]) and the embedding model."""

    answer_threshold: float = Field(default=0.8554, ge=0.0, le=1.0)
    suggest_threshold: float = Field(default=0.1694, ge=0.0, le=1.0)
    max_suggestions: int = Field(default=3, ge=1, le=5)
    model_path: Path | None = None
    cache_dir: Path = Path("var/cache")


class EmergencyResources(Section):
    """What to tell someone in crisis in one region."""

    emergency: str
    crisis_line: str = ""
    non_urgent: str = ""
    poison: str = ""
    extra: list[str] = Field(default_factory=list)


class RateLimitSettings(Section):
    """Per-user and per-channel limits; crisis messages are never limited."""

    user_questions_per_minute: int = Field(default=5, ge=1)
    user_questions_per_hour: int = Field(default=30, ge=1)
    user_commands_per_minute: int = Field(default=20, ge=1)
    channel_messages_per_minute: int = Field(default=60, ge=1)


class SafetySettings(Section):
    """Input limits, emergency resources by region, rate limits and retention."""

    max_input_chars: int = Field(default=2000, ge=50)
    retention_days: int = Field(default=365, ge=1)
    retention_action: Literal["purge", "anonymise"] = "purge"
    resources: dict[str, EmergencyResources] = Field(default_factory=dict)
    rate_limits: RateLimitSettings = Field(default_factory=RateLimitSettings)


class WorkflowSettings(Section):
    """The escalation life cycle's timings and options."""

    require_consent: bool = False
    expected_wait_hours: int = Field(default=24, ge=1)
    claim_timeout_minutes: int = Field(default=120, ge=1)
    expiry_hours: int = Field(default=72, ge=1)
    trusted_physicians: list[str] = Field(default_factory=list)
    outbox_max_attempts: int = Field(default=10, ge=1)


class ConsoleSettings(Section):
    """The terminal adapter."""

    default_speaker: str = "patient:you"


class DiscordSettings(Section):
    """Discord: channels, roles and intents (the token is `DISCORD_TOKEN`)."""

    guild_id: str | None = None
    help_channel_ids: list[str] = Field(default_factory=list)
    reviewer_channel_id: str | None = None
    physician_role_ids: list[str] = Field(default_factory=list)
    moderator_role_ids: list[str] = Field(default_factory=list)
    read_plain_messages: bool = False
    sharded: bool = False
    max_ratelimit_seconds: float = Field(default=30.0, ge=30)
    thread_archive_minutes: Literal[60, 1440, 4320, 10080] = 1440


class SlackSettings(Section):
    """Slack: channels and user groups (tokens are `SLACK_*` variables)."""

    help_channel_ids: list[str] = Field(default_factory=list)
    reviewer_channel_id: str | None = None
    physician_usergroup_ids: list[str] = Field(default_factory=list)
    moderator_usergroup_ids: list[str] = Field(default_factory=list)
    usergroup_refresh_seconds: int = Field(default=300, ge=10)
    http_port: int = Field(default=3000, ge=1, le=65535)
    http_host: str = "0.0.0.0"  # noqa: S104  (HTTP mode serves Slack's requests)
    api_url: str = "https://slack.com/api/"


class LoggingSettings(Section):
    """Log level and format."""

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


class Secrets(BaseSettings):
    """Secrets, read only from the environment (or `.env`)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    database_url: str | None = None
    discord_token: SecretStr | None = None
    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None


class Settings(BaseSettings):
    """All of Careline's settings. Build it with `load_settings`."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter=ENV_NESTING,
        env_file=".env",
        extra="forbid",
        toml_file=str(DEFAULT_CONFIG),
    )

    community: CommunitySettings = Field(default_factory=CommunitySettings)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    knowledge: KnowledgeSettings = Field(default_factory=KnowledgeSettings)
    matching: MatchingSettings = Field(default_factory=MatchingSettings)
    safety: SafetySettings = Field(default_factory=SafetySettings)
    workflow: WorkflowSettings = Field(default_factory=WorkflowSettings)
    console: ConsoleSettings = Field(default_factory=ConsoleSettings)
    discord: DiscordSettings = Field(default_factory=DiscordSettings)
    slack: SlackSettings = Field(default_factory=SlackSettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)
    secrets: Secrets = Field(default_factory=Secrets, exclude=True)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Explicit values, then environment, then `.env`, then the TOML file."""
        return (
            init_settings,
            env_settings,
            _PrefixedDotEnv(settings_cls),
            TomlConfigSettingsSource(settings_cls),
        )

    @property
    def database_url(self) -> str:
        """`DATABASE_URL`, or the SQLite file from `[storage]`."""
        return self.secrets.database_url or f"sqlite:///{self.storage.sqlite_path}"


class _PrefixedDotEnv(DotEnvSettingsSource):
    """`.env` also holds secrets (read by `Secrets`); only `CARELINE_*` lines are settings."""

    def __call__(self) -> dict[str, Any]:
        return {k: v for k, v in super().__call__().items() if k in Settings.model_fields}


def load_settings(config_path: Path | str | None = None, **overrides: Any) -> Settings:
    """Build the settings, raising `ConfigError` for a bad file, key or value.

    Args:
        config_path: the TOML file; `CARELINE_CONFIG` or `config/careline.toml` by default.
            A missing default file is fine (built-in defaults apply); a missing named file is not.
        overrides: explicit values (tests), taking precedence over everything else.
    """
    named = config_path or os.environ.get("CARELINE_CONFIG")
    path = Path(named) if named else DEFAULT_CONFIG
    if named and not path.is_file():
        raise ConfigError(path, None, "", "configuration file not found")
    toml_text = ""
    if path.is_file():
        toml_text = path.read_text(encoding="utf-8")
        try:
            tomllib.loads(toml_text)
        except tomllib.TOMLDecodeError as exc:
            line = getattr(exc, "lineno", None)
            raise ConfigError(path, line, "", f"not valid TOML ({exc})") from None

    class _FromFile(Settings):
        model_config = SettingsConfigDict(toml_file=str(path))

    try:
        secrets = Secrets()
        built: Settings = _FromFile(secrets=secrets, **overrides)
    except ValidationError as exc:
        raise _explain(exc, path, toml_text) from None
    return Settings.model_validate(built.model_dump() | {"secrets": secrets})


def _explain(exc: ValidationError, path: Path, toml_text: str) -> ConfigError:
    """Turn pydantic's first error into a `ConfigError` naming key, origin and expectation."""
    error = exc.errors()[0]
    keys = [str(part) for part in error["loc"]]
    key = ".".join(keys)
    expected = error["msg"]
    if error["type"] == "extra_forbidden":
        expected = "unknown key (check its spelling and section)"
    got = error.get("input")
    if got is not None and not isinstance(got, dict | list) and error["type"] != "extra_forbidden":
        expected = f"{expected}; got {got!r}"
    variable = ENV_PREFIX + ENV_NESTING.join(keys).upper()
    if variable in os.environ or variable.lower() in os.environ:
        return ConfigError(f"environment variable {variable}", None, key, expected)
    if not keys or keys[0] == "secrets":
        return ConfigError("environment", None, key.removeprefix("secrets."), expected)
    return ConfigError(path, _line_of(toml_text, keys), key, expected)


def _line_of(toml_text: str, keys: list[str]) -> int | None:
    """Best-effort line of `a.b.c` in a TOML text: the key line inside its table."""
    if not toml_text:
        return None
    lines = toml_text.splitlines()
    for depth in range(len(keys) - 1, -1, -1):
        table, leaf = keys[:depth], keys[depth]
        current: list[str] = []
        for number, raw in enumerate(lines, start=1):
            line = raw.strip()
            header = re.fullmatch(r"\[+\s*([^\]]+?)\s*\]+", line)
            if header:
                current = [part.strip().strip('"') for part in header.group(1).split(".")]
                continue
            if current == table and re.match(rf'"?{re.escape(leaf)}"?\s*=', line):
                return number
            if current == [*table, leaf] and not table and line:
                return number
    return None


SECRET_MASK = "********"  # noqa: S105  (the mask, not a secret)


def effective_config(settings: Settings) -> dict[str, Any]:
    """The settings as plain data, with every secret masked (for `careline config check`)."""
    data = settings.model_dump(mode="json")
    secrets = settings.secrets
    data["secrets"] = {
        "DATABASE_URL": _mask_url(secrets.database_url),
        "DISCORD_TOKEN": SECRET_MASK if secrets.discord_token else None,
        "SLACK_BOT_TOKEN": SECRET_MASK if secrets.slack_bot_token else None,
        "SLACK_APP_TOKEN": SECRET_MASK if secrets.slack_app_token else None,
        "SLACK_SIGNING_SECRET": SECRET_MASK if secrets.slack_signing_secret else None,
    }
    data["database"] = _mask_url(settings.database_url)
    return data


def _mask_url(url: str | None) -> str | None:
    """Hide the password in a database URL, keep the rest readable."""
    if url is None:
        return None
    return re.sub(r"(//[^:/@]+:)[^@]*@", rf"\1{SECRET_MASK}@", url)
