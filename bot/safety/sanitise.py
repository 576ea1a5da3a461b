"""Safe output: defuse mentions and markup in echoed text, and enforce input length."""

from __future__ import annotations

import re

ZWSP = "\u200b"

# Invisible and direction-changing characters that can hide or reorder text.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad\u180e]")

_DISCORD_USER = re.compile(r"<@!?(\d+)>")
_DISCORD_ROLE = re.compile(r"<@&(\d+)>")
_DISCORD_CHANNEL = re.compile(r"<#(\d+)>")
_SLACK_SPECIAL = re.compile(r"<!(channel|here|everyone)(?:\|[^>]*)?>", re.IGNORECASE)
_SLACK_SUBTEAM = re.compile(r"<!subteam\^([A-Z0-9]+)(?:\|([^>]*))?>", re.IGNORECASE)
_SLACK_OTHER = re.compile(r"<!([^>]*)>")
_SLACK_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_SLACK_CHANNEL = re.compile(r"<#(C[A-Z0-9]+)(?:\|([^>]*))?>")
_MASS = re.compile(r"@(everyone|here|channel|all)\b", re.IGNORECASE)


def neutralise_mentions(text: str) -> str:
    """Render every ping harmless but readable.

    Discord ``<@123>`` becomes ``@user:123``, ``<@&9>`` becomes ``@role:9``; Slack ``<!here>``
    becomes ``@here`` and ``<@U1>`` ``@U1``; then every bare ``@everyone``/``@here``/
    ``@channel`` gets a zero-width space after the ``@`` so no platform treats it as a ping.
    """
    text = _DISCORD_ROLE.sub(r"@role:\1", text)
    text = _DISCORD_USER.sub(r"@user:\1", text)
    text = _DISCORD_CHANNEL.sub(r"#channel:\1", text)
    text = _SLACK_SUBTEAM.sub(lambda m: m.group(2) or f"@group:{m.group(1)}", text)
    text = _SLACK_SPECIAL.sub(lambda m: "@" + m.group(1).lower(), text)
    text = _SLACK_OTHER.sub(lambda m: m.group(1).split("|")[-1], text)
    text = _SLACK_USER.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
    text = _SLACK_CHANNEL.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    # After the rewrites above every remaining ping is a bare "@word"; break each one.
    return re.sub(r"@(?!\u200b)", "@" + ZWSP, text)


_MASKED_LINK = re.compile(r"!?\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_SLACK_LINK = re.compile(r"<((?:https?|mailto|ftp)://?[^|>\s]+)\|([^>]*)>", re.IGNORECASE)
_ANGLE_LINK = re.compile(r"<((?:https?|mailto|ftp):[^>\s]+)>", re.IGNORECASE)
_LINE_MARKUP = re.compile(r"^(\s*)(#{1,6}\s|>+\s?|-#\s|[-*_]{3,}\s*$)", re.MULTILINE)
_FENCE = re.compile(r"~{3,}")
_SPOILER_AND_CODE = re.compile(r"(\|\||`)")


def neutralise_markup(text: str) -> str:
    """Show link targets, break code fences, and stop headings or quotes spoofing the bot.

    ``[click](http://x)`` becomes ``click (http://x)``; Slack ``<http://x|label>`` becomes
    ``label (http://x)``; a line starting ``#``, ``>`` or ``-#`` is escaped with a backslash;
    runs of backticks lose their power; invisible and bidi control characters are dropped.
    """
    text = _INVISIBLE.sub("", text)
    text = _MASKED_LINK.sub(lambda m: f"{m.group(1).strip()} ({m.group(2)})".lstrip(), text)
    text = _SLACK_LINK.sub(lambda m: f"{m.group(2).strip()} ({m.group(1)})", text)
    text = _ANGLE_LINK.sub(r"\1", text)
    text = _FENCE.sub(lambda m: "\\".join(m.group()), text)
    text = _SPOILER_AND_CODE.sub(r"\\\1", text)
    return _LINE_MARKUP.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def neutralise(text: str) -> str:
    """Both defences: what any echoed user text goes through."""
    return neutralise_mentions(neutralise_markup(text))


def check_length(text: str, max_chars: int) -> bool:
    """Whether `text` is within the input limit."""
    return len(text) <= max_chars


def clip(text: str, limit: int, ellipsis: str = "…") -> str:
    """`text` cut to at most `limit` characters, ending in `ellipsis` when cut."""
    if len(text) <= limit:
        return text
    if limit <= len(ellipsis):
        return text[:limit]
    return text[: limit - len(ellipsis)].rstrip() + ellipsis
