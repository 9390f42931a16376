"""The card's metric name (``val_f1``, ``val_acc``, ``val_auc``...) as scikit-learn code."""

from __future__ import annotations

from dataclasses import dataclass

SPLIT_PREFIXES = ("val_", "valid_", "validation_", "dev_", "test_")


@dataclass(frozen=True)
class MetricCode:
    """Code for a metric. Only ``import_line``, ``body`` and ``doc`` are source text, and none of
    them holds the card's name: the names go into the script as literals (METRIC, TRAIN_METRIC)."""

    metric_name: str  # the dev score's key in the result: the card's own name
    train_metric_name: str
    doc: str
    import_line: str
    body: str  # the body of score(labels, predicted, probabilities, classes)


_CODE_BY_BASE_NAME = {
    "f1": ("f1_score", "macro F1: the mean of per-class F1",
           'return f1_score(labels, predicted, average="macro")'),
    "acc": ("accuracy_score", "accuracy: the share of examples classified right",
            "return accuracy_score(labels, predicted)"),
    "balanced_acc": ("balanced_accuracy_score", "balanced accuracy: the mean per-class recall",
                     "return balanced_accuracy_score(labels, predicted)"),
    "precision": ("precision_score", "macro precision",
                  'return precision_score(labels, predicted, average="macro", zero_division=0)'),
    "recall": ("recall_score", "macro recall",
               'return recall_score(labels, predicted, average="macro", zero_division=0)'),
    "mcc": ("matthews_corrcoef", "Matthews correlation coefficient",
            "return matthews_corrcoef(labels, predicted)"),
    "auc": ("roc_auc_score", "ROC AUC (one-vs-rest, macro, when there are more than two classes)",
            "if len(classes) == 2:\n"
            "    return roc_auc_score(labels == classes[1], probabilities[:, 1])\n"
            'return roc_auc_score(labels, probabilities, multi_class="ovr", labels=classes)'),
    "loss": ("log_loss", "cross-entropy of the predicted probabilities (lower is better)",
             "return log_loss(labels, probabilities, labels=classes)"),
}
_ALIASES = {
    "accuracy": "acc", "balanced_accuracy": "balanced_acc", "bacc": "balanced_acc",
    "roc_auc": "auc", "auroc": "auc", "log_loss": "loss", "logloss": "loss", "nll": "loss",
    "macro_f1": "f1", "f1_macro": "f1", "prec": "precision",
}


def metric_code(metric_name: str) -> MetricCode:
    """Code computing ``metric_name``; an unknown name falls back to macro F1, said in the doc."""
    base = metric_name.lower()
    for prefix in SPLIT_PREFIXES:
        if base.startswith(prefix):
            base = base[len(prefix):]
            break
    base = _ALIASES.get(base, base)
    function, doc, body = _CODE_BY_BASE_NAME.get(base, _CODE_BY_BASE_NAME["f1"])
    if base not in _CODE_BY_BASE_NAME:
        doc = "not a classification metric Paribus knows: macro F1 stands in"
    train_name = "train_" + metric_name.split("_", 1)[1] if _has_split_prefix(metric_name) \
        else "train_" + metric_name
    return MetricCode(
        metric_name=metric_name,
        train_metric_name=train_name,
        doc=f"The card's metric (METRIC), {doc}.",
        import_line=f"from sklearn.metrics import {function}",
        body="\n".join("    " + line for line in body.splitlines()),
    )


def _has_split_prefix(metric_name: str) -> bool:
    return metric_name.lower().startswith(SPLIT_PREFIXES)
