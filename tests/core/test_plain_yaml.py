"""The plain reader of log entries gives what PyYAML's composer gives, or steps aside.

Every entry the plain reader accepts is also composed by PyYAML, and the two results must be
identical: raw values, key and value spans, the entry's span, the validated entry and its
problems. Entries come from the repository's logs, from hand-written awkward cases and from
hypothesis.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paribus.core.actions.fixes import render_entry
from paribus.core.model import log as logmodel
from paribus.core.model.plain_yaml import read_plain_entry

ROOT = Path(__file__).parent.parent.parent
LOGS = [ROOT / "examples/ecg-af/experiments.yaml", ROOT / "tests/fixtures/lsp-project/experiments.yaml",
        ROOT / "tests/e2e/fixtures/project/experiments.yaml"]
_ENTRY_START = re.compile(r"^-(?=[ \t\r\n]|$)", re.M)


def chunks_of(text: str) -> list[str]:
    starts = [match.start() for match in _ENTRY_START.finditer(text)] + [len(text)]
    return [text[start:end] for start, end in zip(starts, starts[1:])]


def summary(parsed) -> list:
    return [(item.raw, item.key_spans, item.value_spans, item.span,
             item.entry.model_dump() if item.entry else None,
             [(p.code, p.message, p.span) for p in item.problems]) for item in parsed]


def assert_same_as_composer(chunk: str) -> bool:
    """True when the plain reader took the entry (and then agrees with the composer)."""
    plain = logmodel._read_plain(chunk)
    if plain is None:
        return False
    composed = logmodel._compose_chunk(chunk)
    assert not isinstance(composed, logmodel.LogProblem), composed
    assert summary(plain) == summary(composed)
    return True


AWKWARD = [
    "- id: e1\n  kind: experiment\n",
    "- id: e1\n  kind: experiment",  # no final line break
    "-   id: e1\n    kind: baseline\n    result: {val_acc: 0.7}\n",
    "- id: e1  # the first\n  kind: experiment   # trailing comment\n\n# a comment line\n\n",
    "- id: e1\n  kind: experiment\n  hypothesis:\n  prediction:   # to fill\n",
    "- id: 12\n  kind: baseline\n  parent: 1.5\n",
    "- id: e1\n  kind: experiment\n  change: {lr: [0.001, 3.0e-4], wd: [1e-4, 0.1]}\n",
    "- id: e1\n  kind: experiment\n  change: {lr: [1_000, 0x10], flag: [yes, off], none: [~, null]}\n",
    "- id: e1\n  kind: experiment\n  date: 2026-11-17\n",
    "- id: e1\n  kind: experiment\n  date: 2026-13-01\n",
    "- id: e1\n  kind: experiment\n  date: 2026-11-17 10:00:00\n",
    "- id: e1\n  kind: experiment\n  hypothesis: \"lr: smaller is better # really\"\n",
    "- id: e1\n  kind: experiment\n  hypothesis: 'it''s the lr'\n",
    "- id: e1\n  kind: experiment\n  hypothesis: \"escaped \\\" quote\"\n",
    "- id: e1\n  kind: experiment\n  hypothesis: use [CLS] pooling, not {mean}\n",
    "- id: e1\n  kind: experiment\n  hypothesis: a#b c  # comment\n",
    "- id: e1\n  kind: experiment\n  hypothesis: λ = 3e-4 学习率\n",
    "- id: e1\n  kind: experiment\n  hypothesis: >\n    folded text\n",
    "- id: e1\n  kind: experiment\n  params:\n    lr: 0.1\n",
    "- id: e1\n  kind: experiment\n  targets:\n  - blurry\n",
    "- id: e1\n  kind: experiment\n  targets: [blurry, dark]\n  result: {}\n  params: []\n",
    "- id: &a e1\n  kind: experiment\n",
    "- id: e1\n  kind: !!str experiment\n",
    "- id: e1\n\tkind: experiment\n",
    "- id: e1\r\n  kind: experiment\r\n",
    "- id: e1\n  kind: experiment\n  kind: poc\n",
    "- id: e1\n  kind: experiment\n  result: {val_acc: .inf, loss: -.5, n: -3}\n",
    "- id: e1\n  kind: experiment\n  result: {1: a, true: b}\n",
    "- id: e1\n  kind: experiment\n  note: -\n",
    "- id: e1\n  kind: experiment\n  note: - x\n",
    "- id: e1\n  kind: experiment\n  note: {a: 1}}\n",
    "- id: e1\n  kind: experiment\n  note: value:\n",
    "- id: e1\n  kind: nonsense\n  examined: many\n",
    "- id: e1\n  kind: experiment\n  multi: first\n    continued\n",
    "- id: e1\n kind: experiment\n",
    "- {id: e1, kind: experiment}\n",
    "- - nested\n",
    "-\n",
]


@pytest.mark.parametrize("chunk", AWKWARD)
def test_awkward_entries_read_as_the_composer_reads_them(chunk: str) -> None:
    assert_same_as_composer(chunk)


def test_entries_of_the_repository_logs() -> None:
    taken = [assert_same_as_composer(chunk) for path in LOGS for chunk in chunks_of(path.read_text(encoding="utf-8"))]
    # The demo log's exploration (folded notes), baseline (nested params) and error analysis
    # (folded conclusion) are composed; its two experiments and the fixtures' entries are plain.
    assert sum(taken) == 5


def test_entries_written_by_paribus_are_read_without_the_composer(monkeypatch) -> None:
    composed = []
    monkeypatch.setattr(logmodel, "_compose", lambda text: composed.append(text) or yaml.compose(text, Loader=logmodel._Loader))
    entries = [
        {"id": "b1", "kind": "baseline", "date": dt.date(2026, 1, 2), "params": {"LR": 0.001, "BATCH": 32}, "result": {"val_acc": 0.7}},
        {"id": "e1", "kind": "experiment", "parent": "b1", "change": {"LR": [0.001, 0.0003]}, "hypothesis": None,
         "prediction": {"metric": "val_acc", "direction": "up", "by": 0.01}},
    ]
    text = "".join(render_entry(entry) for entry in entries)
    parsed = logmodel.parse_log(text + "# read plainly\n")
    assert composed == []
    assert [item.entry.id for item in parsed.entries] == ["b1", "e1"]
    assert parsed.entries[1].entry.change == {"LR": (0.001, 0.0003)}
    assert parsed.entries[1].value_spans["change"] == logmodel.Span(9, 11, 9, 32)  # `  change: {LR: [0.001, 0.0003]}`


def test_the_pure_python_loader_marks_are_matched_too() -> None:
    for chunk in ["- id: e1\n  kind: x", "- id: e1\n  kind: x\n# c", "- id: e1\n  kind: x\n\n"]:
        node = yaml.compose(chunk, Loader=yaml.SafeLoader).value[0]
        plain = read_plain_entry(chunk, libyaml_marks=False)
        assert plain.start == (node.start_mark.line, node.start_mark.column)
        assert plain.end == (node.end_mark.line, node.end_mark.column)


_WORDS = st.sampled_from(["val_acc", "up", "down", "blurry", "two words", "yes", "No", "on", "null", "~", "true",
                          "1.5", "-2", "+3", "0.0001", "1e-4", "3.0e-4", ".5", "07", "0o7", "1_000", "2026-01-02",
                          "2026-1-2", "1:30", "a#b", "x-y", "=", "<<", "inf", ".inf", ".NaN", "e1", "λ", "a b c"])
_KEYS = st.sampled_from(["id", "kind", "date", "script", "params", "result", "of", "examined", "categories",
                         "conclusion", "parent", "intervention", "targets", "change", "hypothesis", "prediction",
                         "verdict", "notes", "x_1", "with-dash"])


def _flow(depth: int):
    scalar = _WORDS.filter(lambda word: " " not in word or depth > 0)
    if depth == 0:
        return scalar
    inner = _flow(depth - 1)
    sequence = st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]")
    mapping = st.lists(st.tuples(_WORDS.filter(lambda word: " " not in word), inner), max_size=3).map(
        lambda pairs: "{" + ", ".join(f"{key}: {value}" for key, value in pairs) + "}")
    return st.one_of(scalar, sequence, mapping)


_VALUE = st.one_of(_WORDS, _flow(2), _WORDS.map(lambda word: f'"{word}"'), _WORDS.map(lambda word: f"'{word}'"), st.just(""))
_LINE = st.tuples(_KEYS, _VALUE, st.sampled_from(["", "  # note", " #x"]))


@settings(max_examples=400, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE, min_size=1, max_size=8), st.sampled_from([2, 3, 4]), st.booleans(), st.booleans())
def test_generated_entries_read_as_the_composer_reads_them(lines, indent, blank_line, final_break) -> None:
    body = []
    for index, (key, value, comment) in enumerate(lines):
        lead = "-" + " " * (indent - 1) if index == 0 else " " * indent
        body.append(f"{lead}{key}: {value}{comment}".rstrip() if value or comment else f"{lead}{key}:")
        if blank_line and index == 0:
            body.append("")
    chunk = "\n".join(body) + ("\n" if final_break else "")
    try:
        yaml.compose(chunk, Loader=logmodel._Loader)
    except yaml.YAMLError:
        assert logmodel._read_plain(chunk) is None  # the composer's error is what the user sees
        return
    assert_same_as_composer(chunk)


# What the composer path checks beyond the schema: each case is read by both readers (the plain
# one may step aside), and the whole log gives the problems written beside it, found by reading
# the text: (code, message start, line, column, end line, end column).
_BOMB = "- id: e1\n  kind: experiment\n  params: {a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a], c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b], d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c], e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]}\n"
_DEEP = "- id: e1\n  kind: experiment\n  params: {a: " + "[" * 70 + "]" * 70 + "}\n"
_PROBLEM_CASES = [
    # Anchors and aliases: left to the composer, which counts what an alias expands to.
    (_BOMB, [("PB602", "entry e1 expands to more than 100,000 values (through aliases): not read", 1, 3, 1, 4)]),
    ("- id: e1\n  kind: experiment\n  params: &p {lr: 0.1}\n  notes: *p\n", []),
    ("- id: e1\n  kind: experiment\n  hypothesis: a*b is smaller\n", []),
    # Nesting deeper than the log reads, in one line: refused on the entry's first key.
    (_DEEP, [("PB602", "entry e1 nests more than 64 levels deep: not read", 1, 3, 1, 4)]),
    ("- id: e1\n  kind: experiment\n  params: {a: " + "[" * 20 + "]" * 20 + "}\n", []),
    # Problems located on the nested key: error-analysis categories, result values.
    ("- id: ea1\n  kind: error-analysis\n  of: b1\n  examined: 10\n  categories: {blurry: 3, dark: 12}\n",
     [("PB602", "entry ea1: category `dark` counts 12 errors but only 10 were examined", 5, 27, 5, 31)]),
    ("- id: ea1\n  kind: error-analysis\n  of: b1\n  examined: 10\n  categories: {blurry: -1}\n",
     [("PB602", "entry ea1: category `blurry` counts -1 errors: a count can't be negative", 5, 16, 5, 22)]),
    ("- id: ea1\n  kind: error-analysis\n  of: b1\n  examined: 10\n  categories: {blurry: 6, dark: 7}\n",
     [("PB602", "entry ea1: the categories count 13 errors in all but 10 were examined", 5, 3, 5, 13)]),
    ("- id: e1\n  kind: experiment\n  result: {val_acc: high}\n",
     [("PB602", "entry e1: `result.val_acc`: ", 3, 12, 3, 19)]),
    # Dates: an impossible one is located on its key.
    ("- id: e1\n  kind: experiment\n  date: 2026-02-30\n",
     [("PB602", "entry e1: `date`: 2026-02-30 is not a valid date", 3, 3, 3, 7)]),
    ("- id: e1\n  kind: experiment\n  date: 2026-02-28\n", []),
    # Numbers past float range and non-finite ones are no result.
    ("- id: e1\n  kind: experiment\n  result: {val_acc: .inf}\n", [("PB602", "entry e1: `result.val_acc`: ", 3, 12, 3, 19)]),
    ("- id: e1\n  kind: experiment\n  result: {val_acc: 1e400}\n", [("PB602", "entry e1: `result.val_acc`: ", 3, 12, 3, 19)]),
    ("- id: e1\n  kind: experiment\n  result: {val_acc: 1" + "0" * 400 + "}\n", [("PB602", "entry e1: `result.val_acc`: ", 3, 12, 3, 19)]),
    ("- id: e1\n  kind: experiment\n  prediction: {metric: val_acc, direction: up, by: .nan}\n",
     [("PB602", "entry e1: `prediction.by`: ", 3, 48, 3, 50)]),
    ("- id: e1\n  kind: experiment\n  result: {val_acc: 1e300, loss: -0.0}\n", []),
    # Line breaks the editor counts (a lone CR is one) and those it doesn't (NEL, LS, PS).
    ("- id: e1\r  kind: experiment\r  result: {val_acc: high}\r", [("PB602", "entry e1: `result.val_acc`: ", 3, 12, 3, 19)]),
    ("- id: e1\n  kind: experiment\n  hypothesis: a\x85   b\n  result: {val_acc: high}\n",
     [("PB602", "entry e1: `result.val_acc`: ", 4, 12, 4, 19)]),
    ("- id: e1\n  kind: experiment\n  hypothesis: a\u2028   b\u2029   c\n  result: {val_acc: high}\n",
     [("PB602", "entry e1: `result.val_acc`: ", 4, 12, 4, 19)]),
    ("- id: e1\r\n  kind: experiment\r\n  result: {val_acc: high}\r\n", [("PB602", "entry e1: `result.val_acc`: ", 3, 12, 3, 19)]),
    ("- id: e1\r\n  kind: experiment\r\n  result: {val_acc: 0.5}", []),
    ("- id: e1\r\n  kind: experiment\r\n# a comment\r\n\r\n", []),
]


@pytest.mark.parametrize(("chunk", "expected"), _PROBLEM_CASES)
def test_what_the_composer_checks_is_checked_whichever_reader_reads(chunk: str, expected: list) -> None:
    assert_same_as_composer(chunk)
    problems = [(p.code, p.message, p.span.line, p.span.column, p.span.end_line, p.span.end_column)
                for p in logmodel.parse_log(chunk).problems]
    assert [(code, line, column, end_line, end_column) for code, _, line, column, end_line, end_column in problems] == [
        (code, line, column, end_line, end_column) for code, _, line, column, end_line, end_column in expected]
    assert all(got[1].startswith(want[1]) for got, want in zip(problems, expected)), problems


@pytest.mark.parametrize("chunk", [_BOMB, _DEEP, "- id: e1\n  kind: experiment\n  hypothesis: a*b\n",
                                   "- id: e1\r  kind: experiment\r", "- id: e1\n  kind: experiment\n  hypothesis: a\x85b\n",
                                   "- id: e1\n  kind: experiment\n  params: {a: " + "[" * 20 + "]" * 20 + "}\n",
                                   "- id: e1\n  kind: experiment\n  date: 2026-02-30\n",
                                   "- id: e1\n  kind: experiment\n  result: {val_acc: .inf}\n"])
def test_the_plain_reader_steps_aside_for_what_only_the_composer_reads(chunk: str) -> None:
    assert logmodel._read_plain(chunk) is None


@pytest.mark.parametrize("chunk", [
    "- id: e1\n  kind: experiment\n  date: 2026-02-28\n",
    "- id: ea1\n  kind: error-analysis\n  of: b1\n  examined: 10\n  categories: {blurry: 3, dark: 7}\n",
    "- id: e1\n  kind: experiment\n  result: {val_acc: 1e300, loss: -0.0}\n",
    "- id: e1\n  kind: experiment\n  params: {a: " + "[" * 10 + "]" * 10 + "}\n",
    "- id: e1\r\n  kind: experiment\r\n  result: {val_acc: 0.5}",
    "- id: e1\r\n  kind: experiment\r\n# a comment\r\n\r\n",
])
def test_the_plain_reader_reads_what_is_plain_and_agrees(chunk: str) -> None:
    assert assert_same_as_composer(chunk)
