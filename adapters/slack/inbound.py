"""Slack payloads (events, slash commands, button clicks, modal submissions) → drafts of Inbound.

Pure functions over the JSON Slack sends. A `Draft` is an `Inbound` without its `Actor`: roles
need the user-group cache, so the adapter adds the actor. Everything that decides *whether* an
event concerns Careline at all (bot's own messages, edits, channels we do not serve) is here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.messages import Actor, Inbound

PLATFORM = "slack"
ROOT_COMMAND = "/careline"
# Message subtypes that are still a person writing; every other subtype (edits, deletions,
# joins, bot posts) is not a question.
_PERSON_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})
_ANGLE = re.compile(r"<([^<>]*)>")
Payload = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Routing:
    """What the adapter serves: the bot's own user id and the configured channels."""

    bot_user_id: str | None
    help_channels: frozenset[str]
    reviewer_channel: str | None


@dataclass(frozen=True, slots=True)
class Draft:
    """An Inbound waiting for its actor. `key` identifies the Slack event for de-duplication."""

    event_id: str
    key: str
    user_id: str
    channel: str
    name_hint: str | None = None
    text: str = ""
    thread: str | None = None
    action_id: str | None = None
    message_id: str | None = None
    private: bool = False

    def to_inbound(self, actor: Actor, received_at: datetime | None = None) -> Inbound:
        """The finished Inbound for `actor`."""
        return Inbound(
            platform=PLATFORM,
            event_id=self.event_id,
            actor=actor,
            channel=self.channel,
            text=self.text,
            thread=self.thread,
            action_id=self.action_id,
            message_id=self.message_id,
            private=self.private,
            received_at=received_at,
        )


def make_ref(channel: str, ts: str) -> str:
    """The string that names one Slack message everywhere: ``C0123:1712345678.000100``."""
    return f"{channel}:{ts}"


def parse_ref(ref: str) -> tuple[str | None, str]:
    """``channel:ts`` → ``(channel, ts)``; a bare ``ts`` → ``(None, ts)``."""
    channel, sep, ts = ref.partition(":")
    return (channel, ts) if sep else (None, ref)


def is_direct(channel: str) -> bool:
    """Whether a channel id is a direct-message conversation."""
    return channel.startswith("D")


def is_user(channel: str) -> bool:
    """Whether a "channel" is really a user id (App Home events have no channel)."""
    return channel[:1] in {"U", "W"}


