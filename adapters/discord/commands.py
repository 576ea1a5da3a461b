"""The slash-command tree: each command becomes the same command line the console uses."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from typing import Any, Protocol

import discord
from discord import app_commands

from bot.commands import TYPED_VERBS
from bot.i18n import Catalog

FaqLookup = Callable[[str], Sequence[tuple[str, str]]]
"""``lookup(partial_query) -> [(shown question, value to search for), …]``, best first."""

AUTOCOMPLETE_CHOICES = 25
CHOICE_CHARS = 100
Escalation = app_commands.Range[int, 1, 999_999_999_999]


class CommandHandler(Protocol):
    """What a slash command is handed to (the adapter's bridge)."""

    async def on_command(
        self,
        interaction: discord.Interaction[Any],
        line: str,
        *,
        private: bool = False,
        public_thinking: bool = False,
    ) -> None:
        """Acknowledge the interaction, then submit `line` as the inbound text."""
        ...


def command_names() -> list[str]:
    """Every command the tree registers, in order: the core's typed commands."""
    return list(TYPED_VERBS)


def build_tree(
    client: discord.Client,
    handler: CommandHandler,
    catalog: Catalog,
    faq_lookup: Callable[[], FaqLookup | None],
) -> app_commands.CommandTree[Any]:
    """The command tree for `client`; every callback only builds a line and hands it on.

    Args:
        client: the client the tree belongs to.
        handler: gets ``(interaction, "/claim 42", private=…)``.
        catalog: command and option descriptions (``discord.commands.*``).
        faq_lookup: returns the current `/faq` autocomplete source (it may be set after start).
    """
    tree: app_commands.CommandTree[Any] = app_commands.CommandTree(client)

    def text(command: str, key: str) -> str:
        return catalog(f"discord.commands.{command.replace('-', '_')}.{key}")[:100]

    def add(
        name: str,
        callback: Callable[..., Coroutine[Any, Any, None]],
        **options: str,
    ) -> app_commands.Command[Any, ..., None]:
        command: app_commands.Command[Any, ..., None] = app_commands.Command(
            name=name, description=text(name, "description"), callback=callback
        )
        if options:
            app_commands.describe(**{o: text(name, o) for o in options})(command)
        tree.add_command(command)
        return command

    async def ask(
        interaction: discord.Interaction[Any], question: str, private: bool = False
    ) -> None:
        await handler.on_command(
            interaction, f"/ask {question}", private=private, public_thinking=not private
        )

    async def faq(interaction: discord.Interaction[Any], query: str, private: bool = False) -> None:
        await handler.on_command(
            interaction, f"/faq {query}", private=private, public_thinking=not private
        )

    async def faq_autocomplete(
        interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        lookup = faq_lookup()
        if lookup is None:
            return []
        return [
            app_commands.Choice(name=shown[:CHOICE_CHARS], value=value[:CHOICE_CHARS])
            for shown, value in list(lookup(current))[:AUTOCOMPLETE_CHOICES]
            if shown and value
        ]

    def bare(verb: str) -> Callable[[discord.Interaction[Any]], Coroutine[Any, Any, None]]:
        async def callback(interaction: discord.Interaction[Any]) -> None:
            await handler.on_command(interaction, f"/{verb}")

        return callback

    def by_id(
        verb: str,
    ) -> Callable[[discord.Interaction[Any], Escalation], Coroutine[Any, Any, None]]:
        async def callback(interaction: discord.Interaction[Any], escalation: Escalation) -> None:
            await handler.on_command(interaction, f"/{verb} {escalation}")

        return callback

    async def answer(
        interaction: discord.Interaction[Any], escalation: Escalation, text: str
    ) -> None:
        await handler.on_command(interaction, f"/answer {escalation} {text}")

    async def reject(
        interaction: discord.Interaction[Any], escalation: Escalation, reason: str
    ) -> None:
        await handler.on_command(interaction, f"/reject {escalation} {reason}")

    async def close(
        interaction: discord.Interaction[Any], escalation: Escalation, reason: str = ""
    ) -> None:
        await handler.on_command(interaction, f"/close {escalation} {reason}".rstrip())

    add("ask", ask, question="", private="")
    faq_command = add("faq", faq, query="", private="")
    faq_command.autocomplete("query")(faq_autocomplete)
    add("queue", bare("queue"))
    for verb in ("claim", "release"):
        add(verb, by_id(verb), escalation="")
    add("answer", answer, escalation="", text="")
    add("approve", by_id("approve"), escalation="")
    add("reject", reject, escalation="", reason="")
    add("close", close, escalation="", reason="")
    add("promote", by_id("promote"), escalation="")
    for verb in ("stats", "forget-me", "help"):
        add(verb, bare(verb))
    return tree
