"""`paribus schema`: the shipped JSON Schemas match the models, accept real logs and cards,
and reject what `paribus check` rejects."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

import jsonschema
from jsonschema.exceptions import best_match
import pytest
import yaml

from paribus.cli import main
from paribus.core.model.schema import SCHEMA_FILES, schema_text

REPO = Path(__file__).resolve().parents[2]
LOGS = [REPO / "examples/ecg-af/experiments.yaml", REPO / "tests/fixtures/lsp-project/experiments.yaml",
        REPO / "tests/e2e/fixtures/project/experiments.yaml"]
CARDS = [REPO / "tests/fixtures/lsp-project/paribus.toml", REPO / "tests/e2e/fixtures/project/paribus.toml"]
PYPROJECT_CARDS = [REPO / "examples/ecg-af/pyproject.toml"]


class _EditorLoader(yaml.SafeLoader):
    """Reads YAML as the YAML extension does: dates stay text."""


_EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _validator(which: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((REPO / "schemas" / SCHEMA_FILES[which]).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("which", sorted(SCHEMA_FILES))
def test_the_shipped_schema_is_what_the_models_generate(which: str) -> None:
    shipped = (REPO / "schemas" / SCHEMA_FILES[which]).read_text(encoding="utf-8")
    assert shipped == schema_text(which), f"regenerate: paribus schema {which} > schemas/{SCHEMA_FILES[which]}"


@pytest.mark.parametrize("which", sorted(SCHEMA_FILES))
def test_paribus_schema_prints_it(which: str, capsys) -> None:
    assert main(["schema", which]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(schema_text(which))


@pytest.mark.parametrize("log", LOGS, ids=lambda p: str(p.relative_to(REPO)))
def test_real_logs_are_valid(log: Path) -> None:
    entries = yaml.load(log.read_text(encoding="utf-8"), Loader=_EditorLoader)
    assert list(_validator("log").iter_errors(entries)) == []


@pytest.mark.parametrize("log", LOGS, ids=lambda p: str(p.relative_to(REPO)))
def test_real_logs_are_valid_as_pyyaml_reads_them(log: Path) -> None:
    entries = yaml.safe_load(log.read_text(encoding="utf-8"))  # unquoted dates become date objects
    assert any(isinstance(entry.get("date"), dt.date) for entry in entries)
    assert list(_validator("log").iter_errors(entries)) == []


def test_no_json_value_passes_as_a_date_that_check_rejects() -> None:
    for date in (20261117, [2026, 11, 17], {"y": 2026}, True):
        entry = [{"id": "b1", "kind": "baseline", "date": date}]
        assert [list(error.absolute_path) for error in _validator("log").iter_errors(entry)] == [[0, "date"]]


@pytest.mark.parametrize("card", CARDS + PYPROJECT_CARDS, ids=lambda p: str(p.relative_to(REPO)))
def test_real_cards_are_valid(card: Path) -> None:
    document = tomllib.loads(card.read_text(encoding="utf-8"))
    table = document["tool"]["paribus"] if card.name == "pyproject.toml" else document
    assert list(_validator("card").iter_errors(table)) == []


def test_numbers_as_ids_and_one_script_as_text_are_accepted_as_check_accepts_them() -> None:
    log = yaml.load("- id: 1\n  kind: baseline\n  params: {lr: 0.1}\n- id: 2\n  kind: experiment\n  parent: 1\n",
                    Loader=_EditorLoader)
    assert list(_validator("log").iter_errors(log)) == []
    assert list(_validator("card").iter_errors({"scripts": "train.py", "metric": {"name": "val_f1"}})) == []


@pytest.mark.parametrize(
    ("entry", "where"),
    [
        ("- id: e1\n  kind: experimentt\n", ["0", "kind"]),
        ("- id: e1\n  kind: experiment\n  result: {val_f1: high}\n", ["0", "result", "val_f1"]),
        ("- id: e1\n  kind: experiment\n  prediction: {metric: val_f1, direction: sideways}\n",
         ["0", "prediction", "direction"]),
        ("- kind: baseline\n", ["0"]),
        ("- id: null\n  kind: baseline\n", ["0", "id"]),
        ("- id: e1\n  kind: experiment\n  change: {lr: [0.1]}\n", ["0", "change", "lr"]),
    ],
)
def test_a_malformed_entry_is_rejected_where_it_is_wrong(entry: str, where: list[str]) -> None:
    error = best_match(_validator("log").iter_errors(yaml.load(entry, Loader=_EditorLoader)))
    assert error is not None
    assert [str(part) for part in error.absolute_path] == where


def test_a_card_with_an_unknown_goal_is_rejected() -> None:
    error = best_match(_validator("card").iter_errors({"metric": {"name": "val_f1", "goal": "maximise"}}))
    assert list(error.absolute_path) == ["metric", "goal"]


def test_the_extension_contributes_the_shipped_schemas() -> None:
    contributes = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["contributes"]
    contributed = {item["fileMatch"]: item["url"] for key in ("yamlValidation", "tomlValidation") for item in contributes[key]}
    assert contributed == {"experiments.yaml": "./schemas/experiments.schema.json", "paribus.toml": "./schemas/paribus.schema.json"}
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    package = REPO / f"paribus-{version}.vsix"
    if not package.exists():
        pytest.skip(f"{package.name} not built (make vsix)")
    import zipfile

    with zipfile.ZipFile(package) as vsix:
        for url in contributed.values():
            shipped = (REPO / url).read_bytes()
            assert vsix.read("extension/" + url.removeprefix("./")) == shipped
