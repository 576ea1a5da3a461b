"""Discord events → `Inbound`: messages, slash commands, button clicks and modal submissions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import discord

from bot.messages import Actor, Inbound, Role
from bot.settings import DiscordSettings

PLATFORM = "discord"
INTERACTION_PREFIX = "interaction:"
_READABLE_TYPES = {discord.MessageType.default, discord.MessageType.reply}


@dataclass(frozen=True, slots=True)
class Community:
    """What the translation needs from the settings, as ids."""

    help_channels: frozenset[int]
    reviewer_channel: int | None
    physician_roles: frozenset[int]
    moderator_roles: frozenset[int]
    read_plain_messages: bool

    @classmethod
    def from_settings(cls, settings: DiscordSettings) -> Community:
        """Read the `[discord]` section (ids already validated as digits)."""
        return cls(
            help_channels=frozenset(int(i) for i in settings.help_channel_ids),
            reviewer_channel=int(settings.reviewer_channel_id)
            if settings.reviewer_channel_id
            else None,
            physician_roles=frozenset(int(i) for i in settings.physician_role_ids),
            moderator_roles=frozenset(int(i) for i in settings.moderator_role_ids),
            read_plain_messages=settings.read_plain_messages,
        )


def actor_of(user: discord.User | discord.Member, community: Community) -> Actor:
    """The person, with roles mapped from their Discord roles (in a DM: no server roles)."""
    role_ids = {role.id for role in user.roles} if isinstance(user, discord.Member) else set()
    roles = {Role.PATIENT}
    if role_ids & community.physician_roles:
        roles.add(Role.PHYSICIAN)
    if role_ids & community.moderator_roles:
        roles.add(Role.MODERATOR)
    return Actor(PLATFORM, str(user.id), user.display_name, frozenset(roles))


def interaction_ref(interaction: discord.Interaction[Any]) -> str:
    """The `Inbound.message_id` of an interaction: replies to it go back as followups."""
    return f"{INTERACTION_PREFIX}{interaction.id}"


def _where(channel: Any, channel_id: int | None) -> tuple[str, str | None]:
    """``(channel, thread)``: a thread is reported under its parent channel."""
    if isinstance(channel, discord.Thread):
        return str(channel.parent_id), str(channel.id)
    return str(channel_id if channel_id is not None else getattr(channel, "id", "")), None


def _strip_mention(text: str, me: int) -> tuple[str, bool]:
    # The mention and the spaces around it go; the person's own line breaks stay.
    stripped, count = re.subn(rf"[ \t]*<@!?{me}>", "", text)
    return stripped.strip(), count > 0


def from_message(message: discord.Message, *, me: int, community: Community) -> Inbound | None:
    """The `Inbound` for a message, or None when Careline should not read it.

    Read: direct messages (private), messages that mention the bot, a card thread's messages
    in the reviewer channel, and, when `read_plain_messages` is on, every message in a help
    channel or its threads. Never: bots (including itself), webhooks, system messages.
    """
    author = message.author
    if author.bot or message.webhook_id is not None or message.type not in _READABLE_TYPES:
        return None
    text, mentioned = _strip_mention(message.content, me)
    if not text:
        return None
    channel = message.channel
    private = isinstance(channel, discord.DMChannel)
    parent = channel.parent_id if isinstance(channel, discord.Thread) else None
    in_help = channel.id in community.help_channels or parent in community.help_channels
    in_card_thread = parent is not None and parent == community.reviewer_channel
    if not (private or mentioned or in_card_thread or (community.read_plain_messages and in_help)):
        return None
    where, thread = _where(channel, message.channel.id)
    return Inbound(
        platform=PLATFORM,
        event_id=f"message:{message.id}",
        actor=actor_of(author, community),
        channel=where,
        text=text,
        thread=thread,
        message_id=str(message.id),
        private=private,
        received_at=message.created_at,
    )


def from_interaction(
    interaction: discord.Interaction[Any],
    community: Community,
    *,
    text: str = "",
    action: str | None = None,
    private: bool = False,
) -> Inbound:
    """The `Inbound` for a slash command (`text` is its command line), click or modal."""
    channel_id = interaction.channel_id
    if channel_id is None and interaction.message is not None:
        channel_id = interaction.message.channel.id
    where, thread = _where(interaction.channel, channel_id)
    in_dm = interaction.guild_id is None
    on_private_message = bool(
        interaction.message is not None and interaction.message.flags.ephemeral
    )
    return Inbound(
        platform=PLATFORM,
        event_id=f"interaction:{interaction.id}",
        actor=actor_of(interaction.user, community),
        channel=where,
        text=text,
        thread=thread,
        action_id=action,
        message_id=interaction_ref(interaction),
        private=private or in_dm or on_private_message,
        received_at=interaction.created_at,
    )
