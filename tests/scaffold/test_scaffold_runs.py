"""Every generated baseline runs end to end on synthetic data whose right answer is known.

A learnable signal must score well above chance; pure noise must score at chance. The run
must write per-example predictions and record its result in the log through record().
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml
from paribus.core.actions.scaffold import scaffold_baseline, write_scaffold

pytest.importorskip("sklearn")

CLASSES = ("alpha", "beta")
EXAMPLES_PER_CLASS = 150
SAMPLES = 300
CHANCE_TOLERANCE = 0.15


def make_project(root: Path, data_type: str) -> None:
    (root / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "0.1.0"\n\n'
        "[tool.paribus]\n"
        'task = "Tell alpha from beta"\n'
        f'data = {{ type = "{data_type}", volume = "300 examples" }}\n'
        'status = "greenfield"\n'
        'metric = { name = "val_f1", goal = "max", target = 0.9 }\n'
        'log = "experiments.yaml"\n'
        'predictions = "runs/latest/predictions.csv"\n'
    )
    (root / "experiments.yaml").write_text(
        "# the log\n- id: x1\n  kind: exploration\n  notes: balanced, two classes\n"
    )


def write_tabular(root: Path, learnable: bool, rng: np.random.Generator) -> None:
    count = 2 * EXAMPLES_PER_CLASS
    labels = np.repeat(CLASSES, EXAMPLES_PER_CLASS)
    shift = np.where(labels == "alpha", -1.5, 1.5) if learnable else np.zeros(count)
    with open(root / "data.csv", "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "x1", "x2", "colour", "label"])
        for index in range(count):
            writer.writerow([f"row{index}", rng.normal() + shift[index], rng.normal(),
                             rng.choice(["red", "blue"]), labels[index]])


def write_text(root: Path, learnable: bool, rng: np.random.Generator) -> None:
    shared = ["the", "a", "report", "today", "said", "new", "people", "after"]
    topical = {"alpha": ["goal", "match", "league", "coach"], "beta": ["vote", "senate", "law", "party"]}
    with open(root / "data.csv", "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "text", "label"])
        for index, label in enumerate(np.repeat(CLASSES, EXAMPLES_PER_CLASS)):
            if learnable:
                words = list(rng.choice(shared, 6)) + list(rng.choice(topical[label], 2))
            else:
                words = list(rng.choice(shared + topical["alpha"] + topical["beta"], 8))
            writer.writerow([f"doc{index}", " ".join(words), label])


def write_image(root: Path, learnable: bool, rng: np.random.Generator) -> None:
    for label in CLASSES:
        folder = root / "data" / label
        folder.mkdir(parents=True)
        for index in range(EXAMPLES_PER_CLASS):
            image = rng.uniform(0, 1, size=(24, 24))
            if learnable:  # a bright square, top-left for alpha, bottom-right for beta
                corner = slice(0, 10) if label == "alpha" else slice(14, 24)
                image[corner, corner] += 2.0
            np.save(folder / f"{index:03d}.npy", image)


def write_signal(root: Path, learnable: bool, rng: np.random.Generator) -> None:
    time = np.arange(500) / 100.0
    for label in CLASSES:
        folder = root / "data" / label
        folder.mkdir(parents=True)
        for index in range(EXAMPLES_PER_CLASS):
            signal = rng.normal(size=time.size)
            if learnable:  # a 5 Hz rhythm for alpha, 30 Hz for beta
                frequency = 5.0 if label == "alpha" else 30.0
                signal += 2.0 * np.sin(2 * np.pi * frequency * time + rng.uniform(0, 6.28))
            np.save(folder / f"{index:03d}.npy", signal)


WRITERS = {"tabular": write_tabular, "text": write_text, "image": write_image,
           "biosignal": write_signal, "timeseries": write_signal}


def run_baseline(root: Path, data_type: str, learnable: bool) -> dict:
    make_project(root, data_type)
    WRITERS[data_type](root, learnable, np.random.default_rng(7))
    card = {"data": {"type": data_type}, "metric": {"name": "val_f1"},
            "log": "experiments.yaml", "predictions": "runs/latest/predictions.csv"}
    plan = scaffold_baseline(root, card, data=None, label=None, samples=SAMPLES)
    write_scaffold(plan)
    completed = subprocess.run(
        [sys.executable, plan.script_path.name], cwd=root, capture_output=True, text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert "chance level" in completed.stdout
    entries = yaml.safe_load((root / "experiments.yaml").read_text())
    baseline = entries[-1]
    assert baseline["id"] == "b1" and baseline["kind"] == "baseline"
    assert baseline["params"]["SAMPLES"] == SAMPLES
    return baseline["result"]


@pytest.mark.parametrize("data_type", ["tabular", "text", "image", "biosignal"])
def test_learnable_data_scores_well_above_chance(tmp_path: Path, data_type: str) -> None:
    result = run_baseline(tmp_path, data_type, learnable=True)
    assert result["val_f1"] >= 0.85, result
    assert result["train_f1"] >= 0.85, result


@pytest.mark.parametrize("data_type", ["tabular", "text", "image", "timeseries"])
def test_pure_noise_scores_at_chance(tmp_path: Path, data_type: str) -> None:
    result = run_baseline(tmp_path, data_type, learnable=False)
    assert abs(result["val_f1"] - 0.5) <= CHANCE_TOLERANCE, result


def test_predictions_hold_one_row_per_example_with_the_contract_columns(tmp_path: Path) -> None:
    run_baseline(tmp_path, "tabular", learnable=True)
    with open(tmp_path / "runs/latest/predictions.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["id", "label", "pred", "confidence", "split"]
    assert len(rows) == SAMPLES
    assert {row["split"] for row in rows} == {"train", "dev"}
    assert all(0.0 < float(row["confidence"]) <= 1.0 for row in rows)
    assert rows[0]["id"].startswith("row")


def test_a_baseline_runs_without_paribus_installed(tmp_path: Path) -> None:
    make_project(tmp_path, "tabular")
    write_tabular(tmp_path, True, np.random.default_rng(1))
    plan = scaffold_baseline(tmp_path, {"data": {"type": "tabular"}}, data=None, label=None)
    write_scaffold(plan)
    # A module beside the script shadows the installed package, as if it were absent.
    (tmp_path / "paribus.py").write_text('raise ImportError("paribus is not installed")\n')
    completed = subprocess.run([sys.executable, plan.script_path.name], cwd=tmp_path,
                               capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert "result not recorded" in completed.stdout
    assert "result" not in yaml.safe_load((tmp_path / "experiments.yaml").read_text())[-1]
