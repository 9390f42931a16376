"""Property tests over every parser and every rule: mutated and generated scripts, logs, cards,
configs and prediction files. Whatever the input: no exception escapes, none is swallowed
(tests/conftest.py fails on any a check survived), JSON stays strict, the CLI says one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fuzzing import (
    CARD_SEEDS,
    CONFIG_SEEDS,
    LOG_SEEDS,
    NOTEBOOK_SEEDS,
    PREDICTIONS_SEED,
    PYTHON_SEEDS,
    RULE_PROJECTS,
    as_bytes_sometimes,
    budget,
    check_everything,
    example_files,
    generated_card,
    generated_log,
    generated_python,
    mutated,
)
from hypothesis import example, given
from hypothesis import strategies as st
from paribus.core.actions.record import RecordError, fill_result
from paribus.core.extract import extract_text
from paribus.core.extract.notebooks import NotebookError, read_notebook
from paribus.core.model.card import load_card
from paribus.core.model.log import parse_log
from paribus.core.positions import text_lines


# A mutated script may hold `"\ "`: Python warns about the script, as the server and CLI keep to themselves.
@pytest.mark.filterwarnings("ignore:invalid escape sequence:DeprecationWarning")
@budget(normal=450, long=25_000)
@given(text=mutated(PYTHON_SEEDS) | generated_python())
@example(text="LR = " + "9" * 5000 + "\n")
@example(text="X = " + "(" * 300 + "1" + ")" * 300 + "\n")
@example(text="import torch\n\rDATA_ROOT = './data'\nLEARNING_RATE = 1e-3\n")  # a lone CR: a line break to Python
def test_python_sources_extract_without_raising(text: str) -> None:
    for found in extract_text(text, "train.py"):
        assert found.span.line >= 1 and found.span.column >= 1


@budget(normal=60, long=6_000)
@given(data=st.data(), text=mutated(PYTHON_SEEDS) | generated_python())
@example(data=None, text="[" * 250 + "1" + "]" * 250 + '"""\ndoc\n"""\nimport numpy as np\n')  # CPython's parser: MemoryError
def test_scripts_in_the_example_project(data, text: str) -> None:
    files = example_files()
    files["train.py"] = as_bytes_sometimes(data.draw, text) if data is not None else text
    check_everything(files)


# Mostly edits of real logs (cheap to draw), some logs drawn from the schema, some long ones.
LOGS = st.one_of(mutated(LOG_SEEDS), mutated(LOG_SEEDS), generated_log(), mutated(LOG_SEEDS).map(lambda t: t * 3))


@budget(normal=450, long=20_000)
@given(text=LOGS)
@example(text="- id: b1\n  kind: baseline\n  date: 2026-13-01\n")
@example(text="- id: ea1\n  kind: error-analysis\n  categories: {a: 0}\n")
@example(text="- id: \ud800\n  kind: exploration\n")  # a lone surrogate: JSON carries them into buffers
@example(text="\r- id: b0\n\r- id: b0\n  date: 2026-13-01\r")  # lone CRs: line breaks to YAML and to editors
def test_logs_parse_without_raising(text: str) -> None:
    log = parse_log(text)
    lines = len(text_lines(text)) + 1  # as the editor counts them
    assert all(1 <= problem.span.line <= lines + 1 for problem in log.problems)


@budget(normal=60, long=4_000)
@given(text=LOGS)
@example(text="    \r- id: \n\n  kind: baseline\n  params: {LR: 0.001}\n- id: e1\n  kind: experiment\n  change: {LR: [0.001, 0.0003]}\n")
def test_recording_into_any_log_raises_only_record_errors(text: str) -> None:
    try:
        new_text, _ = fill_result(text, {"val_f1": 0.5})
    except RecordError:
        return
    assert parse_log(text).problems or parse_log(new_text).problems == [], "recording broke a readable log"


@budget(normal=80, long=8_000)
@given(data=st.data(), text=LOGS)
@example(data=None, text="- id: b1\n  kind: baseline\n  date: 2026-13-01\n")
def test_logs_in_the_example_project(data, text: str) -> None:
    files = example_files()
    files["experiments.yaml"] = as_bytes_sometimes(data.draw, text) if data is not None else text
    check_everything(files)


CARDS = st.one_of(mutated(CARD_SEEDS), mutated(CARD_SEEDS), generated_card())


@budget(normal=500, long=15_000)
@given(text=CARDS, name=st.sampled_from(["paribus.toml", "pyproject.toml"]))
def test_cards_load_without_raising(text: str, name: str) -> None:
    loaded = load_card(Path("/p"), lambda path: text if path.name == name else None)
    assert all(problem.span.line >= 1 for problem in loaded.problems)


@budget(normal=60, long=6_000)
@given(data=st.data(), text=CARDS)
def test_cards_in_the_example_project(data, text: str) -> None:
    files = example_files()
    del files["pyproject.toml"]
    files["paribus.toml" if data.draw(st.booleans()) else "pyproject.toml"] = as_bytes_sometimes(data.draw, text)
    check_everything(files)


@budget(normal=200, long=8_000)
@given(data=st.data(), text=mutated(NOTEBOOK_SEEDS))
def test_notebooks(data, text: str) -> None:
    try:
        read_notebook(text)
    except NotebookError:
        pass
    extract_text(text, "train.ipynb")
    if data.draw(st.integers(0, 9)) == 0:  # now and then the whole project, the notebook its script
        files = example_files()
        files["pyproject.toml"] = files["pyproject.toml"].replace('scripts = ["train.py"]', 'scripts = ["train.ipynb"]')
        files["train.ipynb"] = text
        check_everything(files)


CONFIG_SUFFIXES = st.sampled_from([".yaml", ".json", ".toml"])


@budget(normal=400, long=15_000)
@given(data=st.data(), suffix=CONFIG_SUFFIXES)
def test_configs_extract_without_raising(data, suffix: str) -> None:
    text = data.draw(mutated(CONFIG_SEEDS[suffix]))
    for found in extract_text(text, f"config{suffix}"):
        assert found.span.line >= 1


@budget(normal=40, long=4_000)
@given(data=st.data(), suffix=CONFIG_SUFFIXES)
def test_configs_in_the_example_project(data, suffix: str) -> None:
    files = example_files()
    files["pyproject.toml"] += '\n[tool.paribus.extra]\n'
    files["pyproject.toml"] = files["pyproject.toml"].replace('scripts = ["train.py"]', 'scripts = ["train.py"]\nconfigs = ["conf/*"]')
    files[f"conf/config{suffix}"] = as_bytes_sometimes(data.draw, data.draw(mutated(CONFIG_SEEDS[suffix])))
    check_everything(files)


@budget(normal=100, long=10_000)
@given(data=st.data(), project=st.sampled_from(RULE_PROJECTS))
def test_every_rule_on_its_own_examples_mutated(data, project: dict) -> None:
    files = dict(project)
    name = data.draw(st.sampled_from(sorted(files)))
    seed = files[name] if isinstance(files[name], str) else files[name].decode("utf-8", "replace")
    files[name] = as_bytes_sometimes(data.draw, data.draw(mutated([seed])))
    check_everything(files)


PREDICTIONS_HEAD = "\n".join(PREDICTIONS_SEED.split("\n")[:120]) + "\n"


@budget(normal=40, long=3_000)
@given(data=st.data(), text=mutated([PREDICTIONS_HEAD, "id,label,pred\n1,a,b\n2,b,b\n", "label,pred,split\n0,1,train\n1,1,dev\n"]))
def test_prediction_files_through_analyze(data, text: str, cli, tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("predictions")
    path = folder / "predictions.csv"
    content = as_bytes_sometimes(data.draw, text)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    for fmt in ("text", "json", "html"):
        run = cli("analyze", str(path), "--format", fmt)
        if run.code == 2:
            assert run.err.startswith("paribus: ") and run.err.count("\n") == 1 and "unexpected error" not in run.err, run.err
        else:
            assert (run.code, run.err) == (0, ""), run.err
            if fmt == "json":
                json.loads(run.out, parse_constant=lambda name: (_ for _ in ()).throw(AssertionError(name)))


def test_the_seeds_are_real_files() -> None:
    """The mutations start from the repository's own inputs, not from nothing."""
    assert len(PYTHON_SEEDS) > 20 and len(LOG_SEEDS) > 20 and len(CARD_SEEDS) > 5
    assert all(CONFIG_SEEDS[suffix] for suffix in (".yaml", ".json", ".toml"))
    assert Path(__file__).parent.parent.parent.joinpath("examples", "ecg-af", "train.py").is_file()
