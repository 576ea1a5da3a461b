"""`careline kb validate | stats | import | export` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.knowledge.loader import load_knowledge

ENTRY = """\
entries:
  - id: refill
    question: How do I get a refill?
    alternates: [renew my prescription]
    answer: Use the patient portal.
    sources:
      - {title: MedlinePlus, url: "https://medlineplus.gov/"}
    tags: [clinic]
    reviewed_by: Dr Example
    reviewed_on: 2026-06-01
    status: approved
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with a one-entry knowledge base and default settings."""
    (tmp_path / "knowledge").mkdir()
    (tmp_path / "knowledge" / "clinic.yaml").write_text(ENTRY)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CARELINE_CONFIG", raising=False)
    return tmp_path


def test_validate_passes_on_a_good_knowledge_base(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kb", "validate"]) == 0
    assert "OK: 1 entries in 1 file(s)" in capsys.readouterr().out


def test_validate_lists_every_error_and_exits_1(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "knowledge" / "bad.yaml").write_text("entries:\n  - id: x\n    status: nope\n")
    assert main(["kb", "validate", "knowledge"]) == 1
    err = capsys.readouterr().err
    assert "knowledge/bad.yaml:2: question: required field is missing" in err
    assert "knowledge/bad.yaml:3: status: expected one of draft, approved, retired" in err
    assert "nothing was loaded" in err


def test_stats_counts_entries_by_status_and_tag(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kb", "stats"]) == 0
    out = capsys.readouterr().out
    assert "by status: draft 0, approved 1, retired 0" in out
    assert "clinic" in out


def test_import_writes_drafts_and_reports_rejected_rows(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project / "faq.csv"
    source.write_text(
        "question,answer,tags,source_url\n"
        "How long is flu contagious?,About a week.,infections,https://www.cdc.gov/flu\n"
        "No answer here?,,,\n"
        "Is this link ok?,Yes.,,http://insecure.example\n"
        "How do I get a refill?,Call us.,,\n"
    )
    assert main(["kb", "import", str(source)]) == 0
    captured = capsys.readouterr()
    assert f"{source}:3: answer: required column is missing or empty (row rejected)" in captured.err
    assert f"{source}:4: sources[0].url: not an https URL (row rejected)" in captured.err
    assert "Imported 2 draft entries" in captured.out
    kb = load_knowledge(project / "knowledge")
    imported = {e.id: e for e in kb.entries if e.status.value == "draft"}
    assert set(imported) == {"how-long-is-flu-contagious", "how-do-i-get-a-refill"}
    assert imported["how-long-is-flu-contagious"].tags == ("infections",)


def test_import_reads_jsonl_and_reports_bad_lines(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project / "faq.jsonl"
    source.write_text(
        json.dumps({"question": "Can I eat before a blood test?", "answer": "Ask the lab."})
        + "\n{not json\n"
        + json.dumps(["a list"])
        + "\n"
    )
    assert main(["kb", "import", str(source)]) == 0
    err = capsys.readouterr().err
    assert f"{source}:2: not valid JSON" in err
    assert f"{source}:3: not a JSON object (row rejected)" in err


def test_import_of_a_file_without_the_needed_columns_imports_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project / "faq.csv"
    source.write_text("title,body\nA,B\n")
    assert main(["kb", "import", str(source)]) == 1
    assert f"{source}:2: question: required column is missing" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "yaml"])
def test_export_writes_every_entry(
    project: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    assert main(["kb", "export", "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "How do I get a refill?" in out
    assert "https://medlineplus.gov/" in out


def test_yaml_export_reads_back_as_the_same_entries(project: Path) -> None:
    assert main(["kb", "export", "--format", "yaml", "--out", "out/all.yaml"]) == 0
    original = load_knowledge(project / "knowledge").entries
    assert load_knowledge(project / "out" / "all.yaml").entries == original


def test_a_closed_pipe_ends_the_command_quietly(project: Path) -> None:
    import subprocess
    import sys

    reader = subprocess.Popen(  # a reader that stops after the first line, like `| head -1`
        [sys.executable, "-c", "import sys; sys.stdin.readline()"], stdin=subprocess.PIPE
    )
    entries = "".join(ENTRY.replace("id: refill", f"id: refill-{n}") for n in range(1500))
    (project / "knowledge" / "clinic.yaml").write_text(
        "entries:\n" + entries.replace("entries:\n", "")
    )
    writer = subprocess.run(
        [sys.executable, "-m", "bot", "kb", "export", "--format", "csv"],
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        cwd=project,
        env={"PYTHONPATH": str(Path(__file__).resolve().parents[3])},
    )
    assert reader.stdin is not None
    reader.stdin.close()
    reader.wait()
    assert "Traceback" not in writer.stderr
    assert writer.returncode == 0
