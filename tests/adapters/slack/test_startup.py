"""Start-up: settings → SlackAdapter, with clear messages for every missing or wrong credential."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from adapters.slack.adapter import SlackAdapter
from bot.app import load_adapter
from bot.errors import ConfigError
from bot.settings import Settings, load_settings

REPO = Path(__file__).parents[3]
SLACK_ENV = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")


@pytest.fixture(autouse=True)
def no_slack_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in SLACK_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env from the repository


def settings(monkeypatch: pytest.MonkeyPatch, *, reviewer: bool = True, **env: str) -> Settings:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    slack: dict[str, Any] = {"help_channel_ids": ["C0HELP"]}
    if reviewer:
        slack["reviewer_channel_id"] = "C0REVIEW"
    return load_settings(slack=slack)


@pytest.mark.parametrize(
    ("env", "http", "variable", "hint"),
    [
        ({}, False, "SLACK_BOT_TOKEN", "xoxb-"),
        ({"SLACK_BOT_TOKEN": "xoxp-user-token"}, False, "SLACK_BOT_TOKEN", "xoxb-"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, False, "SLACK_APP_TOKEN", "connections:write"),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-wrong"},
            False,
            "SLACK_APP_TOKEN",
            "xapp-",
        ),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, True, "SLACK_SIGNING_SECRET", "Signing Secret"),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"},
            True,
            "SLACK_SIGNING_SECRET",
            "--http",
        ),
    ],
)
def test_missing_or_wrong_credentials_name_exactly_what_to_set(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], http: bool, variable: str, hint: str
) -> None:
    options = {"http": True} if http else {}
    with pytest.raises(ConfigError) as caught:
        SlackAdapter.from_settings(settings(monkeypatch, **env), **options)
    assert caught.value.field == variable
    assert variable in str(caught.value)
    assert hint in str(caught.value)


def test_a_missing_reviewer_channel_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}
    with pytest.raises(ConfigError, match="reviewer_channel_id") as caught:
        SlackAdapter.from_settings(settings(monkeypatch, reviewer=False, **env))
    assert "CARELINE_SLACK__REVIEWER_CHANNEL_ID" in str(caught.value)


def test_socket_mode_needs_no_signing_secret_and_http_mode_no_app_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    socket = SlackAdapter.from_settings(
        settings(monkeypatch, SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1")
    )
    assert socket.http is False
    monkeypatch.delenv("SLACK_APP_TOKEN")
    http = SlackAdapter.from_settings(
        settings(monkeypatch, SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s"),
        http=True,
        port=8123,
    )
    assert http.http is True
    assert http.port == 8123
    assert http.name == "slack"


def test_the_composition_root_finds_the_slack_adapter_by_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    adapter = load_adapter(
        "slack", settings(monkeypatch, SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1")
    )
    assert isinstance(adapter, SlackAdapter)


def test_careline_run_without_tokens_stops_with_one_clear_line(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--adapter", "slack"],
        cwd=tmp_path,
        env=env | {"PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "SLACK_BOT_TOKEN" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
