"""JSON Schemas of the experiment log and the project card, generated from their models.

Editors validate and complete `experiments.yaml` and `paribus.toml` with them (the VS Code
extension contributes both; `paribus schema` prints them). The models decide what is valid;
this module adds what a schema reader needs and the models can't say: a description of
every field, the coercions their validators make (an id written as a number is read as
text, one script written as a string is a list of one), and dates as PyYAML reads them.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter

from paribus.core.model.card import Card
from paribus.core.model.log import Entry

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILES = {"log": "experiments.schema.json", "card": "paribus.schema.json"}

ENTRY_FIELDS = {
    "id": "Unique id of the entry (b1, ea1, e3 …); parents and error analyses refer to it.",
    "kind": "exploration | baseline | error-analysis | experiment | poc | replicate: what the entry records (a replicate re-runs its parent's state with another seed).",
    "date": "When the run or analysis was made (YYYY-MM-DD).",
    "script": "The training script the entry ran, relative to the project (default: every script).",
    "params": "A baseline's full hyperparameter snapshot: name → value, names as the code reads them.",
    "result": "Metrics of the finished run: name → number (e.g. train_f1, val_f1).",
    "of": "error-analysis: the id of the run whose dev errors were examined.",
    "examined": "error-analysis: how many misclassified dev examples were looked at (≥ 20 rough, ≥ 50 good).",
    "categories": "error-analysis: examined errors per category; each share is the ceiling of fixing it.",
    "conclusion": "error-analysis: what the categories say to do next, in one sentence.",
    "parent": "The entry this one changes (default: the previous baseline or experiment).",
    "intervention": "data | hyperparameters | architecture | pretrained | compute, in that priority order.",
    "targets": "The error-analysis category (or categories) the intervention addresses.",
    "change": "The one variable changed from the parent: name → [from, to]. More than one is PB103.",
    "hypothesis": "Why this change should help, in one sentence, written before the run.",
    "prediction": "What the result should do: {metric, direction: up | down | same, by}.",
    "verdict": "confirmed | refuted | inconclusive: the result against the prediction, beyond the noise (computed when absent).",
    "predictions": "This run's per-example predictions file (CSV or Parquet, id,label,pred): runs that both keep one are compared on the same examples.",
}
PREDICTION_FIELDS = {
    "metric": "The metric the prediction is about (usually the card's optimizing metric).",
    "direction": "up | down | same: how the metric should move from the parent's result.",
    "by": "The size of the predicted move (optional).",
}
CARD_FIELDS = {
    "task": "The exact task, e.g. “Detect atrial fibrillation in 30 s single-lead ECG”.",
    "inputs": "What the model gets as input.",
    "outputs": "What the model must output (the classes, or the target).",
    "data": "The data situation: {type, volume, quirks}.",
    "status": "greenfield | baseline | iterating: where the project stands.",
    "metric": "The one optimizing metric: {name, goal: max | min, target}.",
    "chance": "The metric's value at chance (derived from predictions when absent).",
    "human_level": "Human-level performance on the metric, a proxy for the best achievable error.",
    "scripts": "Training scripts and notebooks (globs; default **/train*.{py,ipynb}).",
    "configs": "Config files whose values are hyperparameters too (globs).",
    "log": "The experiment log (default experiments.yaml).",
    "predictions": "Per-example predictions (CSV or Parquet with id,label,pred) for error analysis; its dev rows give the dev-set size.",
    "run_predictions": "Each run's per-example predictions, {id} standing for the entry id (e.g. runs/{id}/predictions.csv): paired comparisons.",
    "select": "Only these rule codes or prefixes (e.g. PB1).",
    "ignore": "Skip these rule codes or prefixes.",
    "include": "Names to count as hyperparameters even when Paribus would not (fnmatch patterns).",
    "exclude": "Names never to count as hyperparameters (fnmatch patterns).",
}
DATA_FIELDS = {
    "type": "tabular | image | text | biosignal | audio | …",
    "volume": "How much labelled data there is, e.g. “420 labelled recordings”.",
    "quirks": "Known quirks: imbalance, label noise, artifacts …",
}
METRIC_FIELDS = {
    "name": "The metric's name as the runs report it (val_f1, val_loss …).",
    "goal": "max or min.",
    "target": "The value that would make the project a success.",
    "dev_size": "How many dev examples the metric is computed on, when no predictions file says: the noise of every comparison.",
}
_TEXT_OR_NUMBER = {"anyOf": [{"type": "string"}, {"type": "number"}]}
_OPTIONAL_TEXT_OR_NUMBER = {"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "null"}]}
# An unquoted 2026-11-17 is a date object to YAML 1.1 readers (PyYAML's safe_load), text to
# YAML 1.2 ones (editors): no JSON value matches this branch, so JSON documents are unaffected.
_AS_PYYAML_READS_A_DATE = {"not": {"type": ["string", "number", "boolean", "null", "array", "object"]},
                           "description": "A date as PyYAML reads an unquoted 2026-11-17 (not a JSON value)."}
_TEXT_OR_TEXTS = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}, {"type": "null"}]}


def log_schema() -> dict[str, Any]:
    schema = TypeAdapter(list[Entry]).json_schema()
    definitions = schema["$defs"]
    _describe(definitions["Entry"], ENTRY_FIELDS)
    _describe(definitions["Prediction"], PREDICTION_FIELDS)
    _replace_type(definitions["Entry"], "id", _TEXT_OR_NUMBER)  # numbers are read as text
    for name in ("parent", "of"):
        _replace_type(definitions["Entry"], name, _OPTIONAL_TEXT_OR_NUMBER)
    definitions["Entry"]["properties"]["date"]["anyOf"].append(_AS_PYYAML_READS_A_DATE)
    return _document(schema, "Paribus experiment log", "A YAML list of experiment-log entries (schema v1).")


def card_schema() -> dict[str, Any]:
    schema = Card.model_json_schema()
    definitions = schema["$defs"]
    _describe(schema, CARD_FIELDS)
    _describe(definitions["DataInfo"], DATA_FIELDS)
    _describe(definitions["Metric"], METRIC_FIELDS)
    for name in ("scripts", "configs", "select", "ignore", "include", "exclude"):  # one string is a list of one
        _replace_type(schema, name, _TEXT_OR_TEXTS)
    return _document(schema, "Paribus project card", "paribus.toml, or [tool.paribus] in pyproject.toml.")


def schema_text(which: str) -> str:
    """The schema ``log`` or ``card`` as the shipped file holds it."""
    schema = {"log": log_schema, "card": card_schema}[which]()
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _describe(model_schema: dict[str, Any], descriptions: dict[str, str]) -> None:
    properties = model_schema["properties"]
    undocumented = sorted(set(properties) - set(descriptions))
    if undocumented:  # a new field must say what it means where editors show it
        raise KeyError(f"describe {', '.join(undocumented)} in paribus.core.model.schema")
    for name, description in descriptions.items():
        if name in properties:
            properties[name].pop("title", None)
            properties[name]["description"] = description


def _replace_type(model_schema: dict[str, Any], name: str, replacement: dict[str, Any]) -> None:
    field = model_schema["properties"][name]
    for key in ("type", "anyOf", "items"):
        field.pop(key, None)
    field.update(replacement)


def _document(schema: dict[str, Any], title: str, description: str) -> dict[str, Any]:
    document = {"$schema": DRAFT, "title": title, "description": description}
    document.update((key, value) for key, value in schema.items() if key not in document)
    return document
