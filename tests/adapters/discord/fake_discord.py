"""A local fake Discord: the REST API and the gateway websocket, on 127.0.0.1, in aiohttp.

discord.py runs unchanged against it: its real `HTTPClient` (aiohttp sessions, rate-limit
buckets, 429 handling), its real gateway client (HELLO, IDENTIFY, heartbeats, READY) and its
real `ConnectionState` parse the JSON this server returns. Tests point discord.py at it with
`Route.BASE` and `DiscordWebSocket.DEFAULT_GATEWAY` (see `conftest.py`), push gateway events
with `dispatch`, and read every REST call the bot made from `calls`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestServer

API = "/api/v10"
EPHEMERAL = 64


def _json(data: Any, status: int, headers: dict[str, str] | None = None) -> web.Response:
    # Exactly Discord's content type: discord.py parses JSON only for "application/json".
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


@dataclass
class Call:
    """One REST request the bot made: method, path (after /api/v10), query and JSON body."""

    method: str
    path: str
    query: dict[str, str]
    json: Any


@dataclass
class Failure:
    """A scripted error answer for the next matching request(s)."""

    method: str
    pattern: re.Pattern[str]
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    times: int


@dataclass
class FakeDiscord:
    """State the fake API keeps: known channels, messages, threads, DMs and every call."""

    bot_user: dict[str, Any]
    application_id: str
    guild: dict[str, Any]
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    identify: dict[str, Any] | None = None
    close_on_identify: int | None = None
    failures: list[Failure] = field(default_factory=list)
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1300000000000000001))
    _socket: web.WebSocketResponse | None = None
    _seq: int = 0
    _server: TestServer | None = None
    _originals: dict[str, str] = field(default_factory=dict)
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    _pending: set[asyncio.Future[None]] = field(default_factory=set)

    # -- server ---------------------------------------------------------------------------------

    async def __aenter__(self) -> FakeDiscord:
        for channel in self.guild["channels"]:
            self.channels[channel["id"]] = channel | {"guild_id": self.guild["id"]}
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API + "/{tail:.*}", self._rest)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)
        if self._socket is not None and not self._socket.closed:
            await self._socket.close()
        if self._server is not None:
            await self._server.close()

    @property
    def base(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.port}"

    @property
    def api_url(self) -> str:
        return self.base + API

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self._server.port if self._server else 0}/gateway"

    def new_id(self) -> str:
        return str(next(self._ids))

    # -- test controls --------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        path_pattern: str,
        status: int,
        body: dict[str, Any],
        *,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` requests matching `method` and `path_pattern` with an error."""
        self.failures.append(
            Failure(method, re.compile(path_pattern), status, body, headers or {}, times)
        )

    def calls_to(self, method: str, path_pattern: str) -> list[Call]:
        """Every recorded call whose method matches and whose path fully matches the pattern."""
        pattern = re.compile(path_pattern)
        return [c for c in self.calls if c.method == method and pattern.fullmatch(c.path)]

    def writes(self) -> list[Call]:
        """The calls that change something (everything but GETs and command sync)."""
        return [
            c
            for c in self.calls
            if c.method != "GET" and not c.path.startswith(f"/applications/{self.application_id}/")
        ]

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway DISPATCH frame, exactly as Discord would."""
        assert self._socket is not None, "the bot is not connected to the fake gateway"
        if self._pending:  # events the fake raised itself (THREAD_CREATE) go first, in order
            await asyncio.gather(*self._pending)
            self._pending.clear()
        await self._send_event(event, data)

    async def _send_event(self, event: str, data: dict[str, Any]) -> None:
        assert self._socket is not None
        self._seq += 1
        await self._socket.send_str(json.dumps({"op": 0, "t": event, "s": self._seq, "d": data}))

    # -- gateway --------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        await socket.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45000}}))
        async for frame in socket:
            if frame.type is not WSMsgType.TEXT:
                continue
            message = json.loads(frame.data)
            if message["op"] == 1:  # heartbeat
                await socket.send_str(json.dumps({"op": 11}))
            elif message["op"] == 2:  # identify
                self.identify = message["d"]
                if self.close_on_identify is not None:
                    await socket.close(code=self.close_on_identify, message=b"refused")
                    break
                await self._ready(socket)
        return socket

    async def _ready(self, socket: web.WebSocketResponse) -> None:
        ready = {
            "v": 10,
            "user": self.bot_user,
            "guilds": [{"id": self.guild["id"], "unavailable": True}],
            "session_id": "fake-session",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": self.application_id, "flags": 0},
        }
        if self.identify and "shard" in self.identify:
            ready["shard"] = self.identify["shard"]
        self._seq += 1
        await socket.send_str(json.dumps({"op": 0, "t": "READY", "s": self._seq, "d": ready}))
        self._seq += 1
        await socket.send_str(
            json.dumps({"op": 0, "t": "GUILD_CREATE", "s": self._seq, "d": self.guild})
        )
        self.connected.set()

    # -- REST -----------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.can_read_body:
            raw = await request.read()
            if request.content_type == "application/json" and raw:
                body = json.loads(raw)
        call = Call(request.method, path, dict(request.query), body)
        self.calls.append(call)
        for failure in self.failures:
            if (
                failure.times > 0
                and failure.method == request.method
                and failure.pattern.fullmatch(path)
            ):
                failure.times -= 1
                return _json(failure.body, failure.status, failure.headers)
        status, payload = self._answer(call)
        if status == 204:
            return web.Response(status=204)
        return _json(payload, status)

    def _answer(self, call: Call) -> tuple[int, Any]:
        method, path, body = call.method, call.path, call.json or {}
        app = self.application_id
        routes: list[tuple[str, str, Any]] = [
            ("GET", r"/users/@me", lambda m: (200, self.bot_user)),
            ("GET", r"/oauth2/applications/@me", lambda m: (200, self._application())),
            ("GET", r"/gateway/bot", lambda m: (200, self._gateway_bot())),
            ("PUT", rf"/applications/{app}(?:/guilds/(\d+))?/commands", self._sync),
            ("POST", r"/channels/(\d+)/messages", lambda m: self._post(m[1], body)),
            ("PATCH", r"/channels/(\d+)/messages/(\d+)", lambda m: self._edit(m[1], m[2], body)),
            ("POST", r"/channels/(\d+)/messages/(\d+)/threads", lambda m: self._thread(m, body)),
            ("POST", r"/users/@me/channels", lambda m: self._dm(body)),
            ("GET", r"/guilds/(\d+)/members/(\d+)", self._member),
            ("POST", r"/interactions/(\d+)/([^/]+)/callback", lambda m: self._callback(m, body)),
            ("POST", rf"/webhooks/{app}/([^/]+)", lambda m: self._followup(m[1], body)),
            (
                "PATCH",
                rf"/webhooks/{app}/([^/]+)/messages/@original",
                lambda m: self._edit_original(m[1], body),
            ),
            (
                "DELETE",
                rf"/webhooks/{app}/([^/]+)/messages/@original",
                lambda m: (204, None) if m[1] in self._originals else (404, {"code": 10015}),
            ),
        ]
        for route_method, pattern, handler in routes:
            match = re.fullmatch(pattern, path)
            if match and route_method == method:
                return handler(match)  # type: ignore[no-any-return]
        return 404, {"message": "404: Not Found", "code": 0}

    def _application(self) -> dict[str, Any]:
        return {
            "id": self.application_id,
            "name": "Careline",
            "description": "",
            "icon": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": self.bot_user,
            "verify_key": "0" * 64,
            "flags": 0,
        }

    def _gateway_bot(self) -> dict[str, Any]:
        return {
            "url": self.gateway_url,
            "shards": 1,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 0,
                "max_concurrency": 1,
            },
        }

    def _sync(self, match: re.Match[str]) -> tuple[int, Any]:
        body = self.calls[-1].json or []
        commands = [
            command
            | {
                "id": self.new_id(),
                "application_id": self.application_id,
                "version": "1",
                "default_member_permissions": None,
                "type": command.get("type", 1),
            }
            | ({"guild_id": match[1]} if match[1] else {})
            for command in body
        ]
        return 200, commands

    def _message(self, channel_id: str, body: dict[str, Any], **extra: Any) -> dict[str, Any]:
        message = {
            "id": self.new_id(),
            "channel_id": channel_id,
            "author": self.bot_user,
            "content": body.get("content") or "",
            "timestamp": "2026-11-25T10:00:00.000000+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": 0,
            "flags": body.get("flags") or 0,
        }
        channel = self.channels.get(channel_id, {})
        if "guild_id" in channel:
            message["guild_id"] = channel["guild_id"]
        message |= extra
        self.messages[message["id"]] = message
        return message

    def _post(self, channel_id: str, body: dict[str, Any]) -> tuple[int, Any]:
        if channel_id not in self.channels:
            return 404, {"message": "Unknown Channel", "code": 10003}
        if "message_reference" in body:
            return 200, self._message(channel_id, body, type=19)
        return 200, self._message(channel_id, body)

    def _edit(self, channel_id: str, message_id: str, body: dict[str, Any]) -> tuple[int, Any]:
        message = self.messages.get(message_id)
        if message is None or message["channel_id"] != channel_id:
            return 404, {"message": "Unknown Message", "code": 10008}
        for key in ("content", "embeds", "components"):
            if key in body:
                message[key] = (
                    body[key] if body[key] is not None else ([] if key != "content" else "")
                )
        message["edited_timestamp"] = "2026-11-25T10:01:00.000000+00:00"
        return 200, message

    def _thread(self, match: re.Match[str], body: dict[str, Any]) -> tuple[int, Any]:
        channel_id, message_id = match[1], match[2]
        message = self.messages.get(message_id)
        if message is None or message["channel_id"] != channel_id:
            return 404, {"message": "Unknown Message", "code": 10008}
        if message_id in self.channels:
            return 400, {
                "message": "A thread has already been created for this message",
                "code": 160004,
            }
        thread = {
            "id": message_id,
            "type": 11,
            "guild_id": self.guild["id"],
            "parent_id": channel_id,
            "owner_id": self.bot_user["id"],
            "name": body.get("name", ""),
            "last_message_id": None,
            "message_count": 0,
            "member_count": 1,
            "rate_limit_per_user": 0,
            "flags": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": body.get("auto_archive_duration", 1440),
                "archive_timestamp": "2026-11-25T10:00:00.000000+00:00",
                "locked": False,
            },
        }
        self.channels[message_id] = thread
        # Discord tells the bot about the thread it just made, as a gateway event.
        if self._socket is not None:
            created = thread | {"newly_created": True}
            self._pending.add(asyncio.ensure_future(self._send_event("THREAD_CREATE", created)))
        return 201, thread

    def _member(self, match: re.Match[str]) -> tuple[int, Any]:
        user_id = match[2]
        if match[1] != self.guild["id"] or user_id not in self.members:
            return 404, {"message": "Unknown Member", "code": 10007}
        return 200, {
            "user": self.users[user_id],
            "roles": self.members[user_id],
            "joined_at": "2026-11-02T09:00:00.000000+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
        }

    def _dm(self, body: dict[str, Any]) -> tuple[int, Any]:
        user_id = str(body["recipient_id"])
        for channel in self.channels.values():
            if channel.get("type") == 1 and channel["recipients"][0]["id"] == user_id:
                return 200, channel
        user = self.users.get(user_id)
        if user is None:
            return 400, {"message": "Invalid Recipient(s)", "code": 50033}
        channel = {"id": self.new_id(), "type": 1, "recipients": [user], "last_message_id": None}
        self.channels[channel["id"]] = channel
        return 200, channel

    def _callback(self, match: re.Match[str], body: dict[str, Any]) -> tuple[int, Any]:
        interaction_id, token = match[1], match[2]
        kind = body.get("type")
        data = body.get("data") or {}
        if kind in (4, 5):  # message or "thinking…" placeholder: it becomes @original
            self._originals[token] = self.new_id()
        return 200, {
            "interaction": {
                "id": interaction_id,
                "type": 2,
                "response_message_id": self._originals.get(token),
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool((data.get("flags") or 0) & EPHEMERAL),
            },
            "resource": {"type": kind},
        }

    def _followup(self, token: str, body: dict[str, Any]) -> tuple[int, Any]:
        channel_id = self._interaction_channel.get(token, self.guild["channels"][0]["id"])
        return 200, self._message(channel_id, body, webhook_id=self.application_id)

    def _edit_original(self, token: str, body: dict[str, Any]) -> tuple[int, Any]:
        original = self._originals.get(token)
        if original is None:
            return 404, {"message": "Unknown Webhook", "code": 10015}
        channel_id = self._interaction_channel.get(token, self.guild["channels"][0]["id"])
        message = self.messages.get(original) or self._message(channel_id, {}, id=original)
        self.messages[original] = message
        for key in ("content", "embeds", "components", "flags"):
            if key in body:
                message[key] = body[key]
        return 200, message

    _interaction_channel: dict[str, str] = field(default_factory=dict)

    def expect_interaction(self, token: str, channel_id: str) -> None:
        """Remember where an interaction happened (its followups land there)."""
        self._interaction_channel[token] = channel_id
