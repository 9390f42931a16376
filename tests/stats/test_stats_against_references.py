"""core/stats on small worked cases, checked against scipy and statsmodels (tests only: the
runtime needs neither)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from paribus.core.stats import distributions, metrics, paired, proportions, resampling
from paribus.core.stats.noise import Component, Noise, Spread, pooled_variance
from scipy import stats
from sklearn import metrics as sk
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar
from statsmodels.stats.proportion import proportion_confint, proportions_ztest


@pytest.mark.parametrize("df", [1, 2, 3, 4.5, 7, 12.3, 30, 200, math.inf])
@pytest.mark.parametrize("probability", [0.8, 0.95, 0.975, 0.995])
def test_student_t_quantiles_match_scipy(df: float, probability: float) -> None:
    assert distributions.t_quantile(probability, df) == pytest.approx(stats.t.ppf(probability, df), rel=1e-9)


@pytest.mark.parametrize(("t", "df"), [(-2.5, 1), (-0.3, 2), (0.0, 5), (1.7, 3.5), (2.2, 40)])
def test_student_t_cdf_matches_scipy(t: float, df: float) -> None:
    assert distributions.t_cdf(t, df) == pytest.approx(stats.t.cdf(t, df), abs=1e-12)


@pytest.mark.parametrize(("successes", "trials", "p"), [(20, 30, 0.5), (1, 1, 0.3), (5, 5, 0.5), (3, 10, 0.01), (600, 1000, 0.55), (0, 4, 0.2), (5, 4, 0.2)])
def test_exact_binomial_tail_matches_scipy(successes: int, trials: int, p: float) -> None:
    assert distributions.binomial_upper_tail(successes, trials, p) == pytest.approx(stats.binom.sf(successes - 1, trials, p), rel=1e-9, abs=1e-15)


@pytest.mark.parametrize(("successes", "n"), [(17, 30), (0, 12), (12, 12), (150, 200), (3, 7)])
def test_wilson_interval_and_bound_match_statsmodels(successes: int, n: int) -> None:
    assert proportions.wilson_interval(successes / n, n) == pytest.approx(proportion_confint(successes, n, alpha=0.05, method="wilson"))
    # The one-sided 95 % bound is an edge of the two-sided 90 % interval.
    low, high = proportion_confint(successes, n, alpha=0.10, method="wilson")
    assert proportions.wilson_bound(successes / n, n) == pytest.approx(low)
    assert proportions.wilson_bound(successes / n, n, side="upper") == pytest.approx(high)


def test_score_statistic_is_statsmodels_one_proportion_z_test_with_the_null_variance() -> None:
    z, _ = proportions_ztest(19, 30, value=0.5, prop_var=0.5)
    assert proportions.score_statistic(19 / 30, 30, 0.5) == pytest.approx(z)
    # 19/30 = 0.633: z = 1.46 < 1.645 — not above 0.5; 20/30: z = 1.83 — above.
    assert not proportions.above_level(19 / 30, 30, 0.5)
    assert proportions.above_level(20 / 30, 30, 0.5)


def test_worked_binomial_standard_errors() -> None:
    assert proportions.standard_error(0.7, 200) == pytest.approx(math.sqrt(0.21 / 200))  # 0.0324
    assert proportions.difference_standard_error(0.7, 200, 0.72, 200) == pytest.approx(math.sqrt(0.21 / 200 + 0.2016 / 200))
    # Two runs near 0.7 truly 0.05 apart are told apart (95 %, power 80 %) on n = 2·0.21·(1.96 + 0.84)²/0.05² ≈ 1,319 examples.
    assert proportions.examples_needed(0.7, 0.05) == math.ceil(2 * 0.21 * (stats.norm.ppf(0.975) + stats.norm.ppf(0.8)) ** 2 / 0.05**2)


def test_mcnemar_counts_statistic_and_exact_p_value_match_statsmodels() -> None:
    # 100 examples: 30 both right, 5 only A right, 10 only B right, 55 both wrong.
    a = np.array([1] * 30 + [1] * 5 + [0] * 10 + [0] * 55, dtype=bool)
    b = np.array([1] * 30 + [0] * 5 + [1] * 10 + [0] * 55, dtype=bool)
    test = paired.mcnemar(a, b)
    assert (test.n, test.only_a_right, test.only_b_right) == (100, 5, 10)
    assert test.difference == pytest.approx(b.mean() - a.mean()) == pytest.approx(0.05)
    table = [[30, 5], [10, 55]]
    assert test.statistic == pytest.approx(sm_mcnemar(table, exact=False, correction=False).statistic)
    assert test.exact_p_value == pytest.approx(sm_mcnemar(table, exact=True).pvalue)
    # √(b + c)/n: the interval's edge at 0 is exactly where McNemar's (uncorrected) test rejects.
    assert test.standard_error == pytest.approx(math.sqrt(15) / 100)
    assert (test.difference / test.standard_error) ** 2 == pytest.approx(test.statistic)


def _confusion(labels: np.ndarray, preds: np.ndarray, k: int) -> np.ndarray:
    matrix = np.zeros((k, k), dtype=int)
    np.add.at(matrix, (labels, preds), 1)
    return matrix


@pytest.mark.parametrize("k", [2, 3, 5])
def test_metrics_from_confusion_matrices_match_scikit_learn(k: int) -> None:
    rng = np.random.default_rng(k)
    labels = rng.integers(0, k, 300)
    preds = np.where(rng.random(300) < 0.6, labels, rng.integers(0, k, 300))
    preds[preds == k - 1] = 0  # a class never predicted: zero-division conventions matter
    matrix = _confusion(labels, preds, k)
    assert metrics.accuracy(matrix) == pytest.approx(sk.accuracy_score(labels, preds))
    assert metrics.macro_f1(matrix) == pytest.approx(sk.f1_score(labels, preds, average="macro"))
    assert metrics.weighted_f1(matrix) == pytest.approx(sk.f1_score(labels, preds, average="weighted"))
    assert metrics.macro_precision(matrix) == pytest.approx(sk.precision_score(labels, preds, average="macro", zero_division=0))
    assert metrics.macro_recall(matrix) == pytest.approx(sk.recall_score(labels, preds, average="macro", zero_division=0))
    assert metrics.balanced_accuracy(matrix) == pytest.approx(sk.balanced_accuracy_score(labels, preds))
    assert metrics.matthews_correlation(matrix) == pytest.approx(sk.matthews_corrcoef(labels, preds))
    stacked = np.stack([matrix, matrix.T])  # batches: one value per matrix
    assert metrics.macro_f1(stacked) == pytest.approx([sk.f1_score(labels, preds, average="macro"), sk.f1_score(preds, labels, average="macro")])


@pytest.mark.parametrize(("name", "meaning", "proportion"), [
    ("val_acc", "accuracy", True), ("dev/accuracy", "accuracy", True), ("accuracy_val", "accuracy", True),
    ("val_err", "error rate", True), ("val_f1", "macro F1", False), ("f1_macro", "macro F1", False),
    ("test_auc", "ROC AUC", False), ("validation_balanced_acc", "balanced accuracy", False),
])
def test_metric_names(name: str, meaning: str, proportion: bool) -> None:
    spec = metrics.metric_spec(name)
    assert (spec.meaning, spec.proportion, spec.bounded) == (meaning, proportion, True)


def test_unknown_metrics_have_no_sampling_noise() -> None:
    for name in ("val_loss", "val_bleu", "perplexity"):
        spec = metrics.metric_spec(name)
        assert not spec.bounded and not spec.computable


def _resampled_rows(n: int, resamples: int = 1500, seed: int = 7) -> np.ndarray:
    """Resampling the examples themselves: (resamples, n) row indices drawn with replacement."""
    return np.random.default_rng(seed).integers(0, n, (resamples, n))


def _example_bootstrap(labels: np.ndarray, preds: np.ndarray, metric, k: int) -> float:
    rows = _resampled_rows(len(labels))
    codes = (np.arange(len(rows))[:, None] * k * k + labels[rows] * k + preds[rows]).ravel()
    matrices = np.bincount(codes, minlength=len(rows) * k * k).reshape(len(rows), k, k)
    return float(metric(matrices).std(ddof=1))


def _example_bootstrap_auc(positive: np.ndarray, scores: np.ndarray) -> float:
    rows = _resampled_rows(len(positive))
    ranks = stats.rankdata(scores[rows], axis=1)  # ties get their average rank
    hits = positive[rows]
    p, n = hits.sum(1), (~hits).sum(1)
    return float((((ranks * hits).sum(1) - p * (p + 1) / 2) / (p * n)).std(ddof=1))


def test_bootstrap_of_confusion_cells_agrees_with_resampling_examples() -> None:
    rng = np.random.default_rng(3)
    labels = rng.choice(4, 400, p=[0.1, 0.55, 0.3, 0.05])
    preds = np.where(rng.random(400) < 0.7, labels, rng.integers(0, 4, 400))
    cells = resampling.bootstrap_standard_error(labels, preds, metrics.macro_f1, 4)
    naive = _example_bootstrap(labels, preds, metrics.macro_f1, 4)
    assert cells == pytest.approx(naive, rel=0.1)
    # Accuracy's bootstrap is the binomial standard error.
    accuracy = float((labels == preds).mean())
    assert resampling.bootstrap_standard_error(labels, preds, metrics.accuracy, 4) == pytest.approx(proportions.standard_error(accuracy, 400), rel=0.06)
    # Seeded: the same predictions, the same estimate.
    assert resampling.bootstrap_standard_error(labels, preds, metrics.macro_f1, 4) == cells


def test_paired_bootstrap_of_accuracy_is_the_paired_proportion_error() -> None:
    rng = np.random.default_rng(4)
    labels = rng.integers(0, 3, 500)
    preds_a = np.where(rng.random(500) < 0.6, labels, rng.integers(0, 3, 500))
    preds_b = np.where(rng.random(500) < 0.85, preds_a, rng.integers(0, 3, 500))
    test = paired.mcnemar(preds_a == labels, preds_b == labels)
    b, c, n = test.only_a_right, test.only_b_right, test.n
    wald = math.sqrt(b + c - (c - b) ** 2 / n) / n  # the bootstrap estimates the unrestricted paired variance
    assert resampling.paired_bootstrap_standard_error(labels, preds_a, preds_b, metrics.accuracy, 3) == pytest.approx(wald, rel=0.08)
    unpaired = math.hypot(proportions.standard_error((preds_a == labels).mean(), n), proportions.standard_error((preds_b == labels).mean(), n))
    assert wald < unpaired / 2  # runs that share most predictions: pairing is far tighter


def test_auc_of_the_bootstrap_is_scikit_learns_on_the_original_counts() -> None:
    rng = np.random.default_rng(6)
    positive = rng.random(300) < 0.3
    scores = np.round(np.clip(0.25 * positive + rng.random(300) * 0.8, 0, 1), 2)  # ties included
    ranks = np.unique(scores, return_inverse=True)[1]
    cells, counts = np.unique(np.stack([positive.astype(int), ranks], 1), axis=0, return_counts=True)
    auc = resampling._auc_from_counts(counts[None, :].astype(float), cells[:, 0] == 1, cells[:, 1], int(ranks.max()) + 1)
    assert auc[0] == pytest.approx(sk.roc_auc_score(positive, scores))


def test_auc_bootstrap_and_hanley_mcneil() -> None:
    rng = np.random.default_rng(5)
    positive = rng.random(400) < 0.4
    scores = np.clip(0.3 * positive + rng.random(400) * 0.8, 0, 1)
    auc = sk.roc_auc_score(positive, scores)
    naive = _example_bootstrap_auc(positive, scores)
    assert resampling.auc_bootstrap_standard_error(positive, scores) == pytest.approx(naive, rel=0.1)
    # Hanley & McNeil's formula, from the AUC and the class counts alone, is close to the bootstrap.
    formula = resampling.hanley_mcneil_standard_error(auc, int(positive.sum()), int((~positive).sum()))
    q1, q2 = auc / (2 - auc), 2 * auc**2 / (1 + auc)
    p, n = positive.sum(), (~positive).sum()
    assert formula == pytest.approx(math.sqrt((auc * (1 - auc) + (p - 1) * (q1 - auc**2) + (n - 1) * (q2 - auc**2)) / (p * n)))
    assert formula == pytest.approx(naive, rel=0.2)


def test_noise_adds_variances_with_welch_satterthwaite_degrees_of_freedom() -> None:
    sampling = Component("on 200 dev examples", 0.0004)
    seeds = Component("with the spread of 3 runs", 0.0009, df=2)
    noise = Noise((sampling, seeds))
    assert noise.standard_error == pytest.approx(math.sqrt(0.0013))
    assert noise.df == pytest.approx(0.0013**2 / (0.0009**2 / 2))
    assert noise.half_width() == pytest.approx(stats.t.ppf(0.975, noise.df) * math.sqrt(0.0013))
    assert Noise((sampling,)).half_width() == pytest.approx(1.959964 * 0.02, rel=1e-6)
    assert noise.described() == "on 200 dev examples, with the spread of 3 runs"
    assert noise.detectable() == pytest.approx((stats.t.ppf(0.975, noise.df) + stats.t.ppf(0.8, noise.df)) * math.sqrt(0.0013))


def test_replicate_spread_and_pooling() -> None:
    spread = Spread((0.70, 0.74, 0.67))
    assert (spread.count, spread.df) == (3, 2)
    assert spread.sd == pytest.approx(np.std([0.70, 0.74, 0.67], ddof=1))
    other = Spread((0.80, 0.82))
    variance, df = pooled_variance([spread, other, Spread((0.5,))])
    assert df == 3
    assert variance == pytest.approx((2 * spread.sd**2 + 1 * other.sd**2) / 3)
    assert pooled_variance([Spread((0.5,))]) is None


def test_permuted_confusions_keep_both_margins_and_follow_real_shuffles() -> None:
    rng = np.random.default_rng(8)
    labels, preds = rng.integers(0, 3, 200), rng.choice(3, 200, p=[0.5, 0.3, 0.2])
    matrix = _confusion(labels, preds, 3)
    tables = resampling.permuted_confusions(matrix, 4000, np.random.default_rng(0))
    assert (tables.sum(2) == matrix.sum(1)).all() and (tables.sum(1) == matrix.sum(0)).all()
    # Each cell of a shuffled table is hypergeometric: mean row·column/n, and its variance.
    rows, columns, n = matrix.sum(1)[:, None], matrix.sum(0)[None, :], 200
    assert tables.mean(0) == pytest.approx(rows * columns / n, abs=0.25)
    assert tables.var(0) == pytest.approx(rows * columns / n * (n - rows) / n * (n - columns) / (n - 1), rel=0.1)
    shuffled = np.array([_confusion(labels, rng.permutation(preds), 3) for _ in range(1500)])
    assert metrics.macro_f1(tables).std() == pytest.approx(metrics.macro_f1(shuffled).std(), rel=0.1)
    assert resampling.permutation_standard_error(labels, preds, metrics.macro_f1, 3) == pytest.approx(metrics.macro_f1(shuffled).std(), rel=0.1)
