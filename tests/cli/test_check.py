"""paribus check: findings as text, JSON or GitHub annotations; exit 1 on warnings or errors."""

from __future__ import annotations

import json
from pathlib import Path

FINDING_KEYS = {"path", "line", "column", "end_line", "end_column", "code", "severity", "message"}
LR_MESSAGE = "LEARNING_RATE changed (0.001 → 0.0003) together with hidden since b1: the result can't be attributed to one change"
HIDDEN_MESSAGE = "hidden changed (64 → 128) together with LEARNING_RATE since b1: the result can't be attributed to one change"


def test_text_lists_each_finding_with_a_summary_and_exits_1_on_warnings(cli, project: Path) -> None:
    run = cli("check", cwd=project)
    assert run.code == 1
    assert run.out == (
        f"train.py:4:17: PB101 [warning] {LR_MESSAGE}\n"
        f"train.py:6:10: PB101 [warning] {HIDDEN_MESSAGE}\n"
        "\nFound 2 findings (2 warning).\n"
    )


def test_json_findings_have_the_documented_keys_with_1_based_positions(cli, project: Path) -> None:
    run = cli("check", "--format", "json", cwd=project)
    assert run.code == 1
    findings = json.loads(run.out)
    assert all(set(finding) == FINDING_KEYS for finding in findings)
    assert findings == [
        {"path": "train.py", "line": 4, "column": 17, "end_line": 4, "end_column": 21,
         "code": "PB101", "severity": "warning", "message": LR_MESSAGE},
        {"path": "train.py", "line": 6, "column": 10, "end_line": 6, "end_column": 13,
         "code": "PB101", "severity": "warning", "message": HIDDEN_MESSAGE},
    ]


def test_github_format_is_one_workflow_command_per_finding(cli, project: Path) -> None:
    run = cli("check", "--format", "github", cwd=project)
    assert run.code == 1
    assert run.out.splitlines() == [
        f"::warning file=train.py,line=4,col=17,endLine=4,endColumn=21,title=PB101::{LR_MESSAGE}",
        f"::warning file=train.py,line=6,col=10,endLine=6,endColumn=13,title=PB101::{HIDDEN_MESSAGE}",
    ]


def test_ignoring_the_only_code_passes(cli, project: Path) -> None:
    run = cli("check", "--ignore", "PB101", cwd=project)
    assert (run.code, run.out) == (0, "All checks passed.\n")


def test_select_takes_lowercase_prefixes(cli, project: Path) -> None:
    assert cli("check", "--select", "pb1", cwd=project).code == 1
    assert cli("check", "--select", "PB6,PB5", cwd=project).out == "All checks passed.\n"


def test_info_findings_alone_exit_0(cli, project: Path) -> None:
    (project / "train.py").write_text((project / "train.py").read_text().replace("hidden = 128", "hidden = 64"))
    run = cli("check", cwd=project)
    assert run.code == 0
    assert run.out == (
        "train.py:4:17: PB102 [info] LEARNING_RATE changed (0.001 → 0.0003) with no hypothesis recorded for the run\n"
        "\nFound 1 finding (1 info).\n"
    )


def test_a_broken_log_is_an_error(cli, project: Path) -> None:
    (project / "experiments.yaml").write_text("- id: b1\n  kind: [baseline\n")
    run = cli("check", "--format", "json", cwd=project)
    assert run.code == 1
    codes = {(finding["path"], finding["code"], finding["severity"]) for finding in json.loads(run.out)}
    assert ("experiments.yaml", "PB601", "error") in codes


def test_a_file_argument_reports_only_that_file(cli, project: Path) -> None:
    (project / "experiments.yaml").write_text((project / "experiments.yaml").read_text() + "- id: ea1\n  kind: error-analysis\n  of: zz\n")
    everything = {finding["code"] for finding in json.loads(cli("check", "--format", "json", cwd=project).out)}
    assert "PB603" in everything
    only_script = json.loads(cli("check", "train.py", "--format", "json", cwd=project).out)
    assert {finding["path"] for finding in only_script} == {"train.py"}


def test_paths_are_shown_relative_to_the_working_folder(cli, project: Path) -> None:
    (project / "sub").mkdir()
    run = cli("check", "..", "--format", "json", cwd=project / "sub")
    assert {finding["path"] for finding in json.loads(run.out)} == {"../train.py"}


def test_a_missing_path_exits_2(cli, project: Path) -> None:
    run = cli("check", "nope", cwd=project)
    assert run.code == 2
    assert run.out == ""
    assert run.err.startswith("paribus: no such file or directory: ") and run.err.rstrip().endswith("nope")
