"""Write examples/ecg-af/runs/latest/predictions.csv: the per-example output of the demo's last run.

Deterministic (fixed seed). Dev errors are concentrated where the demo's story puts them:
noisy recordings and leads recorded inverted; the AF class is rare (about 1 in 10).
Run: python scripts/make_demo_predictions.py   (prints the macro F1 it produced)
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

SEED = 2017
TRAIN_ROWS = 1500
DEV_ROWS = 500
CLASSES = ["AF", "normal", "other", "noisy"]
CLASS_SHARES = [0.09, 0.58, 0.30, 0.03]  # AF : non-AF close to 1:9, as in the card's quirks
OUTPUT = Path(__file__).resolve().parent.parent / "examples/ecg-af/runs/latest/predictions.csv"

# Chance of a wrong prediction for a dev recording, by what is wrong with it.
DEV_ERROR_BASE = 0.07
DEV_ERROR_HIGH_NOISE = 0.70
DEV_ERROR_INVERTED = 0.50  # residual after FLIP_INVERTED: the inverted flag itself is noisy
DEV_ERROR_AF = 0.30  # short AF episodes look normal
TRAIN_ERROR_SCALE = 0.55  # the model fits its own training data better

# Where a wrong prediction goes: the classes a cardiologist would also confuse.
CONFUSED_WITH = {"AF": ["other", "normal"], "normal": ["other", "AF"],
                 "other": ["normal", "AF"], "noisy": ["other", "normal"]}


def make_rows(rng: np.random.Generator, split: str, count: int, start_id: int) -> list[list]:
    rows = []
    labels = rng.choice(CLASSES, size=count, p=CLASS_SHARES)
    for offset, label in enumerate(labels):
        noise_level = "high" if label == "noisy" else rng.choice(
            ["low", "medium", "high"], p=[0.70, 0.22, 0.08])
        lead = rng.choice(["normal", "inverted"], p=[0.85, 0.15])
        error_chance = DEV_ERROR_BASE
        if noise_level == "high":
            error_chance = max(error_chance, DEV_ERROR_HIGH_NOISE)
        if lead == "inverted":
            error_chance = max(error_chance, DEV_ERROR_INVERTED)
        if label == "AF":
            error_chance = max(error_chance, DEV_ERROR_AF)
        if split == "train":
            error_chance *= TRAIN_ERROR_SCALE
        wrong = rng.random() < error_chance
        if wrong:
            pred = rng.choice(CONFUSED_WITH[label], p=[0.7, 0.3])
            confidence = rng.uniform(0.34, 0.75)
        else:
            pred = label
            confidence = rng.uniform(0.55, 0.99)
        rows.append([f"A{start_id + offset:05d}", label, pred, f"{confidence:.3f}",
                     split, noise_level, lead])
    return rows


def macro_f1(rows: list[list]) -> float:
    scores = []
    for cls in CLASSES:
        true_positive = sum(1 for r in rows if r[1] == cls and r[2] == cls)
        predicted = sum(1 for r in rows if r[2] == cls)
        actual = sum(1 for r in rows if r[1] == cls)
        scores.append(0.0 if true_positive == 0 else
                      2 * true_positive / (predicted + actual))
    return sum(scores) / len(scores)


def main() -> None:
    rng = np.random.default_rng(SEED)
    train_rows = make_rows(rng, "train", TRAIN_ROWS, start_id=1)
    dev_rows = make_rows(rng, "dev", DEV_ROWS, start_id=TRAIN_ROWS + 1)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUTPUT, "w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["id", "label", "pred", "confidence", "split", "noise_level", "lead"])
        writer.writerows(train_rows + dev_rows)
    print(f"wrote {len(train_rows) + len(dev_rows)} rows to {OUTPUT.name}: "
          f"train macro F1 {macro_f1(train_rows):.3f}, dev macro F1 {macro_f1(dev_rows):.3f}")


if __name__ == "__main__":
    main()
