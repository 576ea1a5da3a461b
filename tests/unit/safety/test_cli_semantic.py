"""`careline safety scan --semantic`: the second stage behind the rules, in batches."""

from __future__ import annotations

import argparse
import io
import json
import os
import threading
from collections.abc import Sequence

import pytest

from bot.safety import cli
from bot.safety.cli import _batches, scan_main, scan_stream
from bot.safety.types import CrisisCategory

INDIRECT = "I've been cutting again and tonight it went way deeper than I meant"
ODD = "the snow outside is getting deeper"  # the fake stage's "crisis"; the rules pass it


class FakeStage:
    """Flags texts containing "deeper"; records each batch it is given."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def __call__(self, texts: Sequence[str]) -> list[CrisisCategory | None]:
        self.batches.append(list(texts))
        return [CrisisCategory.SUICIDE_SELF_HARM if "deeper" in t else None for t in texts]


def run(lines: str, stage: FakeStage) -> list[dict[str, object]]:
    out = io.StringIO()
    assert scan_stream(io.StringIO(lines), out, stage) == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_only_lines_the_rules_pass_go_to_the_second_stage_redacted() -> None:
    stage = FakeStage()
    records = run(f"I took 30 pills\n\n{ODD}\nmail me at a@example.com\n", stage)
    assert [(r["crisis"], r["stage"]) for r in records] == [
        ("overdose_poisoning", "rules"),
        ("suicide_self_harm", "semantic"),
        (None, None),
    ]
    assert records[2]["redacted"] == "mail me at [EMAIL]"
    assert stage.batches == [[ODD, "mail me at [EMAIL]"]]


def test_a_file_is_read_in_full_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "CHUNK", 4)
    stage = FakeStage()
    out = io.StringIO()
    read, write = os.pipe()
    with os.fdopen(write, "w") as handle:
        handle.write("".join(f"question {n}\n" for n in range(10)))
    with os.fdopen(read) as stdin:
        scan_stream(stdin, out, stage)
    assert len(out.getvalue().splitlines()) == 10
    assert sum(map(len, stage.batches)) == 10
    assert all(len(batch) <= 4 for batch in stage.batches)


def test_a_live_pipe_gets_each_line_without_waiting_for_a_full_batch() -> None:
    read, write = os.pipe()
    with os.fdopen(read) as stdin, os.fdopen(write, "w") as handle:
        batches = _batches(stdin, 64)
        handle.write("first\n")
        handle.flush()
        got: list[list[str]] = []
        reader = threading.Thread(target=lambda: got.append(next(batches)))
        reader.start()
        reader.join(timeout=10)
        assert got == [["first\n"]], "the first line came back while the pipe stayed open"
        handle.close()
        assert list(batches) == []


def test_without_the_flag_the_scan_is_rules_only(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{INDIRECT}\n"))
    assert scan_main(argparse.Namespace()) == 0
    record = json.loads(capsys.readouterr().out)
    assert "stage" not in record


def test_with_the_flag_the_real_model_and_head_flag_indirect_wording(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{INDIRECT}\nmy knee hurts after running\n"))
    assert scan_main(argparse.Namespace(semantic=True, config=None)) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records[0]["crisis"] == "suicide_self_harm"
    assert records[0]["stage"] in {"rules", "semantic"}
    assert (records[1]["crisis"], records[1]["stage"]) == (None, None)
