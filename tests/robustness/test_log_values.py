"""Malformed values in the log: a located PB602 on the key that holds them, the rest of the log
still checked, and `check` and `workflow` never print a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from small_project import LOG

EXPERIMENT = """\
- id: ea1
  kind: error-analysis
  of: b1
  examined: 60
  categories: {noisy: 30, short: 20}
- id: e1
  kind: experiment
  parent: b1
  intervention: data
  change: {LEARNING_RATE: [0.001, 0.0003]}
  hypothesis: Smaller steps.
"""


def findings(cli, project: Path, log: str) -> list[tuple[str, int, int, int, int, str]]:
    (project / "experiments.yaml").write_text(log)
    run = cli("check", "--format", "json", "--select", "PB6", cwd=project)
    assert run.err == ""
    return [(f["code"], f["line"], f["column"], f["end_line"], f["end_column"], f["severity"]) for f in json.loads(run.out)]


def workflow_survives(cli, project: Path) -> None:
    for fmt in ("text", "json", "html"):
        run = cli("workflow", "--format", fmt, cwd=project)
        assert (run.code, run.err) == (0, ""), run.err
        if fmt == "json":
            json.loads(run.out)


def test_an_impossible_date_is_pb602_on_the_date_and_the_rest_is_checked(cli, project: Path) -> None:
    log = LOG.replace("date: 2026-11-03", "date: 2026-13-01") + EXPERIMENT
    assert findings(cli, project, log) == [("PB602", 8, 3, 8, 7, "error")]
    run = cli("check", cwd=project)
    assert "experiments.yaml:8:3: PB602 [error] entry b1: `date`: 2026-13-01 is not a valid date (month must be in 1..12)" in run.out
    assert "train.py:4:17: PB101" in run.out  # b1 still gives the script its parent state
    workflow_survives(cli, project)


@pytest.mark.parametrize(("key", "value", "line", "column", "end_column"), [
    ("params", "5", 10, 3, 9), ("result", "[0.7]", 11, 3, 9), ("result", "{val_acc: high}", 11, 12, 19),
    ("result", "{val_acc: .nan}", 11, 12, 19), ("result", "{val_acc: 1" + "0" * 400 + "}", 11, 12, 19),
    ("date", "[1]", 8, 3, 7), ("script", "{a: 1}", 9, 3, 9),
])
def test_wrong_types_in_an_entry_are_pb602_on_that_key(cli, project: Path, key: str, value: str, line: int, column: int, end_column: int) -> None:
    entry_lines = LOG.split("\n")
    target = next(i for i, text in enumerate(entry_lines) if text.startswith(f"  {key}:") and i > 4)
    entry_lines[target] = f"  {key}: {value}"
    assert findings(cli, project, "\n".join(entry_lines)) == [("PB602", line, column, line, end_column, "error")]
    workflow_survives(cli, project)


@pytest.mark.parametrize(("categories", "examined", "expected"), [
    ("{noisy: 70, short: 20}", "60", [("PB602", 16, 16, 16, 21, "error")]),
    ("{noisy: -3, short: 20}", "60", [("PB602", 16, 16, 16, 21, "error")]),
    ("{noisy: 30, short: 20}", "0", [("PB602", 15, 3, 15, 11, "error")]),
    ("{noisy: 30, short: 20}", "-4", [("PB602", 15, 3, 15, 11, "error")]),
    ("{noisy: 40, short: 30}", "60", [("PB602", 16, 3, 16, 13, "info")]),
    ("{noisy: 0, short: 0}", "null", []),
])
def test_inconsistent_error_analyses_are_located_and_never_crash_the_workflow(cli, project: Path, categories: str, examined: str, expected) -> None:
    analysis = EXPERIMENT.replace("examined: 60", f"examined: {examined}").replace("{noisy: 30, short: 20}", categories)
    assert findings(cli, project, LOG + analysis) == expected
    workflow_survives(cli, project)


@pytest.mark.parametrize("separator", ["\u2028", "\x85", "\u2029"])
def test_yaml_line_breaks_the_editor_does_not_know_leave_positions_where_the_editor_shows_them(cli, project: Path, separator: str) -> None:
    """YAML 1.1 breaks lines at NEL, LS and PS too; the editor (and the LSP) only at CR, LF, CRLF."""
    log = LOG.replace("conclusion: Classes are balanced.", f'conclusion: "Classes{separator}are{separator}balanced."')
    log = log.replace("date: 2026-11-03", "date: 2026-13-01")
    assert findings(cli, project, log) == [("PB602", 8, 3, 8, 7, "error")]


def test_old_mac_line_endings_are_lines_too(cli, project: Path) -> None:
    log = LOG.replace("date: 2026-11-03", "date: 2026-13-01").replace("\n", "\r")
    assert findings(cli, project, log) == [("PB602", 8, 3, 8, 7, "error")]


def test_a_lone_cr_inside_one_entry_moves_no_later_entry(cli, project: Path) -> None:
    log = LOG.replace("date: 2026-11-03", "date: 2026-13-01").replace("  date: 2026-11-02\n", "  date: 2026-11-02\r")
    assert findings(cli, project, log) == [("PB602", 8, 3, 8, 7, "error")]


# `id` is on the entry's line: line 2 after a CR; line 1, after the break, for NEL and LS (no
# line break in the editor).
@pytest.mark.parametrize(("separator", "where"), [("\r", (2, 3, 2, 5)), ("\x85", (1, 8, 1, 10)), ("\u2028", (1, 8, 1, 10))])
def test_an_entry_after_a_line_break_only_yaml_sees_is_read_never_dropped(cli, project: Path, separator: str, where) -> None:
    """`    <CR>- id:` starts an entry for YAML; the entry may not vanish because the regular
    expressions that cut the log into entries don't see that break."""
    log = f"    {separator}- id:\n  kind: baseline\n  params: {{LR: 0.001}}\n  result: {{val_acc: 0.7}}\n- id: e1\n  kind: experiment\n  change: {{LR: [0.001, 0.0003]}}\n"
    assert findings(cli, project, log) == [("PB602", *where, "error")]
