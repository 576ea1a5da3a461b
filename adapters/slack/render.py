"""Outbound content → Slack Block Kit messages: pure, escaped, split within Slack's limits."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.i18n import Catalog
from bot.messages import Button, ButtonStyle, Content, Link

# Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks).
SECTION_TEXT_MAX = 3000
FIELD_TEXT_MAX = 2000
FIELDS_PER_SECTION = 10
CONTEXT_TEXT_MAX = 2000
HEADER_TEXT_MAX = 150
BUTTON_LABEL_MAX = 75
BUTTON_VALUE_MAX = 2000
ACTION_ID_MAX = 255
ACTIONS_PER_BLOCK = 25
BLOCKS_PER_MESSAGE = 50
MESSAGE_TEXT_MAX = 40_000
FALLBACK_TEXT_MAX = 3000
MODAL_TITLE_MAX = 24
MODAL_LABEL_MAX = 2000
MODAL_METADATA_MAX = 3000

PROMPT_PREFIX = "prompt:"
ANSWER_BLOCK = "careline_text"
ANSWER_INPUT = "text"

_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+)\)")
_BOLD = re.compile(r"\*\*(?!\s)(.+?)(?<!\s)\*\*|__(?!\s)(.+?)(?<!\s)__")
_ITALIC = re.compile(r"(?<![*\w])\*(?![\s*])([^*\n]+?)(?<![\s*])\*(?![*\w])")
_BULLET = re.compile(r"^(\s*)[-*+]\s+", re.MULTILINE)
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$", re.MULTILINE)
_BOLD_MARK = "\x01"

Block = dict[str, Any]


@dataclass(frozen=True, slots=True)
class SlackMessage:
    """One Slack message: the notification/fallback `text` and its Block Kit `blocks`."""

    text: str
    blocks: list[Block] = field(default_factory=list)


def escape(text: str) -> str:
    """Escape Slack's control characters, so no `<!channel>`, `<@U…>` or link can be injected."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(markdown: str) -> str:
    """Light Markdown (bold, italics, lists, headings, links) → escaped Slack mrkdwn."""
    text = escape(markdown)
    text = _BULLET.sub(lambda m: f"{m.group(1)}• ", text)
    text = _HEADING.sub(lambda m: f"{_BOLD_MARK}{m.group(1)}{_BOLD_MARK}", text)
    text = _BOLD.sub(lambda m: f"{_BOLD_MARK}{m.group(1) or m.group(2)}{_BOLD_MARK}", text)
    text = _ITALIC.sub(lambda m: f"_{m.group(1)}_", text)
    text = _LINK.sub(lambda m: _link(m.group(2), m.group(1), escaped=True), text)
    return text.replace(_BOLD_MARK, "*")


def _link(url: str, title: str, *, escaped: bool = False) -> str:
    # A "|" or ">" inside the label would end Slack's <url|label> early.
    label = (title if escaped else escape(title)).replace("|", "/")
    target = url if escaped else escape(url)
    if not re.match(r"https?://", url) or any(c in url for c in " \n|<>"):
        return label
    return f"<{target}|{label}>"


def split_text(text: str, limit: int) -> list[str]:
    """Cut `text` into pieces of at most `limit` characters.

    Prefers paragraph breaks, then line breaks, then spaces, and never cuts inside a Slack
    `<…>` link, so every piece stays valid mrkdwn.
    """
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = _cut_position(rest, limit)
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def _cut_position(text: str, limit: int) -> int:
    depth_ok = _outside_links(text, limit)
    for separator in ("\n\n", "\n", " "):
        position = text.rfind(separator, 0, limit + 1)
        while position > 0 and not depth_ok[position]:
            position = text.rfind(separator, 0, position)
        if position > limit // 4:
            return position
    # No usable break: a hard cut, stepping back out of a link if we are inside one.
    position = limit
    while position > 1 and not depth_ok[position]:
        position -= 1
    return position if position > 1 else limit


def _outside_links(text: str, limit: int) -> list[bool]:
    flags: list[bool] = []
    inside = False
    for char in text[: limit + 1]:
        if char == "<":
            inside = True
        flags.append(not inside)
        if char == ">":
            inside = False
    return flags


