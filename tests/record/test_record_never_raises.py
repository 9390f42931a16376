"""`from paribus import record` in a training script: it warns and returns None, never raises."""

from __future__ import annotations

from pathlib import Path

import pytest
from paribus.recording import record

PENDING = "- id: b1\n  kind: baseline\n  params: {lr: 0.1}\n"


def project_with_log(root: Path) -> Path:
    (root / "paribus.toml").write_text('task = "t"\nlog = "experiments.yaml"\n')
    (root / "experiments.yaml").write_text(PENDING)
    return root


@pytest.mark.parametrize("metrics", [
    {"val_f1": "high"}, {"val_f1": object()}, {"val_f1": float("nan")}, {"val_f1": 10**400},
    {"val_f1": True}, {},
])
def test_record_with_bad_metrics_warns_and_returns_none(tmp_path: Path, monkeypatch, capsys, metrics) -> None:
    root = project_with_log(tmp_path)
    monkeypatch.chdir(root)
    assert record(**metrics) is None
    assert "result not recorded" in capsys.readouterr().out
    assert (root / "experiments.yaml").read_text() == PENDING


def test_record_with_a_read_only_log_warns_and_leaves_it(tmp_path: Path, monkeypatch, capsys) -> None:
    root = project_with_log(tmp_path)
    (root / "experiments.yaml").chmod(0o444)
    monkeypatch.chdir(root)
    assert record(val_f1=0.7) is None
    assert "experiments.yaml is read-only" in capsys.readouterr().out
    assert (root / "experiments.yaml").read_text() == PENDING


@pytest.mark.parametrize("card", ['log = "experiments.yaml"\ntask = "unterminated\n', "log = 5\n", "log = [1]\n",
                                  "a = " + "[" * 3000 + "]" * 3000 + "\n"])
def test_record_with_a_broken_card_warns_and_writes_nothing(tmp_path: Path, monkeypatch, capsys, card: str) -> None:
    (tmp_path / "paribus.toml").write_text(card)
    (tmp_path / "experiments.yaml").write_text(PENDING)
    monkeypatch.chdir(tmp_path)
    assert record(val_f1=0.7) is None
    assert "result not recorded" in capsys.readouterr().out
    assert (tmp_path / "experiments.yaml").read_text() == PENDING
