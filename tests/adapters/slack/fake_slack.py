"""A local fake of Slack's Web API and Socket Mode endpoint, plus request signing for tests.

`FakeSlack` is an aiohttp server on 127.0.0.1 (random port). Point an `AsyncWebClient` at
`fake.api_url`; every method call is recorded as a `Call` and answered the way Slack answers
(`{"ok": true, …}`), unless a failure was scripted with `fail_next` / `rate_limit_next`.
`apps.connections.open` returns a websocket URL on the same server, where the fake speaks
Socket Mode: it says hello, pushes the envelopes tests give it, and records the acks.
See tests/adapters/slack/README.md.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_USER_ID = "UCARELINE"
BOT_ID = "BCARELINE"
TEAM_ID = "T0CARE"
SIGNING_SECRET = "test-signing-secret"


@dataclass
class Call:
    """One Web API call as Slack would have received it."""

    method: str
    params: dict[str, Any]
    token: str | None
    status: int = 200
    response: dict[str, Any] = field(default_factory=dict)


@dataclass
class Scripted:
    """A canned answer for the next call of one method."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class FakeSlack:
    """The fake server. Use as ``async with FakeSlack() as fake:``."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.usergroups: dict[str, list[str]] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.envelopes: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.acks: list[dict[str, Any]] = []
        self.socket_connections = 0
        self._scripted: dict[str, list[Scripted]] = defaultdict(list)
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._sockets: set[web.WebSocketResponse] = set()
        self.port = 0

    async def __aenter__(self) -> FakeSlack:
        application = web.Application()
        application.router.add_route("*", "/api/{method}", self._api)
        application.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(application, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        """The base URL to give `AsyncWebClient(base_url=...)`."""
        return f"http://127.0.0.1:{self.port}/api/"

    # -------------------------------------------------------------- scripting

    def fail_next(self, method: str, error: str, *, status: int = 200) -> None:
        """The next call of `method` answers ``{"ok": false, "error": error}``."""
        self._scripted[method].append(Scripted(status, {"ok": False, "error": error}))

    def rate_limit_next(self, method: str, retry_after: int = 3) -> None:
        """The next call of `method` answers HTTP 429 with `Retry-After`, like Slack's limiter."""
        self._scripted[method].append(
            Scripted(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)})
        )

    def script(self, method: str, *answers: Scripted) -> None:
        """Answer the next calls of `method` with `answers`, in order."""
        self._scripted[method].extend(answers)

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        """The parameters of every recorded call to `method`, in order."""
        return [c.params for c in self.calls if c.method == method]

    def posted(self) -> list[dict[str, Any]]:
        """Every message posted (public, ephemeral or updated), with the method name added."""
        kinds = ("chat.postMessage", "chat.postEphemeral", "chat.update")
        return [{"method": c.method, **c.params} for c in self.calls if c.method in kinds]

    # -------------------------------------------------------------- Web API

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        raw = await request.read()
        if raw:
            if request.content_type == "application/json":
                params.update(json.loads(raw))
            else:
                params.update(dict(urllib.parse.parse_qsl(raw.decode())))
        for key in ("blocks", "view", "attachments"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        token = request.headers.get("Authorization", "").removeprefix("Bearer ") or None
        call = Call(method, params, token)
        self.calls.append(call)
        if self._scripted[method]:
            canned = self._scripted[method].pop(0)
            call.status, call.response = canned.status, canned.body
            return web.json_response(canned.body, status=canned.status, headers=canned.headers)
        problems = block_kit_problems(method, params)
        if problems:
            # Slack refuses a malformed message or view as a whole, like this.
            call.response = {"ok": False, "error": _INVALID[method], "errors": problems}
        else:
            call.response = self._answer(method, params)
        return web.json_response(call.response)

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        match method:
            case "auth.test":
                return {
                    "ok": True,
                    "url": "https://careline-test.slack.com/",
                    "team": "Careline Test",
                    "user": "careline",
                    "team_id": TEAM_ID,
                    "user_id": BOT_USER_ID,
                    "bot_id": BOT_ID,
                }
            case "chat.postMessage":
                ts = self._next_ts()
                channel = params.get("channel", "")
                return {"ok": True, "channel": channel, "ts": ts, "message": {"ts": ts}}
            case "chat.postEphemeral":
                return {"ok": True, "message_ts": self._next_ts()}
            case "chat.update":
                return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts")}
            case "conversations.open":
                return {"ok": True, "channel": {"id": "D" + str(params.get("users", ""))[1:]}}
            case "views.open" | "views.publish":
                return {"ok": True, "view": {"id": "V0FAKE", **params.get("view", {})}}
            case "usergroups.users.list":
                group = params.get("usergroup", "")
                if group not in self.usergroups:
                    return {"ok": False, "error": "no_such_subteam"}
                return {"ok": True, "users": self.usergroups[group]}
            case "users.info":
                user = params.get("user", "")
                if user not in self.users:
                    return {"ok": False, "error": "user_not_found"}
                return {"ok": True, "user": self.users[user]}
            case "apps.connections.open":
                return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}
            case _:
                return {"ok": False, "error": "unknown_method"}

    # -------------------------------------------------------------- Socket Mode

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.add(ws)
        self.socket_connections += 1
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": 1,
                "debug_info": {"host": "fake-slack", "approximate_connection_time": 3600},
                "connection_info": {"app_id": "A0CARE"},
            }
        )
        sender = asyncio.ensure_future(self._send_envelopes(ws))
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    self.acks.append(json.loads(message.data))
        finally:
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)
            self._sockets.discard(ws)
        return ws

    async def _send_envelopes(self, ws: web.WebSocketResponse) -> None:
        while not ws.closed:
            envelope = await self.envelopes.get()
            await ws.send_json(envelope)

    async def push(self, payload_type: str, payload: dict[str, Any], **extra: Any) -> str:
        """Send one Socket Mode envelope; returns its envelope id."""
        envelope_id = f"env-{len(self.acks)}-{time.monotonic_ns()}"
        await self.envelopes.put(
            {
                "envelope_id": envelope_id,
                "type": payload_type,
                "payload": payload,
                "accepts_response_payload": payload_type != "events_api",
                **extra,
            }
        )
        return envelope_id

    async def wait_ack(self, envelope_id: str, within: float = 5.0) -> dict[str, Any]:
        """The ack Careline sent for `envelope_id`."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            for ack in self.acks:
                if ack.get("envelope_id") == envelope_id:
                    return ack
            await asyncio.sleep(0.01)
        raise AssertionError(f"no ack for {envelope_id}; acks: {self.acks}")


_INVALID = {
    "chat.postMessage": "invalid_blocks",
    "chat.postEphemeral": "invalid_blocks",
    "chat.update": "invalid_blocks",
    "views.open": "invalid_arguments",
    "views.publish": "invalid_arguments",
}
_TEXT_TYPES = {"plain_text", "mrkdwn"}


def block_kit_problems(method: str, params: dict[str, Any]) -> list[str]:
    """What Slack would reject in a message's blocks or a view (its documented limits)."""
    if method not in _INVALID:
        return []
    problems: list[str] = []
    if method.startswith("views."):
        view = params.get("view") or {}
        blocks = view.get("blocks") or []
        if view.get("type") == "modal":
            for key in ("title", "submit", "close"):
                _text(view.get(key), f"view.{key}", 24, problems, plain=True)
            if len(view.get("callback_id", "")) > 255:
                problems.append("view.callback_id: over 255 characters")
            if len(view.get("private_metadata", "")) > 3000:
                problems.append("view.private_metadata: over 3000 characters")
        limit = 100
    else:
        blocks = params.get("blocks") or []
        if len(params.get("text") or "") > 40_000:
            problems.append("text: over 40000 characters")
        if not blocks and not params.get("text"):
            problems.append("no_text")
        limit = 50
    if len(blocks) > limit:
        problems.append(f"blocks: {len(blocks)} blocks, at most {limit}")
    action_ids: list[str] = []
    for index, block in enumerate(blocks):
        _block(block, f"blocks[{index}]", problems, action_ids)
    if len(action_ids) != len(set(action_ids)):
        problems.append("action_id: duplicates in one message or view")
    return problems