def truncate(text: str, limit: int, marker: str = "…") -> str:
    """`text` cut to `limit` characters, ending with `marker` when it was cut."""
    if len(text) <= limit:
        return text
    pieces = split_text(text, max(1, limit - len(marker) - 1))
    head = pieces[0] if pieces else ""
    return f"{head} {marker}"[:limit]


def _plain(text: str, limit: int) -> Block:
    return {"type": "plain_text", "text": truncate(text, limit) or " ", "emoji": True}


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _header(content: Content, catalog: Catalog) -> list[Block]:
    if content.title is None:
        return []
    title = content.title
    if content.urgent:
        title = f"{catalog('slack.urgent_marker')} {title}"
    return [{"type": "header", "text": _plain(title, HEADER_TEXT_MAX)}]


def _fields(content: Content) -> list[Block]:
    blocks: list[Block] = []
    items = [
        {
            "type": "mrkdwn",
            "text": truncate(f"*{escape(f.label)}*\n{to_mrkdwn(f.value)}", FIELD_TEXT_MAX),
        }
        for f in content.fields
    ]
    for start in range(0, len(items), FIELDS_PER_SECTION):
        blocks.append({"type": "section", "fields": items[start : start + FIELDS_PER_SECTION]})
    return blocks


def _links(links: Sequence[Link], catalog: Catalog) -> list[Block]:
    if not links:
        return []
    lines = [catalog("slack.sources"), *(f"• {_link(link.url, link.title)}" for link in links)]
    return [_section(piece) for piece in split_text("\n".join(lines), SECTION_TEXT_MAX)]


