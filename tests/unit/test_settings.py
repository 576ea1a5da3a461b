"""Settings: defaults, file, environment and .env, with errors that name key and origin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.errors import ConfigError
from bot.settings import load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("CARELINE_CONFIG", "DATABASE_URL", "DISCORD_TOKEN", "SLACK_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def test_defaults_need_no_file_and_use_sqlite_under_var() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite:///var/careline.db"
    assert settings.community.locale == "en"
    assert 0 <= settings.matching.suggest_threshold <= settings.matching.answer_threshold <= 1


def test_the_file_is_overridden_by_environment_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "careline.toml"
    config.write_text("[matching]\nanswer_threshold = 0.9\n[community]\nregion = 'UK'\n")
    monkeypatch.setenv("CARELINE_MATCHING__ANSWER_THRESHOLD", "0.8")
    settings = load_settings(config)
    assert settings.matching.answer_threshold == 0.8
    assert settings.community.region == "UK"


def test_dotenv_supplies_secrets_and_settings(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "DATABASE_URL=postgresql+psycopg://u:pw@db/careline\nCARELINE_COMMUNITY__REGION=UK\n"
    )
    settings = load_settings()
    assert settings.database_url == "postgresql+psycopg://u:pw@db/careline"
    assert settings.community.region == "UK"


def test_a_bad_value_in_the_file_names_file_line_key_and_expectation(tmp_path: Path) -> None:
    config = tmp_path / "careline.toml"
    config.write_text("[community]\nname = 'x'\n\n[matching]\nanswer_threshold = 2\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert str(caught.value) == (
        f"{config}:5: matching.answer_threshold: Input should be less than or equal to 1; got 2"
    )


def test_a_bad_value_in_the_environment_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CARELINE_WORKFLOW__EXPIRY_HOURS", "soon")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value).startswith(
        "environment variable CARELINE_WORKFLOW__EXPIRY_HOURS: workflow.expiry_hours:"
    )


def test_unknown_keys_are_rejected(tmp_path: Path) -> None:
    config = tmp_path / "careline.toml"
    config.write_text("[matching]\nanswr_threshold = 0.5\n")
    with pytest.raises(ConfigError, match=r":2: matching.answr_threshold: unknown key"):
        load_settings(config)


def test_broken_toml_and_missing_files_are_clear(tmp_path: Path) -> None:
    config = tmp_path / "careline.toml"
    config.write_text("[matching\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(config)
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_settings(tmp_path / "missing.toml")


def test_tokens_are_never_read_from_the_file(tmp_path: Path) -> None:
    config = tmp_path / "careline.toml"
    config.write_text("discord_token = 'abc'\n")
    with pytest.raises(ConfigError, match="discord_token: unknown key"):
        load_settings(config)


def test_config_check_masks_secrets(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://careline:hunter2@db/careline")
    monkeypatch.setenv("DISCORD_TOKEN", "very-secret-token")
    assert main(["config", "check"]) == 0
    out = capsys.readouterr().out
    assert "hunter2" not in out
    assert "very-secret-token" not in out
    data = json.loads(out)
    assert data["secrets"]["DISCORD_TOKEN"] == "********"
    assert data["database"] == "postgresql+psycopg://careline:********@db/careline"


def test_config_check_reports_a_bad_value_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CARELINE_SAFETY__RETENTION_DAYS", "-3")
    assert main(["config", "check"]) == 2
    assert "CARELINE_SAFETY__RETENTION_DAYS: safety.retention_days" in capsys.readouterr().err
