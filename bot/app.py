"""The composition root: settings, store, matcher, safety and adapter wired into one `Core`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import logging
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from bot.dispatcher import Dispatcher
from bot.errors import ConfigError
from bot.handlers import MatcherPort, SafetyKit, card_content, on_sent, run_timers
from bot.i18n import Catalog, load_catalog
from bot.learning import load_promoted
from bot.messages import Actor, Content, Inbound, Role
from bot.outbox import DbThread, Outbox
from bot.ports import Adapter, Clock, Submit, SystemClock
from bot.safety.types import CrisisCategory
from bot.settings import Settings, load_settings
from bot.store.db import make_engine, session_scope
from bot.store.migrate import ensure_schema
from bot.store.models import Escalation
from bot.store.uow import Tx, install_secret

log = logging.getLogger(__name__)

ADAPTERS = {
    "console": "adapters.console.adapter:ConsoleAdapter",
    "discord": "adapters.discord.adapter:DiscordAdapter",
    "slack": "adapters.slack.adapter:SlackAdapter",
    "web": "adapters.web.adapter:WebAdapter",
}
TICK_SECONDS = 30.0
RETENTION_EVERY = timedelta(hours=1)
DRAIN_SECONDS = 30.0
POSTGRES_DB_THREADS = 4


@dataclass(eq=False)
class Core:
    """The running core: feed it with `submit`, let `outbox` deliver, `tick` the timers."""

    settings: Settings
    engine: Engine
    clock: Clock
    catalog: Catalog
    db: DbThread
    matcher: MatcherPort
    safety: SafetyKit
    outbox: Outbox
    dispatcher: Dispatcher
    secret: bytes
    owns_engine: bool = True
    _last_retention: datetime | None = field(default=None, repr=False)

    async def submit(self, inbound: Inbound) -> None:
        """The callback adapters call for every platform event."""
        await self.dispatcher.handle(inbound)

    def attach(self, adapter: Adapter) -> None:
        """Deliver outbound actions through `adapter`."""
        self.outbox.attach(adapter)

    async def tick(self) -> dict[str, int]:
        """Run the timers once: auto-release, expiry, consent timeout, retention (hourly)."""
        counts = await self.db(self._tick)
        self.outbox.kick()
        return counts

    def _tick(self) -> dict[str, int]:
        from bot.privacy import retention

        now = self.clock.now()
        with session_scope(self.engine) as session:
            tx = Tx(session, now, f"tick:{now.isoformat()}", self.secret)
            counts = run_timers(tx, self.settings, self.catalog, self.safety)
        if self._last_retention is None or now - self._last_retention >= RETENTION_EVERY:
            with session_scope(self.engine) as session:
                tx = Tx(session, now, f"retention:{now.isoformat()}", self.secret)
                purged = retention(tx, self.settings)
            self._last_retention = now
            counts |= {f"purged_{k}": v for k, v in purged.items()}
        return counts

    async def run_timers(self, stop: asyncio.Event, every: float = TICK_SECONDS) -> None:
        """Tick until stopped; a failing tick is logged and retried next time."""
        while not stop.is_set():
            try:
                await self.tick()
            except Exception:
                log.exception("timer tick failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=every)

    async def home_cards(self, actor: Actor) -> tuple[list[Content], list[Content]] | None:
        """A reviewer's overview: (escalations they hold, open ones) as reviewer cards.

        None for someone who sees no escalations (patients). Adapters with a home screen
        (Slack App Home) get this as their `home_query`.
        """
        if not (actor.has(Role.PHYSICIAN) or actor.has(Role.MODERATOR)):
            return None
        return await self.db(self._home_cards, actor)

    def _home_cards(self, actor: Actor) -> tuple[list[Content], list[Content]]:
        with session_scope(self.engine) as session:
            tx = Tx(session, self.clock.now(), "home", self.secret)
            key = tx.key_of(actor)
            waiting = tx.open_escalations(limit=50)

            def card(esc: Escalation) -> Content:
                question = tx.question(esc.question_id)
                return card_content(esc, question, self.catalog, self.safety)

            mine = [card(e) for e in waiting if e.claimed_by_key == key and e.state != "open"]
            open_ = [card(e) for e in waiting if e.state == "open"]
            return mine, open_

    def faq_choices(self, typed: str, limit: int = 25) -> list[tuple[str, str]]:
        """Knowledge-base questions close to what someone is typing, for autocomplete.

        Each choice is (question shown, text searched); nothing until three characters are typed,
        so half a word does not flood the list.
        """
        if len(typed.strip()) < 3:  # noqa: PLR2004
            return []
        choices = []
        for candidate in self.matcher.match(typed, limit=limit).candidates:
            entry = self.matcher.entry(candidate.entry_id)
            if entry is not None:
                choices.append((entry.question, entry.question))
        return choices

    def close(self) -> None:
        """Stop the database thread and release connections."""
        self.db.close()
        if self.owns_engine:
            self.engine.dispose()


# ------------------------------------------------------------------ building


def build_safety(settings: Settings, clock: Clock, catalog: Catalog) -> SafetyKit:
    """The safety layer's functions, bound to this community's region, locale and limits."""
    from bot.safety import scan
    from bot.safety.model import shipped_model
    from bot.safety.ratelimit import RateLimiter
    from bot.safety.resources import crisis_reply, phi_notice, reviewer_alert
    from bot.safety.sanitise import neutralise, neutralise_mentions

    shipped_model()  # a missing or damaged model fails at start, not on someone's first message
    region, locale = settings.community.region, settings.community.locale
    limiter = RateLimiter(settings.safety.rate_limits, clock)

    def reply(category: CrisisCategory) -> Content:
        return crisis_reply(category, region, settings.safety.resources, locale)

    def rate_check(user_key: str, channel: str, kind: str) -> float | None:
        return limiter.check(user_key, channel, kind)  # type: ignore[arg-type]

    return SafetyKit(
        scan=scan,
        neutralise=neutralise,
        crisis_reply=reply,
        rate_check=rate_check,
        neutralise_mentions=neutralise_mentions,
        reviewer_alert=lambda category: reviewer_alert(category, region, locale),
        phi_notice=lambda kinds: phi_notice(kinds, locale),
    )


def build_matcher(settings: Settings) -> MatcherPort:
    """The configured knowledge base in the real matcher."""
    from bot.knowledge.configured import load_configured
    from bot.matching.matcher import build_matcher as make

    kb, synonyms = load_configured(settings)
    return make(kb.approved, settings.matching, synonyms)


def build_core(
    settings: Settings,
    *,
    clock: Clock | None = None,
    engine: Engine | None = None,
    matcher: MatcherPort | None = None,
    safety: SafetyKit | None = None,
    raise_errors: bool = False,
) -> Core:
    """Wire a core: migrate the store, load the knowledge base (and promoted entries).

    Args:
        settings: all settings.
        clock: the clock (tests pass a fake one).
        engine: an engine to use instead of `settings.database_url` (not disposed by the core).
        matcher: a matcher to use instead of the configured knowledge base.
        safety: safety functions to use instead of `bot.safety`.
        raise_errors: re-raise unexpected handler errors (tests) instead of apologising.
    """
    clock = clock or SystemClock()
    owns = engine is None
    engine = engine or make_engine(settings.database_url)
    ensure_schema(engine, auto_migrate=settings.storage.auto_migrate)
    catalog = load_catalog(settings.community.locale)
    secret = install_secret(engine)
    matcher = matcher or build_matcher(settings)
    for entry in load_promoted(engine):
        matcher.upsert(entry)
    safety = safety or build_safety(settings, clock, catalog)
    db = DbThread(POSTGRES_DB_THREADS if engine.dialect.name == "postgresql" else 1)

    def sent_hook(tx: Tx, tag: str) -> None:
        on_sent(tx, tag, catalog, safety)

    outbox = Outbox(
        engine,
        clock,
        db,
        secret=secret,
        max_attempts=settings.workflow.outbox_max_attempts,
        on_sent=sent_hook,
    )
    if engine.dialect.name == "sqlite":
        outbox.forget_leases()
    dispatcher = Dispatcher(
        settings=settings,
        catalog=catalog,
        engine=engine,
        clock=clock,
        db=db,
        matcher=matcher,
        safety=safety,
        outbox=outbox,
        secret=secret,
        raise_errors=raise_errors,
    )
    return Core(
        settings, engine, clock, catalog, db, matcher, safety, outbox, dispatcher, secret, owns
    )


def load_adapter(name: str, settings: Settings, **options: Any) -> Adapter:
    """Import an adapter by name (`console`) or dotted path (`pkg.mod:Class`) and build it.

    Raises:
        ConfigError: the adapter is not installed, or `from_settings` found a setting missing.
    """
    path = ADAPTERS.get(name, name)
    module_name, _, class_name = path.partition(":")
    try:
        module = importlib.import_module(module_name)
        cls = getattr(module, class_name)
    except (ImportError, AttributeError):
        log.debug("cannot import adapter %s", path, exc_info=True)
        message = load_catalog(settings.community.locale)("core.adapter_not_ready", adapter=name)
        raise ConfigError("--adapter", None, "", message) from None
    adapter: Adapter = cls.from_settings(settings, **options)
    return adapter


async def run(
    settings: Settings,
    adapter: Adapter,
    *,
    core: Core | None = None,
    settle: bool = False,
    hold_delivery: float = 0.0,
) -> None:
    """Serve one adapter until it stops (the console stops at end of input).

    Args:
        settings: all settings.
        adapter: the platform adapter.
        core: a prebuilt core (tests); built from `settings` otherwise.
        settle: after each event deliver what it caused before taking the next (console:
            keeps a transcript in order).
        hold_delivery: seconds to hold every delivery after start (crash-recovery tests).
    """
    core = core or build_core(settings)
    core.attach(adapter)
    if hasattr(adapter, "home_query"):
        adapter.home_query = core.home_cards
    if hasattr(adapter, "faq_lookup"):
        adapter.faq_lookup = core.faq_choices
    if hold_delivery:
        core.outbox.hold(hold_delivery)
    stop = asyncio.Event()
    tasks = [
        asyncio.create_task(core.outbox.run(stop)),
        asyncio.create_task(core.run_timers(stop)),
    ]

    async def settled(inbound: Inbound) -> None:
        await core.submit(inbound)
        await core.outbox.drain()

    submit: Submit = settled if settle else core.submit
    try:
        await adapter.start(submit)
        await core.outbox.drain(wait_for_retries=DRAIN_SECONDS)
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        await adapter.stop()
        core.close()


# ------------------------------------------------------------------ CLI entry points


def _settings(args: argparse.Namespace, *, log_level: bool = False) -> Settings:
    settings = load_settings(getattr(args, "config", None))
    if log_level and not getattr(args, "verbose", False):
        # The console's output is the conversation: only a platform run logs at INFO.
        logging.getLogger().setLevel(settings.logging.level)
    return settings


def run_main(args: argparse.Namespace) -> int:
    """`careline run [--adapter NAME] [--http] [--port N]`."""
    name = getattr(args, "adapter", "console") or "console"
    settings = _settings(args, log_level=name != "console")
    options: dict[str, Any] = {}
    if getattr(args, "http", False):
        options["http"] = True
    if getattr(args, "port", None):
        options["port"] = args.port
    adapter = load_adapter(name, settings, **options)
    asyncio.run(run(settings, adapter, settle=name == "console"))
    return 0


def console_main(args: argparse.Namespace) -> int:
    """`careline console`: chat in the terminal, or pipe lines in."""
    from os import environ

    settings = _settings(args)
    adapter = load_adapter("console", settings)
    # Crash-recovery tests hold deliveries so a kill lands after the commit, before sending.
    hold = float(environ.get("CARELINE_TEST_HOLD_DELIVERY", "0") or 0)
    asyncio.run(run(settings, adapter, settle=not hold, hold_delivery=hold))
    return 0


def demo_main(args: argparse.Namespace) -> int:
    """`careline demo`: a scripted community session showing every path."""
    from bot.demo import play

    settings = _settings(args)
    code: int = asyncio.run(play(settings, sys.stdout))
    return code
