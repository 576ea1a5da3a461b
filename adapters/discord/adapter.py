"""The Discord adapter: discord.py events → `Inbound`, `Outbound` → Discord REST calls."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Self, assert_never

import aiohttp
import discord

from bot.errors import CarelineError, ConfigError, DeliveryError
from bot.i18n import Catalog, load_catalog
from bot.messages import (
    Card,
    CardThread,
    CardUpdate,
    Channel,
    Content,
    DeliveryReceipt,
    DirectMessage,
    Inbound,
    Outbound,
    Reply,
    Reviewers,
)
from bot.ports import Submit
from bot.settings import DiscordSettings, Settings

from .commands import FaqLookup, build_tree
from .inbound import INTERACTION_PREFIX, Community, actor_of, from_interaction, from_message
from .render import Piece, allowed_mentions, render
from .views import ActionButton, PromptModal, build_view, parse_custom_id, submitted_text

log = logging.getLogger(__name__)

# Interaction tokens live 15 minutes; stop using one a little before Discord does.
INTERACTION_TTL = 14 * 60
# A command the core answers only elsewhere (a card edit, a thread post) would leave its
# "thinking…" placeholder up until Discord gives up; it is removed after this long instead.
PLACEHOLDER_SECONDS = 15.0
STOPPED_RETRY = 60.0
# Discord JSON error codes (https://discord.com/developers/docs/topics/opcodes-and-status-codes).
UNKNOWN_CHANNEL = 10003
UNKNOWN_MESSAGE = 10008
THREAD_ALREADY_CREATED = 160004
THREAD_NAME = 100
REVIEWER_PERMISSIONS = (
    "view_channel",
    "send_messages",
    "send_messages_in_threads",
    "create_public_threads",
    "embed_links",
    "read_message_history",
)
HELP_PERMISSIONS = (
    "view_channel",
    "send_messages",
    "send_messages_in_threads",
    "embed_links",
    "read_message_history",
)


@dataclass(slots=True)
class _Pending:
    """An interaction we acknowledged and may still answer through its token."""

    interaction: discord.Interaction[Any]
    ephemeral: bool
    thinking: bool
    created: float
    answered: bool = False


class _Client(discord.Client):
    careline: _Bridge

    async def setup_hook(self) -> None:
        await self.careline.setup(self)


class _ShardedClient(discord.AutoShardedClient):
    careline: _Bridge

    async def setup_hook(self) -> None:
        await self.careline.setup(self)


def _check_ids(settings: DiscordSettings, catalog: Catalog) -> None:
    keys: dict[str, list[str]] = {
        "guild_id": [settings.guild_id] if settings.guild_id else [],
        "help_channel_ids": settings.help_channel_ids,
        "reviewer_channel_id": [settings.reviewer_channel_id]
        if settings.reviewer_channel_id
        else [],
        "physician_role_ids": settings.physician_role_ids,
        "moderator_role_ids": settings.moderator_role_ids,
    }
    for key, values in keys.items():
        for value in values:
            if not (value.isdecimal() and 17 <= len(value) <= 20):  # noqa: PLR2004
                raise ConfigError(
                    "settings",
                    None,
                    f"discord.{key}",
                    catalog("discord.setup.not_an_id", value=value),
                )


class DiscordAdapter:
    """Careline on Discord (discord.py 2.x): slash commands, buttons, modals, threads, DMs.

    Build it with `from_settings`; `start` connects and feeds every event to the core, `deliver`
    renders one `Outbound`. Set `faq_lookup` for `/faq` autocomplete.
    """

    name = "discord"

    def __init__(
        self,
        settings: DiscordSettings,
        token: str,
        *,
        catalog: Catalog | None = None,
        faq_lookup: FaqLookup | None = None,
        client_options: dict[str, Any] | None = None,
    ) -> None:
        """Keep the configuration; nothing connects before `start`.

        Args:
            settings: the `[discord]` section.
            token: the bot token (`DISCORD_TOKEN`).
            catalog: Discord labels; English by default.
            faq_lookup: `/faq` autocomplete source: ``lookup(typed) -> [(question, value)]``.
            client_options: extra keyword arguments for the discord.py client (tests use
                ``guild_ready_timeout``).
        """
        self.settings = settings
        self.catalog = catalog or load_catalog()
        self.faq_lookup = faq_lookup
        self.community = Community.from_settings(settings)
        self._token = token
        self._client_options = client_options or {}
        self._bridge: _Bridge | None = None
        self.ready = asyncio.Event()
        self.placeholder_seconds = PLACEHOLDER_SECONDS

    @classmethod
    def from_settings(
        cls, settings: Settings, *, faq_lookup: FaqLookup | None = None, **options: object
    ) -> Self:
        """The adapter for `settings`; `ConfigError` names what to set when something is missing.

        Raises:
            ConfigError: no `DISCORD_TOKEN`, no reviewer channel or roles, or a malformed id.
        """
        catalog = load_catalog(settings.community.locale)
        token = settings.secrets.discord_token
        if token is None or not token.get_secret_value().strip():
            raise ConfigError(
                "environment", None, "DISCORD_TOKEN", catalog("discord.setup.token_missing")
            )
        section = settings.discord
        required = (
            ("reviewer_channel_id", section.reviewer_channel_id, "reviewer_channel_missing"),
            ("physician_role_ids", section.physician_role_ids, "physician_roles_missing"),
            ("moderator_role_ids", section.moderator_role_ids, "moderator_roles_missing"),
        )
        for key, value, message in required:
            if not value:
                raise ConfigError(
                    "settings", None, f"discord.{key}", catalog(f"discord.setup.{message}")
                )
        _check_ids(section, catalog)
        return cls(
            section, token.get_secret_value().strip(), catalog=catalog, faq_lookup=faq_lookup
        )

    # -- life cycle ---------------------------------------------------------------------------

    def build_client(self, submit: Submit) -> _Client | _ShardedClient:
        """The discord.py client wired to `submit` (not connected yet)."""
        intents = discord.Intents.none()
        intents.guilds = True
        intents.guild_messages = True
        intents.dm_messages = True
        intents.message_content = self.settings.read_plain_messages
        options: dict[str, Any] = {
            "intents": intents,
            "allowed_mentions": discord.AllowedMentions.none(),
            "max_ratelimit_timeout": self.settings.max_ratelimit_seconds,
            **self._client_options,
        }
        client: _Client | _ShardedClient = (
            _ShardedClient(**options) if self.settings.sharded else _Client(**options)
        )
        bridge = _Bridge(self, client, submit)
        client.careline = bridge
        self._bridge = bridge
        return client

    async def start(self, submit: Submit) -> None:
        """Log in, sync the slash commands, connect, and feed every event to `submit`.

        Returns when `stop` is called.

        Raises:
            ConfigError: bad token, missing intent, or missing server/channel permissions (the
                message says what to change in the Developer Portal or the server settings).
        """
        self.ready.clear()
        client = self.build_client(submit)
        bridge = client.careline
        try:
            async with client:
                await client.start(self._token)
        except discord.LoginFailure:
            raise ConfigError(
                "environment", None, "DISCORD_TOKEN", self.catalog("discord.setup.token_rejected")
            ) from None
        except discord.PrivilegedIntentsRequired:
            raise ConfigError(
                "settings",
                None,
                "discord.read_plain_messages",
                self.catalog("discord.setup.intent_missing"),
            ) from None
        except (aiohttp.ClientConnectionError, OSError) as exc:
            raise CarelineError(self.catalog("discord.setup.unreachable", error=exc)) from exc
        finally:
            self.ready.clear()
            await bridge.cancel_watchdogs()
        if bridge.fatal is not None:
            raise bridge.fatal

    async def stop(self) -> None:
        """Disconnect (the running `start` then returns)."""
        if self._bridge is not None:
            await self._bridge.cancel_watchdogs()
            await self._bridge.client.close()

    async def deliver(self, message: Outbound, ref: str | None = None) -> DeliveryReceipt:
        """Render and send one `Outbound`.

        Raises:
            DeliveryError: rate limited (`retry_after` set), Discord down (retryable), or a
                missing permission / unknown channel (not retryable).
        """
        bridge = self._bridge
        if bridge is None or bridge.client.user is None:
            raise DeliveryError("the Discord client is not logged in yet", retry_after=5.0)
        if bridge.client.is_closed():
            # Stopped: leave the message in the outbox for the next start, without stalling
            # the shutdown drain.
            raise DeliveryError("the Discord adapter has stopped", retry_after=STOPPED_RETRY)
        try:
            return await bridge.deliver(message, ref)
        except discord.RateLimited as exc:
            raise DeliveryError(
                f"Discord rate limit: retry in {exc.retry_after:.1f}s",
                retryable=True,
                retry_after=exc.retry_after,
            ) from exc
        except discord.HTTPException as exc:
            raise _delivery_error(exc, message) from exc
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"Discord unreachable: {exc!r}", retryable=True) from exc


def _delivery_error(exc: discord.HTTPException, message: Outbound) -> DeliveryError:
    what = type(message).__name__
    if exc.status == 429:  # noqa: PLR2004
        header = exc.response.headers.get("Retry-After") if exc.response is not None else None
        retry_after = float(header) if header else None
        return DeliveryError(f"{what}: rate limited by Discord", retry_after=retry_after)
    if exc.status >= 500:  # noqa: PLR2004
        return DeliveryError(f"{what}: Discord server error {exc.status}", retryable=True)
    if isinstance(exc, discord.Forbidden):
        log.error(
            "Discord refused %s (code %s: %s): check the bot's channel permissions "
            "(View Channel, Send Messages, Send Messages in Threads, Create Public Threads, "
            "Embed Links, Read Message History) or the user's DM settings",
            what,
            exc.code,
            exc.text,
        )
    return DeliveryError(
        f"{what}: Discord answered {exc.status} (code {exc.code}): {exc.text}", retryable=False
    )


class _Bridge:
    """Everything that touches the live client: event handlers and REST delivery."""

    def __init__(self, adapter: DiscordAdapter, client: _Client | _ShardedClient, submit: Submit):
        self.adapter = adapter
        self.client = client
        self.submit = submit
        self.catalog = adapter.catalog
        self.settings = adapter.settings
        self.community = adapter.community
        self.fatal: ConfigError | None = None
        self.pending: dict[str, _Pending] = {}
        self._watchdogs: set[asyncio.Task[None]] = set()
        self.tree = build_tree(client, self, self.catalog, lambda: adapter.faq_lookup)
        client.event(self.on_ready)
        client.event(self.on_message)
        client.event(self.on_interaction)

    # -- start-up -----------------------------------------------------------------------------

    async def setup(self, client: discord.Client) -> None:
        """Register the persistent buttons and sync the slash commands (login time)."""
        client.add_dynamic_items(ActionButton)
        guild = discord.Object(id=int(self.settings.guild_id)) if self.settings.guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        try:
            synced = await self.tree.sync(guild=guild)
        except discord.Forbidden as exc:
            raise ConfigError(
                "settings",
                None,
                "discord.guild_id",
                self.catalog("discord.setup.commands_forbidden", error=exc.text or exc.status),
            ) from None
        log.info(
            "synced %s slash commands %s",
            len(synced),
            f"to server {guild.id}" if guild else "globally (may take up to an hour)",
        )

    async def on_ready(self) -> None:
        """Check the server, channels and permissions; stop with instructions if any is wrong."""
        problem = self._check_setup()
        if problem is not None:
            log.error("Discord setup problem: %s", problem)
            self.fatal = problem
            await self.client.close()
            return
        log.info("connected to Discord as %s", self.client.user)
        self.adapter.ready.set()

    def _check_setup(self) -> ConfigError | None:
        settings = self.settings
        if settings.guild_id and self.client.get_guild(int(settings.guild_id)) is None:
            return ConfigError(
                "settings",
                None,
                "discord.guild_id",
                self.catalog("discord.setup.not_in_guild", guild=settings.guild_id),
            )
        channels = [("discord.reviewer_channel_id", settings.reviewer_channel_id, True)]
        channels += [("discord.help_channel_ids", c, False) for c in settings.help_channel_ids]
        for key, channel_id, reviewer in channels:
            if channel_id is None:
                continue
            channel = self.client.get_channel(int(channel_id))
            if not isinstance(channel, discord.abc.GuildChannel):
                return ConfigError(
                    "settings",
                    None,
                    key,
                    self.catalog("discord.setup.channel_unknown", key=key, channel=channel_id),
                )
            permissions = channel.permissions_for(channel.guild.me)
            needed = REVIEWER_PERMISSIONS if reviewer else HELP_PERMISSIONS
            missing = [name for name in needed if not getattr(permissions, name)]
            if missing:
                pretty = ", ".join(name.replace("_", " ").title() for name in missing)
                return ConfigError(
                    "settings",
                    None,
                    key,
                    self.catalog(
                        "discord.setup.channel_permissions",
                        key=key,
                        channel=channel_id,
                        name=channel.name,
                        missing=pretty,
                    ),
                )
        return None

    # -- inbound ------------------------------------------------------------------------------

    async def on_message(self, message: discord.Message) -> None:
        """A message: submit it when Careline should read it."""
        me = self.client.user
        if me is None:
            return
        inbound = from_message(message, me=me.id, community=self.community)
        if inbound is None:
            return
        if message.guild is None:
            inbound = await self._with_server_roles(inbound, message.author)
        await self._submit(inbound)

    async def on_command(
        self,
        interaction: discord.Interaction[Any],
        line: str,
        *,
        private: bool = False,
        public_thinking: bool = False,
    ) -> None:
        """A slash command: defer at once (3-second rule), then submit its command line.

        The "thinking…" placeholder is public only for public questions; everything else
        (reviewer commands, denials) starts private and is made public by the reply if the
        core says so.
        """
        ephemeral = private or not public_thinking or interaction.guild_id is None
        await interaction.response.defer(thinking=True, ephemeral=ephemeral)
        self._remember(interaction, ephemeral=ephemeral, thinking=True)
        await self._submit_interaction(interaction, text=line, private=private)
        key = f"{INTERACTION_PREFIX}{interaction.id}"
        watchdog = asyncio.create_task(self._clear_placeholder_later(key))
        self._watchdogs.add(watchdog)
        watchdog.add_done_callback(self._watchdogs.discard)

    async def _clear_placeholder_later(self, key: str) -> None:
        await asyncio.sleep(self.adapter.placeholder_seconds)
        pending = self.pending.get(key)
        if pending is None or pending.answered:
            return
        pending.answered = True
        try:
            await pending.interaction.delete_original_response()
        except discord.HTTPException as exc:
            log.debug("could not remove the placeholder of %s: %s", key, exc)

    async def cancel_watchdogs(self) -> None:
        """Stop waiting to remove placeholders (shutting down)."""
        for task in list(self._watchdogs):
            task.cancel()
        await asyncio.gather(*self._watchdogs, return_exceptions=True)

    async def on_button(
        self, interaction: discord.Interaction[Any], action: str, prompt: str | None, label: str
    ) -> None:
        """A click: open the prompt modal, or defer and submit the action id."""
        if prompt is not None:
            modal = PromptModal(action, label or self.catalog("discord.modal_title"), prompt)
            modal.stop()  # the submission is read from its payload, see `on_interaction`
            await interaction.response.send_modal(modal)
            return
        await interaction.response.defer()
        self._remember(interaction, ephemeral=False, thinking=False)
        await self._submit_interaction(interaction, action=action)

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """Modal submissions (restart-safe: the text is read from the payload)."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: dict[str, Any] = dict(interaction.data or {})
        parsed = parse_custom_id(str(data.get("custom_id", "")))
        if parsed is None:
            return
        action, _ = parsed
        text = submitted_text(data)
        await interaction.response.defer()
        self._remember(interaction, ephemeral=False, thinking=False)
        await self._submit_interaction(interaction, text=text, action=action)

    async def _submit_interaction(
        self,
        interaction: discord.Interaction[Any],
        *,
        text: str = "",
        action: str | None = None,
        private: bool = False,
    ) -> None:
        inbound = from_interaction(
            interaction, self.community, text=text, action=action, private=private
        )
        if interaction.guild_id is None:
            inbound = await self._with_server_roles(inbound, interaction.user)
        await self._submit(inbound)

    async def _with_server_roles(
        self, inbound: Inbound, user: discord.User | discord.Member
    ) -> Inbound:
        """In a DM Discord sends no roles: look the person up in the configured server."""
        guild = self.client.get_guild(int(self.settings.guild_id or 0))
        if guild is None:
            return inbound
        member = guild.get_member(user.id)
        if member is None:
            try:
                member = await guild.fetch_member(user.id)
            except discord.HTTPException:
                return inbound  # not a member (or Discord is unreachable): a patient
        return replace(inbound, actor=actor_of(member, self.community))

    async def _submit(self, inbound: Inbound) -> None:
        try:
            await self.submit(inbound)
        except Exception:
            log.exception("submitting Discord event %s failed", inbound.event_id)

    def _remember(
        self, interaction: discord.Interaction[Any], *, ephemeral: bool, thinking: bool
    ) -> None:
        now = time.monotonic()
        for key in [k for k, p in self.pending.items() if now - p.created > INTERACTION_TTL]:
            del self.pending[key]
        self.pending[f"{INTERACTION_PREFIX}{interaction.id}"] = _Pending(
            interaction, ephemeral=ephemeral, thinking=thinking, created=now
        )

    # -- outbound -----------------------------------------------------------------------------

    async def deliver(self, message: Outbound, ref: str | None) -> DeliveryReceipt:
        """Route one `Outbound` to the REST call it needs."""
        match message:
            case Reply():
                return await self._reply(message, ref)
            case Card():
                return await self._card(message, ref)
            case CardUpdate():
                return await self._card_update(message, ref)
            case DirectMessage():
                channel = await self.client.create_dm(discord.Object(id=int(message.user_id)))
                return await self._send(channel, render(message.content, self.catalog))
            case _:
                assert_never(message)

    async def _reply(self, reply: Reply, ref: str | None) -> DeliveryReceipt:
        target = reply.target
        private = reply.private_to is not None
        # Pinging someone in a message only they can see (ephemeral, DM) adds nothing.
        mention = None if private else reply.mention
        if isinstance(target, Channel) and target.reply_to in self.pending:
            pending = self.pending[target.reply_to]
            if time.monotonic() - pending.created < INTERACTION_TTL:
                return await self._followup(pending, reply.content, private, mention)
        pieces = render(reply.content, self.catalog, mention=mention)
        if reply.private_to is not None:
            user = discord.Object(id=int(reply.private_to))
            return await self._send(await self.client.create_dm(user), pieces)
        match target:
            case Channel(id=channel_id, thread=thread, reply_to=reply_to):
                channel = self._messageable(int(thread or channel_id))
                reference = (
                    discord.MessageReference(
                        message_id=int(reply_to),
                        channel_id=int(thread or channel_id),
                        fail_if_not_exists=False,
                    )
                    if reply_to and reply_to.isdecimal()
                    else None
                )
                return await self._send(channel, pieces, reference=reference, mention=mention)
            case Reviewers():
                return await self._send(self._reviewers(), pieces, mention=mention)
            case CardThread(card_key=key):
                return await self._to_card_thread(key, ref, pieces, mention=mention)
            case _:
                assert_never(target)

    async def _card(self, card: Card, ref: str | None) -> DeliveryReceipt:
        pieces = render(card.content, self.catalog, single=True)
        match card.target:
            case Channel(id=channel_id, thread=thread):
                return await self._send(self._messageable(int(thread or channel_id)), pieces)
            case Reviewers():
                return await self._send(self._reviewers(), pieces)
            case CardThread(card_key=key):
                return await self._to_card_thread(key, ref, pieces, mention=None)
            case _:
                assert_never(card.target)

    async def _card_update(self, update: CardUpdate, ref: str | None) -> DeliveryReceipt:
        pieces = render(update.content, self.catalog, single=True)
        if ref is None or not ref.isdecimal():
            log.warning("no message for card %s: posting it again", update.key)
            return await self._send(self._reviewers(), pieces)
        piece = pieces[0]
        message = self._reviewers().get_partial_message(int(ref))
        try:
            await message.edit(
                content=piece.text,
                embeds=list(piece.embeds),
                view=build_view(piece.buttons),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.NotFound as exc:
            if exc.code != UNKNOWN_MESSAGE:
                raise
            log.warning("card %s (message %s) is gone: posting it again", update.key, ref)
            return await self._send(self._reviewers(), pieces)
        return DeliveryReceipt(ref=ref)

    async def _to_card_thread(
        self, key: str, ref: str | None, pieces: list[Piece], *, mention: str | None
    ) -> DeliveryReceipt:
        if ref is None or not ref.isdecimal():
            raise DeliveryError(f"no card message known for {key}", retryable=False)
        # A thread started from a message has the message's id.
        thread = self._messageable(int(ref))
        try:
            return await self._send(thread, pieces, mention=mention)
        except discord.NotFound as exc:
            if exc.code != UNKNOWN_CHANNEL:
                raise
        try:
            await (
                self._reviewers()
                .get_partial_message(int(ref))
                .create_thread(
                    name=self.catalog("discord.thread_name", key=key)[:THREAD_NAME],
                    auto_archive_duration=self.settings.thread_archive_minutes,
                )
            )
        except discord.HTTPException as exc:
            # Another delivery (a second outbox worker) opened it first: just use it.
            if exc.code != THREAD_ALREADY_CREATED:
                raise
        return await self._send(thread, pieces, mention=mention)

    async def _followup(
        self, pending: _Pending, content: Content, private: bool, mention: str | None
    ) -> DeliveryReceipt:
        """Answer through the interaction token: edit the "thinking…" placeholder, then follow up.

        The placeholder's visibility was fixed when it was deferred; when the reply needs the
        other visibility the placeholder gets a short note and the reply follows separately.
        """
        interaction = pending.interaction
        filling = pending.thinking and not pending.answered
        if filling and mention == str(interaction.user.id):
            # The answer is shown under the person's own command, which they are watching.
            mention = None
        refs: list[str] = []
        remaining = render(content, self.catalog, mention=mention)
        if filling:
            pending.answered = True
            if pending.ephemeral == private:
                first = remaining.pop(0)
                sent = await interaction.edit_original_response(
                    content=first.text,
                    embeds=list(first.embeds),
                    view=build_view(first.buttons),
                    allowed_mentions=allowed_mentions(mention),
                )
                refs.append(str(sent.id))
            else:
                note = "discord.answered_privately" if private else "discord.answered_publicly"
                await interaction.edit_original_response(content=self.catalog(note))
        for piece in remaining:
            kwargs: dict[str, Any] = {
                "embeds": list(piece.embeds),
                "ephemeral": private,
                "wait": True,
                "allowed_mentions": allowed_mentions(mention),
            }
            if piece.text is not None:
                kwargs["content"] = piece.text
            view = build_view(piece.buttons)
            if view is not None:
                kwargs["view"] = view
            sent = await interaction.followup.send(**kwargs)
            refs.append(str(sent.id))
        return _receipt(refs)

    async def _send(
        self,
        channel: discord.abc.Messageable,
        pieces: Sequence[Piece],
        *,
        reference: discord.MessageReference | None = None,
        mention: str | None = None,
    ) -> DeliveryReceipt:
        refs: list[str] = []
        for index, piece in enumerate(pieces):
            kwargs: dict[str, Any] = {
                "embeds": list(piece.embeds),
                "allowed_mentions": allowed_mentions(mention),
            }
            if piece.text is not None:
                kwargs["content"] = piece.text
            view = build_view(piece.buttons)
            if view is not None:
                kwargs["view"] = view
            if index == 0 and reference is not None:
                kwargs["reference"] = reference
                kwargs["mention_author"] = False
            sent = await channel.send(**kwargs)
            refs.append(str(sent.id))
        return _receipt(refs)

    def _messageable(self, channel_id: int) -> discord.PartialMessageable:
        return self.client.get_partial_messageable(channel_id)

    def _reviewers(self) -> discord.TextChannel | discord.PartialMessageable:
        if self.settings.reviewer_channel_id is None:
            raise DeliveryError("no [discord] reviewer_channel_id configured", retryable=False)
        channel_id = int(self.settings.reviewer_channel_id)
        # The cached channel knows its server, which starting a thread needs.
        channel = self.client.get_channel(channel_id)
        if isinstance(channel, discord.TextChannel):
            return channel
        guild = int(self.settings.guild_id) if self.settings.guild_id else None
        return self.client.get_partial_messageable(channel_id, guild_id=guild)


def _receipt(refs: list[str]) -> DeliveryReceipt:
    extra = {"messages": ",".join(refs)} if len(refs) > 1 else {}
    return DeliveryReceipt(ref=refs[0] if refs else None, extra=extra)
