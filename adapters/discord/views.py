"""Persistent buttons and prompt modals: everything a click needs is in its ``custom_id``.

A button's custom_id is the core's action id (``careline:claim:42``). A button that asks for
free text first carries its prompt after a ``?`` (``careline:reject:42?Why?``) so the modal can
be shown after a restart with no state kept in memory; the ``?prompt`` part never reaches the
core.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Protocol

import discord

from bot.messages import Button, ButtonStyle

from .render import BUTTON_LABEL, BUTTONS_PER_ROW

log = logging.getLogger(__name__)

CUSTOM_ID_CHARS = 100
MODAL_TITLE = 45
INPUT_LABEL = 45
INPUT_PLACEHOLDER = 100
INPUT_MAX = 4000
PROMPT_SEPARATOR = "?"
TEMPLATE = r"(?P<action>careline:[A-Za-z0-9_-]+(?::[^:?]*)*)(?:\?(?P<prompt>.*))?"
_TEMPLATE = re.compile(TEMPLATE, re.DOTALL)

_STYLES = {
    ButtonStyle.PRIMARY: discord.ButtonStyle.primary,
    ButtonStyle.SECONDARY: discord.ButtonStyle.secondary,
    ButtonStyle.SUCCESS: discord.ButtonStyle.success,
    ButtonStyle.DANGER: discord.ButtonStyle.danger,
}


class ClickHandler(Protocol):
    """What a click is handed to (the adapter's bridge)."""

    async def on_button(
        self, interaction: discord.Interaction, action: str, prompt: str | None, label: str
    ) -> None:
        """Handle a click on a Careline button."""
        ...


def custom_id(action: str, prompt: str | None = None) -> str:
    """The custom_id for an action (and its text prompt), within Discord's 100 characters."""
    if PROMPT_SEPARATOR in action or len(action) > CUSTOM_ID_CHARS:
        raise ValueError(f"action id cannot be a Discord custom_id: {action!r}")
    if not prompt:
        return action
    room = CUSTOM_ID_CHARS - len(action) - len(PROMPT_SEPARATOR)
    short = prompt if len(prompt) <= room else prompt[: room - 1] + "…"
    return f"{action}{PROMPT_SEPARATOR}{short}" if room > 1 else action + PROMPT_SEPARATOR


def parse_custom_id(value: str) -> tuple[str, str | None] | None:
    """``(action, prompt)`` from a custom_id, or None when it is not a Careline one."""
    match = _TEMPLATE.fullmatch(value)
    if match is None:
        return None
    prompt = match.group("prompt")
    return match.group("action"), (prompt if prompt is not None else None)


def bridge_of(client: discord.Client) -> ClickHandler:
    """The handler the adapter installed on its client."""
    bridge = getattr(client, "careline", None)
    if bridge is None:
        raise RuntimeError("this client was not built by the Careline Discord adapter")
    return bridge  # type: ignore[no-any-return]


class ActionButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=TEMPLATE,
):
    """A Careline button that discord.py rebuilds from its custom_id alone (restart-safe)."""

    def __init__(
        self,
        action: str,
        label: str,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        prompt: str | None = None,
        row: int | None = None,
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=label[:BUTTON_LABEL] or "…",
                style=style,
                custom_id=custom_id(action, prompt),
                row=row,
            )
        )
        self.action = action
        self.prompt = prompt

    @classmethod
    def from_button(cls, button: Button, row: int | None = None) -> ActionButton:
        """The Discord button for a core `Button`."""
        return cls(button.action_id, button.label, _STYLES[button.style], button.text_prompt, row)

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ActionButton:
        """Rebuild the button a click came from (label and style from the clicked message)."""
        label = getattr(item, "label", None) or ""
        style = getattr(item, "style", discord.ButtonStyle.secondary)
        return cls(match.group("action"), label, style, match.group("prompt"))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Hand the click to the adapter (which defers, or opens the prompt modal)."""
        await bridge_of(interaction.client).on_button(
            interaction, self.action, self.prompt, self.item.label or ""
        )


def build_view(buttons: tuple[Button, ...]) -> discord.ui.View | None:
    """A view with the buttons, five per row; None when there are none.

    The view is stopped at once: clicks are routed by `ActionButton`'s template, so discord.py
    need not keep one view per sent message in memory.
    """
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    usable = []
    for button in buttons:
        try:
            custom_id(button.action_id, button.text_prompt)
        except ValueError:
            log.warning("leaving out a button Discord cannot carry: %r", button.action_id)
            continue
        usable.append(button)
    for index, button in enumerate(usable):
        view.add_item(ActionButton.from_button(button, row=index // BUTTONS_PER_ROW))
    view.stop()
    return view if usable else None


class PromptModal(discord.ui.Modal):
    """Asks for the free text an action needs; its custom_id is the action id.

    The submission is read from the interaction payload by the adapter (restart-safe), not by
    this object, which is dropped as soon as it is shown.
    """

    def __init__(self, action: str, title: str, prompt: str) -> None:
        super().__init__(title=title[:MODAL_TITLE] or "…", custom_id=action, timeout=None)
        self.text: discord.ui.TextInput[PromptModal] = discord.ui.TextInput(
            label=prompt[:INPUT_LABEL],
            placeholder=prompt[:INPUT_PLACEHOLDER] if len(prompt) > INPUT_LABEL else None,
            style=discord.TextStyle.paragraph,
            max_length=INPUT_MAX,
            required=True,
            custom_id="text",
        )
        self.add_item(self.text)


def submitted_text(data: Any) -> str:
    """The text typed into a modal, from the MODAL_SUBMIT payload's components."""
    values: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == discord.ComponentType.text_input.value and "value" in node:
                values.append(str(node["value"]))
            for key in ("components", "component"):
                if key in node:
                    walk(node[key])
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(data.get("components", []) if isinstance(data, dict) else [])
    return "\n".join(v for v in values if v)
