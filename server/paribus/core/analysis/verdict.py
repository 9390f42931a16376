"""More data or a better model? The test behind a predictions file's verdict.

Each class has a *support*: its count of training examples (from ``split == "train"`` rows
or a train-labels file), or, when no training labels are known, its count of evaluated
examples. The test, in order:

1. **inconclusive** when fewer than ``MIN_ERRORS`` (20) errors were made — the smallest
   sample DESIGN §2 accepts for an error analysis — or only one class was evaluated.
2. **targeted-data** when the *under-represented* classes — support at most
   ``UNDER_REPRESENTED_RATIO`` (0.5) × the balanced share (total support / number of
   classes, what each class would have if classes were balanced) — together err at least
   ``CONCENTRATION_LIFT`` (1.5) × the overall error rate, i.e. their share of the errors
   is ≥ 1.5 × their share of the evaluated examples. The verdict names those of them that
   err above the overall rate: collect examples of these classes.
3. **model** when every class has at least ``MIN_SUPPORT`` (30) examples: the errors are not
   explained by missing data, so capacity, hyperparameters or architecture are next. A
   well-supported class that errs ≥ 1.5 × the overall rate is named as the hardest one.
4. **inconclusive** otherwise: some class is too thin (< 30 examples) to tell data from model.

The Spearman rank correlation between class support and class error rate (≥ 3 classes) is
reported with the reasons as supporting evidence; a strongly negative value (errors fall as
support grows) agrees with *targeted-data*. It does not decide, because with 3–5 classes a
rank correlation swings on a single class.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import numpy as np

MIN_ERRORS = 20
UNDER_REPRESENTED_RATIO = 0.5
CONCENTRATION_LIFT = 1.5
MIN_SUPPORT = 30

VerdictKind = Literal["targeted-data", "model", "inconclusive"]


@dataclass(frozen=True)
class Verdict:
    kind: VerdictKind
    reasons: tuple[str, ...]
    # The classes the verdict is about: to collect data for, or the hardest ones.
    classes: tuple[str, ...] = ()
    support_error_correlation: float | None = None

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "reasons": list(self.reasons),
            "classes": list(self.classes),
            "support_error_correlation": self.support_error_correlation,
        }


def decide_verdict(
    class_names: tuple[str, ...],
    support: np.ndarray,
    n_examples: np.ndarray,
    n_errors: np.ndarray,
    *,
    support_is_training: bool,
) -> Verdict:
    """Apply the module's test to per-class counts (arrays aligned with ``class_names``)."""
    import numpy as np

    total_examples = int(n_examples.sum())
    total_errors = int(n_errors.sum())
    support_word = "training examples" if support_is_training else "evaluated examples"
    evaluated = n_examples > 0
    if total_errors < MIN_ERRORS:
        return Verdict(
            "inconclusive",
            (f"only {total_errors} errors (need at least {MIN_ERRORS} to judge where they fall)",),
        )
    if evaluated.sum() < 2:
        return Verdict("inconclusive", ("only one class was evaluated",))

    overall_rate = total_errors / total_examples
    rates = np.divide(n_errors, n_examples, out=np.zeros(len(n_errors)), where=evaluated)
    correlation = _spearman(support[evaluated], rates[evaluated])
    evidence = _correlation_reason(correlation, support_word)

    balanced_share = float(support[evaluated].sum()) / int(evaluated.sum())
    under = evaluated & (support <= UNDER_REPRESENTED_RATIO * balanced_share)
    if under.any():
        under_error_share = n_errors[under].sum() / total_errors
        under_example_share = n_examples[under].sum() / total_examples
        lift = under_error_share / under_example_share
        if lift >= CONCENTRATION_LIFT:
            failing = under & (rates > overall_rate)
            named = _by_errors(class_names, n_errors, failing)
            reasons = (
                f"classes with at most {UNDER_REPRESENTED_RATIO:g}× a balanced share "
                f"({balanced_share:,.0f} {support_word}) hold {under_error_share:.0%} of the errors "
                f"but {under_example_share:.0%} of the examples ({lift:.1f}×, threshold "
                f"{CONCENTRATION_LIFT:g}×)",
                *(
                    f"{class_names[i]}: {int(support[i]):,} {support_word}, "
                    f"error rate {rates[i]:.1%} vs {overall_rate:.1%} overall"
                    for i in _indices(class_names, named)
                ),
                "collect targeted data for these classes before changing the model",
                *evidence,
            )
            return Verdict("targeted-data", reasons, named, correlation)

    thin = evaluated & (support < MIN_SUPPORT)
    if thin.any():
        thin_names = _by_errors(class_names, n_errors, thin)
        return Verdict(
            "inconclusive",
            (
                f"{', '.join(thin_names)} {'has' if len(thin_names) == 1 else 'have'} fewer than "
                f"{MIN_SUPPORT} {support_word}: too few to tell a data problem from a model problem",
                *evidence,
            ),
            thin_names,
            correlation,
        )

    hard = evaluated & (rates >= CONCENTRATION_LIFT * overall_rate)
    hard_names = _by_errors(class_names, n_errors, hard)
    reasons = [
        f"every class has at least {MIN_SUPPORT} {support_word} (fewest: {int(support[evaluated].min()):,})",
    ]
    if hard_names:
        reasons.append(
            f"{', '.join(hard_names)} err{'s' if len(hard_names) == 1 else ''} at ≥ "
            f"{CONCENTRATION_LIFT:g}× the overall rate despite enough examples: a model or "
            "representation limit, or label noise — look at those examples"
        )
    else:
        reasons.append(
            f"errors are spread evenly: no class errs at ≥ {CONCENTRATION_LIFT:g}× the overall "
            f"rate of {overall_rate:.1%}"
        )
    reasons.append("next: capacity, hyperparameters (learning rate, network size) or architecture")
    reasons.extend(evidence)
    return Verdict("model", tuple(reasons), hard_names, correlation)


def _spearman(support: np.ndarray, rates: np.ndarray) -> float | None:
    import numpy as np
    import pandas as pd

    if len(support) < 3:
        return None
    support_ranks = pd.Series(support).rank().to_numpy()
    rate_ranks = pd.Series(rates).rank().to_numpy()
    if np.std(support_ranks) == 0 or np.std(rate_ranks) == 0:
        return None
    return float(np.corrcoef(support_ranks, rate_ranks)[0, 1])


def _correlation_reason(correlation: float | None, support_word: str) -> tuple[str, ...]:
    if correlation is None:
        return ()
    return (f"rank correlation between {support_word} and error rate: {correlation:+.2f}",)


def _by_errors(class_names: tuple[str, ...], n_errors: np.ndarray, mask: np.ndarray) -> tuple[str, ...]:
    chosen = [i for i in range(len(class_names)) if mask[i]]
    chosen.sort(key=lambda i: (-int(n_errors[i]), class_names[i]))
    return tuple(class_names[i] for i in chosen)


def _indices(class_names: tuple[str, ...], named: tuple[str, ...]) -> list[int]:
    return [class_names.index(name) for name in named]