def _footer(content: Content) -> list[Block]:
    if not content.footer:
        return []
    text = truncate(to_mrkdwn(content.footer), CONTEXT_TEXT_MAX)
    return [{"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}]


def button_element(button: Button) -> Block:
    """One Block Kit button; a `text_prompt` travels in its value so a click can open a modal."""
    element: Block = {
        "type": "button",
        "action_id": button.action_id[:ACTION_ID_MAX],
        "text": _plain(button.label, BUTTON_LABEL_MAX),
    }
    style = {ButtonStyle.PRIMARY: "primary", ButtonStyle.SUCCESS: "primary"}.get(button.style)
    if button.style is ButtonStyle.DANGER:
        style = "danger"
    if style:
        element["style"] = style
    if button.text_prompt:
        element["value"] = (PROMPT_PREFIX + button.text_prompt)[:BUTTON_VALUE_MAX]
    return element


def _actions(buttons: Sequence[Button]) -> list[Block]:
    elements = [button_element(b) for b in buttons]
    return [
        {"type": "actions", "elements": elements[start : start + ACTIONS_PER_BLOCK]}
        for start in range(0, len(elements), ACTIONS_PER_BLOCK)
    ]


def _body(content: Content, catalog: Catalog, mention: str | None) -> list[str]:
    text = to_mrkdwn(content.text)
    if content.urgent and content.title is None:
        text = f"{catalog('slack.urgent_marker')} {text}"
    if mention and _USER_ID.fullmatch(mention):
        text = f"<@{mention}> {text}"
    return split_text(text, SECTION_TEXT_MAX)


def _fallback(content: Content, body: Sequence[str], catalog: Catalog) -> str:
    # The top-level `text` is what notifications show; Slack parses it as mrkdwn too.
    first = escape(content.title) if content.title else (body[0] if body else "")
    return truncate(first or catalog("slack.fallback"), FALLBACK_TEXT_MAX)


def _size(blocks: Sequence[Block]) -> int:
    return len(json.dumps(blocks))


def render(content: Content, catalog: Catalog, *, mention: str | None = None) -> list[SlackMessage]:
    """Render `content` as one or more Slack messages, splitting a long text.

    The header goes in the first message; fields, sources, the footer (disclaimer) and the
    buttons go in the last, so the answer reads in order and its buttons sit under it.

    Args:
        content: what to say.
        catalog: the message catalog (labels, markers).
        mention: the one user id that may be pinged (``<@U…>`` before the text).
    """
    body = _body(content, catalog, mention)
    head = _header(content, catalog)
    tail = [*_fields(content), *_links(content.links, catalog), *_footer(content)]
    tail += _actions(content.buttons)
    fallback = _fallback(content, body, catalog)
    messages: list[SlackMessage] = []
    current: list[Block] = list(head)
    for piece in body:
        block = _section(piece)
        if current and (
            len(current) + 1 > BLOCKS_PER_MESSAGE or _size([*current, block]) > MESSAGE_TEXT_MAX
        ):
            messages.append(SlackMessage(fallback if not messages else _cont(catalog), current))
            current = []
        current.append(block)
    if current and (
        len(current) + len(tail) > BLOCKS_PER_MESSAGE or _size(current + tail) > MESSAGE_TEXT_MAX
    ):
        messages.append(SlackMessage(fallback if not messages else _cont(catalog), current))
        current = []
    current += tail[:BLOCKS_PER_MESSAGE]
    if current or not messages:
        messages.append(SlackMessage(fallback if not messages else _cont(catalog), current))
    return messages


def _cont(catalog: Catalog) -> str:
    return catalog("slack.continued")


def render_one(content: Content, catalog: Catalog, *, mention: str | None = None) -> SlackMessage:
    """Render `content` as exactly one message (a card that will be edited in place).

    When the text does not fit next to the card's fields and buttons it is shortened, with a
    note saying so; fields, footer and buttons are always kept.
    """
    messages = render(content, catalog, mention=mention)
    if len(messages) == 1:
        return messages[0]
    head = _header(content, catalog)
    tail = [*_fields(content), *_links(content.links, catalog), *_footer(content)]
    tail += _actions(content.buttons)
    room = BLOCKS_PER_MESSAGE - len(head) - len(tail)
    budget = MESSAGE_TEXT_MAX - _size(head + tail) - 200
    body: list[Block] = []
    marker = catalog("slack.truncated")
    for piece in _body(content, catalog, mention):
        block = _section(piece)
        if len(body) + 1 >= room or _size([*body, block]) > budget - SECTION_TEXT_MAX:
            body.append(_section(truncate(piece, SECTION_TEXT_MAX - len(marker) - 1) + marker))
            break
        body.append(block)
    return SlackMessage(messages[0].text, [*head, *body, *tail][:BLOCKS_PER_MESSAGE])


def prompt_modal(callback_id: str, prompt: str, metadata: str, catalog: Catalog) -> Block:
    """The modal a `text_prompt` button opens: one multi-line input, submitted as free text.

    `callback_id` is the button's action id, so the submission round-trips like the click.
    """
    return {
        "type": "modal",
        "callback_id": callback_id[:ACTION_ID_MAX],
        "title": _plain(catalog("slack.modal.title"), MODAL_TITLE_MAX),
        "submit": _plain(catalog("slack.modal.submit"), MODAL_TITLE_MAX),
        "close": _plain(catalog("slack.modal.close"), MODAL_TITLE_MAX),
        "private_metadata": metadata[:MODAL_METADATA_MAX],
        "blocks": [
            {
                "type": "input",
                "block_id": ANSWER_BLOCK,
                "label": _plain(prompt, MODAL_LABEL_MAX),
                "element": {
                    "type": "plain_text_input",
                    "action_id": ANSWER_INPUT,
                    "multiline": True,
                    "min_length": 1,
                    "max_length": 3000,
                    "placeholder": _plain(catalog("slack.modal.placeholder"), 150),
                },
            }
        ],
    }


def home_view(sections: Sequence[tuple[str, Sequence[Content]]], catalog: Catalog) -> Block:
    """The App Home tab: an intro, then titled lists of cards (with their buttons)."""
    blocks: list[Block] = [
        {"type": "header", "text": _plain(catalog("slack.home.title"), HEADER_TEXT_MAX)},
        _section(truncate(catalog("slack.home.intro"), SECTION_TEXT_MAX)),
    ]
    # Home tabs allow up to 100 blocks; keep a margin for the section headers.
    limit = 100
    for title, cards in sections:
        blocks += [{"type": "divider"}, _section(f"*{escape(title)}*")]
        if not cards:
            blocks.append(_section(escape(catalog("slack.home.none"))))
        for card in cards:
            rendered = render_one(card, catalog).blocks
            if len(blocks) + len(rendered) > limit - 2:
                break
            blocks += rendered
    return {"type": "home", "blocks": blocks[:limit]}
