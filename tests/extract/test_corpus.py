"""The labelled corpus: realistic scripts and configs, each with the names a user expects.

Each ``x.py`` has ``x.py.expected.json`` listing every hyperparameter (name, line) a careful
researcher would track; bookkeeping values (paths, logging, devices, seeds …) are absent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from paribus.core.extract import diff_hyperparameters, extract_file, extract_text

CORPUS = Path(__file__).parent.parent / "fixtures" / "extraction"
SOURCES = sorted(p for p in CORPUS.rglob("*") if p.is_file() and not p.name.endswith(".expected.json"))


def expected_pairs(source: Path) -> set[tuple[str, int]]:
    labels = json.loads(Path(f"{source}.expected.json").read_text())["hyperparameters"]
    return {(label["name"], label["line"]) for label in labels}


def test_corpus_is_large_enough():
    assert len(SOURCES) >= 25
    assert all(Path(f"{source}.expected.json").exists() for source in SOURCES)


def test_corpus_precision_and_recall():
    true_positives = false_positives = false_negatives = 0
    misses = []
    for source in SOURCES:
        expected = expected_pairs(source)
        found = {(p.name, p.span.line) for p in extract_file(source)}
        true_positives += len(found & expected)
        false_positives += len(found - expected)
        false_negatives += len(expected - found)
        misses += [(source.name, "unexpected", pair) for pair in sorted(found - expected)]
        misses += [(source.name, "missed", pair) for pair in sorted(expected - found)]
    precision = true_positives / max(1, true_positives + false_positives)
    recall = true_positives / max(1, true_positives + false_negatives)
    print(f"\ncorpus: {len(SOURCES)} files, precision {precision:.3f}, recall {recall:.3f}")
    for miss in misses:
        print("  ", *miss)
    assert precision >= 0.95 and recall >= 0.9, (precision, recall, misses)


def _edit_value(text: str, parameter) -> str:
    """``text`` with ``parameter``'s value text replaced by a different literal."""
    lines = text.split("\n")
    span = parameter.span
    line = lines[span.line - 1]
    old = line[span.column - 1 : span.end_column - 1]
    if isinstance(parameter.value, bool):
        new = {"True": "False", "False": "True", "true": "false", "false": "true"}.get(old, old)
    elif isinstance(parameter.value, (int, float)) and re.fullmatch(r"[-+]?[\d._eE+-]+", old):
        new = "7777" if isinstance(parameter.value, int) else "0.0123"
    else:
        return text
    lines[span.line - 1] = line[: span.column - 1] + new + line[span.end_column - 1 :]
    return "\n".join(lines)


def _editable(parameters):
    return [p for p in parameters if p.span.line == p.span.end_line
            and isinstance(p.value, (bool, int, float)) and not isinstance(p.value, str)]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_one_and_two_variable_edits_are_detected_exactly(source: Path):
    text = source.read_text()
    before = extract_text(text, source)
    editable = [p for p in _editable(before) if _edit_value(text, p) != text]
    unique_lines = {}
    for parameter in editable:
        unique_lines.setdefault(parameter.span.line, parameter)
    candidates = list(unique_lines.values())
    if not candidates:
        pytest.skip("no single-line literal to edit")
    for parameter in candidates[:3]:
        after = extract_text(_edit_value(text, parameter), source)
        assert [c.name for c in diff_hyperparameters(before, after)] == [parameter.name]
    if len(candidates) >= 2:
        first, last = candidates[0], candidates[-1]
        edited = _edit_value(_edit_value(text, last), first)
        changes = diff_hyperparameters(before, extract_text(edited, source))
        assert sorted(c.name for c in changes) == sorted([first.name, last.name])
        assert {c.line for c in changes} == {first.span.line, last.span.line}
