"""README, "An existing project": its commands, in its order, on a project MLflow really logged.

init → import → check (PB103 on the run that changed two things) → edit two values in
train.py → check (PB101 on both lines, against the last run) → history. The commands are read
from the README, so the walkthrough and this test can't drift apart; they run as the installed
`paribus` executable, the way a user types them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

README = Path(__file__).parents[2] / "README.md"
PARIBUS = str(Path(sys.executable).with_name("paribus"))


def walkthrough_commands() -> list[list[str]]:
    section = README.read_text().split("## An existing project", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    return [line.split("#", 1)[0].split() for block in blocks for line in block.splitlines() if line.startswith("paribus ")]


def run(folder: Path, argv: list[str], *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([PARIBUS, *argv[1:], *extra], cwd=folder, capture_output=True, text=True, check=False)


def test_the_readme_walkthrough_adopts_a_project_and_warns_against_the_last_run(project) -> None:
    commands = walkthrough_commands()
    assert [c[:2] for c in commands] == [["paribus", "init"], ["paribus", "import"], ["paribus", "check"], ["paribus", "check"], ["paribus", "history"]]
    init, importing, check, check_again, history = commands
    folder = project("mlflow")
    (folder / "paribus.toml").unlink()

    done = run(folder, init)
    assert done.returncode == 0, done.stderr
    card = tomllib.loads((folder / "paribus.toml").read_text())
    assert (card["status"], card["metric"], card["scripts"]) == ("iterating", {"name": "val_loss", "goal": "min"}, ["train.py"])

    done = run(folder, importing)
    assert done.returncode == 0, done.stdout + done.stderr
    entries = yaml.safe_load((folder / "experiments.yaml").read_text())
    assert [(e["id"], e["kind"], e.get("parent")) for e in entries] == [("b1", "baseline", None), ("e1", "experiment", "b1"), ("e2", "experiment", "e1"), ("e3", "experiment", "e2")]

    findings = json.loads(run(folder, check, "--format", "json").stdout)
    log_lines = (folder / "experiments.yaml").read_text().splitlines()
    e2 = log_lines.index("- id: e2")
    assert [f["line"] for f in findings if f["code"] == "PB103"] == [next(i for i, line in enumerate(log_lines, 1) if i > e2 and line.startswith("  change:"))]
    assert not [f for f in findings if f["code"] == "PB101"]

    train = folder / "train.py"
    text = train.read_text().replace("DROPOUT = 0.3", "DROPOUT = 0.5").replace("BATCH_SIZE = 64", "BATCH_SIZE = 16")
    train.write_text(text)
    done = run(folder, check_again)
    assert done.returncode == 1
    lines = text.splitlines()
    expected = sorted(f"train.py:{lines.index(line) + 1}:" for line in ("BATCH_SIZE = 16", "DROPOUT = 0.5"))
    pb101 = sorted(":".join(line.split(":")[:2]) + ":" for line in done.stdout.splitlines() if " PB101 " in line)
    assert pb101 == expected
    assert "since e3: the result can't be attributed to one change" in done.stdout

    done = run(folder, history)
    assert done.returncode == 0
    assert "[logged as e2]  ⚠ 2 changes at once" in done.stdout
