"""`careline safety scan`: one JSON line per non-blank input line, whatever the input."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from bot.safety.cli import line_text, scan_stream


def run(lines: str) -> list[dict[str, object]]:
    out = io.StringIO()
    assert scan_stream(io.StringIO(lines), out) == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_each_line_gets_crisis_phi_and_redacted_text() -> None:
    records = run("I want to kill myself\ncall me at 555-123-4567\nhello\n")
    assert records == [
        {"crisis": "suicide_self_harm", "phi": [], "redacted": "I want to kill myself"},
        {"crisis": None, "phi": ["PHONE"], "redacted": "call me at [PHONE]"},
        {"crisis": None, "phi": [], "redacted": "hello"},
    ]


def test_a_json_object_line_is_read_as_its_text() -> None:
    records = run('{"text": "my email is a@example.com", "id": 3}\n')
    assert records == [{"crisis": None, "phi": ["EMAIL"], "redacted": "my email is [EMAIL]"}]


def test_blank_lines_are_skipped() -> None:
    assert len(run("\n   \nhi\n\n")) == 1


def test_invalid_json_and_other_json_values_are_read_as_plain_text() -> None:
    records = run('{not json\n"a string"\n{"text": 5}\n[1, 2]\n')
    assert [r["redacted"] for r in records] == ["{not json", '"a string"', '{"text": 5}', "[1, 2]"]


def test_odd_characters_do_not_break_the_output() -> None:
    assert line_text('{"text": "a \\ud800 b"}\n') == "a ? b"
    records = run("emoji 💊 and \x00 nul\n")
    assert records[0]["redacted"] == "emoji 💊 and \x00 nul"


def test_the_command_streams_json_lines_from_stdin() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "safety", "scan"],
        input=b'I took 30 pills\n\n{"text": "SSN 123-45-6789"}\n\xff broken bytes\n',
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [r["crisis"] for r in records] == ["overdose_poisoning", None, None]
    assert records[1]["redacted"] == "SSN [SSN]"
