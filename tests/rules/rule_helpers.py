"""Helpers for the rule tests: write a project, check it, apply a fix's edits to a text."""

from __future__ import annotations

from pathlib import Path

from paribus.core.judgement.check import run_rules
from paribus.core.judgement.findings import Finding, TextEdit
from paribus.core.model.project import Project


def apply_edits(text: str, edits: list[TextEdit]) -> str:
    """Apply core edits (1-based lines, code-point columns) to ``text``, last edit first."""
    lines = text.split("\n")

    def offset(line: int, column: int) -> int:
        return sum(len(lines[index]) + 1 for index in range(line - 1)) + column - 1

    for edit in sorted(edits, key=lambda e: (e.span.line, e.span.column), reverse=True):
        start = offset(edit.span.line, edit.span.column)
        end = offset(edit.span.end_line, edit.span.end_column)
        text = text[:start] + edit.new_text + text[end:]
        lines = text.split("\n")
    return text


def check(root: Path, code: str, files: dict[str, str]) -> list[Finding]:
    """Write ``files`` under ``root`` and return that rule's findings on the project."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return run_rules(Project(root).context(), select=[code])


def fixed(finding: Finding, title_start: str = "") -> str:
    """The text of the fixed file after applying the finding's (first matching) fix."""
    fix = next(f for f in finding.fixes if f.title.startswith(title_start)).resolved()
    path = fix.edits[0].path
    return apply_edits(path.read_text(encoding="utf-8"), list(fix.edits))
