"""Error analysis of a predictions file: where the errors fall, and what that suggests.

The file has ``id,label,pred``, optionally ``confidence`` and ``split``, and any other
column is a categorical tag (``noise_level``, ``lead``…). Rows whose split is ``train``
only give class support; the others (or all rows, without a split column) are evaluated.
Everything is counted with ``numpy.bincount`` over integer codes: no loop visits rows.

Chance level is the majority class's share (of training support when known, else of the
evaluated labels). Accuracy is *above chance* when it beats that share by at least
``CHANCE_Z`` (1.645) binomial standard errors — a one-sided 5 % test, so a model that
always answers the majority class is never above chance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from paribus.core.analysis.errors import AnalysisError
from paribus.core.analysis.reading import (
    KNOWN_COLUMNS,
    REQUIRED_COLUMNS,
    is_train_split,
    read_table,
    require_columns,
    shared_label_codes,
)
from paribus.core.analysis.verdict import Verdict, decide_verdict
from paribus.core.stats.proportions import score_statistic

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

CHANCE_Z = 1.645
# A tag with more distinct values than this is an identifier or a measurement, not a category.
MAX_TAG_VALUES = 50
EXAMPLE_IDS_PER_PAIR = 5
CONFIDENT_ERROR = 0.9
MISSING_TAG_VALUE = "(missing)"


@dataclass(frozen=True)
class ClassStats:
    label: str
    train_support: int | None
    n_examples: int
    n_errors: int
    error_rate: float
    error_share: float  # of all errors

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ConfusedPair:
    label: str
    pred: str
    count: int
    error_share: float
    example_ids: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.label}→{self.pred}"

    def to_json(self) -> dict:
        return {**self.__dict__, "example_ids": list(self.example_ids)}


@dataclass(frozen=True)
class TagValueStats:
    tag: str
    value: str
    n_examples: int
    n_errors: int
    error_rate: float
    error_share: float

    @property
    def name(self) -> str:
        return f"{self.tag}={self.value}"

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ChanceComparison:
    level: float
    majority_class: str
    source: str  # "training support" | "evaluated labels"
    accuracy: float
    margin: float  # accuracy - level
    z_score: float | None
    above_chance: bool

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ConfidenceSummary:
    mean_correct: float | None
    mean_errors: float | None
    # Confident errors are the first place to look for label mistakes.
    n_confident_errors: int
    confident_threshold: float = CONFIDENT_ERROR

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class PredictionAnalysis:
    path: str
    n_examples: int
    n_errors: int
    error_rate: float
    accuracy: float
    n_skipped: int  # evaluated rows without a label or a prediction
    evaluated_splits: tuple[str, ...]
    support_source: str | None  # "train split" | "train labels file" | None
    classes: tuple[ClassStats, ...]
    confused_pairs: tuple[ConfusedPair, ...]
    tags: tuple[TagValueStats, ...]
    chance: ChanceComparison
    verdict: Verdict
    confidence: ConfidenceSummary | None
    # Counts to pre-fill an error-analysis entry; pair and tag families overlap.
    suggested_categories: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def misclassified_counts_by_class(self) -> dict[str, int]:
        return {stats.label: stats.n_errors for stats in self.classes if stats.n_errors}

    def misclassified_counts_by_tag(self) -> dict[str, int]:
        return {stats.name: stats.n_errors for stats in self.tags if stats.n_errors}

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "n_examples": self.n_examples,
            "n_errors": self.n_errors,
            "error_rate": self.error_rate,
            "accuracy": self.accuracy,
            "n_skipped": self.n_skipped,
            "evaluated_splits": list(self.evaluated_splits),
            "support_source": self.support_source,
            "classes": [stats.to_json() for stats in self.classes],
            "confused_pairs": [pair.to_json() for pair in self.confused_pairs],
            "tags": [stats.to_json() for stats in self.tags],
            "chance": self.chance.to_json(),
            "verdict": self.verdict.to_json(),
            "confidence": self.confidence.to_json() if self.confidence else None,
            "suggested_categories": dict(self.suggested_categories),
            "notes": list(self.notes),
        }


def analyze_predictions(
    path: str | Path,
    train_labels: str | Path | None = None,
    *,
    max_confused: int = 10,
) -> PredictionAnalysis:
    """Analyse a predictions file; ``train_labels`` (a CSV with a ``label`` column) gives
    class support and takes precedence over ``split == "train"`` rows."""

    frame = read_table(path)
    require_columns(frame, path, REQUIRED_COLUMNS)
    notes: list[str] = []

    evaluated_mask, train_mask, evaluated_splits = split_masks(frame, path)
    label_columns = [frame["label"], frame["pred"]]
    names = ["label", "pred"]
    train_frame = None
    if train_labels is not None:
        train_frame = read_table(train_labels, category_columns="label-only")
        require_columns(train_frame, train_labels, ("label",))
        label_columns.append(train_frame["label"])
        names.append("train labels")
    codes = shared_label_codes(label_columns, names)
    class_names = codes.class_names
    n_classes = len(class_names)
    label_codes, pred_codes = codes.codes[0], codes.codes[1]

    support, support_source = None, None
    if train_frame is not None:
        support = _counts(codes.codes[2], n_classes)
        support_source = "train labels file"
    elif train_mask is not None and train_mask.any():
        support = _counts(label_codes[train_mask & (label_codes >= 0)], n_classes)
        support_source = "train split"

    usable = evaluated_mask & (label_codes >= 0) & (pred_codes >= 0)
    n_skipped = int(evaluated_mask.sum() - usable.sum())
    if n_skipped:
        notes.append(f"{n_skipped} evaluated rows without a label or a prediction were skipped")
    if not usable.any():
        raise AnalysisError(f"{path}: no evaluated row has both a label and a prediction")
    labels = label_codes[usable]
    preds = pred_codes[usable]
    wrong = labels != preds

    n_examples = len(labels)
    n_errors = int(wrong.sum())
    per_class_examples = _counts(labels, n_classes)
    per_class_errors = _counts(labels[wrong], n_classes)
    classes = _class_stats(class_names, support, per_class_examples, per_class_errors, n_errors)
    confused = _confused_pairs(frame, usable, labels, preds, wrong, class_names, max_confused)
    tags, skipped_tags = _tag_stats(frame, usable, wrong, n_errors)
    for tag, count in skipped_tags:
        notes.append(f"column {tag!r} has {count} distinct values: not treated as a tag")

    chance = _chance(class_names, support, per_class_examples, n_examples, n_errors)
    verdict = decide_verdict(
        class_names,
        support if support is not None else per_class_examples,
        per_class_examples,
        per_class_errors,
        support_is_training=support is not None,
    )
    suggested = {pair.name: pair.count for pair in confused}
    suggested.update({stats.name: stats.n_errors for stats in tags if stats.n_errors})
    return PredictionAnalysis(
        path=str(path),
        n_examples=n_examples,
        n_errors=n_errors,
        error_rate=n_errors / n_examples,
        accuracy=1 - n_errors / n_examples,
        n_skipped=n_skipped,
        evaluated_splits=evaluated_splits,
        support_source=support_source,
        classes=classes,
        confused_pairs=confused,
        tags=tags,
        chance=chance,
        verdict=verdict,
        confidence=_confidence(frame, usable, wrong, path),
        suggested_categories=suggested,
        notes=tuple(notes),
    )


def _counts(codes: np.ndarray, n_classes: int) -> np.ndarray:
    import numpy as np

    return np.bincount(codes, minlength=n_classes)[:n_classes]


def split_masks(frame: pd.DataFrame, path: str | Path) -> tuple[np.ndarray, np.ndarray | None, tuple[str, ...]]:
    import numpy as np

    if "split" not in frame.columns:
        return np.ones(len(frame), dtype=bool), None, ()
    split = frame["split"]
    categories = list(split.cat.categories)
    train_categories = np.array(is_train_split(categories) + [False])
    train_mask = train_categories[split.cat.codes.to_numpy()]
    evaluated_mask = ~train_mask
    if not evaluated_mask.any():
        raise AnalysisError(
            f"{path}: every row has split == 'train'; add dev/val/test rows to analyse errors"
        )
    present = np.bincount(split.cat.codes.to_numpy()[evaluated_mask] + 1, minlength=len(categories) + 1)
    evaluated_splits = tuple(str(value) for value, count in zip(categories, present[1:]) if count)
    if present[0]:
        evaluated_splits += ("(no split)",)
    return evaluated_mask, train_mask, evaluated_splits


def _class_stats(
    class_names: tuple[str, ...],
    support: np.ndarray | None,
    per_class_examples: np.ndarray,
    per_class_errors: np.ndarray,
    n_errors: int,
) -> tuple[ClassStats, ...]:
    stats = []
    for index, name in enumerate(class_names):
        examples = int(per_class_examples[index])
        errors = int(per_class_errors[index])
        stats.append(
            ClassStats(
                label=name,
                train_support=int(support[index]) if support is not None else None,
                n_examples=examples,
                n_errors=errors,
                error_rate=errors / examples if examples else 0.0,
                error_share=errors / n_errors if n_errors else 0.0,
            )
        )
    return tuple(stats)


def _confused_pairs(
    frame: pd.DataFrame,
    usable: np.ndarray,
    labels: np.ndarray,
    preds: np.ndarray,
    wrong: np.ndarray,
    class_names: tuple[str, ...],
    max_confused: int,
) -> tuple[ConfusedPair, ...]:
    import numpy as np

    n_classes = len(class_names)
    n_errors = int(wrong.sum())
    if not n_errors or max_confused <= 0:
        return ()
    pair_codes = labels[wrong] * n_classes + preds[wrong]
    pair_counts = np.bincount(pair_codes, minlength=n_classes * n_classes)
    present = np.flatnonzero(pair_counts)
    # Most frequent first; ties in class order so the output is stable.
    ranked = present[np.lexsort((present, -pair_counts[present]))][:max_confused]
    # Row positions of the errors; ids are looked up only for the few examples shown.
    error_rows = np.flatnonzero(usable)[wrong]
    pairs = []
    for code in ranked:
        example_rows = error_rows[np.flatnonzero(pair_codes == code)[:EXAMPLE_IDS_PER_PAIR]]
        examples = frame["id"].iloc[example_rows].tolist() if "id" in frame.columns else example_rows.tolist()
        pairs.append(
            ConfusedPair(
                label=class_names[code // n_classes],
                pred=class_names[code % n_classes],
                count=int(pair_counts[code]),
                error_share=int(pair_counts[code]) / n_errors,
                example_ids=tuple(str(value) for value in examples),
            )
        )
    return tuple(pairs)


def _tag_stats(
    frame: pd.DataFrame, usable: np.ndarray, wrong: np.ndarray, n_errors: int
) -> tuple[tuple[TagValueStats, ...], list[tuple[str, int]]]:
    import numpy as np

    stats: list[TagValueStats] = []
    skipped: list[tuple[str, int]] = []
    for tag in frame.columns:
        if tag in KNOWN_COLUMNS:
            continue
        column = frame[tag]
        values = [str(value) for value in column.cat.categories]
        if len(values) > MAX_TAG_VALUES:
            skipped.append((str(tag), len(values)))
            continue
        # Shift by one so pandas' -1 (missing) gets its own bin at 0.
        codes = column.cat.codes.to_numpy()[usable] + 1
        examples = np.bincount(codes, minlength=len(values) + 1)
        errors = np.bincount(codes[wrong], minlength=len(values) + 1)
        for slot, value in enumerate([MISSING_TAG_VALUE, *values]):
            if not examples[slot]:
                continue
            stats.append(
                TagValueStats(
                    tag=str(tag),
                    value=value,
                    n_examples=int(examples[slot]),
                    n_errors=int(errors[slot]),
                    error_rate=int(errors[slot]) / int(examples[slot]),
                    error_share=int(errors[slot]) / n_errors if n_errors else 0.0,
                )
            )
    return tuple(stats), skipped


def _chance(
    class_names: tuple[str, ...],
    support: np.ndarray | None,
    per_class_examples: np.ndarray,
    n_examples: int,
    n_errors: int,
) -> ChanceComparison:
    counts = support if support is not None and support.sum() else per_class_examples
    majority = int(counts.argmax())
    level = float(counts[majority] / counts.sum())
    accuracy = 1 - n_errors / n_examples
    margin = accuracy - level
    # The one-sided score test PB403 uses for accuracy: distance from a model truly at chance.
    z_score = score_statistic(accuracy, n_examples, level) if 0 < level < 1 else None
    return ChanceComparison(
        level=level,
        majority_class=class_names[majority],
        source="training support" if counts is support else "evaluated labels",
        accuracy=accuracy,
        margin=margin,
        z_score=z_score,
        above_chance=z_score is not None and z_score >= CHANCE_Z,
    )


def _confidence(
    frame: pd.DataFrame, usable: np.ndarray, wrong: np.ndarray, path: str | Path
) -> ConfidenceSummary | None:
    import numpy as np
    import pandas as pd

    if "confidence" not in frame.columns:
        return None
    column = frame["confidence"]
    if not pd.api.types.is_numeric_dtype(column.dtype):
        raise AnalysisError(f"{path}: column 'confidence' must hold numbers, found {column.dtype}")
    confidence = column.to_numpy(dtype=float, na_value=np.nan)[usable]
    correct_values = confidence[~wrong]
    error_values = confidence[wrong]
    return ConfidenceSummary(
        mean_correct=_nan_mean(correct_values),
        mean_errors=_nan_mean(error_values),
        n_confident_errors=int((error_values >= CONFIDENT_ERROR).sum()),
    )


def _nan_mean(values: np.ndarray) -> float | None:
    import numpy as np

    finite = values[~np.isnan(values)]
    return float(finite.mean()) if len(finite) else None
