"""The interventions of the methodology, in the order they should be tried (DESIGN §2, step 4)."""

from __future__ import annotations

import re

PRIORITY = ("data", "hyperparameters", "architecture", "pretrained", "compute")
PRIORITY_TEXT = {
    "data": "fix data quality or collect targeted data for the failing category",
    "hyperparameters": "tune hyperparameters — learning rate and network size first",
    "architecture": "an architecture matched to the data type",
    "pretrained": "fine-tune a pretrained model",
    "compute": "scale compute",
}
# Error categories whose fix is in the data, not the model.
DATA_WORDS = ("label", "noise", "noisy", "artifact", "invert", "corrupt", "blur", "dup", "missing", "quality", "wrong", "mislabel", "imbalance", "rare", "under")
TRAIN_SIZE_NAMES = re.compile(r"(^|[._])(train_?size|n_?train|num_?train|samples|n_?samples|subset|train_?samples|data_?size|train_?fraction)$", re.I)


def is_data_category(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in DATA_WORDS)
