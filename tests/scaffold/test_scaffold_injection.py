"""What the scaffold writes from data (column and file names, labels, the card's metric and
paths) is data in the generated code: it parses, it runs nothing it was handed, and running the
script creates no marker file. The same for the log entry and for the card `paribus init` drafts."""

from __future__ import annotations

import ast
import csv
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest
from paribus.core.actions.init_project import init_project
from paribus.core.actions.scaffold import python_literal, scaffold_baseline, write_scaffold
from paribus.core.model.log import parse_log

PAYLOAD = "import os; os.system('touch PWNED')"
HEADER = f'"""\n{PAYLOAD}\n"""'  # closes a docstring if spliced into one
NAMES = [HEADER, "x'); " + PAYLOAD + " #", 'x"); ' + PAYLOAD + " #", "a\\", "{x}", "\\N{bad}", "tab\there",
         "line\nbreak", "\u2028sep", "caf\u00e9 \U0001F600", "\x00nul"]
CARD = {"data": {"type": "tabular"}, "metric": {"name": 'val_f1"); ' + PAYLOAD + " #"},
        "predictions": 'runs/"x"\n' + PAYLOAD + ".csv", "task": HEADER, "log": "experiments.yaml"}


def names_in(script: str) -> set[str]:
    """Every name and attribute the code uses: an injected call would add `os` or `system`."""
    found = set()
    for node in ast.walk(ast.parse(script)):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            found |= {alias.name for alias in node.names}
    return found


@pytest.mark.parametrize("name", NAMES)
def test_python_literal_reads_back_as_the_same_text(name: str) -> None:
    literal = python_literal(name)
    assert ast.literal_eval(literal) == name
    assert isinstance(ast.parse(literal, mode="eval").body, ast.Constant)


@pytest.mark.parametrize("data_type", ["tabular", "text", "biosignal", "image"])
def test_hostile_names_stay_string_constants_in_every_template(tmp_path: Path, data_type: str) -> None:
    table = tmp_path / 'da"ta\n.csv'
    with open(table, "w", newline="") as out:
        csv.writer(out).writerow([HEADER, "x'); " + PAYLOAD + " #"])
    card = {**CARD, "data": {"type": data_type}}
    hostile = scaffold_baseline(tmp_path, card, data=table, label="x'); " + PAYLOAD + " #",
                                script_name="base'line.py")
    benign = scaffold_baseline(tmp_path, {"data": {"type": data_type}}, data=Path("d.csv"), label="y")
    assert names_in(hostile.script_text) == names_in(benign.script_text)
    assert "os" not in names_in(hostile.script_text) and "system" not in names_in(hostile.script_text)
    constants = {node.value for node in ast.walk(ast.parse(hostile.script_text)) if isinstance(node, ast.Constant)}
    assert CARD["metric"]["name"] in constants and CARD["predictions"] in constants
    assert "x'); " + PAYLOAD + " #" in constants if data_type != "image" else True
    docstring = ast.get_docstring(ast.parse(hostile.script_text))
    assert docstring == ast.get_docstring(ast.parse(benign.script_text))  # nothing from data in it


def test_a_hostile_header_becomes_the_text_column_and_running_creates_no_marker(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    rng = np.random.default_rng(3)
    with open(tmp_path / "reviews.csv", "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([HEADER, "label"])
        for index in range(120):
            label = "pos" if index % 2 else "neg"
            writer.writerow([" ".join(rng.choice(["good", "fine"] if label == "pos" else ["bad", "dull"], 4)), label])
    card = {**CARD, "data": {"type": "text"}, "predictions": "runs/" + HEADER.replace("\n", "_") + ".csv"}
    plan = scaffold_baseline(tmp_path, card, data=None, label=None, samples=100)
    assert f"TEXT = {python_literal(HEADER)}" in plan.script_text
    write_scaffold(plan, tmp_path)
    completed = subprocess.run([sys.executable, plan.script_path.name], cwd=tmp_path, capture_output=True,
                               text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert not (tmp_path / "PWNED").exists()
    assert "chance level" in completed.stdout


def test_a_hostile_script_name_stays_one_value_of_one_log_entry(tmp_path: Path) -> None:
    name = 'b"\n- id: evil\n  kind: baseline\n#.py'
    plan = scaffold_baseline(tmp_path, {"data": {"type": "tabular"}}, data=Path("d.csv"), label="y", script_name=name)
    log = parse_log(plan.log_entry_text)
    assert [item.id for item in log.entries] == [plan.entry_id] and log.problems == []
    assert log.entries[0].entry.script == name


def test_init_writes_hostile_file_and_column_names_as_toml_strings(tmp_path: Path) -> None:
    name = 'evil"\nlog = "x.yaml"\n#.csv'
    with open(tmp_path / name, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", 'label"\nlog = "../y.yaml"'])
        writer.writerows([[1, "a"], [2, "b"]])
    (tmp_path / "train_\"x\"\n.py").write_text("")
    text = init_project(tmp_path)
    card = tomllib.loads(text)
    assert card["log"] == "experiments.yaml"
    assert card["data"]["volume"] == f"2 rows in {name}"
    assert card["scripts"] == ["train_\"x\"\n.py"]
    assert [line for line in text.splitlines() if line.startswith("log")] == ['log = "experiments.yaml"']


def test_toml_strings_hold_any_character() -> None:
    """Found by the card fuzzer: characters past U+FFFF need TOML's 8-digit escape."""
    from paribus.core.actions.init_project import toml_string

    for code in [*range(0, 0x800), *range(0x800, 0x110000, 251), 0xFFFE, 0x10000, 0xE0001, 0x10FFFF]:
        text = f"a{chr(code)}b"
        expected = text if not 0xD800 <= code <= 0xDFFF else "a\ufffdb"
        assert tomllib.loads(f"x = {toml_string(text)}")["x"] == expected
