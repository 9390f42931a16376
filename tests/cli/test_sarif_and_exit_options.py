"""paribus check --format sarif (SARIF 2.1.0 for code scanning), and the options that decide the
exit code or which named files are judged (what a pre-commit hook needs)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from paribus.core.judgement.rules import RULES

SARIF_SCHEMA = Path(__file__).resolve().parents[1] / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"
LR_MESSAGE = "LEARNING_RATE changed (0.001 → 0.0003) together with hidden since b1: the result can't be attributed to one change"


def test_sarif_is_valid_against_the_sarif_2_1_0_schema(cli, project: Path) -> None:
    run = cli("check", "--format", "sarif", cwd=project)
    assert run.code == 1
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert list(jsonschema.Draft4Validator(schema).iter_errors(json.loads(run.out))) == []


def test_sarif_results_point_at_the_changed_lines_with_the_rule_metadata(cli, project: Path) -> None:
    log = json.loads(cli("check", "--format", "sarif", cwd=project).out)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == sorted(RULES)
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.resolve().as_uri() + "/"
    first = run["results"][0]
    assert first["ruleId"] == "PB101" and rules[first["ruleIndex"]]["id"] == "PB101"
    assert first["level"] == "warning"
    assert first["message"]["text"] == LR_MESSAGE
    assert first["locations"] == [{"physicalLocation": {
        "artifactLocation": {"uri": "train.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 4, "startColumn": 17, "endLine": 4, "endColumn": 21}}}]
    assert [result["locations"][0]["physicalLocation"]["region"]["startLine"] for result in run["results"]] == [4, 6]
    pb101 = rules[first["ruleIndex"]]
    assert pb101["shortDescription"]["text"] == RULES["PB101"].summary()
    assert pb101["help"]["markdown"] == RULES["PB101"].markdown()
    assert pb101["defaultConfiguration"] == {"level": "warning"}


def test_info_findings_are_sarif_notes(cli, project: Path) -> None:
    (project / "train.py").write_text((project / "train.py").read_text().replace("hidden = 128", "hidden = 64"))
    results = json.loads(cli("check", "--format", "sarif", cwd=project).out)["runs"][0]["results"]
    assert [(result["ruleId"], result["level"]) for result in results] == [("PB102", "note")]


def test_exit_zero_reports_but_never_fails(cli, project: Path) -> None:
    run = cli("check", "--exit-zero", cwd=project)
    assert run.code == 0
    assert "PB101" in run.out


def test_fail_on_sets_the_severity_that_fails(cli, project: Path) -> None:
    assert cli("check", "--fail-on", "error", cwd=project).code == 0
    assert cli("check", "--fail-on", "warning", cwd=project).code == 1
    (project / "train.py").write_text((project / "train.py").read_text().replace("hidden = 128", "hidden = 64"))
    assert cli("check", "--fail-on", "warning", cwd=project).code == 0  # PB102 is only info
    assert cli("check", "--fail-on", "info", cwd=project).code == 1


def test_project_files_only_skips_named_files_that_are_not_the_projects(cli, project: Path) -> None:
    (project / "setup.py").write_text("import random\nx = random.random()\nLEARNING_RATE = 0.5\n")
    assert "setup.py" in cli("check", "setup.py", "--exit-zero", cwd=project).out  # named: judged as a script
    run = cli("check", "--project-files-only", "setup.py", cwd=project)
    assert (run.code, run.out) == (0, "All checks passed.\n")
    run = cli("check", "--project-files-only", "setup.py", "train.py", cwd=project)
    assert run.code == 1
    assert [line.split(": ")[1].split()[0] for line in run.out.splitlines() if line.startswith("train.py")] == ["PB101", "PB101"]
