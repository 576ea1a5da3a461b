"""Outbound actions to JSON and back, so the outbox can persist them."""

from __future__ import annotations

import json
from typing import Any, assert_never

from bot.messages import (
    Button,
    ButtonStyle,
    Card,
    CardThread,
    CardUpdate,
    Channel,
    Content,
    DirectMessage,
    Field,
    Link,
    Outbound,
    Reply,
    Reviewers,
    Target,
)


def kind_of(message: Outbound) -> str:
    """The short type name stored next to the payload."""
    match message:
        case Reply():
            return "reply"
        case Card():
            return "card"
        case CardUpdate():
            return "card_update"
        case DirectMessage():
            return "dm"
        case _:
            assert_never(message)


def encode(message: Outbound) -> str:
    """Serialise an outbound action."""
    data: dict[str, Any] = {"type": kind_of(message)}
    match message:
        case Reply():
            data |= {
                "target": _target(message.target),
                "content": _content(message.content),
                "private_to": message.private_to,
                "mention": message.mention,
            }
        case Card():
            data |= {
                "key": message.key,
                "target": _target(message.target),
                "content": _content(message.content),
            }
        case CardUpdate():
            data |= {"key": message.key, "content": _content(message.content)}
        case DirectMessage():
            data |= {"user_id": message.user_id, "content": _content(message.content)}
        case _:
            assert_never(message)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def decode(payload: str) -> Outbound:
    """Rebuild an outbound action from `encode`'s output."""
    data = json.loads(payload)
    content = _read_content(data["content"])
    match data["type"]:
        case "reply":
            return Reply(_read_target(data["target"]), content, data["private_to"], data["mention"])
        case "card":
            return Card(data["key"], _read_target(data["target"]), content)
        case "card_update":
            return CardUpdate(data["key"], content)
        case "dm":
            return DirectMessage(data["user_id"], content)
    raise ValueError(f"unknown outbound type {data['type']!r}")


def card_key_of(message: Outbound) -> str | None:
    """The card an action needs the ref of (an update, or a reply in its thread)."""
    if isinstance(message, CardUpdate):
        return message.key
    if isinstance(message, Reply) and isinstance(message.target, CardThread):
        return message.target.card_key
    return None


def _target(target: Target) -> dict[str, Any]:
    match target:
        case Channel():
            return {
                "kind": "channel",
                "id": target.id,
                "thread": target.thread,
                "reply_to": target.reply_to,
            }
        case Reviewers():
            return {"kind": "reviewers"}
        case CardThread():
            return {"kind": "card_thread", "card_key": target.card_key}
        case _:
            assert_never(target)


def _read_target(data: dict[str, Any]) -> Target:
    if data["kind"] == "channel":
        return Channel(data["id"], data["thread"], data["reply_to"])
    if data["kind"] == "reviewers":
        return Reviewers()
    return CardThread(data["card_key"])


def _content(content: Content) -> dict[str, Any]:
    return {
        "text": content.text,
        "title": content.title,
        "fields": [[f.label, f.value] for f in content.fields],
        "links": [[link.title, link.url] for link in content.links],
        "footer": content.footer,
        "buttons": [[b.action_id, b.label, b.style.value, b.text_prompt] for b in content.buttons],
        "urgent": content.urgent,
    }


def _read_content(data: dict[str, Any]) -> Content:
    return Content(
        text=data["text"],
        title=data["title"],
        fields=tuple(Field(label, value) for label, value in data["fields"]),
        links=tuple(Link(title, url) for title, url in data["links"]),
        footer=data["footer"],
        buttons=tuple(
            Button(action, label, ButtonStyle(style), prompt)
            for action, label, style, prompt in data["buttons"]
        ),
        urgent=data["urgent"],
    )
