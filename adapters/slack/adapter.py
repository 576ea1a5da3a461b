"""The Slack adapter: slack-bolt's AsyncApp (Socket Mode or HTTP) ⇄ Careline Inbound/Outbound.

Listeners ack first, translate with `inbound.py`, and hand the `Inbound` to the core; `deliver`
renders with `render.py` and maps Slack's errors onto `DeliveryError` for the outbox. Nothing
here decides anything about questions, escalations or permissions.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, assert_never

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import inbound
from adapters.slack.home import HomeQuery, build_home
from adapters.slack.render import (
    ANSWER_BLOCK,
    ANSWER_INPUT,
    SlackMessage,
    prompt_modal,
    render,
    render_one,
)
from adapters.slack.usergroups import UserGroupRoles
from bot.errors import ConfigError, DeliveryError
from bot.i18n import Catalog, load_catalog
from bot.messages import (
    Actor,
    Card,
    CardThread,
    CardUpdate,
    Channel,
    DeliveryReceipt,
    DirectMessage,
    Outbound,
    Reply,
    Reviewers,
)
from bot.ports import Submit

if TYPE_CHECKING:
    from bot.settings import Settings, SlackSettings

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
DEFAULT_API_URL = "https://slack.com/api/"
SEEN_MAX = 10_000
NAMES_MAX = 10_000
NAME_TTL_SECONDS = 3600.0  # display names change rarely; re-read them hourly
PARTS_MAX = 1_000
STOP_GRACE_SECONDS = 5.0
_ACTION = re.compile(r"^careline:")
# Slack errors worth another try; everything else (unknown channel, missing scope, bad blocks)
# will fail the same way again.
_RETRYABLE = frozenset(
    {
        "ratelimited",
        "rate_limited",
        "internal_error",
        "fatal_error",
        "service_unavailable",
        "request_timeout",
        "team_added_to_org",
    }
)
# An ephemeral message cannot reach this user here: fall back to a DM.
_EPHEMERAL_UNREACHABLE = frozenset(
    {"user_not_in_channel", "channel_not_found", "not_in_channel", "is_archived"}
)
_CARD_GONE = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})
_BAD_TOKEN = frozenset(
    {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}
)


class SlackAdapter:
    """Careline on Slack, through slack-bolt's `AsyncApp`.

    Socket Mode (the default) needs `SLACK_BOT_TOKEN` and `SLACK_APP_TOKEN`; HTTP mode serves
    `POST /slack/events` on `port` and needs `SLACK_BOT_TOKEN` and `SLACK_SIGNING_SECRET`.
    Message refs (card refs, thread refs, message ids) are ``channel_id:ts`` everywhere.
    """

    name = "slack"

    def __init__(
        self,
        config: SlackSettings,
        *,
        bot_token: str,
        app_token: str | None = None,
        signing_secret: str | None = None,
        http: bool = False,
        port: int | None = None,
        host: str | None = None,
        locale: str = "en",
        api_url: str | None = None,
        home: HomeQuery | None = None,
        clock: Callable[[], float] = time.monotonic,
        ping_interval: float = 10.0,
    ) -> None:
        self.config = config
        self.http = http
        self.port = config.http_port if port is None else port
        self.host = host if host is not None else config.http_host
        self.home_query = home
        self.catalog: Catalog = load_catalog(locale)
        self._app_token = app_token
        self._ping_interval = ping_interval
        self.app = AsyncApp(
            token=bot_token,
            signing_secret=signing_secret or "",
            # Socket Mode requests arrive over an authenticated websocket; bolt skips them.
            request_verification_enabled=http,
            process_before_response=False,
            logger=logging.getLogger("adapters.slack.bolt"),
        )
        self.client: AsyncWebClient = self.app.client
        self.client.base_url = api_url or config.api_url or DEFAULT_API_URL
        self._clock = clock
        self.roles = UserGroupRoles(
            self.client,
            physician_groups=config.physician_usergroup_ids,
            moderator_groups=config.moderator_usergroup_ids,
            refresh_seconds=config.usergroup_refresh_seconds,
            clock=clock,
        )
        self._submit: Submit | None = None
        self._bot_user_id: str | None = None
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._names: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._dm_channels: dict[str, str] = {}
        self._sent_parts: OrderedDict[str, list[str]] = OrderedDict()
        self._tasks: set[asyncio.Task[None]] = set()
        self._stopped = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self._register()

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> SlackAdapter:
        """Build the adapter from settings; `options` are CLI flags (`http`, `port`) and `home`.

        Raises:
            ConfigError: naming exactly what to set when a token, the signing secret or the
                reviewer channel is missing or malformed.
        """
        http = bool(options.get("http", False))
        port = options.get("port")
        secrets = settings.secrets
        bot_token = _secret(secrets.slack_bot_token)
        if not bot_token:
            raise ConfigError(
                "environment",
                None,
                "SLACK_BOT_TOKEN",
                "set SLACK_BOT_TOKEN to the app's Bot User OAuth Token (xoxb-…, Slack app "
                "settings → OAuth & Permissions)",
            )
        if not bot_token.startswith("xoxb-"):
            raise ConfigError(
                "environment",
                None,
                "SLACK_BOT_TOKEN",
                "must be a bot token starting with xoxb- (OAuth & Permissions → Bot User "
                "OAuth Token), not a user or app-level token",
            )
        app_token = _secret(secrets.slack_app_token)
        signing_secret = _secret(secrets.slack_signing_secret)
        if http and not signing_secret:
            raise ConfigError(
                "environment",
                None,
                "SLACK_SIGNING_SECRET",
                "set SLACK_SIGNING_SECRET to the app's Signing Secret (Basic Information → App "
                "Credentials); HTTP mode (--http) verifies every request with it",
            )
        if not http and not app_token:
            raise ConfigError(
                "environment",
                None,
                "SLACK_APP_TOKEN",
                "set SLACK_APP_TOKEN to an app-level token (xapp-…) with the connections:write "
                "scope (Basic Information → App-Level Tokens) for Socket Mode, or run with "
                "--http and SLACK_SIGNING_SECRET",
            )
        if not http and app_token and not app_token.startswith("xapp-"):
            raise ConfigError(
                "environment",
                None,
                "SLACK_APP_TOKEN",
                "must be an app-level token starting with xapp- (Basic Information → "
                "App-Level Tokens, scope connections:write)",
            )
        if not settings.slack.reviewer_channel_id:
            raise ConfigError(
                "config",
                None,
                "slack.reviewer_channel_id",
                "set reviewer_channel_id in [slack] (or CARELINE_SLACK__REVIEWER_CHANNEL_ID) "
                "to the id of the channel where escalations are posted, e.g. C0123456789",
            )
        home = options.get("home")
        return cls(
            settings.slack,
            bot_token=bot_token,
            app_token=app_token,
            signing_secret=signing_secret,
            http=http,
            port=int(port) if isinstance(port, int | str) else None,
            locale=settings.community.locale,
            home=home if callable(home) else None,
        )

    def _register(self) -> None:
        app = self.app
        app.event("message")(self._on_message)
        app.event("app_mention")(self._on_mention)
        app.event("app_home_opened")(self._on_home_opened)
        app.event("subteam_members_changed")(self._on_usergroup_changed)
        app.event("subteam_updated")(self._on_usergroup_changed)
        app.command(inbound.ROOT_COMMAND)(self._on_command)
        app.action(_ACTION)(self._on_action)
        app.view(_ACTION)(self._on_view_submission)

    # ------------------------------------------------------------------ life cycle

    async def start(self, submit: Submit) -> None:
        """Check the token, connect (Socket Mode) or serve HTTP, and run until `stop()`.

        Raises:
            ConfigError: when Slack rejects a token.
        """
        self._submit = submit
        self._stopped.clear()
        try:
            auth = await self.client.auth_test()
        except SlackApiError as exc:
            raise _token_error("SLACK_BOT_TOKEN", exc) from None
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise ConfigError(
                "config",
                None,
                "slack.api_url",
                f"cannot reach Slack at {self.client.base_url} ({exc}); check the network "
                "or [slack] api_url",
            ) from None
        self._bot_user_id = str(auth.get("user_id") or "") or None
        if self.http:
            await self._serve_http()
        else:
            await self._connect_socket()
        if self.http:
            log.info("Slack adapter serving HTTP on port %d as %s", self.port, self._bot_user_id)
        else:
            log.info("Slack adapter connected in Socket Mode as %s", self._bot_user_id)
        await self._stopped.wait()

    async def _serve_http(self) -> None:
        runner = web.AppRunner(self.web_app(), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            raise ConfigError(
                "config",
                None,
                "slack.http_port",
                f"cannot listen on {self.host}:{self.port} ({exc.strerror or exc}); choose "
                "another port with --port or [slack] http_port",
            ) from None
        self._runner = runner
        server = site._server  # bound port when 0 was asked for
        sockets = getattr(server, "sockets", None) or []
        if sockets:
            self.port = int(sockets[0].getsockname()[1])

    async def _connect_socket(self) -> None:
        # Ask for the websocket URL ourselves: bolt's client retries a rejected app token
        # forever, and a wrong token must stop the start with a clear message instead.
        try:
            opened = await self.client.apps_connections_open(app_token=self._app_token or "")
        except SlackApiError as exc:
            raise _token_error("SLACK_APP_TOKEN", exc) from None
        handler = AsyncSocketModeHandler(
            self.app,
            app_token=self._app_token,
            web_client=self.client,
            ping_interval=self._ping_interval,
        )
        handler.client.wss_uri = str(opened["url"])
        self._socket = handler
        await handler.connect_async()  # type: ignore[no-untyped-call]

    def web_app(self) -> web.Application:
        """The aiohttp application serving Slack's requests at ``/slack/events``."""
        application = web.Application()
        application.router.add_post(EVENTS_PATH, self._handle_http)
        return application

    async def _handle_http(self, request: web.Request) -> web.Response:
        retry = request.headers.get("X-Slack-Retry-Num")
        if retry:
            log.info(
                "Slack retry %s of a request (%s)",
                retry,
                request.headers.get("X-Slack-Retry-Reason"),
            )
        try:
            bolt_request = await to_bolt_request(request)
        except ValueError:
            # bolt parses the body before checking the signature: junk is refused here.
            log.warning("rejected a malformed Slack request from %s", request.remote)
            return web.Response(status=400)
        try:
            response = await self.app.async_dispatch(bolt_request)
        except Exception:
            log.exception("could not handle a Slack request")
            return web.Response(status=500)
        if response.status == 401:  # noqa: PLR2004
            log.warning(
                "rejected a Slack request from %s: missing, bad or stale signature",
                request.remote,
            )
        return await to_aiohttp_response(response)

    async def stop(self) -> None:
        """Stop listening, let in-flight events reach the core, and disconnect."""
        self._stopped.set()
        if self._socket is not None:
            socket, self._socket = self._socket, None
            await socket.close_async()  # type: ignore[no-untyped-call]
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()
        await self.idle(STOP_GRACE_SECONDS)
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def idle(self, within: float | None = None) -> None:
        """Wait until every event handed to the core so far has been submitted."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(within):
                while self._tasks:
                    await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # ------------------------------------------------------------------ inbound

    def _routing(self) -> inbound.Routing:
        return inbound.Routing(
            bot_user_id=self._bot_user_id,
            help_channels=frozenset(self.config.help_channel_ids),
            reviewer_channel=self.config.reviewer_channel_id,
        )

    async def _on_message(self, body: dict[str, Any]) -> None:
        await self._accept(inbound.from_message(body, self._routing()))

    async def _on_mention(self, body: dict[str, Any]) -> None:
        await self._accept(inbound.from_mention(body, self._routing()))

    async def _on_command(self, ack: Any, body: dict[str, Any]) -> None:
        await ack()
        await self._accept(inbound.from_command(body))

    async def _on_action(self, ack: Any, body: dict[str, Any]) -> None:
        await ack()
        action = inbound.first_action(body)
        prompt = inbound.prompt_of(action)
        if prompt is None:
            await self._accept(inbound.from_action(body))
            return
        click = inbound.click_of(body)
        trigger = body.get("trigger_id")
        if click is None or not trigger:
            return
        view = prompt_modal(str(action["action_id"]), prompt, click.metadata(), self.catalog)
        try:
            # The trigger expires 3 s after the click: open the modal now, not via the core.
            await self.client.views_open(trigger_id=trigger, view=view)
        except SlackApiError as exc:
            log.warning(
                "could not open the Slack modal for %s: %s", action["action_id"], _error_name(exc)
            )
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            log.warning("could not open the Slack modal for %s: %s", action["action_id"], exc)

    async def _on_view_submission(self, ack: Any, body: dict[str, Any]) -> None:
        await ack()
        await self._accept(
            inbound.from_view_submission(body, block_id=ANSWER_BLOCK, input_id=ANSWER_INPUT)
        )

    async def _on_home_opened(self, body: dict[str, Any]) -> None:
        user = inbound.home_user(body)
        if user is None:
            return
        actor = await self._actor(user, None)
        view = await build_home(actor, self.home_query, self.catalog)
        try:
            await self.client.views_publish(user_id=user, view=view)
        except SlackApiError as exc:
            log.warning("could not publish the App Home for %s: %s", user, _error_name(exc))
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            log.warning("could not publish the App Home for %s: %s", user, exc)

    async def _on_usergroup_changed(self) -> None:
        self.roles.invalidate()

    def _first_time(self, *keys: str) -> bool:
        """Remember `keys`; False when any was seen before (a Slack retry, a double event)."""
        if any(key in self._seen for key in keys):
            return False
        for key in keys:
            self._seen[key] = None
        while len(self._seen) > SEEN_MAX:
            self._seen.popitem(last=False)
        return True

    async def _accept(self, draft: inbound.Draft | None) -> None:
        if draft is None:
            return
        if not self._first_time(draft.key, draft.event_id):
            log.info("ignoring a repeated Slack event %s", draft.event_id)
            return
        task = asyncio.ensure_future(self._forward(draft))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        await asyncio.shield(task)

    async def _forward(self, draft: inbound.Draft) -> None:
        try:
            actor = await self._actor(draft.user_id, draft.name_hint)
            if self._submit is None:
                log.warning("Slack event %s arrived before start(); dropped", draft.event_id)
                return
            await self._submit(draft.to_inbound(actor))
        except Exception:
            # A loop edge: one bad event must not stop the listener.
            log.exception("could not hand Slack event %s to the core", draft.event_id)

    async def _actor(self, user_id: str, name_hint: str | None) -> Actor:
        roles = await self.roles.roles_of(user_id)
        # The profile's display name, the same for every kind of event; a payload's handle
        # (commands and clicks carry one) only when the profile cannot be read.
        name = await self._display_name(user_id, name_hint or user_id)
        return Actor(platform=self.name, user_id=user_id, display_name=name, roles=roles)

    async def _display_name(self, user_id: str, fallback: str) -> str:
        cached = self._names.get(user_id)
        if cached is not None and self._clock() - cached[1] < NAME_TTL_SECONDS:
            return cached[0]
        try:
            response = await self.client.users_info(user=user_id)
            user = response.get("user") or {}
            profile = user.get("profile") or {}
            name = str(
                profile.get("display_name")
                or profile.get("real_name")
                or user.get("real_name")
                or user.get("name")
                or fallback
            )
        except SlackApiError as exc:
            # Unknown user or no users:read scope: asking again soon will not help.
            log.debug("no display name for %s: %s", user_id, _error_name(exc))
            name = fallback
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            log.debug("no display name for %s: %s", user_id, exc)
            return cached[0] if cached is not None else fallback
        self._names[user_id] = (name, self._clock())
        self._names.move_to_end(user_id)
        while len(self._names) > NAMES_MAX:
            self._names.popitem(last=False)
        return name

    # ------------------------------------------------------------------ outbound

    async def deliver(self, message: Outbound, ref: str | None = None) -> DeliveryReceipt:
        """Render `message` as Block Kit and send it.

        Raises:
            DeliveryError: retryable with Slack's Retry-After on a 429, retryable on 5xx and
                network errors, not retryable for unknown channels, missing scopes and the like.
        """
        try:
            return await self._deliver(message, ref)
        except SlackApiError as exc:
            raise _delivery_error(exc) from exc
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise DeliveryError(f"Slack unreachable: {exc}", retryable=True) from exc

    async def _deliver(self, message: Outbound, ref: str | None) -> DeliveryReceipt:
        match message:
            case Reply(target=target, content=content, private_to=private_to, mention=mention):
                channel, thread_ts = await self._where(target, ref)
                messages = render(content, self.catalog, mention=mention)
                if private_to:
                    return await self._post_private(channel, thread_ts, private_to, messages)
                return await self._post(channel, thread_ts, messages)
            case Card(target=target, content=content):
                channel, thread_ts = await self._where(target, ref)
                return await self._post(channel, thread_ts, [render_one(content, self.catalog)])
            case CardUpdate(content=content):
                return await self._update_card(ref, render_one(content, self.catalog))
            case DirectMessage(user_id=user_id, content=content):
                channel = await self._dm_channel(user_id)
                return await self._post(channel, None, render(content, self.catalog))
            case _:
                assert_never(message)

    def _place(
        self, target: Channel | Reviewers | CardThread, ref: str | None
    ) -> tuple[str, str | None]:
        """Channel id and thread ts for a target."""
        match target:
            case Channel(id=channel, thread=thread, reply_to=reply_to):
                if thread:
                    return channel, inbound.parse_ref(thread)[1]
                if reply_to and not inbound.is_direct(channel):
                    # Slack's way to reply to a message is to answer in its thread.
                    return channel, inbound.parse_ref(reply_to)[1]
                return channel, None
            case Reviewers():
                return self._reviewer_channel(), None
            case CardThread(card_key=key):
                if not ref:
                    raise DeliveryError(f"no card ref yet for {key}", retryable=True)
                card_channel, ts = inbound.parse_ref(ref)
                return card_channel or self._reviewer_channel(), ts
            case _:
                assert_never(target)

    async def _where(
        self, target: Channel | Reviewers | CardThread, ref: str | None
    ) -> tuple[str, str | None]:
        channel, thread_ts = self._place(target, ref)
        if inbound.is_user(channel):
            # A click in App Home has no channel: the user's DM with the app stands in.
            return await self._dm_channel(channel), None
        return channel, thread_ts

    def _reviewer_channel(self) -> str:
        if not self.config.reviewer_channel_id:
            raise DeliveryError("slack.reviewer_channel_id is not set", retryable=False)
        return self.config.reviewer_channel_id

    async def _post(
        self, channel: str, thread_ts: str | None, messages: Sequence[SlackMessage]
    ) -> DeliveryReceipt:
        # A long answer is several messages; after a failure part-way, the outbox retries the
        # whole answer, so parts already posted are remembered and not posted twice.
        key = _parts_key(channel, thread_ts, messages)
        posted = self._sent_parts.setdefault(key, [])
        while len(self._sent_parts) > PARTS_MAX:  # abandoned after a final error
            self._sent_parts.popitem(last=False)
        for part in messages[len(posted) :]:
            response = await self.client.chat_postMessage(
                channel=channel,
                text=part.text,
                blocks=part.blocks or None,
                thread_ts=thread_ts,
                unfurl_links=False,
                unfurl_media=False,
            )
            posted.append(
                inbound.make_ref(str(response.get("channel") or channel), str(response["ts"]))
            )
        self._sent_parts.pop(key, None)
        return DeliveryReceipt(ref=posted[0], extra={"parts": str(len(posted))})

    async def _post_private(
        self,
        channel: str,
        thread_ts: str | None,
        user: str,
        messages: Sequence[SlackMessage],
    ) -> DeliveryReceipt:
        if inbound.is_direct(channel):
            return await self._post(channel, thread_ts, messages)
        refs: list[str] = []
        try:
            for part in messages:
                response = await self.client.chat_postEphemeral(
                    channel=channel,
                    user=user,
                    text=part.text,
                    blocks=part.blocks or None,
                    thread_ts=thread_ts,
                )
                refs.append(inbound.make_ref(channel, str(response.get("message_ts", ""))))
        except SlackApiError as exc:
            if refs or _error_name(exc) not in _EPHEMERAL_UNREACHABLE:
                raise
            log.info(
                "ephemeral reply to %s impossible in %s (%s); sending a DM",
                user,
                channel,
                _error_name(exc),
            )
            dm = await self._dm_channel(user)
            return await self._post(dm, None, messages)
        return DeliveryReceipt(ref=refs[0], extra={"ephemeral": "true"})

    async def _dm_channel(self, user_id: str) -> str:
        if user_id not in self._dm_channels:
            response = await self.client.conversations_open(users=user_id)
            self._dm_channels[user_id] = str(response["channel"]["id"])
        return self._dm_channels[user_id]

    async def _update_card(self, ref: str | None, message: SlackMessage) -> DeliveryReceipt:
        if not ref:
            raise DeliveryError("no card ref to update yet", retryable=True)
        channel, ts = inbound.parse_ref(ref)
        channel = channel or self._reviewer_channel()
        try:
            await self.client.chat_update(
                channel=channel, ts=ts, text=message.text, blocks=message.blocks
            )
        except SlackApiError as exc:
            if _error_name(exc) not in _CARD_GONE:
                raise
            log.warning("card %s is gone (%s); posting it again", ref, _error_name(exc))
            return await self._post(channel, None, [message])
        return DeliveryReceipt(ref=inbound.make_ref(channel, ts))


def _secret(value: Any) -> str | None:
    if value is None:
        return None
    text = value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)
    return text.strip() or None


def _error_name(exc: SlackApiError) -> str:
    response = exc.response
    if response is None:
        return str(exc)
    try:
        return str(response.get("error") or f"http_{response.status_code}")
    except (AttributeError, TypeError):
        return str(exc)


def _header(headers: Mapping[str, Any] | None, name: str) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() == name.lower():
            return str(value[0] if isinstance(value, list) and value else value)
    return None


def _delivery_error(exc: SlackApiError) -> DeliveryError:
    response = exc.response
    status = getattr(response, "status_code", 0) or 0
    error = _error_name(exc)
    if status == 429 or error in {"ratelimited", "rate_limited"}:  # noqa: PLR2004
        hint = _header(getattr(response, "headers", None), "Retry-After")
        try:
            retry_after = float(hint) if hint is not None else 1.0
        except ValueError:
            retry_after = 1.0
        return DeliveryError(f"Slack rate limit ({error})", retryable=True, retry_after=retry_after)
    retryable = status >= 500 or error in _RETRYABLE  # noqa: PLR2004
    return DeliveryError(f"Slack refused the message: {error}", retryable=retryable)


def _token_error(variable: str, exc: SlackApiError) -> ConfigError | SlackApiError:
    error = _error_name(exc)
    if error in _BAD_TOKEN:
        return ConfigError(
            "environment",
            None,
            variable,
            f"Slack rejected {variable} ({error}): copy it again from the Slack app's settings",
        )
    return exc


def _parts_key(channel: str, thread_ts: str | None, messages: Sequence[SlackMessage]) -> str:
    digest = hashlib.sha256(
        json.dumps([channel, thread_ts, [[m.text, m.blocks] for m in messages]]).encode()
    )
    return digest.hexdigest()
