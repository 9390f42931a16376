"""paribus.record(): cheap to import, finds the project, writes last-run.json, never raises."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from paribus.recording import find_project_root, record

CARD = '[project]\nname = "demo"\n\n[tool.paribus]\nlog = "logs/runs.yaml"\n'


def make_project(root: Path) -> Path:
    (root / "pyproject.toml").write_text(CARD)
    (root / "logs").mkdir()
    log = root / "logs" / "runs.yaml"
    log.write_text("- id: b1\n  kind: baseline  # first\n")
    return log


def test_importing_record_pulls_in_nothing_heavy() -> None:
    code = (
        "import sys; from paribus import record; import paribus.recording\n"
        "print(sorted(m for m in ('pandas', 'pydantic', 'ruamel', 'ruamel.yaml', 'numpy', 'yaml',"
        " 'pygls', 'lsprotocol') if m in sys.modules))"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert output.stdout.strip() == "[]"


def test_record_fills_the_log_named_by_the_card_from_a_subfolder(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    log = make_project(tmp_path)
    (tmp_path / "src").mkdir()
    monkeypatch.chdir(tmp_path / "src")
    outcome = record(train_f1=0.8, val_f1=0.7)
    assert outcome.entry_id == "b1"
    assert log.read_text() == (
        "- id: b1\n  kind: baseline  # first\n  result: {train_f1: 0.8, val_f1: 0.7}\n"
    )
    last_run = json.loads((tmp_path / "logs" / ".paribus" / "last-run.json").read_text())
    assert last_run["metrics"] == {"train_f1": 0.8, "val_f1": 0.7}
    assert "timestamp" in last_run
    assert capsys.readouterr().out.strip().startswith("paribus: recorded b1: train_f1 0.8, val_f1 0.7")


def test_paribus_toml_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(CARD)
    (tmp_path / "paribus.toml").write_text('log = "other.yaml"\n')
    root, card = find_project_root(tmp_path)
    assert root == tmp_path and card["log"] == "other.yaml"


def test_without_project_or_pending_entry_record_reports_and_returns(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(tmp_path / "train.py")])
    assert record(val_f1=0.5) is None
    assert "result not recorded" in capsys.readouterr().out

    log = make_project(tmp_path)
    log.write_text("- id: b1\n  kind: baseline\n  result: {val_f1: 0.4}\n")
    assert record(val_f1=0.5) is None
    assert "no pending entry" in capsys.readouterr().out
    # The metrics are kept for the editor's *Record result* even when no entry took them.
    assert (tmp_path / "logs" / ".paribus" / "last-run.json").exists()
