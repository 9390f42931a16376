"""The small project most command-line and robustness tests start from: a card, a log whose
baseline b1 holds the script's parent state, and a script that changes two hyperparameters."""

from __future__ import annotations

from pathlib import Path

CARD = """\
task = "Classify sensor windows into four activities"
inputs = "2 s accelerometer windows, 50 Hz"
outputs = "walk | run | sit | stand"
data = { type = "timeseries", volume = "3,000 windows", quirks = [] }
status = "iterating"
metric = { name = "val_acc", goal = "max", target = 0.9 }
chance = 0.25
scripts = ["train.py"]
log = "experiments.yaml"
"""

LOG = """\
# Experiment log
- id: x1
  kind: exploration
  date: 2026-11-02
  conclusion: Classes are balanced.
- id: b1
  kind: baseline
  date: 2026-11-03
  script: train.py
  params: {LEARNING_RATE: 0.001, BATCH_SIZE: 32, hidden: 64}
  result: {train_acc: 0.86, val_acc: 0.74}
"""

# Two hyperparameters differ from b1's state: PB101 on lines 4 and 6.
TRAIN = """\
import random

random.seed(0)
LEARNING_RATE = 3e-4
BATCH_SIZE = 32
hidden = 128

save_predictions(ids, predicted)  # per-example output for error analysis
"""


def write_small_project(root: Path) -> Path:
    (root / "paribus.toml").write_text(CARD, encoding="utf-8")
    (root / "experiments.yaml").write_text(LOG, encoding="utf-8")
    (root / "train.py").write_text(TRAIN, encoding="utf-8")
    return root
