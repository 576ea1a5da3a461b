"""Push N questions through the core on SQLite and PostgreSQL; report questions/s and latency.

Latency is inbound → outbox: from `Core.submit(inbound)` until the question, its decision and its
outbox rows are committed (what the patient waits for before anything can be sent). Delivery
throughput (outbox → a null adapter) is reported separately.

    .venv/bin/python benchmarks/workflow.py                 # 10,000 questions, both matchers
    .venv/bin/python benchmarks/workflow.py -n 2000 --matcher fast --db sqlite

Matchers: `fast` answers by exact lookup (isolates the core + store), `real` is
`bot.matching.matcher.build_matcher` over `knowledge/`. Safety: `bot.safety.scan` when installed
(else pass-through, said in the output); rate limits are off (one process playing 500 users).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.app import build_core, build_matcher, build_safety  # noqa: E402
from bot.handlers import SafetyKit  # noqa: E402
from bot.knowledge.entry import Entry  # noqa: E402
from bot.matching.types import Candidate, Decision, MatchResult  # noqa: E402
from bot.messages import Actor, DeliveryReceipt, Inbound, Outbound  # noqa: E402
from bot.ports import SystemClock  # noqa: E402
from bot.settings import Settings, load_settings  # noqa: E402
from bot.store.db import make_engine  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
USERS = 500


class FastMatcher:
    """Exact lookup of a known question: the cheapest matcher that still answers."""

    def __init__(self, entries: list[Entry]) -> None:
        self._by_text = {e.question.lower(): e for e in entries}
        self._entries = {e.id: e for e in entries}

    def match(self, text: str, *, limit: int = 5) -> MatchResult:
        entry = self._by_text.get(text.lower())
        if entry is None:
            return MatchResult(text, Decision.ESCALATE)
        return MatchResult(text, Decision.ANSWER, (Candidate(entry.id, 1.0, entry.question),))

    def entry(self, entry_id: str) -> Entry | None:
        return self._entries.get(entry_id)

    def upsert(self, entry: Entry) -> None:
        self._entries[entry.id] = entry


class NullAdapter:
    """Accepts every delivery at once."""

    name = "bench"

    def __init__(self) -> None:
        self.count = 0

    async def start(self, submit: object) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def deliver(self, message: Outbound, ref: str | None = None) -> DeliveryReceipt:
        self.count += 1
        return DeliveryReceipt(ref=f"r{self.count}")


def questions(entries: list[Entry], n: int, seed: int = 7) -> list[str]:
    """A mix: 60% FAQ questions or their phrasings, 25% reworded, 15% unknown (escalated)."""
    rng = random.Random(seed)
    unknown = [
        "my knee clicks when I climb stairs",
        "is it normal to feel dizzy after a long run",
        "can I drink coffee while taking my thyroid tablets",
        "why do my fingers go white in the cold",
        "does swimming help lower back pain",
    ]
    out = []
    for i in range(n):
        roll = rng.random()
        entry = rng.choice(entries)
        if roll < 0.6:
            out.append(rng.choice(entry.phrasings))
        elif roll < 0.85:
            words = entry.question.rstrip("?").split()
            rng.shuffle(words)
            out.append("hi, " + " ".join(words[: max(3, len(words) - 2)]))
        else:
            out.append(f"{rng.choice(unknown)} (case {seed}-{i})")
    return out


@dataclass
class Result:
    db: str
    matcher: str
    concurrency: int
    n: int
    seconds: float
    latencies: list[float]
    delivered: int
    deliver_seconds: float

    def line(self) -> str:
        lat = sorted(self.latencies)
        p50 = statistics.median(lat) * 1000
        p99 = lat[int(len(lat) * 0.99) - 1] * 1000
        return (
            f"| {self.db:<10} | {self.matcher:<5} | {self.concurrency:>2} | {self.n:>6} | "
            f"{self.n / self.seconds:>6.0f} | "
            f"{p50:>7.2f} | {p99:>7.2f} | {self.delivered / self.deliver_seconds:>9.0f} |"
        )


async def run_one(  # noqa: PLR0917
    settings: Settings, url: str, db: str, kind: str, n: int, safety: SafetyKit, concurrency: int
) -> Result:
    from bot.knowledge.configured import load_configured

    kb, _ = load_configured(settings)
    entries = kb.approved
    matcher = FastMatcher(entries) if kind == "fast" else build_matcher(settings)
    engine = make_engine(url)
    core = build_core(settings, clock=SystemClock(), engine=engine, matcher=matcher, safety=safety)
    adapter = NullAdapter()
    # Each run asks its own questions, so no run profits from another's warm caches.
    texts = questions(entries, n, seed=zlib.crc32(f"{db}/{kind}/{concurrency}".encode()))
    # A running bot is warm: load models and caches before the clock starts.
    for text in questions(entries, 50, seed=1):
        matcher.match(text)
    latencies: list[float] = []
    gate = asyncio.Semaphore(concurrency)

    async def one(i: int, text: str) -> None:
        user = i % USERS
        inbound = Inbound(
            "bench",
            f"e{i}",
            Actor("bench", f"u{user}", f"User {user}"),
            "ask",
            text=text,
            message_id=f"m{i}",
        )
        async with gate:
            t0 = time.perf_counter()
            await core.submit(inbound)
            latencies.append(time.perf_counter() - t0)

    start = time.perf_counter()
    await asyncio.gather(*(one(i, text) for i, text in enumerate(texts)))
    seconds = time.perf_counter() - start
    core.attach(adapter)
    t0 = time.perf_counter()
    await core.outbox.drain()
    deliver_seconds = time.perf_counter() - t0
    core.close()
    engine.dispose()
    return Result(db, kind, concurrency, n, seconds, latencies, adapter.count, deliver_seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000, help="questions per run")
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--matcher", choices=("fast", "real", "both"), default="both")
    parser.add_argument(
        "--concurrency", type=int, nargs="+", default=[1, 16], help="events in flight"
    )
    args = parser.parse_args()
    settings = load_settings()
    safety = build_safety(settings, SystemClock(), __import__("bot.i18n").i18n.load_catalog("en"))
    safety = SafetyKit(safety.scan, safety.neutralise, safety.crisis_reply, lambda *_: None)
    try:
        __import__("bot.safety", fromlist=["scan"]).scan  # noqa: B018
        scan_note = "bot.safety.scan (real)"
    except AttributeError:
        scan_note = "pass-through (bot.safety.scan not installed)"
    print(f"{args.n} questions per run; safety scan: {scan_note}; rate limits off")
    print("| database | matcher | in flight | questions | q/s | p50 ms | p99 ms | delivered/s |")
    print("| -------- | ------- | --: | -----: | -----: | ------: | ------: | --------: |")
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    kinds = ["fast", "real"] if args.matcher == "both" else [args.matcher]
    for db in dbs:
        for kind in kinds:
            for flight in args.concurrency:
                if db == "sqlite":
                    with tempfile.TemporaryDirectory() as folder:
                        url = f"sqlite:///{folder}/bench.db"
                        result = asyncio.run(
                            run_one(settings, url, "SQLite WAL", kind, args.n, safety, flight)
                        )
                else:
                    result = asyncio.run(run_postgres(settings, kind, args.n, safety, flight))
                print(result.line(), flush=True)
    return 0


async def run_postgres(
    settings: Settings, kind: str, n: int, safety: SafetyKit, concurrency: int
) -> Result:
    import uuid

    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = f"{PG_URL}?options=-csearch_path%3D{schema}"
        return await run_one(settings, url, "PostgreSQL", kind, n, safety, concurrency)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
