"""`paribus import` on stores the real trackers wrote: four runs, then the rules on the result.

The runs are a baseline, one change (learning rate), two changes (batch size and dropout)
and one change (hidden size); train.py (Hydra: conf/config.yaml) holds the last run's values.
"""

from __future__ import annotations

import json
import subprocess

import pytest
import yaml
from stores import CHANGES, RUNS, val_acc, val_loss

KINDS = ["mlflow", "mlflow-sqlite", "wandb", "hydra", "dvc"]
# What each tracker calls the four values: the script's names, Hydra's dotted config paths.
HYDRA_NAMES = {"learning_rate": "optimizer.lr", "batch_size": "batch_size", "dropout": "model.dropout", "hidden": "model.hidden"}
# Where two values are edited for PB101: (file, {name as written: new value}).
EDITS = {
    "hydra": ("conf/config.yaml", {"  dropout: 0.3": "  dropout: 0.5", "batch_size: 64": "batch_size: 16"}),
}
DEFAULT_EDIT = ("train.py", {"DROPOUT = 0.3": "DROPOUT = 0.5", "BATCH_SIZE = 64": "BATCH_SIZE = 16"})


def source_of(kind: str) -> str:
    return "mlflow" if kind.startswith("mlflow") else kind


def names(kind: str) -> dict[str, str]:
    return HYDRA_NAMES if kind == "hydra" else {name: name for name in RUNS[0]}


def read_log(folder):
    return yaml.safe_load((folder / "experiments.yaml").read_text())


def commit_of_run(folder, number: int) -> str:
    return subprocess.run(["git", "log", "--all", "--format=%H", f"--grep=^run {number}:"], cwd=folder, capture_output=True, text=True, check=True).stdout.split()[0]


@pytest.mark.parametrize("kind", KINDS)
def test_import_writes_a_baseline_and_three_experiments_in_run_order(kind, project, cli) -> None:
    folder = project(kind)
    code, out, err = cli("import", source_of(kind), cwd=folder)
    assert (code, err) == (0, ""), out
    entries = read_log(folder)
    assert [entry["kind"] for entry in entries] == ["baseline", "experiment", "experiment", "experiment"]
    assert [entry["id"] for entry in entries] == ["b1", "e1", "e2", "e3"]
    assert [entry.get("parent") for entry in entries] == [None, "b1", "e1", "e2"]
    named = names(kind)
    assert {named[name]: value for name, value in RUNS[0].items()}.items() <= entries[0]["params"].items()
    for entry, values, previous, changed in zip(entries[1:], RUNS[1:], RUNS, CHANGES[1:]):
        assert entry["change"] == {named[name]: [previous[name], values[name]] for name in changed}
    for entry, values in zip(entries, RUNS):
        assert entry["result"]["val_loss"] == pytest.approx(val_loss(values))
        assert entry["result"]["val_acc"] == pytest.approx(val_acc(values))
        assert entry["source"].startswith(source_of(kind) + ":")
        assert "date" in entry
    assert len({entry["source"] for entry in entries}) == 4
    if kind != "hydra":  # Hydra keeps no commit; the others ran in a repository
        committed = entries[:3] if kind == "dvc" else entries  # DVC's last run is not committed yet
        assert [entry["commit"] for entry in committed] == [commit_of_run(folder, number) for number in range(1, len(committed) + 1)]
        if kind == "dvc":
            assert "commit" not in entries[3]


def test_dvc_experiments_found_by_dvc_exp_show_are_the_same_runs_imported_once(project, cli, monkeypatch) -> None:
    import sys
    from pathlib import Path

    folder = project("dvc")
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}:{__import__('os').environ['PATH']}")
    code, out, _ = cli("import", "dvc", cwd=folder)
    assert code == 0, out
    entries = read_log(folder)
    assert [entry["id"] for entry in entries] == ["b1", "e1", "e2", "e3"]
    # dvclive saved each run as a DVC experiment too: the last one's commit is that experiment's
    kind = subprocess.run(["git", "cat-file", "-t", entries[3]["commit"]], cwd=folder, capture_output=True, text=True).stdout.strip()
    assert kind == "commit"
    refs = subprocess.run(["git", "for-each-ref", "--format=%(objectname)", "refs/exps"], cwd=folder, capture_output=True, text=True).stdout.split()
    assert entries[3]["commit"] in refs


@pytest.mark.parametrize("kind", KINDS)
def test_a_second_import_adds_nothing(kind, project, cli) -> None:
    folder = project(kind)
    cli("import", source_of(kind), cwd=folder)
    before = (folder / "experiments.yaml").read_bytes()
    code, out, _ = cli("import", source_of(kind), cwd=folder)
    assert code == 0
    assert "already in the log: 4" in out and "Nothing new to import" in out
    assert (folder / "experiments.yaml").read_bytes() == before


@pytest.mark.parametrize("kind", KINDS)
def test_check_reports_pb103_on_the_two_change_run_only_and_pb101_on_two_edited_values(kind, project, cli) -> None:
    folder = project(kind)
    cli("import", source_of(kind), cwd=folder)
    code, out, _ = cli("check", "--format", "json", cwd=folder)
    findings = json.loads(out)
    log_lines = (folder / "experiments.yaml").read_text().splitlines()
    e2_start = log_lines.index("- id: e2")
    e2_change = next(number for number, line in enumerate(log_lines, 1) if number > e2_start and line.startswith("  change:"))
    assert [(f["path"], f["line"]) for f in findings if f["code"] == "PB103"] == [("experiments.yaml", e2_change)]
    assert not [f for f in findings if f["code"] in ("PB101", "PB102")]  # the script is at the last run's values

    path, replacements = EDITS.get(kind, DEFAULT_EDIT)
    text = (folder / path).read_text()
    for old, new in replacements.items():
        assert text.count(old) == 1
        text = text.replace(old, new)
    (folder / path).write_text(text)
    edited = [number for number, line in enumerate(text.splitlines(), 1) if any(new in line for new in replacements.values())]
    code, out, _ = cli("check", "--select", "PB101", "--format", "json", cwd=folder)
    assert code == 1
    assert sorted((f["path"], f["line"]) for f in json.loads(out)) == [(path, line) for line in edited]


@pytest.mark.parametrize("kind, said", [
    ("mlflow", "1 still running or crashed, skipped"),
    ("mlflow-sqlite", "1 still running or crashed, skipped"),
    ("wandb", "1 still running or crashed, skipped"),
    ("hydra", "1 without a metrics file (crashed or still running?), skipped"),
])
def test_a_run_that_crashed_half_way_is_left_out_and_said(kind, said, generated, cli) -> None:
    folder = generated(kind)
    code, out, _ = cli("import", source_of(kind), "--dry-run", cwd=folder)
    assert code == 0
    assert f"left out: {said}" in out
    assert "Would import 4 runs" in out
    assert not (folder / "experiments.yaml").exists()
