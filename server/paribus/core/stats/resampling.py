"""The bootstrap over dev examples, for metrics without a formula for their noise.

A bootstrap resample draws n examples with replacement from the n dev examples; the metric's
spread over many resamples estimates how much it would move on another dev set of the same
size. Metrics computed from a confusion matrix depend on the examples only through the
counts of each (label, prediction) cell, so a resample is a multinomial draw of those counts:
``resamples`` draws cost the same for 500 or 5 million examples. Paired, the cells are
(label, prediction of run A, prediction of run B) and each resample gives both runs' metric
on the *same* examples, so their difference keeps what the runs share.

Every function is seeded (``seed``): the same predictions always give the same estimate.
Assumption: dev examples are independent draws from the population (no duplicated recordings
or patients spread across examples — those make every estimate here too optimistic).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

DEFAULT_RESAMPLES = 2000
_CELLS_PER_CHUNK = 4_000_000  # resamples × cells held in memory at once


def _cells(codes: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of the stacked code columns, and how many examples each holds."""
    stacked = np.stack(codes, axis=1)
    unique, counts = np.unique(stacked, axis=0, return_counts=True)
    return unique, counts


def _resampled_counts(counts: np.ndarray, resamples: int, seed: int):
    """Yield blocks of bootstrap cell counts, each of shape (block, cells)."""
    rng = np.random.default_rng(seed)
    total = int(counts.sum())
    probabilities = counts / total
    block = max(1, min(resamples, _CELLS_PER_CHUNK // max(len(counts), 1)))
    done = 0
    while done < resamples:
        size = min(block, resamples - done)
        yield rng.multinomial(total, probabilities, size=size)
        done += size


def _confusions(cell_counts: np.ndarray, labels: np.ndarray, preds: np.ndarray, n_classes: int) -> np.ndarray:
    """Confusion matrices (block, K, K) from counts over cells with these (label, pred)."""
    index = labels * n_classes + preds
    one_hot = np.zeros((len(index), n_classes * n_classes))
    one_hot[np.arange(len(index)), index] = 1.0
    return (cell_counts @ one_hot).reshape(-1, n_classes, n_classes)


def bootstrap_standard_error(
    labels: np.ndarray,
    preds: np.ndarray,
    metric: Callable[[np.ndarray], np.ndarray],
    n_classes: int,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
) -> float:
    """Standard deviation of ``metric`` over bootstrap resamples of the (label, pred) pairs."""
    unique, counts = _cells([labels, preds])
    values = [metric(_confusions(block, unique[:, 0], unique[:, 1], n_classes)) for block in _resampled_counts(counts, resamples, seed)]
    return float(np.concatenate(values).std(ddof=1))


def paired_bootstrap_standard_error(
    labels: np.ndarray,
    preds_a: np.ndarray,
    preds_b: np.ndarray,
    metric: Callable[[np.ndarray], np.ndarray],
    n_classes: int,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
) -> float:
    """Standard deviation of metric(B) − metric(A) when both runs are resampled together."""
    unique, counts = _cells([labels, preds_a, preds_b])
    differences = []
    for block in _resampled_counts(counts, resamples, seed):
        a = metric(_confusions(block, unique[:, 0], unique[:, 1], n_classes))
        b = metric(_confusions(block, unique[:, 0], unique[:, 2], n_classes))
        differences.append(b - a)
    return float(np.concatenate(differences).std(ddof=1))


def _counts_by_score(block: np.ndarray, ranks: np.ndarray, n_scores: int) -> np.ndarray:
    """Sum the cell counts of each resample by score rank: (block, cells) → (block, scores)."""
    summed = np.zeros((block.shape[0], n_scores))
    if len(ranks) == 0:
        return summed
    order = np.argsort(ranks, kind="stable")
    sorted_ranks = ranks[order]
    starts = np.flatnonzero(np.r_[True, sorted_ranks[1:] != sorted_ranks[:-1]])
    summed[:, sorted_ranks[starts]] = np.add.reduceat(block[:, order], starts, axis=1)
    return summed


def _auc_from_counts(block: np.ndarray, positive: np.ndarray, score_rank: np.ndarray, n_scores: int) -> np.ndarray:
    """ROC AUC per resample: P(score of a positive > score of a negative), ties counting ½."""
    positives = _counts_by_score(block[:, positive], score_rank[positive], n_scores)
    negatives = _counts_by_score(block[:, ~positive], score_rank[~positive], n_scores)
    below = np.cumsum(negatives, axis=1) - negatives
    pairs = positives.sum(1) * negatives.sum(1)
    wins = (positives * (below + 0.5 * negatives)).sum(1)
    return np.divide(wins, pairs, out=np.full(block.shape[0], np.nan), where=pairs > 0)


def auc_bootstrap_standard_error(
    is_positive: np.ndarray,
    scores: np.ndarray,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
    paired_scores: np.ndarray | None = None,
) -> float:
    """Standard deviation of ROC AUC over bootstrap resamples (scores rounded to 1e-6).

    With ``paired_scores`` (run B's scores for the same examples) it is the standard deviation
    of AUC(B) − AUC(A).
    """
    rounded = [np.round(np.asarray(scores, dtype=float), 6)]
    if paired_scores is not None:
        rounded.append(np.round(np.asarray(paired_scores, dtype=float), 6))
    columns = [is_positive.astype(np.int64)] + [np.unique(r, return_inverse=True)[1].astype(np.int64) for r in rounded]
    unique, counts = _cells(columns)
    positive = unique[:, 0] == 1
    n_scores = [int(column.max()) + 1 for column in columns[1:]]
    values = []
    for block in _resampled_counts(counts, resamples, seed):
        first = _auc_from_counts(block, positive, unique[:, 1], n_scores[0])
        if paired_scores is None:
            values.append(first)
        else:
            values.append(_auc_from_counts(block, positive, unique[:, 2], n_scores[1]) - first)
    values = np.concatenate(values)
    values = values[~np.isnan(values)]
    return float(values.std(ddof=1)) if len(values) > 1 else float("nan")


def permuted_confusions(confusion: np.ndarray, resamples: int, rng: np.random.Generator) -> np.ndarray:
    """Confusion matrices of the predictions shuffled against the labels, (resamples, K, K).

    Shuffling keeps every class's count among the labels (rows) and among the predictions
    (columns); such a table is drawn cell by cell, each cell hypergeometric given the ones
    before it — the exact permutation distribution, at a cost independent of n.
    """
    rows, columns = confusion.sum(1), confusion.sum(0)
    k = len(rows)
    tables = np.zeros((resamples, k, k), dtype=np.int64)
    remaining = np.tile(columns, (resamples, 1))  # predictions not yet given to a row
    for i in range(k):
        left = np.full(resamples, rows[i])  # examples of true class i not yet given a prediction
        pool = remaining.sum(1)
        for j in range(k - 1):
            pool = pool - remaining[:, j]
            drawn = rng.hypergeometric(remaining[:, j], pool, left)
            tables[:, i, j] = drawn
            remaining[:, j] -= drawn
            left -= drawn
        tables[:, i, k - 1] = left
        remaining[:, k - 1] -= left
    return tables


def permutation_standard_error(
    labels: np.ndarray,
    preds: np.ndarray,
    metric: Callable[[np.ndarray], np.ndarray],
    n_classes: int,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
) -> float:
    """Standard deviation of ``metric`` when the predictions are shuffled against the labels:
    the noise of a model *at chance* that predicts each class as often as this one does (the
    null distribution of a permutation test)."""
    confusion = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(confusion, (labels, preds), 1)
    values = metric(permuted_confusions(confusion, resamples, np.random.default_rng(seed)))
    return float(values.std(ddof=1))


def auc_at_chance_standard_error(n_positive: int, n_negative: int) -> float:
    """Standard error of the ROC AUC of scores unrelated to the labels (the Mann–Whitney
    statistic's variance under the null, without ties): √((P + N + 1)/(12·P·N))."""
    return float(np.sqrt((n_positive + n_negative + 1) / (12 * n_positive * n_negative)))


def hanley_mcneil_standard_error(auc: float, n_positive: int, n_negative: int) -> float:
    """Standard error of an ROC AUC from its value and the class counts alone (Hanley &
    McNeil 1982), for when no per-example scores were kept."""
    q1 = auc / (2 - auc)
    q2 = 2 * auc * auc / (1 + auc)
    variance = (auc * (1 - auc) + (n_positive - 1) * (q1 - auc * auc) + (n_negative - 1) * (q2 - auc * auc)) / (n_positive * n_negative)
    return float(np.sqrt(max(variance, 0.0)))
