"""Every rule's VALID and INVALID examples, run as a project on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from paribus.core.judgement.check import run_rules
from paribus.core.judgement.rules import RULES
from paribus.core.model.project import Project


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)  # a file that is not UTF-8
        else:
            path.write_text(text, encoding="utf-8")


def _cases(attribute: str):
    for code, rule in RULES.items():
        for index, example in enumerate(getattr(rule, attribute)):
            yield pytest.param(code, example, id=f"{code}-{attribute.lower()}-{index}")


@pytest.mark.parametrize(("code", "example"), list(_cases("VALID")))
def test_valid_example_has_no_finding(tmp_path: Path, code: str, example) -> None:
    _write(tmp_path, example.files)
    findings = run_rules(Project(tmp_path).context(), select=[code])
    assert [(f.path.name, f.span.line, f.message) for f in findings] == []


@pytest.mark.parametrize(("code", "example"), list(_cases("INVALID")))
def test_invalid_example_fires_where_expected(tmp_path: Path, code: str, example) -> None:
    _write(tmp_path, example.files)
    findings = run_rules(Project(tmp_path).context(), select=[code])
    assert sorted((f.path.name, f.span.line) for f in findings) == sorted(example.expect)
    assert all(f.code == code for f in findings)


@pytest.mark.parametrize("code", list(RULES))
def test_every_rule_documents_itself(code: str) -> None:
    rule = RULES[code]
    for heading in ("What it does", "Why is this bad?", "Example"):
        assert rule.section(heading), f"{code} lacks '{heading}'"
    assert rule.INVALID, f"{code} has no invalid example"
    assert rule.summary()
