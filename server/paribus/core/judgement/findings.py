"""What rules produce: findings, each with at most a few fixes made of text edits."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Callable

from paribus.core.positions import Span


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    HINT = "hint"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1, "hint": 0}[self.value]


@dataclass(frozen=True)
class TextEdit:
    """Replace ``span`` of the file at ``path`` with ``new_text``.

    An insertion is an empty span. ``create`` marks a file that does not exist yet.
    """

    path: Path
    span: Span
    new_text: str
    create: bool = False


@dataclass(frozen=True)
class Fix:
    title: str
    edits: tuple[TextEdit, ...] = ()
    # Where the user should land after applying the fix (e.g. the new hypothesis line).
    show: tuple[Path, Span] | None = None
    preferred: bool = False
    # Costly fixes (reading a predictions file) are built only when the user asks for them.
    build: Callable[[], Fix] | None = field(default=None, compare=False, repr=False)

    def resolved(self) -> Fix:
        return self.build() if self.build is not None else self


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    severity: Severity
    path: Path
    span: Span
    fixes: tuple[Fix, ...] = field(default=())

    def to_json(self, root: Path | None = None) -> dict:
        shown = self.path
        if root is not None:
            try:
                shown = self.path.relative_to(root)
            except ValueError:
                pass
        return {
            "path": str(shown),
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
        }
