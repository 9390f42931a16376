"""Findings as a SARIF 2.1.0 log, for code-scanning uploads (GitHub and others).

Rule metadata comes from the rule docs, so a code-scanning alert shows the same text as the
hover. Columns count Unicode code points, as Paribus' do (SARIF's default is UTF-16).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from paribus import __version__
from paribus.core.judgement.findings import Finding

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning", "info": "note", "hint": "note"}
_SOURCE_ROOT = "%SRCROOT%"


def sarif_log(findings: list[Finding], base: Path, locations) -> dict[str, Any]:
    """One run holding every rule Paribus has and the findings, paths relative to ``base``.

    ``locations`` (``cli.common.Locations``) places a notebook cell's span where the file
    holds it (viewers show the ``.ipynb`` as it is written); the cell is in ``properties``.
    """
    from paribus.core.judgement.rules import RULES

    codes = sorted(RULES)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "Paribus", "version": __version__, "semanticVersion": __version__,
                                    "rules": [_rule(RULES[code]) for code in codes]}},
                "columnKind": "unicodeCodePoints",
                "originalUriBaseIds": {_SOURCE_ROOT: {"uri": base.resolve().as_uri() + "/"}},
                "results": [_result(finding, codes, base, locations) for finding in findings],
            }
        ],
    }


def _rule(rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": "".join(part.capitalize() for part in rule.name.split("-")),
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": rule.section("What it does") or rule.summary()},
        "help": {"text": rule.docs(), "markdown": rule.markdown()},
        "defaultConfiguration": {"level": _LEVELS[rule.severity.value]},
    }


def _result(finding: Finding, codes: list[str], base: Path, locations) -> dict[str, Any]:
    cell, span = locations.in_file(finding.path, finding.span, finding.code)
    region = {"startLine": span.line, "startColumn": span.column, "endLine": span.end_line, "endColumn": span.end_column}
    extra = {"properties": {"cell": cell}} if cell is not None else {}  # the region: where the cell's line is in the .ipynb
    return {**extra,
        "ruleId": finding.code,
        "ruleIndex": codes.index(finding.code),
        "level": _LEVELS[finding.severity.value],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(finding.path, base), "region": region}}],
    }


def _artifact(path: Path, base: Path) -> dict[str, str]:
    try:
        return {"uri": path.resolve().relative_to(base.resolve()).as_posix(), "uriBaseId": _SOURCE_ROOT}
    except ValueError:  # outside the folder the scan was run from
        return {"uri": path.resolve().as_uri()}
