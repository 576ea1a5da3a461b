"""The Slack app manifest: valid YAML with every scope, event and feature the adapter relies on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from adapters.slack import inbound

MANIFEST = Path(__file__).parents[3] / "adapters" / "slack" / "manifest.yml"


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return data


def test_the_manifest_is_a_yaml_mapping_with_slacks_top_level_sections(
    manifest: dict[str, Any],
) -> None:
    assert {"display_information", "features", "oauth_config", "settings"} <= set(manifest)
    assert manifest["display_information"]["name"] == "Careline"
    assert len(manifest["display_information"]["description"]) <= 140
    assert 174 <= len(manifest["display_information"]["long_description"]) <= 4000


def test_the_bot_has_every_scope_the_adapter_calls_for(manifest: dict[str, Any]) -> None:
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    needed = {
        "chat:write",  # chat.postMessage, chat.postEphemeral, chat.update
        "commands",  # /careline
        "app_mentions:read",  # app_mention
        "channels:history",  # message.channels
        "groups:history",  # message.groups
        "im:history",  # message.im
        "im:write",  # conversations.open for DMs
        "usergroups:read",  # usergroups.users.list, subteam events
        "users:read",  # users.info
    }
    assert needed <= scopes


def test_every_event_the_adapter_listens_to_is_subscribed(manifest: dict[str, Any]) -> None:
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert {
        "app_mention",
        "app_home_opened",
        "message.channels",
        "message.groups",
        "message.im",
        "subteam_members_changed",
    } <= events


def test_the_slash_command_interactivity_app_home_and_socket_mode_are_on(
    manifest: dict[str, Any],
) -> None:
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == inbound.ROOT_COMMAND
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
