"""A new user's first hour, exactly as the walkthrough tells it, on a fresh folder.

init → fill the card → scaffold a baseline → run it → its result lands in the log → the
workflow moves on to error analysis. Every step runs the installed commands as a user would.
On pure noise the same steps end with the baseline at chance — even when luck puts it a few
points above on the 30 dev examples — and the workflow and PB403 say so.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

pytest.importorskip("sklearn")

PYTHON = sys.executable
PARIBUS = str(Path(sys.executable).with_name("paribus"))
ROWS_PER_CLASS = 200
LOG_COMMENT = "# Heart study: one change at a time."
PARAMS_COMMENT = "# first try, nothing tuned"


def paribus(folder: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([PARIBUS, *argv], cwd=folder, capture_output=True, text=True, check=False)


def write_patients(folder: Path, *, learnable: bool, seed: int) -> None:
    """Balanced healthy/sick patients; when learnable, blood pressure and cholesterol tell them apart."""
    rng = np.random.default_rng(seed)
    diagnoses = np.repeat(["healthy", "sick"], ROWS_PER_CLASS)
    sick = (diagnoses == "sick") if learnable else np.zeros(len(diagnoses), dtype=bool)
    with open(folder / "patients.csv", "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["patient", "age", "blood_pressure", "cholesterol", "smoker", "diagnosis"])
        for index in rng.permutation(len(diagnoses)):
            writer.writerow([
                f"p{index:03d}", int(rng.integers(30, 80)),
                round(rng.normal(125 + 20 * sick[index], 10), 1),
                round(rng.normal(5.0 + 1.2 * sick[index], 0.6), 2),
                rng.choice(["yes", "no"]), diagnoses[index],
            ])


def fill_card(card: Path) -> None:
    """What the user types into the TODOs of the drafted card."""
    text = card.read_text()
    for todo, filled in {
        'task = ""': 'task = "Tell sick from healthy patients from routine measurements"',
        'inputs = ""': 'inputs = "age, blood pressure, cholesterol, smoker"',
        'outputs = ""': 'outputs = "healthy | sick"',
        "target = 0.0": "target = 0.85",
    }.items():
        assert todo in text
        text = text.replace(todo, filled, 1)
    card.write_text(text)


def annotate_log(log: Path) -> None:
    """The user's own comments, which recording a result must keep."""
    text = log.read_text()
    text = LOG_COMMENT + "\n" + text.replace("\n  params:", f"\n  {PARAMS_COMMENT}\n  params:", 1)
    log.write_text(text)


def start_project(folder: Path, *, learnable: bool, seed: int = 20261120) -> dict:
    """Run the walkthrough up to the recorded baseline; return the baseline entry."""
    write_patients(folder, learnable=learnable, seed=seed)

    init = paribus(folder, "init")
    assert init.returncode == 0, init.stderr
    assert "  data type   tabular\n" in init.stdout
    assert "  chance      0.5 (macro F1 of guessing by the class shares of 'diagnosis' in patients.csv (1/2))\n" in init.stdout
    assert "Fill in:\n  task " in init.stdout
    assert "PB002" in paribus(folder, "check").stdout  # the card still has TODOs
    fill_card(folder / "paribus.toml")
    assert "PB002" not in paribus(folder, "check").stdout

    scaffold = paribus(folder, "scaffold", "baseline", "--data", "patients.csv", "--label", "diagnosis")
    assert scaffold.returncode == 0, scaffold.stderr
    assert scaffold.stdout.startswith("Created baseline.py (tabular baseline) and entry b1 in experiments.yaml.\n")
    assert "Run it:  python baseline.py\n" in scaffold.stdout
    annotate_log(folder / "experiments.yaml")

    run = subprocess.run([PYTHON, "baseline.py"], cwd=folder, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert "paribus: recorded b1: train_f1 " in run.stdout
    assert (folder / "runs" / "latest" / "predictions.csv").is_file()
    assert json.loads((folder / ".paribus" / "last-run.json").read_text())["script"] == "baseline.py"

    log_text = (folder / "experiments.yaml").read_text()
    assert log_text.startswith(LOG_COMMENT + "\n- id: b1\n")
    assert f"  {PARAMS_COMMENT}\n  params: {{SAMPLES: 100," in log_text
    (baseline,) = yaml.safe_load(log_text)
    assert baseline["id"] == "b1" and baseline["kind"] == "baseline"
    assert set(baseline["result"]) == {"train_f1", "val_f1"}
    return baseline


def workflow_steps(folder: Path) -> dict[str, dict]:
    run = paribus(folder, "workflow", "--format", "json")
    assert run.returncode == 0, run.stderr
    return {step["key"]: step for step in json.loads(run.stdout)["steps"]}


def test_a_learnable_problem_moves_the_workflow_to_error_analysis(tmp_path: Path) -> None:
    baseline = start_project(tmp_path, learnable=True)
    val_f1 = baseline["result"]["val_f1"]
    assert val_f1 > 0.75

    steps = workflow_steps(tmp_path)
    assert steps["describe"]["state"] == "done"
    assert steps["baseline"]["state"] == "done"
    summary = steps["baseline"]["summary"]
    assert summary.startswith(f"b1: val_f1 {val_f1:g} on 30 dev examples is above chance (0.5, the card's chance): at 95 % it is at least ")
    bound = float(summary.split("at least ")[1].split(",")[0])
    assert 0.5 < bound < val_f1
    assert steps["error-analysis"]["state"] == "attention"
    assert steps["error-analysis"]["summary"].startswith("No error analysis of b1")

    analysis = paribus(tmp_path, "analyze", "runs/latest/predictions.csv", "--format", "json")
    assert analysis.returncode == 0, analysis.stderr
    assert json.loads(analysis.stdout)["evaluated_splits"] == ["dev"]

    check = paribus(tmp_path, "check")
    assert "PB501" not in check.stdout
    assert "PB403" not in check.stdout

    # Recording again by hand is refused: b1 has its result, nothing is pending.
    again = paribus(tmp_path, "record")
    assert again.returncode == 1
    assert again.stdout.startswith("No metrics given: using the last run (.paribus/last-run.json, baseline.py, ")
    assert again.stderr.startswith("paribus: no pending entry")


def test_pure_noise_leaves_the_baseline_at_chance(tmp_path: Path) -> None:
    # On this draw of pure noise the baseline lands at 0.598 on its 30 dev examples: ten points
    # "above" a chance of 0.5, which is well within what luck gives that few examples.
    baseline = start_project(tmp_path, learnable=False, seed=11)
    val_f1 = baseline["result"]["val_f1"]
    assert 0.55 < val_f1 < 0.65

    steps = workflow_steps(tmp_path)
    assert steps["baseline"]["state"] == "attention"
    summary = steps["baseline"]["summary"]
    assert summary.startswith(f"b1: val_f1 {val_f1:g} on 30 dev examples is not above chance (0.5, the card's chance): at 95 % it could be as low as ")
    assert summary.endswith("below chance — change the representation or features, not the data volume.")
    assert steps["error-analysis"]["state"] == "attention"

    check = paribus(tmp_path, "check", "--select", "PB403")
    assert check.returncode == 1
    assert f"experiments.yaml:2:3: PB403 [warning] baseline b1: val_f1 {val_f1:g} on 30 dev examples is not above chance" in check.stdout
