"""Analyses behind the diagnostic workflow: error analysis of predictions, bias/variance,
learning curves, category ceilings and proof-of-concept progress.

Every function is pure and returns frozen dataclasses with ``to_json()``. pandas and numpy
are imported inside the functions that need them, so importing this package stays cheap.
"""

from paribus.core.analysis.bias_variance import BiasVariance, bias_variance
from paribus.core.analysis.ceilings import (
    Ceiling,
    PocProgress,
    category_ceilings,
    poc_progress,
)
from paribus.core.analysis.errors import AnalysisError
from paribus.core.analysis.learning_curve import LearningCurve, learning_curve
from paribus.core.analysis.verdict import Verdict

# The prediction reader is imported on first use (PEP 562): a check that only needs the
# bias/variance readout doesn't load it.
_FROM_PREDICTIONS = {"ChanceComparison", "ClassStats", "ConfidenceSummary", "ConfusedPair",
                     "PredictionAnalysis", "TagValueStats", "analyze_predictions"}


def __getattr__(name: str):
    if name not in _FROM_PREDICTIONS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from paribus.core.analysis import predictions

    return getattr(predictions, name)

__all__ = [
    "AnalysisError",
    "BiasVariance",
    "Ceiling",
    "ChanceComparison",
    "ClassStats",
    "ConfidenceSummary",
    "ConfusedPair",
    "LearningCurve",
    "PocProgress",
    "PredictionAnalysis",
    "TagValueStats",
    "Verdict",
    "analyze_predictions",
    "bias_variance",
    "category_ceilings",
    "learning_curve",
    "poc_progress",
]
