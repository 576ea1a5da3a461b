"""Kill -9 between accepting a question and delivering the answer: the restart delivers it once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.support.databases import postgres_schema_url

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "how do I get a prescription refill"
ANSWER_TITLE = "[ask] Careline: **How do I get a prescription refill?**"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'careline.db'}"
    else:
        with postgres_schema_url() as url:
            yield url


def _env(url: str, hold: float) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARELINE_")}
    env |= {
        "DATABASE_URL": url,
        "CARELINE_TEST_HOLD_DELIVERY": str(hold),
        "PYTHONUNBUFFERED": "1",
    }
    return env


def _console(url: str, hold: float, out: Path, stdin: int | None) -> subprocess.Popen[bytes]:
    with out.open("wb") as sink, (out.with_suffix(".err")).open("wb") as errors:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "console"],
            cwd=ROOT,
            env=_env(url, hold),
            stdin=stdin,
            stdout=sink,
            stderr=errors,
        )


def _pending_replies(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(
                    text("SELECT count(*) FROM outbox WHERE status = 'pending' AND kind = 'reply'")
                ).scalar_one()
            )
    except Exception:
        return 0
    finally:
        engine.dispose()


def test_a_killed_bot_delivers_the_accepted_answer_exactly_once_after_restart(
    database_url: str, tmp_path: Path
) -> None:
    first_out = tmp_path / "first.txt"
    first = _console(database_url, 120, first_out, subprocess.PIPE)
    assert first.stdin is not None
    first.stdin.write(f"{QUESTION}\n".encode())
    first.stdin.flush()
    deadline = time.monotonic() + 30
    while _pending_replies(database_url) == 0:
        assert first.poll() is None, "the bot exited before accepting the question"
        assert time.monotonic() < deadline, "the question was never accepted"
        time.sleep(0.1)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    first.stdin.close()
    assert ANSWER_TITLE not in first_out.read_text()

    second_out = tmp_path / "second.txt"
    second = _console(database_url, 0, second_out, subprocess.DEVNULL)
    assert second.wait(timeout=60) == 0, (tmp_path / "second.err").read_text()
    assert second_out.read_text().count(ANSWER_TITLE) == 1
    assert _pending_replies(database_url) == 0

    third_out = tmp_path / "third.txt"
    third = _console(database_url, 0, third_out, subprocess.DEVNULL)
    assert third.wait(timeout=60) == 0
    assert ANSWER_TITLE not in third_out.read_text()
