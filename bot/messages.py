"""The adapter contract: platform-neutral Inbound events and Outbound actions.

Adapters turn platform events into `Inbound` values and render `Outbound` values into platform
widgets. Nothing here knows about Discord, Slack or the console. Platform ids travel as `str`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

ACTION_PREFIX = "careline"


class Role(StrEnum):
    """What a person may do in Careline."""

    PATIENT = "patient"
    PHYSICIAN = "physician"
    MODERATOR = "moderator"


@dataclass(frozen=True, slots=True)
class Actor:
    """A person as the adapter reports them; roles come from the adapter's role mapping."""

    platform: str
    user_id: str
    display_name: str
    roles: frozenset[Role] = frozenset({Role.PATIENT})

    def has(self, role: Role) -> bool:
        """Whether the actor holds `role` (everyone is a patient)."""
        return role is Role.PATIENT or role in self.roles


@dataclass(frozen=True, slots=True)
class Inbound:
    """One platform event, translated.

    `text` is what the person wrote: a question, or a command line such as ``/claim 42``.
    `action_id` is set for a button, select or modal submission (``careline:claim:42``);
    `text` then carries the form's free text (an answer, a rejection reason), if any.
    `thread` is the platform thread the message was written in, in the same string form the
    adapter returns as `DeliveryReceipt.ref` for the message that started the thread.
    `private` means the event came privately (a DM, an ephemeral flow) or the person asked to be
    answered privately: replies then go only to them.
    """

    platform: str
    event_id: str
    actor: Actor
    channel: str
    text: str = ""
    thread: str | None = None
    action_id: str | None = None
    message_id: str | None = None
    private: bool = False
    received_at: datetime | None = None


class ButtonStyle(StrEnum):
    """How prominent a button is; adapters map it to their own styles."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    SUCCESS = "success"
    DANGER = "danger"


@dataclass(frozen=True, slots=True)
class Button:
    """A clickable action. `action_id` round-trips through any platform (``careline:claim:42``).

    When `text_prompt` is set the adapter asks for free text first (a modal, a form) and sends
    it back as `Inbound.text` with the same `action_id`.
    """

    action_id: str
    label: str
    style: ButtonStyle = ButtonStyle.SECONDARY
    text_prompt: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """A titled https link, e.g. a knowledge-base source."""

    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Field:
    """A labelled value shown on a card (urgency, age, near misses…)."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Content:
    """What a message says. Text is light Markdown (bold, italics, lists, links)."""

    text: str
    title: str | None = None
    fields: tuple[Field, ...] = ()
    links: tuple[Link, ...] = ()
    footer: str | None = None
    buttons: tuple[Button, ...] = ()
    urgent: bool = False


@dataclass(frozen=True, slots=True)
class Channel:
    """A platform channel, optionally a thread in it and a message to reply to."""

    id: str
    thread: str | None = None
    reply_to: str | None = None


@dataclass(frozen=True, slots=True)
class Reviewers:
    """The reviewer channel the adapter is configured with."""


@dataclass(frozen=True, slots=True)
class CardThread:
    """The discussion thread under a card, named by the card's key (``escalation:42``)."""

    card_key: str


Target = Channel | Reviewers | CardThread


@dataclass(frozen=True, slots=True)
class Reply:
    """A message in a channel or thread.

    `private_to` makes it visible to that user only (ephemeral where the platform can, else a
    DM). `mention` is the one user id that may be pinged; nobody else ever is.
    """

    target: Target
    content: Content
    private_to: str | None = None
    mention: str | None = None


@dataclass(frozen=True, slots=True)
class Card:
    """A message the core will update later (an escalation in the reviewer channel).

    `key` is stable (``escalation:42``); the adapter's receipt ref for it is remembered by the
    outbox and passed back when the card is updated or its thread is used.
    """

    key: str
    target: Target
    content: Content


@dataclass(frozen=True, slots=True)
class CardUpdate:
    """New content for a card delivered earlier."""

    key: str
    content: Content


@dataclass(frozen=True, slots=True)
class DirectMessage:
    """A private message to one user."""

    user_id: str
    content: Content


Outbound = Reply | Card | CardUpdate | DirectMessage


@dataclass(frozen=True, slots=True)
class DeliveryReceipt:
    """What the platform returned: `ref` names the posted message (used for threads, updates)."""

    ref: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def action_id(verb: str, *args: object) -> str:
    """Build a stable action id: ``action_id("claim", 42) == "careline:claim:42"``."""
    return ":".join([ACTION_PREFIX, verb, *(str(a) for a in args)])


def parse_action_id(value: str) -> tuple[str, list[str]] | None:
    """Split ``careline:verb:arg…`` into ``(verb, [args])``; None when it is not ours."""
    parts = value.split(":")
    if len(parts) < 2 or parts[0] != ACTION_PREFIX or not parts[1]:  # noqa: PLR2004
        return None
    return parts[1], parts[2:]