def _text(obj: Any, where: str, limit: int, problems: list[str], *, plain: bool = False) -> None:
    if not isinstance(obj, dict) or obj.get("type") not in _TEXT_TYPES:
        problems.append(f"{where}: not a text object")
        return
    if plain and obj["type"] != "plain_text":
        problems.append(f"{where}: must be plain_text")
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        problems.append(f"{where}: empty text")
    elif len(text) > limit:
        problems.append(f"{where}: {len(text)} characters, at most {limit}")


def _block(block: dict[str, Any], where: str, problems: list[str], ids: list[str]) -> None:
    kind = block.get("type")
    if kind == "section":
        if "text" not in block and "fields" not in block:
            problems.append(f"{where}: a section needs text or fields")
        if "text" in block:
            _text(block["text"], f"{where}.text", 3000, problems)
        fields = block.get("fields", [])
        if len(fields) > 10:
            problems.append(f"{where}.fields: {len(fields)}, at most 10")
        for n, item in enumerate(fields):
            _text(item, f"{where}.fields[{n}]", 2000, problems)
    elif kind == "header":
        _text(block.get("text"), f"{where}.text", 150, problems, plain=True)
    elif kind == "context":
        elements = block.get("elements") or []
        if not 1 <= len(elements) <= 10:
            problems.append(f"{where}.elements: {len(elements)}, need 1 to 10")
        for n, item in enumerate(elements):
            _text(item, f"{where}.elements[{n}]", 3000, problems)
    elif kind == "actions":
        elements = block.get("elements") or []
        if not 1 <= len(elements) <= 25:
            problems.append(f"{where}.elements: {len(elements)}, need 1 to 25")
        for n, button in enumerate(elements):
            here = f"{where}.elements[{n}]"
            if button.get("type") != "button":
                problems.append(f"{here}: not a button")
            _text(button.get("text"), f"{here}.text", 75, problems, plain=True)
            action = button.get("action_id", "")
            if not action or len(action) > 255:
                problems.append(f"{here}.action_id: missing or over 255 characters")
            ids.append(action)
            if len(button.get("value", "")) > 2000:
                problems.append(f"{here}.value: over 2000 characters")
            if button.get("style", "primary") not in {"primary", "danger"}:
                problems.append(f"{here}.style: {button.get('style')!r}")
    elif kind == "input":
        _text(block.get("label"), f"{where}.label", 2000, problems, plain=True)
        element = block.get("element") or {}
        if element.get("type") != "plain_text_input" or not element.get("action_id"):
            problems.append(f"{where}.element: needs a plain_text_input with an action_id")
    elif kind != "divider":
        problems.append(f"{where}: unknown block type {kind!r}")


def sign(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    """Slack's request-signing headers for `body` (v0 HMAC-SHA256 of ``v0:ts:body``)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}
