"""A notebook named by the card is a training script: same rules, positions as cell + line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import notebook

from paribus.cli import main

CARD = 'task = "Classify windows"\nmetric = { name = "val_acc", goal = "max" }\nscripts = ["train.ipynb"]\n'
LOG = "- id: b1\n  kind: baseline\n  params: {LEARNING_RATE: 0.001, BATCH_SIZE: 32, DROPOUT: 0.1}\n  result: {val_acc: 0.74}\n"
LR_MESSAGE = "LEARNING_RATE changed (0.001 → 0.0003) together with BATCH_SIZE since b1: the result can't be attributed to one change"
BATCH_MESSAGE = "BATCH_SIZE changed (32 → 64) together with LEARNING_RATE since b1: the result can't be attributed to one change"


def _notebook(lr: str = "0.0003", batch: str = "64") -> str:
    return notebook(
        ("markdown", "# ECG baseline"),
        ("code", "import random\nrandom.seed(0)\nDROPOUT = 0.1"),
        ("code", f"LEARNING_RATE = {lr}\nBATCH_SIZE = {batch}"),
    )


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "paribus.toml").write_text(CARD)
    (tmp_path / "experiments.yaml").write_text(LOG)
    (tmp_path / "train.ipynb").write_text(_notebook())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_two_changed_values_in_one_cell_draw_two_pb101_at_cell_and_line(project: Path, capsys) -> None:
    assert main(["check", "--select", "PB1"]) == 1
    assert capsys.readouterr().out.splitlines()[:2] == [
        f"train.ipynb:cell_3:1:17: PB101 [warning] {LR_MESSAGE}",
        f"train.ipynb:cell_3:2:14: PB101 [warning] {BATCH_MESSAGE}",
    ]


def test_a_card_without_scripts_reads_notebooks_named_like_training_scripts(project: Path, capsys) -> None:
    (project / "paribus.toml").write_text(CARD.replace('scripts = ["train.ipynb"]\n', ""))
    (project / "notebooks").mkdir()
    (project / "notebooks" / "train_cnn.ipynb").write_text(_notebook(lr="0.01", batch="32"))
    (project / "notebooks" / "explore.ipynb").write_text(_notebook(lr="0.5", batch="8"))  # not a training script
    (project / ".ipynb_checkpoints").mkdir()  # Jupyter's autosave copies are not scripts either
    (project / ".ipynb_checkpoints" / "train-checkpoint.ipynb").write_text(_notebook(lr="0.9", batch="1"))
    assert main(["check", "--select", "PB1"]) == 1
    assert [line.split(" [")[0] for line in capsys.readouterr().out.splitlines()[:3]] == [
        "notebooks/train_cnn.ipynb:cell_3:1:17: PB102",
        "train.ipynb:cell_3:1:17: PB101",
        "train.ipynb:cell_3:2:14: PB101",
    ]


def test_a_notebook_named_on_the_command_line_is_checked_as_a_named_script_is(project: Path, capsys) -> None:
    (project / "explore.ipynb").write_text(_notebook())  # the card names only train.ipynb
    assert main(["check", "--select", "PB1", "explore.ipynb"]) == 1
    assert [line.split(" [")[0] for line in capsys.readouterr().out.splitlines()[:2]] == [
        "explore.ipynb:cell_3:1:17: PB101",
        "explore.ipynb:cell_3:2:14: PB101",
    ]


def _where_written(raw: str, needle: str) -> tuple[int, int]:
    """1-based line and column of ``needle`` in the notebook file as written."""
    for number, line in enumerate(raw.split("\n"), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} is not in the file")


def test_github_and_sarif_place_cell_findings_where_the_file_holds_them(project: Path, capsys) -> None:
    raw = (project / "train.ipynb").read_text()
    lr_line, lr_column = _where_written(raw, "0.0003\\n")
    batch_line, batch_column = _where_written(raw, '64"')
    assert main(["check", "--select", "PB101", "--format", "github"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"::warning file=train.ipynb,line={lr_line},col={lr_column},endLine={lr_line},endColumn={lr_column + 6},title=PB101 (cell 3)::{LR_MESSAGE}",
        f"::warning file=train.ipynb,line={batch_line},col={batch_column},endLine={batch_line},endColumn={batch_column + 2},title=PB101 (cell 3)::{BATCH_MESSAGE}",
    ]
    main(["check", "--select", "PB101", "--format", "sarif"])
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert [(r["properties"], r["locations"][0]["physicalLocation"]["region"]) for r in results] == [
        ({"cell": 3}, {"startLine": lr_line, "startColumn": lr_column, "endLine": lr_line, "endColumn": lr_column + 6}),
        ({"cell": 3}, {"startLine": batch_line, "startColumn": batch_column, "endLine": batch_line, "endColumn": batch_column + 2}),
    ]


def test_a_cell_written_as_one_string_is_placed_inside_that_string(project: Path, capsys) -> None:
    document = json.loads((project / "train.ipynb").read_text())
    document["cells"][2]["source"] = "# tuned\tby hand: “faster”\nLEARNING_RATE = 0.0003\nBATCH_SIZE = 64"
    raw = json.dumps(document, indent=1, ensure_ascii=False)
    (project / "train.ipynb").write_text(raw)
    line, start = _where_written(raw, "0.0003")
    assert main(["check", "--select", "PB101", "--format", "github"]) == 1
    assert capsys.readouterr().out.splitlines()[0].startswith(
        f"::warning file=train.ipynb,line={line},col={start},endLine={line},endColumn={start + 6},title=PB101 (cell 3)::")


def test_json_findings_carry_the_cell(project: Path, capsys) -> None:
    main(["check", "--select", "PB1", "--format", "json"])
    findings = json.loads(capsys.readouterr().out)
    assert [(f["path"], f["cell"], f["line"], f["column"], f["end_line"], f["end_column"], f["code"]) for f in findings] == [
        ("train.ipynb", 3, 1, 17, 1, 23, "PB101"),
        ("train.ipynb", 3, 2, 14, 2, 16, "PB101"),
    ]


def test_one_change_is_pb102_and_none_is_quiet(project: Path, capsys) -> None:
    (project / "train.ipynb").write_text(_notebook(batch="32"))
    assert main(["check", "--select", "PB1"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("train.ipynb:cell_3:1:17: PB102 [info]")
    (project / "train.ipynb").write_text(_notebook(lr="0.001", batch="32"))
    assert main(["check", "--select", "PB1"]) == 0
    assert capsys.readouterr().out == "All checks passed.\n"


def test_params_lists_cell_and_line(project: Path, capsys) -> None:
    assert main(["params", "train.ipynb", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(row["name"], row["value"], row["cell"], row["line"]) for row in rows] == [
        ("random.seed", 0, 2, 2), ("DROPOUT", 0.1, 2, 3), ("LEARNING_RATE", 0.0003, 3, 1), ("BATCH_SIZE", 64, 3, 2),
    ]
    assert main(["params", "train.ipynb"]) == 0
    assert capsys.readouterr().out.splitlines()[2].split()[:2] == ["3:1", "LEARNING_RATE"]


def test_a_conflicted_notebook_is_one_located_error_and_exit_1(project: Path, capsys) -> None:
    """Git left conflict markers in the notebook: not JSON, so none of its cells can be read."""
    text = (project / "train.ipynb").read_text()
    conflicted = text.replace('    "LEARNING_RATE = 0.0003\\n",\n', '<<<<<<< HEAD\n    "LEARNING_RATE = 0.0003\\n",\n=======\n    "LEARNING_RATE = 0.001\\n",\n>>>>>>> tune-lr\n')
    assert conflicted != text
    (project / "train.ipynb").write_text(conflicted)
    marker_line = conflicted.split("\n").index("<<<<<<< HEAD") + 1
    assert main(["check"]) == 1
    on_notebook = [line for line in capsys.readouterr().out.splitlines() if line.startswith("train.ipynb")]
    assert on_notebook == [f"train.ipynb:{marker_line}:1: PB605 [error] notebook is not valid JSON: Expecting value: none of its cells is checked"]
    main(["check", "--format", "json", "--select", "PB605"])
    [finding] = json.loads(capsys.readouterr().out)
    assert (finding["path"], finding["line"], finding["column"], "cell" in finding) == ("train.ipynb", marker_line, 1, False)


def test_json_that_is_not_a_notebook_is_said_on_its_first_line(project: Path, capsys) -> None:
    (project / "train.ipynb").write_text('{"metadata": {}, "nbformat": 4}\n')
    assert main(["check", "--select", "PB605"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == "train.ipynb:1:1: PB605 [error] not a notebook: no `cells` list: none of its cells is checked"


def test_revert_in_a_notebook_writes_python_literals(project: Path) -> None:
    """The cell is Python: a string goes back quoted and a flag as `True`, never as YAML."""
    from paribus.core.judgement.check import run_rules
    from paribus.core.model.project import Project

    (project / "experiments.yaml").write_text(
        "- id: b1\n  kind: baseline\n  params: {OPTIMIZER: adam, AUGMENT: true, DROPOUT: 0.1}\n  result: {val_acc: 0.74}\n"
    )
    (project / "train.ipynb").write_text(notebook(("code", 'OPTIMIZER = "sgd"\nAUGMENT = False\nDROPOUT = 0.1')))
    findings = run_rules(Project(project).context(), select=["PB101"])
    reverts = {f.fixes[0].title: f.fixes[0].edits[0].new_text for f in findings}
    assert reverts == {"Revert OPTIMIZER to adam": "'adam'", "Revert AUGMENT to true": "True"}


def test_a_byte_not_in_utf8_is_said_on_the_notebook_file_not_in_a_cell(project: Path, capsys) -> None:
    """PB604 points at the file's own bytes: its line is the file's line, whatever cell holds it."""
    notes = "\n".join(f"# note {number}" for number in range(40))  # code lines enough to reach the byte's file line
    text = notebook(("code", "import random  # cafe\nLEARNING_RATE = 0.001"), ("code", notes))
    raw = text.encode().replace(b"# cafe", b"# caf\xe9")
    (project / "train.ipynb").write_bytes(raw)
    byte_line = next(number for number, line in enumerate(raw.split(b"\n"), 1) if b"\xe9" in line)
    main(["check", "--select", "PB604", "--format", "json"])
    [finding] = json.loads(capsys.readouterr().out)
    assert (finding["code"], finding["path"], finding["line"], "cell" in finding) == ("PB604", "train.ipynb", byte_line, False)
    main(["check", "--select", "PB604"])
    assert capsys.readouterr().out.startswith(f"train.ipynb:{byte_line}:")
