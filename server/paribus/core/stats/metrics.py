"""Which metric a name means, and the metric computed from confusion matrices.

A metric is recognised from its name once a split prefix or suffix (``val_``, ``dev_``,
``_test`` …) is removed: ``val_acc`` is accuracy, ``val_f1`` macro F1 (the mean of per-class
F1, as the scaffolded baselines compute it), ``val_auc`` ROC AUC. What is known about a
metric decides how its noise can be estimated:

- a *proportion* (accuracy, error rate, micro F1) is a share of examples: binomial;
- a metric computable from a confusion matrix (F1, balanced accuracy, precision, recall,
  MCC) can be bootstrapped from per-example predictions;
- a *bounded* metric (in [0, 1]) without predictions gets the binomial standard error at its
  value as a rough stand-in;
- anything else (a loss, BLEU, perplexity) has no sampling noise Paribus can estimate.

Every function takes confusion matrices with true classes on the rows and predictions on the
columns, stacked on any leading axes (one per bootstrap resample), and returns one value per
matrix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # numpy loads when a metric is computed from predictions, not at start-up
    import numpy as np

_SPLIT_WORDS = ("val", "valid", "validation", "dev", "test", "eval", "holdout")
_SPLIT = re.compile(rf"^(?:{'|'.join(_SPLIT_WORDS)})[_./-]|[_./-](?:{'|'.join(_SPLIT_WORDS)})$")


def _safe_divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    import numpy as np

    return np.divide(numerator, denominator, out=np.zeros_like(numerator, dtype=float), where=denominator > 0)


def _diagonal(confusion: np.ndarray) -> np.ndarray:
    import numpy as np

    return np.diagonal(confusion, axis1=-2, axis2=-1).astype(float)


def accuracy(confusion: np.ndarray) -> np.ndarray:
    return _safe_divide(_diagonal(confusion).sum(-1), confusion.sum((-2, -1)).astype(float))


def error_rate(confusion: np.ndarray) -> np.ndarray:
    return 1.0 - accuracy(confusion)


def _per_class(confusion: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """True positives, true counts (row sums) and predicted counts (column sums) per class."""
    return _diagonal(confusion), confusion.sum(-1).astype(float), confusion.sum(-2).astype(float)


def _present(true_counts: np.ndarray, predicted_counts: np.ndarray) -> np.ndarray:
    """Classes that occur among the labels or the predictions (sklearn's label set)."""
    return (true_counts + predicted_counts) > 0


def _macro(values: np.ndarray, present: np.ndarray) -> np.ndarray:
    return _safe_divide((values * present).sum(-1), present.sum(-1).astype(float))


def macro_f1(confusion: np.ndarray) -> np.ndarray:
    hits, true_counts, predicted_counts = _per_class(confusion)
    f1 = _safe_divide(2 * hits, true_counts + predicted_counts)
    return _macro(f1, _present(true_counts, predicted_counts))


def weighted_f1(confusion: np.ndarray) -> np.ndarray:
    hits, true_counts, predicted_counts = _per_class(confusion)
    f1 = _safe_divide(2 * hits, true_counts + predicted_counts)
    return _safe_divide((f1 * true_counts).sum(-1), true_counts.sum(-1))


def macro_precision(confusion: np.ndarray) -> np.ndarray:
    hits, true_counts, predicted_counts = _per_class(confusion)
    return _macro(_safe_divide(hits, predicted_counts), _present(true_counts, predicted_counts))


def macro_recall(confusion: np.ndarray) -> np.ndarray:
    hits, true_counts, predicted_counts = _per_class(confusion)
    return _macro(_safe_divide(hits, true_counts), _present(true_counts, predicted_counts))


def balanced_accuracy(confusion: np.ndarray) -> np.ndarray:
    hits, true_counts, _ = _per_class(confusion)
    return _macro(_safe_divide(hits, true_counts), true_counts > 0)


def matthews_correlation(confusion: np.ndarray) -> np.ndarray:
    """The multi-class MCC (Gorodkin 2004), as scikit-learn computes it."""
    import numpy as np

    hits, true_counts, predicted_counts = _per_class(confusion)
    total = confusion.sum((-2, -1)).astype(float)
    correct = hits.sum(-1)
    covariance = correct * total - (true_counts * predicted_counts).sum(-1)
    spread = np.sqrt((total**2 - (predicted_counts**2).sum(-1)) * (total**2 - (true_counts**2).sum(-1)))
    return _safe_divide(covariance, spread)


MetricFunction = Callable[["np.ndarray"], "np.ndarray"]


@dataclass(frozen=True)
class MetricSpec:
    """What Paribus knows about a metric, from its name."""

    name: str
    meaning: str  # in words, for messages and docs
    proportion: bool  # a share of examples: binomial sampling noise applies exactly
    bounded: bool  # lives in [0, 1] (or [0, 100] as a percentage)
    from_confusion: MetricFunction | None = None
    needs_scores: bool = False  # ROC AUC: needs each example's score, not just its prediction

    @property
    def computable(self) -> bool:
        return self.from_confusion is not None or self.needs_scores


_KNOWN: dict[str, tuple[str, bool, bool, MetricFunction | None, bool]] = {
    "accuracy": ("accuracy", True, True, accuracy, False),
    "error": ("error rate", True, True, error_rate, False),
    "f1": ("macro F1", False, True, macro_f1, False),
    "weighted_f1": ("weighted F1", False, True, weighted_f1, False),
    "balanced_accuracy": ("balanced accuracy", False, True, balanced_accuracy, False),
    "precision": ("macro precision", False, True, macro_precision, False),
    "recall": ("macro recall", False, True, macro_recall, False),
    "mcc": ("Matthews correlation", False, False, matthews_correlation, False),
    "auc": ("ROC AUC", False, True, None, True),
}
_ALIASES = {
    "acc": "accuracy", "top1": "accuracy", "top1_acc": "accuracy", "acc1": "accuracy", "top_1": "accuracy",
    "exact_match": "accuracy", "em": "accuracy", "micro_f1": "accuracy", "f1_micro": "accuracy",
    "err": "error", "error_rate": "error", "err_rate": "error", "top1_err": "error", "top1_error": "error",
    "macro_f1": "f1", "f1_macro": "f1", "f1_score": "f1", "macro_f1_score": "f1",
    "f1_weighted": "weighted_f1",
    "balanced_acc": "balanced_accuracy", "bacc": "balanced_accuracy", "bal_acc": "balanced_accuracy",
    "prec": "precision", "macro_precision": "precision", "precision_macro": "precision",
    "rec": "recall", "macro_recall": "recall", "recall_macro": "recall", "sensitivity": "recall",
    "matthews": "mcc", "matthews_corrcoef": "mcc",
    "roc_auc": "auc", "auroc": "auc", "roc": "auc", "auc_roc": "auc",
}


def base_name(name: str) -> str:
    """``val_acc`` → ``acc``, ``f1_test`` → ``f1``, ``dev/accuracy`` → ``accuracy``."""
    return _SPLIT.sub("", name.strip().lower().replace("-", "_"), count=1)


@lru_cache(maxsize=256)
def metric_spec(name: str) -> MetricSpec:
    base = base_name(name)
    known = _KNOWN.get(_ALIASES.get(base, base))
    if known is None:
        return MetricSpec(name, name, proportion=False, bounded=False)
    meaning, proportion, bounded, function, needs_scores = known
    return MetricSpec(name, meaning, proportion, bounded, function, needs_scores)
