"""The extraction result types."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from paribus.core.positions import Span


@dataclass(frozen=True)
class Hyperparameter:
    """One tunable value as the code reads it.

    ``name`` is the name the code reads (``LEARNING_RATE``, argparse ``dest``, a dataclass
    field, a dotted config path ``optimizer.lr``, or ``AdamW.lr`` for a bare call keyword).
    ``value`` is the Python value when the source is a literal, else the source text.
    ``span`` covers the value's source text.
    """

    name: str
    value: Any
    text: str
    kind: str
    span: Span
    notes: tuple[str, ...] = field(default=())

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "value": self.value,
            "text": self.text,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class Change:
    name: str
    old: Any
    new: Any
    line: int  # in the new version

    def to_json(self) -> dict:
        return {"name": self.name, "old": self.old, "new": self.new, "line": self.line}
