"""Category ceilings and proof-of-concept progress."""

from __future__ import annotations

import pytest
from paribus.core.analysis import AnalysisError, category_ceilings, poc_progress


def test_ceilings_are_shares_sorted_largest_first():
    categories = {"short-episode": 9, "noisy-signal": 22, "mislabeled": 6, "inverted-lead": 17}

    ceilings = category_ceilings(categories, examined=60, overall_error=0.42)

    assert [ceiling.category for ceiling in ceilings] == [
        "noisy-signal",
        "inverted-lead",
        "short-episode",
        "mislabeled",
    ]
    assert ceilings[0].share == pytest.approx(22 / 60)
    assert ceilings[0].max_error_reduction == pytest.approx(22 / 60 * 0.42)


def test_without_an_error_rate_only_shares_are_known():
    (ceiling,) = category_ceilings({"blur": 5}, examined=20, overall_error=None)

    assert ceiling.share == pytest.approx(0.25)
    assert ceiling.max_error_reduction is None


def test_inconsistent_counts_are_rejected():
    with pytest.raises(AnalysisError, match="category 'blur' counts 30 errors but 20 were examined"):
        category_ceilings({"blur": 30}, examined=20, overall_error=0.1)
    with pytest.raises(AnalysisError, match="examined must be a positive number"):
        category_ceilings({}, examined=0, overall_error=0.1)


def test_poc_progress():
    early = poc_progress(7)
    assert (early.remaining, early.done) == (13, False)
    assert early.message == "7 of ~20 proof-of-concept variants tried: 13 more before committing"
    assert poc_progress(20).done is True
    assert poc_progress(3, recommended=3).remaining == 0
