"""The real `careline console` and `careline demo` commands, as a user runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def careline(*args: str, stdin: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARELINE_")}
    env.pop("DATABASE_URL", None)
    env["CARELINE_STORAGE__SQLITE_PATH"] = str(tmp_path / "careline.db")
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_piped_question_is_answered_from_the_sample_knowledge_base(tmp_path: Path) -> None:
    done = careline("console", stdin="how do I get a refill\n", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("[ask] Careline: **How do I get a prescription refill?**")
    assert "General information, not medical advice" in done.stdout
    assert "Traceback" not in done.stderr


def test_the_console_plays_a_whole_escalation_from_a_pipe(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "patient:ann> /ask zzzz qqqq xxxx",
            "physician:lee> /claim 1",
            "physician:lee@1> Please describe it in words.",
            "moderator:mo> /approve 1",
            "/frobnicate",
            "",
        ]
    )
    done = careline("console", stdin=script, tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "[reviewers] Careline: **#1: question from the community**" in out
    assert "[thread:1] Careline: lee claimed this question." in out
    assert "[ask] Careline: **Answer from a professional to your question #1**" in out
    assert "Please describe it in words." in out
    assert "[dm:mo] Careline: Unknown command `frobnicate`" in out


def test_the_demo_shows_every_path(tmp_path: Path) -> None:
    done = careline("demo", stdin="", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for expected in [
        "=== 1. A question the FAQ answers at once",
        "Thank you for your feedback.",
        "Answer from a professional to your question #",
        "The answer was sent back by mo",
        "Added to the FAQ as `promoted-",
        "Only a moderator can approve",
        "Usage: /claim N",
        "kim released this question.",
        "The claim by kim timed out",
        "was closed by the care team: Out of scope",
        "no professional could answer your question",
        "Erased: 1 question(s)",
        "Careline statistics",
    ]:
        assert expected in out, expected
    assert not (tmp_path / "careline.db").exists(), "the demo must not touch the real database"
