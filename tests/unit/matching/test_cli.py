"""`careline kb match`: the JSON-lines contract used by the benchmark and outside evaluations."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.matching.dual import DualEmbedder

from .conftest import ROOT

CSV = (
    "id,question,answer\n"
    'fever-child,"When should I take my child to the doctor for a fever?",See a doctor.\n'
    "flu-vaccine,Who should get the yearly flu vaccine?,Everyone from 6 months.\n"
    "migraine,What can I take for a migraine headache?,Pain relievers.\n"
)


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One embedding cache for the module: the same KBs are not encoded twice."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, cache_dir: Path, model: DualEmbedder) -> None:
    # `model` loads the sentence model once per session before the CLI asks for it.
    monkeypatch.setenv("CARELINE_MATCHING__CACHE_DIR", str(cache_dir))
    monkeypatch.chdir(ROOT)


def run(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    kb: Path,
    stdin: str,
    *extra: str,
) -> tuple[int, list[dict[str, object]], str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["kb", "match", "--kb", str(kb), *extra])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


@pytest.fixture
def csv_kb(tmp_path: Path) -> Path:
    path = tmp_path / "kb.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_csv_kb_plain_json_and_empty_lines_give_one_object_per_line_in_order(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], csv_kb: Path
) -> None:
    stdin = 'my kid has a fever\n\n{"query": "who needs\\na flu shot?"}\n'
    code, lines, err = run(monkeypatch, capsys, csv_kb, stdin)
    assert code == 0
    assert [line["query"] for line in lines] == ["my kid has a fever", "", "who needs\na flu shot?"]
    first = lines[0]
    assert first["decision"] in {"answer", "suggest", "escalate"}
    matches = first["matches"]
    assert isinstance(matches, list)
    assert matches[0] == {"id": "fever-child", "score": matches[0]["score"]}
    assert all(0.0 <= m["score"] <= 1.0 for m in matches)
    assert [m["score"] for m in matches] == sorted((m["score"] for m in matches), reverse=True)
    assert lines[1] == {"query": "", "decision": "escalate", "matches": []}
    assert lines[2]["matches"][0]["id"] == "flu-vaccine"  # type: ignore[index]
    assert "3 entries" in err


def test_explain_adds_each_candidates_signals_and_matched_phrasing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], csv_kb: Path
) -> None:
    _, lines, _ = run(monkeypatch, capsys, csv_kb, "migraine pills?\n", "--explain")
    best = lines[0]["matches"][0]  # type: ignore[index]
    assert best["matched"] == "What can I take for a migraine headache?"
    assert {"cosine", "fuzzy", "confidence", "conflict_body"} <= set(best["signals"])


def test_very_long_and_non_english_queries_are_answered_with_a_line_each(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], csv_kb: Path
) -> None:
    long_query = "fever " * 5000
    stdin = f"{long_query}\n¿Cuándo debo llevar a mi hijo al médico por fiebre?\n发烧怎么办\n"
    code, lines, _ = run(monkeypatch, capsys, csv_kb, stdin)
    assert code == 0
    assert len(lines) == 3
    assert lines[0]["query"] == long_query
    assert lines[2]["query"] == "发烧怎么办"
    assert all(len(line["matches"]) == 3 for line in lines)  # type: ignore[arg-type]


def test_an_empty_kb_escalates_every_query(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("id,question\n", encoding="utf-8")
    code, lines, _ = run(monkeypatch, capsys, empty, "hello\nfever\n")
    assert code == 0
    assert lines == [
        {"query": "hello", "decision": "escalate", "matches": []},
        {"query": "fever", "decision": "escalate", "matches": []},
    ]


def test_a_csv_missing_a_column_is_a_clear_error_naming_file_and_column(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,text\na,b\n", encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("fever\n"))
    assert main(["kb", "match", "--kb", str(bad)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert str(bad) in err
    assert "question" in err


def test_a_missing_kb_path_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["kb", "match", "--kb", str(tmp_path / "nope.csv")]) == 2
    assert "nope.csv" in capsys.readouterr().err


def test_a_knowledge_folder_is_matched_with_its_synonyms(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    for name in ("allergies.yaml", "synonyms.yaml"):  # a small real folder keeps the test fast
        shutil.copy(ROOT / "knowledge" / name, folder / name)
    code, lines, err = run(monkeypatch, capsys, folder, "what helps with hay fever\n", "--explain")
    assert code == 0
    assert lines[0]["matches"][0]["id"] == "hay-fever"  # type: ignore[index]
    assert "entries from" in err
