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


def _is_suppressed(finding: Finding, lines_of: Mapping[Path, list[str]]) -> bool:
    lines = lines_of.get(finding.path)
    if not lines or finding.span.line > len(lines):
        return False
    codes = suppressed_codes(lines[finding.span.line - 1])
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
    lines_of = _lines_of(ctx, {f.path for f in findings})
    unique = {(f.path, f.span, f.code, f.message): f for f in findings if not _is_suppressed(f, lines_of)}
    return sorted(unique.values(), key=lambda f: (str(f.path), f.span, f.code))


def _with_severity(finding: Finding, severity: Severity) -> Finding:
    return Finding(finding.code, finding.message, severity, finding.path, finding.span, finding.fixes)


def _lines_of(ctx: CheckContext, paths: set[Path]) -> dict[Path, list[str]]:
    result = {}
    for path in paths:
        view = ctx.view(path)
        text = view.text if view is not None else ctx.project.read(path)
        result[path] = text_lines(text) if text else []
    return result


def check_project(root: Path, **options) -> list[Finding]:
    project = Project(root.resolve())
    return run_rules(project.context(), **options)
