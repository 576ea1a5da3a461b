"""Inbound → dedup → safety → rate limit → handler → outbox: the one place that catches broadly."""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import replace

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from bot import commands as c
from bot.errors import UnknownCommandError, UserError
from bot.handlers import HANDLERS, Context, MatcherPort, SafetyKit, crisis_record
from bot.i18n import Catalog
from bot.messages import Channel, Content, Inbound, Reply, Role
from bot.outbox import DbThread, Outbox
from bot.ports import Clock
from bot.safety.types import ScanResult
from bot.settings import Settings
from bot.store.db import session_scope
from bot.store.uow import Tx, pseudonym

log = logging.getLogger(__name__)

RECENT_EVENTS = 10_000


class Dispatcher:
    """Turns each inbound event into committed state and queued outbound actions."""

    def __init__(
        self,
        *,
        settings: Settings,
        catalog: Catalog,
        engine: Engine,
        clock: Clock,
        db: DbThread,
        matcher: MatcherPort,
        safety: SafetyKit,
        outbox: Outbox,
        secret: bytes,
        raise_errors: bool = False,
    ) -> None:
        self._settings = settings
        self._catalog = catalog
        self._engine = engine
        self._clock = clock
        self._db = db
        self._matcher = matcher
        self._safety = safety
        self._outbox = outbox
        self._secret = secret
        self._raise = raise_errors
        # Events seen by this process: a platform retry of a crisis message must not be
        # answered twice, and that check cannot wait for the database.
        self._recent: OrderedDict[tuple[str, str], None] = OrderedDict()

    async def handle(self, inbound: Inbound) -> None:
        """Handle one event; never raises (unless built with `raise_errors` for tests)."""
        key = (inbound.platform, inbound.event_id)
        if key in self._recent:
            log.info("dropping repeated event %s/%s", *key)
            return
        self._recent[key] = None
        if len(self._recent) > RECENT_EVENTS:
            self._recent.popitem(last=False)
        if inbound.received_at is None:
            inbound = replace(inbound, received_at=self._clock.now())
        try:
            await self._handle(inbound)
        except Exception:
            log.exception("failed to handle event %s/%s", *key)
            if self._raise:
                raise
            await self._apologise(inbound)
        self._outbox.kick()

    async def _handle(self, inbound: Inbound) -> None:
        try:
            command: c.Command | None = c.parse(inbound, self._catalog)
        except UnknownCommandError as exc:
            await self._db(self._commit, inbound, None, None, str(exc))
            return
        scan: ScanResult | None = None
        if isinstance(command, c.Ask) and inbound.thread and _reviewer(inbound):
            command = await self._db(self._thread_command, inbound, command)
            if command is None:
                return  # discussion in a card's thread: nothing to do
        if isinstance(command, c.Ask | c.Faq):
            text = command.text if isinstance(command, c.Ask) else command.query
            scan = self._safety.scan(text)
            if scan.crisis is not None:
                await self._crisis(inbound, scan)
                return
            limit = self._settings.safety.max_input_chars
            if len(text) > limit:
                message = self._catalog("workflow.too_long", length=len(text), limit=limit)
                await self._db(self._commit, inbound, None, None, message)
                return
        user_key = pseudonym(self._secret, inbound.platform, inbound.actor.user_id)
        kind = "question" if isinstance(command, c.Ask) else "command"
        wait = self._safety.rate_check(user_key, inbound.channel, kind)
        if wait is not None:
            message = self._catalog("workflow.rate_limited", seconds=max(1, round(wait)))
            await self._db(self._commit, inbound, None, None, message)
            return
        await self._db(self._commit, inbound, command, scan, None)

    def _commit(
        self,
        inbound: Inbound,
        command: c.Command | None,
        scan: ScanResult | None,
        error: str | None,
    ) -> None:
        """One transaction: the event, the handler's writes, and its outbox rows."""
        source = f"in:{inbound.platform}:{inbound.event_id}"
        try:
            with session_scope(self._engine) as session:
                tx = Tx(session, self._clock.now(), source, self._secret)
                if tx.seen(inbound.platform, inbound.event_id):
                    log.info("dropping duplicate event %s", source)
                    return
                tx.record_inbound(inbound.platform, inbound.event_id)
                ctx = self._context(tx, inbound, scan)
                if error is None and command is not None:
                    try:
                        HANDLERS[type(command)](command, ctx)
                    except UserError as exc:
                        error = str(exc)
                        # Handlers check before they write, but drop anything half-done.
                        session.rollback()
                        tx.record_inbound(inbound.platform, inbound.event_id)
                    else:
                        return
                ctx.reply(Content(text=error or ""), private=True)
        except IntegrityError:
            log.info("dropping duplicate event %s (concurrent)", source)

    def _context(self, tx: Tx, inbound: Inbound, scan: ScanResult | None) -> Context:
        return Context(
            settings=self._settings,
            catalog=self._catalog,
            matcher=self._matcher,
            safety=self._safety,
            tx=tx,
            inbound=inbound,
            scan=scan,
        )

    def _thread_command(self, inbound: Inbound, ask: c.Ask) -> c.Command | None:
        """A reviewer's plain message in a card's thread: the claimer's answer, else chat."""
        with session_scope(self._engine) as session:
            tx = Tx(session, self._clock.now(), "thread", self._secret)
            number = tx.escalation_for_ref(inbound.thread or "")
            if number is None:
                return ask
            esc = tx.escalation(number)
            if esc is not None and esc.claimed_by_key == tx.key_of(inbound.actor) and ask.text:
                return c.Answer(number, ask.text)
            return None

    async def _crisis(self, inbound: Inbound, scan: ScanResult) -> None:
        """Emergency resources go out first, straight through the adapter; then we record."""
        content = self._safety.crisis_reply(scan.crisis)  # type: ignore[arg-type]
        reply = Reply(
            Channel(inbound.channel, thread=inbound.thread, reply_to=inbound.message_id),
            content,
            private_to=inbound.actor.user_id if inbound.private else None,
            mention=inbound.actor.user_id,
        )
        sent = await self._outbox.deliver_now(reply)
        try:
            await self._db(self._record_crisis, inbound, scan, None if sent else reply)
        except Exception:
            # The person already has the resources (or the adapter will get them below);
            # losing the reviewer alert is bad but must not hide the reply.
            log.exception("could not record crisis event %s/%s", inbound.platform, inbound.event_id)
            if not sent:
                await self._outbox.deliver_now(reply)

    def _record_crisis(self, inbound: Inbound, scan: ScanResult, unsent: Reply | None) -> None:
        with session_scope(self._engine) as session:
            tx = Tx(
                session,
                self._clock.now(),
                f"in:{inbound.platform}:{inbound.event_id}",
                self._secret,
            )
            if tx.seen(inbound.platform, inbound.event_id):
                return
            tx.record_inbound(inbound.platform, inbound.event_id)
            ctx = self._context(tx, inbound, scan)
            if unsent is not None:
                tx.send(unsent, user_key=ctx.actor_key)
            crisis_record(ctx, scan)

    async def _apologise(self, inbound: Inbound) -> None:
        reply = Reply(
            Channel(inbound.channel, thread=inbound.thread, reply_to=inbound.message_id),
            Content(text=self._catalog("core.sorry")),
            private_to=inbound.actor.user_id,
        )
        await self._outbox.deliver_now(reply)


def _reviewer(inbound: Inbound) -> bool:
    return inbound.actor.has(Role.PHYSICIAN) or inbound.actor.has(Role.MODERATOR)
