"""The small project the robustness tests break: a card, a log and a script."""

CARD = """\
task = "Classify sensor windows into four activities"
inputs = "2 s accelerometer windows, 50 Hz"
outputs = "walk | run | sit | stand"
data = { type = "timeseries", volume = "3,000 windows" }
status = "iterating"
metric = { name = "val_acc", goal = "max", target = 0.9 }
chance = 0.25
scripts = ["train.py"]
log = "experiments.yaml"
"""

LOG = """\
- id: x1
  kind: exploration
  date: 2026-11-02
  conclusion: Classes are balanced.
- id: b1
  kind: baseline
  date: 2026-11-03
  script: train.py
  params: {LEARNING_RATE: 0.001, BATCH_SIZE: 32}
  result: {train_acc: 0.86, val_acc: 0.74}
"""

# Both hyperparameters differ from b1: PB101 on lines 4 and 5. Seeded, saves predictions.
TRAIN = """\
import random

random.seed(0)
LEARNING_RATE = 3e-4
BATCH_SIZE = 64

save_predictions(ids, predicted)  # per-example output for error analysis
"""
