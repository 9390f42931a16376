"""A predictions file's dev rows as arrays, for the noise statistics (``core/stats``).

The evaluated rows are the ones the metric is computed on: every row whose ``split`` is not
``train`` (all rows without a split column), with both a label and a prediction. Two runs'
files are *paired* when they hold the same dev examples: matched by ``id`` when both have
one, else row by row, and only if every matched example has the same label in both.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from paribus.core.analysis.predictions import split_masks
from paribus.core.analysis.reading import REQUIRED_COLUMNS, read_table, require_columns, shared_label_codes

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class DevPredictions:
    path: str
    class_names: tuple[str, ...]
    labels: np.ndarray  # class codes into class_names
    preds: np.ndarray
    ids: np.ndarray | None  # as text
    confidence: np.ndarray | None  # the model's confidence in its prediction, when kept

    @property
    def n(self) -> int:
        return len(self.labels)

    def positive_scores(self) -> np.ndarray | None:
        """For two classes: each example's score for the second class (from the confidence in
        the predicted class), the input of ROC AUC; None otherwise."""
        import numpy as np

        if self.confidence is None or len(self.class_names) != 2 or np.isnan(self.confidence).any():
            return None
        return np.where(self.preds == 1, self.confidence, 1.0 - self.confidence)


def read_dev_predictions(path: str | Path) -> DevPredictions:
    """The evaluated rows of a predictions file (raises AnalysisError when it can't be read)."""
    import numpy as np

    frame = read_table(path)
    require_columns(frame, path, REQUIRED_COLUMNS)
    evaluated, _, _ = split_masks(frame, path)
    codes = shared_label_codes([frame["label"], frame["pred"]], ["label", "pred"])
    labels, preds = codes.codes
    usable = evaluated & (labels >= 0) & (preds >= 0)
    ids = frame["id"].astype(str).to_numpy()[usable] if "id" in frame.columns else None
    confidence = None
    if "confidence" in frame.columns:
        try:
            confidence = frame["confidence"].to_numpy(dtype=float, na_value=np.nan)[usable]
        except (TypeError, ValueError):
            confidence = None
    return DevPredictions(str(path), codes.class_names, labels[usable], preds[usable], ids, confidence)


@dataclass(frozen=True)
class PairedPredictions:
    """Two runs on the same dev examples, over one list of classes."""

    class_names: tuple[str, ...]
    labels: np.ndarray
    preds_a: np.ndarray
    preds_b: np.ndarray
    scores_a: np.ndarray | None
    scores_b: np.ndarray | None

    @property
    def n(self) -> int:
        return len(self.labels)


def pair(a: DevPredictions, b: DevPredictions) -> PairedPredictions | None:
    """Match two runs' dev examples; None when they were not evaluated on the same examples."""
    import numpy as np

    names = tuple(sorted(set(a.class_names) | set(b.class_names), key=_class_order(a.class_names, b.class_names)))
    index = {name: position for position, name in enumerate(names)}
    recode_a = np.array([index[name] for name in a.class_names], dtype=np.int64)
    recode_b = np.array([index[name] for name in b.class_names], dtype=np.int64)
    if a.ids is not None and b.ids is not None:
        if len(set(a.ids)) != a.n or len(set(b.ids)) != b.n:
            return None
        _, rows_a, rows_b = np.intersect1d(a.ids, b.ids, assume_unique=True, return_indices=True)
        if len(rows_a) < max(a.n, b.n) * 0.9:  # mostly different examples: not the same dev set
            return None
    elif a.n == b.n:
        rows_a = rows_b = np.arange(a.n)
    else:
        return None
    labels_a, labels_b = recode_a[a.labels[rows_a]], recode_b[b.labels[rows_b]]
    if len(labels_a) == 0 or not np.array_equal(labels_a, labels_b):
        return None
    scores_a, scores_b = a.positive_scores(), b.positive_scores()
    return PairedPredictions(
        names, labels_a, recode_a[a.preds[rows_a]], recode_b[b.preds[rows_b]],
        None if scores_a is None else scores_a[rows_a], None if scores_b is None else scores_b[rows_b],
    )


def _class_order(*class_lists: tuple[str, ...]):
    """Numbers in numeric order, else text order — as the predictions reader sorts classes."""
    union = set().union(*class_lists)
    try:
        [float(name) for name in union]
        return float
    except ValueError:
        return str
