"""paribus init, scaffold baseline and record: each refuses clearly, never overwrites."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

DATA = "id,age,smoker,outcome\n1,30,yes,sick\n2,41,no,healthy\n3,52,no,healthy\n4,60,yes,healthy\n"
FILLED_CARD = """\
task = "Tell sick from healthy patients"
inputs = "age, smoker"
outputs = "healthy | sick"
data = { type = "tabular", volume = "4 rows" }
status = "greenfield"
metric = { name = "val_f1", goal = "max", target = 0.8 }
chance = 0.5
log = "experiments.yaml"
"""
PENDING_LOG = """\
# my log: keep this comment
- id: b1
  kind: baseline
  script: baseline.py
  params: {SAMPLES: 100}
"""


@pytest.fixture
def greenfield(tmp_path: Path) -> Path:
    (tmp_path / "data.csv").write_text(DATA)
    return tmp_path


# -- init ------------------------------------------------------------------------------------


def test_init_writes_the_card_and_says_what_it_saw_and_what_to_fill(cli, greenfield: Path) -> None:
    run = cli("init", cwd=greenfield)
    assert run.code == 0
    card = tomllib.loads((greenfield / "paribus.toml").read_text())
    assert card["status"] == "greenfield" and card["chance"] == 0.5
    assert run.out == (
        "Wrote paribus.toml.\n"
        "Detected:\n"
        "  data type   tabular\n"
        "  volume      4 rows in data.csv\n"
        "  chance      0.5 (macro F1 of guessing by the class shares of 'outcome' in data.csv (1/2))\n"
        "\n"
        "Fill in:\n"
        '  task        the exact task, e.g. "Detect AF in 30 s ECG"\n'
        '  inputs      what one example is, e.g. "30 s ECG, 250 Hz"\n'
        '  outputs     what the model outputs, e.g. "AF | normal"\n'
        "  data        known quirks (imbalance, label noise...)\n"
        "  metric      your metric and target\n"
        "\n"
        "Then: paribus scaffold baseline\n"
    )


def test_init_takes_a_folder_argument(cli, greenfield: Path) -> None:
    (greenfield / "project").mkdir()
    run = cli("init", "project", cwd=greenfield)
    assert run.code == 0
    assert run.out.startswith("Wrote project/paribus.toml.\n")
    assert "  data type   other\n" in run.out


def test_init_never_overwrites_a_card(cli, greenfield: Path) -> None:
    (greenfield / "paribus.toml").write_text("task = 'mine'\n")
    run = cli("init", cwd=greenfield)
    assert (run.code, run.out) == (1, "")
    assert run.err == "paribus: paribus.toml already holds a project card; not overwritten\n"
    assert (greenfield / "paribus.toml").read_text() == "task = 'mine'\n"


def test_init_refuses_when_pyproject_holds_the_card(cli, greenfield: Path) -> None:
    (greenfield / "pyproject.toml").write_text("[project]\nname = 'x'\n\n[tool.paribus]\ntask = 'mine'\n")
    run = cli("init", cwd=greenfield)
    assert run.code == 1
    assert run.err == "paribus: pyproject.toml already holds a project card; not overwritten\n"
    assert not (greenfield / "paribus.toml").exists()


def test_init_accepts_a_pyproject_without_a_card(cli, greenfield: Path) -> None:
    (greenfield / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert cli("init", cwd=greenfield).code == 0


def test_init_of_a_missing_folder_exits_2(cli, tmp_path: Path) -> None:
    run = cli("init", "nowhere", cwd=tmp_path)
    assert (run.code, run.err) == (2, "paribus: no such folder: nowhere\n")


# -- scaffold baseline -----------------------------------------------------------------------


def test_scaffold_creates_the_script_and_its_pending_entry(cli, greenfield: Path) -> None:
    (greenfield / "paribus.toml").write_text(FILLED_CARD)
    run = cli("scaffold", "baseline", "--data", "data.csv", "--label", "outcome", "--samples", "50", cwd=greenfield)
    assert run.code == 0
    assert run.out.splitlines() == [
        "Created baseline.py (tabular baseline) and entry b1 in experiments.yaml.",
        "  hyperparameters  SAMPLES=50, TEST_SIZE=0.3, C=1.0, MAX_ITER=1000",
        "  note: baseline.py is not among the card's scripts: add it to `scripts` so "
        "`paribus check` compares it with the log",
        "",
        "Run it:  python baseline.py",
        "It records its result in b1 (through paribus.record); otherwise: paribus record name=value ...",
    ]
    script = (greenfield / "baseline.py").read_text()
    assert 'LABEL = "outcome"' in script and 'DATA = Path("data.csv")' in script
    log = (greenfield / "experiments.yaml").read_text()
    assert log.startswith("- id: b1\n  kind: baseline\n")
    assert "  params: {SAMPLES: 50, TEST_SIZE: 0.3, C: 1.0, MAX_ITER: 1000}\n" in log


def test_scaffold_guesses_and_says_so(cli, greenfield: Path) -> None:
    (greenfield / "paribus.toml").write_text(FILLED_CARD)
    run = cli("scaffold", "baseline", "--name", "train.py", cwd=greenfield)
    assert run.code == 0
    assert "  note: data guessed: data.csv (set DATA to change it)\n" in run.out
    assert '  note: label column guessed: "outcome" (set LABEL to change it)\n' in run.out
    assert "not among the card's scripts" not in run.out  # train*.py is the default
    assert "Run it:  python train.py\n" in run.out


def test_scaffold_from_a_subfolder_resolves_data_from_there(cli, greenfield: Path) -> None:
    (greenfield / "paribus.toml").write_text(FILLED_CARD)
    (greenfield / "notebooks").mkdir()
    run = cli("scaffold", "baseline", "--data", "../data.csv", cwd=greenfield / "notebooks")
    assert run.code == 0
    assert run.out.startswith("Created ../baseline.py (tabular baseline) and entry b1 in ../experiments.yaml.\n")
    assert 'DATA = Path("data.csv")' in (greenfield / "baseline.py").read_text()


def test_a_second_baseline_gets_the_next_name_and_id_after_the_user_s_entries(cli, greenfield: Path) -> None:
    (greenfield / "paribus.toml").write_text(FILLED_CARD)
    (greenfield / "experiments.yaml").write_text(PENDING_LOG)
    (greenfield / "baseline.py").write_text("# mine\n")
    run = cli("scaffold", "baseline", "--data", "data.csv", cwd=greenfield)
    assert run.code == 0
    assert run.out.startswith("Created baseline_2.py (tabular baseline) and entry b2 in experiments.yaml.\n")
    assert (greenfield / "baseline.py").read_text() == "# mine\n"
    assert (greenfield / "experiments.yaml").read_text().startswith(PENDING_LOG + "\n- id: b2\n")


def test_scaffold_without_a_card_points_to_init(cli, greenfield: Path) -> None:
    run = cli("scaffold", "baseline", cwd=greenfield)
    assert run.code == 1
    assert run.err == "paribus: no project card in .: run `paribus init` and fill it in first\n"
    assert not (greenfield / "baseline.py").exists()


def test_scaffold_refuses_missing_data_and_negative_samples(cli, greenfield: Path) -> None:
    (greenfield / "paribus.toml").write_text(FILLED_CARD)
    run = cli("scaffold", "baseline", "--data", "nope.csv", cwd=greenfield)
    assert (run.code, run.err) == (2, "paribus: no such data file or folder: nope.csv\n")
    run = cli("scaffold", "baseline", "--samples", "-5", cwd=greenfield)
    assert (run.code, run.err) == (2, "paribus: --samples must be 0 (all rows) or more\n")
    assert not (greenfield / "baseline.py").exists()


def test_scaffold_into_a_missing_folder_exits_2(cli, greenfield: Path) -> None:
    (greenfield / "paribus.toml").write_text(FILLED_CARD)
    run = cli("scaffold", "baseline", "--name", "missing/folder/baseline.py", cwd=greenfield)
    assert run.code == 2
    assert run.err == "paribus: missing/folder/baseline.py: the folder missing/folder does not exist\n"
    assert not (greenfield / "experiments.yaml").exists()


# -- record ----------------------------------------------------------------------------------


@pytest.fixture
def pending(greenfield: Path) -> Path:
    (greenfield / "paribus.toml").write_text(FILLED_CARD)
    (greenfield / "experiments.yaml").write_text(PENDING_LOG)
    return greenfield


def test_record_fills_the_pending_entry_and_compares_with_chance(cli, pending: Path) -> None:
    run = cli("record", "train_f1=0.9", "val_f1=0.71", cwd=pending)
    assert run.code == 0
    assert run.out == (
        "Recorded b1: train_f1 0.9, val_f1 0.71 in experiments.yaml.\n"
        "val_f1 0.71 is above chance (0.5, the card's chance): the noise is unknown — give the dev-set size "
        "(metric.dev_size in the card, or n_dev in the result) to judge it. The problem is learnable: "
        "a learning curve tells how far more data goes.\n"
        "Next: paribus workflow\n"
    )
    assert (pending / "experiments.yaml").read_text() == PENDING_LOG + "  result: {train_f1: 0.9, val_f1: 0.71}\n"


def test_record_at_chance_says_to_change_the_representation(cli, pending: Path) -> None:
    run = cli("record", "--metric", "val_f1=0.5", cwd=pending)
    assert run.code == 0
    assert "val_f1 0.5 is not above chance (0.5, the card's chance): the noise is unknown" in run.out
    assert run.out.endswith("to judge it. Change the representation or features, not the data volume.\nNext: paribus workflow\n")


def test_record_judges_chance_against_the_dev_set_noise(cli, pending: Path) -> None:
    (pending / "paribus.toml").write_text(FILLED_CARD.replace('name = "val_f1"', 'name = "val_f1", dev_size = 30'))
    # A model at chance (0.5) on 30 examples scatters by √(0.25/30) = 0.0913: the one-sided bound is 0.6 − 1.645 × 0.0913.
    run = cli("record", "val_f1=0.6", cwd=pending)
    assert "val_f1 0.6 on 30 dev examples is not above chance (0.5, the card's chance): at 95 % it could be as low as 0.45, 0.0502 below chance. Change the representation" in run.out
    (pending / "experiments.yaml").write_text(PENDING_LOG)
    run = cli("record", "val_f1=0.8", cwd=pending)
    assert "val_f1 0.8 on 30 dev examples is above chance (0.5, the card's chance): at 95 % it is at least 0.65, 0.15 above chance. The problem is learnable" in run.out


def test_record_reads_a_json_file_or_a_last_run_file(cli, pending: Path) -> None:
    (pending / "metrics.json").write_text('{"val_f1": 0.6}')
    run = cli("record", "--metrics", "metrics.json", cwd=pending)
    assert run.code == 0 and run.out.startswith("Recorded b1: val_f1 0.6 in experiments.yaml.\n")
    (pending / "run.json").write_text('{"metrics": {"val_f1": 0.65}, "timestamp": "t"}')
    run = cli("record", "--entry", "b1", "--metrics", "run.json", "val_f1=0.66", cwd=pending)
    assert run.out.startswith("Recorded b1: val_f1 0.66 in experiments.yaml.\n")  # explicit values win


def test_record_without_metrics_uses_the_last_run_and_says_so(cli, pending: Path) -> None:
    (pending / ".paribus").mkdir()
    (pending / ".paribus" / "last-run.json").write_text(json.dumps(
        {"metrics": {"train_f1": 0.8, "val_f1": 0.7}, "timestamp": "2026-11-20T10:00:00+00:00", "script": "baseline.py"}))
    run = cli("record", cwd=pending)
    assert run.code == 0
    assert run.out.splitlines()[:2] == [
        "No metrics given: using the last run (.paribus/last-run.json, baseline.py, 2026-11-20T10:00:00+00:00).",
        "Recorded b1: train_f1 0.8, val_f1 0.7 in experiments.yaml.",
    ]


def test_record_gives_an_experiment_s_verdict_against_its_prediction(cli, pending: Path) -> None:
    (pending / "experiments.yaml").write_text(PENDING_LOG + (
        "  result: {val_f1: 0.6}\n"
        "- id: e1\n  kind: experiment\n  change: {C: [1.0, 0.1]}\n"
        "  hypothesis: Less overfitting.\n  prediction: {metric: val_f1, direction: up, by: 0.05}\n"))
    run = cli("record", "val_f1=0.66", cwd=pending)
    assert run.code == 0
    assert run.out == (
        "Recorded e1: val_f1 0.66 (confirmed) in experiments.yaml.\n"
        "Verdict against its prediction (parent b1): confirmed.\n"
        "Next: paribus workflow\n"
    )
    assert (pending / "experiments.yaml").read_text().endswith("  result: {val_f1: 0.66}\n  verdict: confirmed\n")


def test_record_without_metrics_or_last_run(cli, pending: Path) -> None:
    run = cli("record", cwd=pending)
    assert run.code == 1
    assert run.err == ("paribus: no metrics given and no .paribus/last-run.json: pass name=value, "
                       "or run a script that calls paribus.record()\n")


def test_record_errors_from_the_log_exit_1(cli, pending: Path) -> None:
    run = cli("record", "--entry", "zz", "val_f1=0.7", cwd=pending)
    assert (run.code, run.err) == (1, "paribus: no entry with id 'zz' in the log (ids: b1)\n")
    assert cli("record", "val_f1=0.7", cwd=pending).code == 0
    run = cli("record", "val_f1=0.8", cwd=pending)
    assert run.code == 1 and run.err.startswith("paribus: no pending entry: ")
    assert cli("record", "--id", "b1", "val_f1=0.8", cwd=pending).code == 0  # the name the message gives


def test_record_without_a_log(cli, greenfield: Path) -> None:
    run = cli("record", "val_f1=0.7", cwd=greenfield)
    assert run.code == 1
    assert run.err.startswith(f"paribus: no experiment log at {greenfield.resolve() / 'experiments.yaml'}, and no training script")


@pytest.mark.parametrize(("argument", "message"), [
    ("val_f1", "expected name=value, got 'val_f1'"),
    ("=0.3", "expected name=value, got '=0.3'"),
    ("val_f1=high", "metric 'val_f1' is not a number: 'high'"),
])
def test_record_rejects_malformed_metrics_with_exit_2(cli, pending: Path, argument: str, message: str) -> None:
    run = cli("record", argument, cwd=pending)
    assert (run.code, run.err) == (2, f"paribus: {message}\n")
    assert (pending / "experiments.yaml").read_text() == PENDING_LOG


def test_record_rejects_non_finite_metrics_from_the_core(cli, pending: Path) -> None:
    run = cli("record", "val_f1=nan", cwd=pending)
    assert (run.code, run.err) == (1, "paribus: metric 'val_f1' is nan: nothing to record\n")


def test_record_with_a_missing_or_malformed_metrics_file(cli, pending: Path) -> None:
    run = cli("record", "--metrics", "nope.json", cwd=pending)
    assert (run.code, run.err) == (2, "paribus: no such file: nope.json\n")
    (pending / "list.json").write_text("[0.7]")
    run = cli("record", "--metrics", "list.json", cwd=pending)
    assert (run.code, run.err) == (2, "paribus: list.json must hold a JSON object of metric names and numbers\n")
