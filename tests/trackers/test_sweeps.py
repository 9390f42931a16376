"""Runs of one sweep (a Hydra multirun, MLflow child runs of one parent) become `poc` entries."""

from __future__ import annotations

import subprocess
import sys

import yaml
from stores import environment, installed

import pytest


def read_log(folder):
    return yaml.safe_load((folder / "experiments.yaml").read_text())


def test_a_hydra_multirun_becomes_poc_entries_after_the_single_runs(project, cli) -> None:
    folder = project("hydra")
    done = subprocess.run([sys.executable, "train.py", "-m", "optimizer.lr=0.01,0.1"], cwd=folder, env=environment(folder, "hydra"), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    code, out, _ = cli("import", "hydra", cwd=folder)
    assert code == 0, out
    entries = read_log(folder)
    assert [e["kind"] for e in entries] == ["baseline", "experiment", "experiment", "experiment", "poc", "poc"]
    first, second = entries[4:]
    # The sweep starts from the last single run (nearest), its second job from the first job.
    assert (first["parent"], first["change"]) == ("e3", {"optimizer.lr": [0.0003, 0.01]})
    assert (second["parent"], second["change"]) == (first["id"], {"optimizer.lr": [0.01, 0.1]})
    assert first["source"].startswith("hydra:multirun/") and first["source"].endswith("/0")
    code, out, _ = cli("check", "--select", "PB103", cwd=folder)
    assert out.count("PB103") == 1  # the sweep's entries may change several things; e2 still can't


SWEEP = """\
import mlflow

with mlflow.start_run(run_name="search") as parent:
    for lr in (0.1, 0.01):
        with mlflow.start_run(run_name=f"lr={lr}", nested=True):
            mlflow.log_params({"learning_rate": lr, "batch_size": 32})
            mlflow.log_metric("val_loss", lr * 10)
    mlflow.log_metric("val_loss", 0.1)
"""


def test_mlflow_child_runs_of_one_parent_are_a_sweep_and_the_parent_is_left_out(tmp_path, cli) -> None:
    if not installed("mlflow"):
        pytest.skip("mlflow is not installed")
    folder = tmp_path / "sweep"
    folder.mkdir()
    done = subprocess.run([sys.executable, "-c", SWEEP], cwd=folder, env=environment(folder, "mlflow"), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    code, out, _ = cli("import", "mlflow", cwd=folder)
    assert code == 0, out
    assert "1 parent runs of a sweep (their children are imported)" in out
    entries = read_log(folder)
    assert [e["kind"] for e in entries] == ["baseline", "poc"]
    assert entries[0]["params"] == {"batch_size": 32, "learning_rate": 0.1}
    assert entries[1]["change"] == {"learning_rate": [0.1, 0.01]}
    assert entries[1]["run_name"] == "lr=0.01"


AGENT_RUNS = """\
import wandb

for lr in (0.1, 0.01, 0.001):
    run = wandb.init(project="search", config={"learning_rate": lr, "batch_size": 32})
    run.log({"val_loss": lr * 10})
    run.finish()
"""


def test_wandb_runs_of_one_sweep_become_poc_entries(tmp_path, cli) -> None:
    if not installed("wandb"):
        pytest.skip("wandb is not installed")
    folder = tmp_path / "agent"
    folder.mkdir()
    env = {**environment(folder, "wandb"), "WANDB_SWEEP_ID": "q1w2e3r4"}  # what a sweep agent sets for its runs
    done = subprocess.run([sys.executable, "-c", AGENT_RUNS], cwd=folder, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    code, out, _ = cli("import", "wandb", cwd=folder)
    assert code == 0, out
    entries = read_log(folder)
    assert [e["kind"] for e in entries] == ["baseline", "poc", "poc"]
    assert [e.get("change") for e in entries[1:]] == [{"learning_rate": [0.1, 0.01]}, {"learning_rate": [0.01, 0.001]}]