def to_plain(text: str, bot_user_id: str | None = None) -> str:
    """Slack's wire text → what the person wrote.

    Drops the bot's own mention, turns ``<@U1>``/``<!here>``/``<#C1|name>``/``<url|label>`` into
    readable words, and undoes Slack's ``&amp;``/``&lt;``/``&gt;`` escaping.
    """

    def readable(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            user = target[1:]
            return "" if user == bot_user_id else f"@{label or user}"
        if target.startswith("!"):
            name = target[1:].split("^")[0]
            return label if label else f"@{name}"
        if target.startswith("#"):
            return f"#{label or target[1:]}"
        if target.startswith("mailto:"):
            return label or target.removeprefix("mailto:")
        if label and label != target:
            return f"{label} ({target})"
        return target

    plain = _ANGLE.sub(readable, text)
    plain = plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return re.sub(r"[ \t]{2,}", " ", plain).strip()


def _event(body: Payload) -> Payload:
    event = body.get("event")
    return event if isinstance(event, Mapping) else {}


def _is_person(event: Payload, routing: Routing) -> bool:
    user = event.get("user")
    return (
        event.get("subtype") in _PERSON_SUBTYPES
        and not event.get("bot_id")
        and isinstance(user, str)
        and bool(user)
        and user != routing.bot_user_id
    )


def _message_draft(body: Payload, event: Payload, routing: Routing, *, private: bool) -> Draft:
    channel = str(event.get("channel", ""))
    ts = str(event.get("ts", ""))
    thread_ts = event.get("thread_ts")
    thread = make_ref(channel, str(thread_ts)) if thread_ts and thread_ts != ts else None
    return Draft(
        event_id=str(body.get("event_id") or make_ref(channel, ts)),
        # Both `message` and `app_mention` can report the same message: key on the message.
        key=make_ref(channel, ts),
        user_id=str(event["user"]),
        channel=channel,
        text=to_plain(str(event.get("text", "")), routing.bot_user_id),
        thread=thread,
        message_id=make_ref(channel, ts),
        private=private,
    )


def from_message(body: Payload, routing: Routing) -> Draft | None:
    """A `message` event: DMs, help channels, and threads under reviewer-channel cards.

    Messages elsewhere reach Careline only as mentions (`from_mention`), so a message that is
    both is handled once.
    """
    event = _event(body)
    if event.get("type") != "message" or not _is_person(event, routing):
        return None
    channel = str(event.get("channel", ""))
    direct = event.get("channel_type") == "im" or is_direct(channel)
    ts = event.get("ts")
    threaded = bool(event.get("thread_ts")) and event.get("thread_ts") != ts
    in_reviewer_thread = channel == routing.reviewer_channel and threaded
    if not (direct or channel in routing.help_channels or in_reviewer_thread):
        return None
    draft = _message_draft(body, event, routing, private=direct)
    return draft if draft.text else None


def from_mention(body: Payload, routing: Routing) -> Draft | None:
    """An `app_mention` event in a channel that `from_message` does not already serve."""
    event = _event(body)
    if event.get("type") != "app_mention" or not _is_person(event, routing):
        return None
    channel = str(event.get("channel", ""))
    threaded = bool(event.get("thread_ts")) and event.get("thread_ts") != event.get("ts")
    if channel in routing.help_channels or (channel == routing.reviewer_channel and threaded):
        return None
    draft = _message_draft(body, event, routing, private=False)
    return draft if draft.text else None


def command_line(text: str) -> str:
    """``/careline claim 42``'s text → the core's command line ``/claim 42``."""
    words = text.strip().lstrip("/").strip()
    return f"/{words}" if words else "/help"


def from_command(body: Payload) -> Draft | None:
    """A `/careline …` slash command. Its invocation is seen by nobody else, so it is private."""
    user = body.get("user_id")
    channel = body.get("channel_id")
    if not user or not channel:
        return None
    trigger = str(body.get("trigger_id") or f"{channel}:{user}:{body.get('text', '')}")
    return Draft(
        event_id=f"command:{trigger}",
        key=f"command:{trigger}",
        user_id=str(user),
        channel=str(channel),
        name_hint=body.get("user_name") or None,
        text=command_line(to_plain(str(body.get("text", "")))),
        private=True,
    )


@dataclass(frozen=True, slots=True)
class Click:
    """Where a button was clicked: enough to answer in the same place after a modal."""

    user_id: str
    name_hint: str | None
    channel: str
    thread: str | None
    message_id: str | None
    private: bool

    def metadata(self) -> str:
        """This click as the modal's `private_metadata` (JSON, at most a few hundred bytes)."""
        return json.dumps(
            {
                "c": self.channel,
                "t": self.thread,
                "m": self.message_id,
                "p": self.private,
            },
            separators=(",", ":"),
        )


def click_of(body: Payload) -> Click | None:
    """The user and place of a `block_actions` payload (message buttons or App Home buttons)."""
    user = body.get("user") or {}
    user_id = user.get("id")
    if not user_id:
        return None
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    in_view = container.get("type") == "view" or not channel
    # App Home has no channel: answers go to the user's DM with the app (user id as channel).
    channel = str(channel or user_id)
    ts = container.get("message_ts") or message.get("ts")
    thread_ts = container.get("thread_ts") or message.get("thread_ts")
    return Click(
        user_id=str(user_id),
        name_hint=user.get("name") or user.get("username") or None,
        channel=channel,
        thread=make_ref(channel, str(thread_ts)) if thread_ts and thread_ts != ts else None,
        message_id=make_ref(channel, str(ts)) if ts and not in_view else None,
        private=bool(container.get("is_ephemeral")) or in_view or is_direct(channel),
    )


def first_action(body: Payload) -> Payload:
    """The clicked element of a `block_actions` payload."""
    actions = body.get("actions") or [{}]
    first = actions[0]
    return first if isinstance(first, Mapping) else {}


def prompt_of(action: Payload) -> str | None:
    """The free-text prompt a button carries (it then opens a modal), or None."""
    value = action.get("value")
    if isinstance(value, str) and value.startswith("prompt:"):
        return value.removeprefix("prompt:") or None
    return None


def from_action(body: Payload) -> Draft | None:
    """A button click without a prompt → `Inbound(action_id=…)`."""
    click = click_of(body)
    action = first_action(body)
    action_id = action.get("action_id")
    if click is None or not action_id:
        return None
    trigger = body.get("trigger_id") or f"{click.message_id}:{action.get('action_ts')}"
    return Draft(
        event_id=f"action:{trigger}",
        key=f"action:{trigger}",
        user_id=click.user_id,
        channel=click.channel,
        name_hint=click.name_hint,
        thread=click.thread,
        action_id=str(action_id),
        message_id=click.message_id,
        private=click.private,
    )


def from_view_submission(body: Payload, *, block_id: str, input_id: str) -> Draft | None:
    """A submitted prompt modal → `Inbound(action_id=<the button's id>, text=<what was typed>)`."""
    view = body.get("view") or {}
    user = body.get("user") or {}
    action_id = view.get("callback_id")
    if not user.get("id") or not action_id:
        return None
    values = ((view.get("state") or {}).get("values") or {}).get(block_id) or {}
    typed = (values.get(input_id) or {}).get("value") or ""
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        meta = {}
    if not isinstance(meta, dict):
        meta = {}
    channel = str(meta.get("c") or user["id"])
    view_key = f"view:{view.get('id') or body.get('trigger_id')}"
    return Draft(
        event_id=view_key,
        key=view_key,
        user_id=str(user["id"]),
        channel=channel,
        name_hint=user.get("name") or user.get("username") or None,
        text=str(typed).strip(),
        thread=meta.get("t") or None,
        action_id=str(action_id),
        message_id=meta.get("m") or None,
        private=bool(meta.get("p", True)),
    )


def home_user(body: Payload) -> str | None:
    """The user who opened the App Home tab (None for its Messages tab)."""
    event = _event(body)
    if event.get("type") != "app_home_opened" or event.get("tab", "home") != "home":
        return None
    user = event.get("user")
    return str(user) if user else None
