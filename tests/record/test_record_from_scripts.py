"""`paribus record` with no pending entry: the entry is made from what the scripts hold now."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from paribus import record
from paribus.cli import main

CARD = 'metric = { name = "val_loss", goal = "min" }\nscripts = ["train.py"]\n'
TRAIN = """\
import argparse

LEARNING_RATE = 6e-4
parser = argparse.ArgumentParser()
parser.add_argument("--batch-size", type=int, default=12)
parser.add_argument("--dropout", type=float, default=0.0)
"""
TODAY = dt.date.today().isoformat()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "paribus.toml").write_text(CARD)
    (tmp_path / "train.py").write_text(TRAIN)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*argv: str, capsys) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_with_no_log_the_run_becomes_a_baseline_with_the_full_snapshot(folder: Path, capsys) -> None:
    code, out, err = run("record", "val_loss=2.85", capsys=capsys)
    assert (code, err) == (0, "")
    assert out.startswith("No pending entry: created b1, a baseline with the scripts' values.\nRecorded b1: val_loss 2.85 in experiments.yaml.\n")
    assert (folder / "experiments.yaml").read_text() == (
        "- id: b1\n"
        "  kind: baseline\n"
        f"  date: {TODAY}\n"
        "  script: train.py\n"
        "  params: {LEARNING_RATE: 0.0006, batch_size: 12, dropout: 0.0}\n"
        "  result: {val_loss: 2.85}\n"
    )


LOG = """\
# nanoGPT-style runs, by hand so far

- id: b1
  kind: baseline
  params: {LEARNING_RATE: 0.0006, batch_size: 12, dropout: 0.0}   # the defaults
  result: {val_loss: 2.85}
"""


def test_after_a_result_a_changed_script_becomes_an_experiment_of_what_differs_without_hypothesis(folder: Path, capsys) -> None:
    (folder / "experiments.yaml").write_text(LOG)
    (folder / "train.py").write_text(TRAIN.replace('default=0.0', 'default=0.1'))
    code, out, _ = run("record", "val_loss=2.71", capsys=capsys)
    assert code == 0
    assert "created e1, an experiment: what changed since b1" in out
    assert "e1 has no hypothesis yet: add the one sentence on why this run exists (PB201)." in out
    assert (folder / "experiments.yaml").read_text() == LOG + (
        "\n"
        "- id: e1\n"
        "  kind: experiment\n"
        f"  date: {TODAY}\n"
        "  script: train.py\n"
        "  parent: b1\n"
        "  change: {dropout: [0, 0.1]}\n"  # values as the other fixes write them (0.0 == 0)
        "  result: {val_loss: 2.71}\n"
    )
    code, out, _ = run("check", "--select", "PB201", capsys=capsys)
    assert "experiments.yaml:8:3: PB201 [warning] experiment e1 has no hypothesis" in out


def test_a_script_at_the_latest_results_state_is_not_recorded_twice(folder: Path, capsys) -> None:
    (folder / "experiments.yaml").write_text(LOG)
    code, _, err = run("record", "val_loss=2.80", capsys=capsys)
    assert code == 1
    assert err == "paribus: no pending entry: train.py is at the state of b1, which has a result already: change a value first, or replace b1's result with --id b1\n"
    assert (folder / "experiments.yaml").read_text() == LOG


def test_a_pending_entry_is_still_the_one_filled(folder: Path, capsys) -> None:
    pending = LOG + "- id: e1\n  kind: experiment\n  change: {dropout: [0.0, 0.1]}\n"
    (folder / "experiments.yaml").write_text(pending)
    code, out, _ = run("record", "val_loss=2.7", capsys=capsys)
    assert code == 0 and "created" not in out
    assert (folder / "experiments.yaml").read_text() == pending + "  result: {val_loss: 2.7}\n"


def test_the_python_api_creates_the_baseline_too(folder: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "argv", [str(folder / "train.py")])
    outcome = record(val_loss=3.1)
    assert (outcome.entry_id, outcome.kind, outcome.created) == ("b1", "baseline", True)
    assert "paribus: recorded b1: val_loss 3.1 (new baseline from the scripts' values) in experiments.yaml" in capsys.readouterr().out
    assert "params: {LEARNING_RATE: 0.0006, batch_size: 12, dropout: 0.0}" in (folder / "experiments.yaml").read_text()


def test_several_scripts_need_the_one_that_ran(folder: Path, capsys) -> None:
    (folder / "paribus.toml").write_text(CARD.replace('["train.py"]', '["train.py", "train_big.py"]'))
    (folder / "train_big.py").write_text("LR = 0.1\n")
    code, _, err = run("record", "val_loss=1", capsys=capsys)
    assert (code, err) == (1, "paribus: several training scripts (train.py, train_big.py): name the one that ran with --script\n")
    code, out, _ = run("record", "--script", "train_big.py", "val_loss=1", capsys=capsys)
    assert code == 0
    assert "  script: train_big.py\n  params: {LR: 0.1}\n" in (folder / "experiments.yaml").read_text()
