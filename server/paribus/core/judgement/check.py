"""Run the rules over a project: selection, suppression comments and severity overrides."""

from __future__ import annotations

import fnmatch
import logging
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from paribus.core.judgement.failures import report_failure
from paribus.core.judgement.findings import Finding, Severity
from paribus.core.judgement.rules import RULES
from paribus.core.model.project import CheckContext, Project
from paribus.core.positions import text_lines

log = logging.getLogger(__name__)

_SUPPRESSION = re.compile(r"#\s*paribus:\s*ignore(?:\[([A-Z0-9, ]+)\])?", re.I)

def _selected(code: str, select: Iterable[str] | None, ignore: Iterable[str]) -> bool:
    def matches(patterns: Iterable[str]) -> bool:
        return any(code == p or code.startswith(p) or fnmatch.fnmatch(code, p) for p in patterns)

    if select is not None and not matches(select):
        return False
    return not matches(ignore)


def suppressed_codes(line_text: str) -> set[str] | None:
    """Codes a `# paribus: ignore[...]` comment on this line silences; empty set = all."""
    match = _SUPPRESSION.search(line_text)
    if match is None:
        return None
    return {code.strip().upper() for code in (match.group(1) or "").split(",") if code.strip()}


def _is_suppressed(finding: Finding, line_text: str) -> bool:
    codes = suppressed_codes(line_text)
    return codes is not None and (not codes or finding.code in codes)


def run_rules(
    ctx: CheckContext,
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    severity: Mapping[str, str] | None = None,
) -> list[Finding]:
    """All findings for the project, sorted by file and position.

    ``select``/``ignore`` from the caller narrow the card's own; ``severity`` maps a code to
    a level or to "off". A rule that raises is logged and skipped: one bug never hides the rest.
    """
    card = ctx.card.card
    card_select = card.select
    findings: list[Finding] = []
    for code, rule_class in RULES.items():
        if not _selected(code, card_select, card.ignore) or not _selected(code, select, ignore):
            continue
        level = (severity or {}).get(code)
        if level == "off":
            continue
        try:
            produced = list(rule_class().check(ctx))
        except Exception as error:  # noqa: BLE001 - a broken rule must not take the others down
            ctx.failures.append((f"rule {code}", error))
            report_failure(f"rule {code}", error)
            continue
        if level in {s.value for s in Severity}:
            produced = [_with_severity(f, Severity(level)) for f in produced]
        findings.extend(produced)
    line_of = _LineReader(ctx)
    unique = {(f.path, f.span, f.code, f.message): f for f in findings if not _is_suppressed(f, line_of(f.path, f.span.line))}
    return sorted(unique.values(), key=lambda f: (str(f.path), f.span, f.code))


def _with_severity(finding: Finding, severity: Severity) -> Finding:
    return Finding(finding.code, finding.message, severity, finding.path, finding.span, finding.fixes)


class _LineReader:
    """Lines of the files findings point at: a script's from its statements, others split once."""

    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self._split: dict[Path, list[str]] = {}

    def __call__(self, path: Path, number: int) -> str:
        view = self.ctx.view(path)
        if view is not None:
            return view.line(number)
        if path not in self._split:
            text = self.ctx.project.read(path)
            self._split[path] = text_lines(text) if text else []
        lines = self._split[path]
        return lines[number - 1] if 0 < number <= len(lines) else ""


def check_project(root: Path, **options) -> list[Finding]:
    project = Project(root.resolve())
    return run_rules(project.context(), **options)
