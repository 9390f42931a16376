"""paribus params and paribus diff: the hyperparameters a file sets, and what changed."""

from __future__ import annotations

import json
from pathlib import Path

PARAM_KEYS = {"name", "value", "line", "kind"}


def test_params_text_is_line_name_text_kind(cli, project: Path) -> None:
    run = cli("params", "train.py", cwd=project)
    assert run.code == 0
    assert run.out.splitlines() == [
        "    3  random.seed    0                 seed",
        "    4  LEARNING_RATE  3e-4              constant",
        "    5  BATCH_SIZE     32                constant",
        "    6  hidden         128               constant",
    ]


def test_params_json_has_the_documented_keys_and_parsed_values(cli, project: Path) -> None:
    rows = json.loads(cli("params", "train.py", "--format", "json", cwd=project).out)
    assert all(PARAM_KEYS <= set(row) for row in rows)
    assert [{key: row[key] for key in PARAM_KEYS} for row in rows] == [
        {"name": "random.seed", "value": 0, "line": 3, "kind": "seed"},
        {"name": "LEARNING_RATE", "value": 0.0003, "line": 4, "kind": "constant"},
        {"name": "BATCH_SIZE", "value": 32, "line": 5, "kind": "constant"},
        {"name": "hidden", "value": 128, "line": 6, "kind": "constant"},
    ]


def test_params_of_a_file_without_any(cli, tmp_path: Path) -> None:
    (tmp_path / "empty.py").write_text("print('hello')\n")
    run = cli("params", "empty.py", cwd=tmp_path)
    assert (run.code, run.out) == (0, "No hyperparameters found.\n")


def test_params_of_a_missing_file_exits_2(cli, tmp_path: Path) -> None:
    run = cli("params", "nope.py", cwd=tmp_path)
    assert (run.code, run.out, run.err) == (2, "", "paribus: no such file: nope.py\n")


def test_diff_shows_each_changed_value(cli, project: Path) -> None:
    (project / "old.py").write_text((project / "train.py").read_text().replace("hidden = 128", "hidden = 64"))
    run = cli("diff", "old.py", "train.py", cwd=project)
    assert (run.code, run.out) == (0, "    6  hidden: 64 → 128\n")
    rows = json.loads(cli("diff", "old.py", "train.py", "--format", "json", cwd=project).out)
    assert rows == [{"name": "hidden", "old": 64, "new": 128, "line": 6}]


def test_diff_compares_values_not_spelling(cli, project: Path) -> None:
    (project / "old.py").write_text((project / "train.py").read_text().replace("3e-4", "0.0003"))
    run = cli("diff", "old.py", "train.py", cwd=project)
    assert (run.code, run.out) == (0, "No hyperparameter changed.\n")


def test_diff_with_a_missing_file_exits_2(cli, project: Path) -> None:
    run = cli("diff", "nope.py", "train.py", cwd=project)
    assert (run.code, run.err) == (2, "paribus: no such file: nope.py\n")
