"""Outbound content → Discord messages (text, embeds, button specs), split to Discord's limits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import discord

from bot.i18n import Catalog
from bot.messages import Button, Content

# Discord's documented limits (https://discord.com/developers/docs/resources/message).
MESSAGE_CHARS = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
EMBED_FOOTER = 2048
EMBED_TOTAL = 6000
BUTTONS_PER_ROW = 5
ROWS = 5
BUTTON_LABEL = 80

COLOUR = discord.Colour.blurple()
URGENT_COLOUR = discord.Colour.red()
_SAFE_URL = re.compile(r"https?://\S+\Z")


@dataclass(frozen=True, slots=True)
class Piece:
    """One Discord message to send: plain text and/or embeds, and the buttons it carries."""

    text: str | None = None
    embeds: tuple[discord.Embed, ...] = ()
    buttons: tuple[Button, ...] = field(default=())


def neutralise(text: str) -> str:
    """Make ``@everyone``, ``@here`` and ``<@id>`` inert text (a zero-width space after ``@``)."""
    return discord.utils.escape_mentions(text)


def allowed_mentions(mention: str | None) -> discord.AllowedMentions:
    """Nobody may be pinged except `mention` (when given)."""
    users: list[discord.abc.Snowflake] | bool = (
        [discord.Object(id=int(mention))] if mention and mention.isdecimal() else False
    )
    return discord.AllowedMentions(everyone=False, users=users, roles=False, replied_user=False)


def split_text(text: str, limit: int) -> list[str]:
    """Split `text` into chunks of at most `limit` characters at the most natural boundary.

    Paragraphs first, then lines, sentences, words; a hard cut only for a single huge word.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = -1
        for separator in ("\n\n", "\n", ". ", " "):
            at = window.rfind(separator, 0, limit)
            if at >= limit // 3:
                cut = at + (len(separator) if separator == ". " else 0)
                break
        if cut <= 0:
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks


def _trim(text: str, limit: int, marker: str = "…") -> str:
    return text if len(text) <= limit else text[: max(0, limit - len(marker))] + marker


def wants_embed(content: Content) -> bool:
    """Rich content (title, fields, links, footer, urgency) is an embed; a bare line is text."""
    return bool(
        content.title or content.fields or content.links or content.footer or content.urgent
    )


def render(
    content: Content,
    catalog: Catalog,
    *,
    mention: str | None = None,
    single: bool = False,
) -> list[Piece]:
    """Render `content` as one or more Discord messages.

    Args:
        content: what to say.
        catalog: Discord labels ("Sources", the urgency marker, the trim notice).
        mention: the one user id to ping; it leads the first message.
        single: one message only (cards, which are edited in place later): over-long text is
            trimmed with a notice instead of continuing in further messages.
    """
    ping = f"<@{mention}>" if mention and mention.isdecimal() else None
    text = neutralise(content.text)
    buttons = content.buttons[: BUTTONS_PER_ROW * ROWS]
    if not wants_embed(content):
        limit = MESSAGE_CHARS - (len(ping) + 1 if ping else 0)
        chunks = split_text(text, limit) or [""]
        if single and len(chunks) > 1:
            chunks = [_trim(text, limit, catalog("discord.truncated"))]
        pieces = [Piece(text=chunk) for chunk in chunks]
        if ping:
            pieces[0] = Piece(text=f"{ping} {pieces[0].text}".rstrip())
        pieces[-1] = Piece(text=pieces[-1].text, buttons=buttons)
        return pieces
    return _render_embeds(content, text, catalog, ping=ping, single=single, buttons=buttons)


def _render_embeds(
    content: Content,
    text: str,
    catalog: Catalog,
    *,
    ping: str | None,
    single: bool,
    buttons: tuple[Button, ...],
) -> list[Piece]:
    colour = URGENT_COLOUR if content.urgent else COLOUR
    title = neutralise(content.title or "")
    if content.urgent:
        title = f"{catalog('discord.urgent_marker')} {title}".strip()
    title = _trim(title, EMBED_TITLE)
    fields = [
        (
            _trim(neutralise(f.label), FIELD_NAME) or "\u200b",
            _trim(neutralise(f.value), FIELD_VALUE),
        )
        for f in content.fields
    ]
    if content.links:
        fields.append((catalog("discord.sources"), _links(content)))
    fields = fields[:EMBED_FIELDS]
    footer = _trim(neutralise(content.footer or ""), EMBED_FOOTER)
    # Keep the fixed parts well inside the 6000-character total so the text has room.
    while fields and len(title) + len(footer) + sum(len(a) + len(b) for a, b in fields) > (
        EMBED_TOTAL - 1000
    ):
        fields.pop()
    fixed = len(title) + len(footer) + sum(len(a) + len(b) for a, b in fields)
    first_limit = min(EMBED_DESCRIPTION, EMBED_TOTAL - fixed)
    if single:
        chunks = [_trim(text, first_limit, catalog("discord.truncated"))] if text else []
    else:
        chunks = split_text(text, first_limit)
        if len(chunks) > 1:
            # The first chunk shares its embed with title and fields; the rest go in
            # continuation embeds of up to 4096 characters, one per message.
            first, rest = chunks[0], text.strip()[len(chunks[0]) :]
            chunks = [first, *split_text(rest, EMBED_DESCRIPTION - len(footer))]
    chunks = chunks or [""]
    embeds = [discord.Embed(description=chunk or None, colour=colour) for chunk in chunks]
    head = embeds[0]
    if title:
        head.title = title
    for name, value in fields:
        head.add_field(name=name, value=value, inline=False)
    if footer:
        embeds[-1].set_footer(text=footer)
    pieces = [Piece(embeds=(embed,)) for embed in embeds]
    if ping:
        pieces[0] = Piece(text=ping, embeds=pieces[0].embeds)
    pieces[-1] = Piece(text=pieces[-1].text, embeds=pieces[-1].embeds, buttons=buttons)
    return pieces


def _links(content: Content) -> str:
    lines: list[str] = []
    used = 0
    for link in content.links:
        title = neutralise(link.title).replace("[", "(").replace("]", ")")
        line = f"• [{title}]({link.url})" if _SAFE_URL.match(link.url) else f"• {title}"
        if used + len(line) + 1 > FIELD_VALUE:
            break
        lines.append(line)
        used += len(line) + 1
    return "\n".join(lines) or "\u200b"
