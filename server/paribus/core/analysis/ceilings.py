"""What fixing an error category can gain at most, and how far the proof-of-concept phase is.

A category holding a share s of the examined errors can remove at most s of the errors:
with an overall error rate e, fixing it lowers the error rate by at most s·e.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from paribus.core.analysis.errors import AnalysisError

RECOMMENDED_POC_VARIANTS = 20


@dataclass(frozen=True)
class Ceiling:
    category: str
    count: int
    share: float  # of the examined errors: the ceiling on the relative improvement
    max_error_reduction: float | None  # share × overall error rate, when the rate is known

    def to_json(self) -> dict:
        return dict(self.__dict__)


def category_ceilings(
    categories: Mapping[str, int], examined: int, overall_error: float | None
) -> list[Ceiling]:
    """Each category's ceiling, largest first (ties by name). Categories may overlap."""
    if examined <= 0:
        raise AnalysisError(f"examined must be a positive number of errors, not {examined}")
    for name, count in categories.items():
        if count < 0 or count > examined:
            raise AnalysisError(f"category {name!r} counts {count} errors but {examined} were examined")
    ceilings = [
        Ceiling(
            category=name,
            count=count,
            share=count / examined,
            max_error_reduction=count / examined * overall_error if overall_error is not None else None,
        )
        for name, count in categories.items()
    ]
    return sorted(ceilings, key=lambda ceiling: (-ceiling.count, ceiling.category))


@dataclass(frozen=True)
class PocProgress:
    n_poc: int
    recommended: int
    remaining: int
    done: bool
    message: str

    def to_json(self) -> dict:
        return dict(self.__dict__)


def poc_progress(n_poc: int, recommended: int = RECOMMENDED_POC_VARIANTS) -> PocProgress:
    """Quick proof-of-concept variants tried before committing to one direction."""
    remaining = max(recommended - n_poc, 0)
    if remaining:
        message = f"{n_poc} of ~{recommended} proof-of-concept variants tried: {remaining} more before committing"
    else:
        message = f"{n_poc} proof-of-concept variants tried (≥ {recommended}): ready to commit to one"
    return PocProgress(n_poc, recommended, remaining, remaining == 0, message)
