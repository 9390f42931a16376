"""Comparisons kept across checks are never stale: after a change to anything a comparison
reads (the entry, its parent, which entry is its parent, its prediction, the card's dev
size, a result's n_dev, replicates of the state or of an ancestor, predictions files), the next check says
exactly what a check with nothing cached says, and what it says changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from paribus.core.judgement import noise
from paribus.core.judgement.check import run_rules
from paribus.core.model import log
from paribus.core.model.project import Project

CARD = 'metric = {{ name = "val_acc", goal = "max", target = 0.9{size} }}\n{extra}'
DEV_200 = CARD.format(size=", dev_size = 200", extra="")


def baseline(entry_id: str = "b1", val_acc: str = "0.70", extra: str = "") -> str:
    return f"- id: {entry_id}\n  kind: baseline\n  params: {{lr: 0.1, seed: 0}}\n  result: {{val_acc: {val_acc}}}\n{extra}"


def experiment(entry_id: str = "e1", parent: str = "b1", val_acc: str = "0.72", verdict: str = "  verdict: confirmed\n",
               result_extra: str = "", extra: str = "", predicted: str = "direction: up") -> str:
    return (
        f"- id: {entry_id}\n  kind: experiment\n  parent: {parent}\n  intervention: hyperparameters\n  change: {{lr: [0.1, 0.01]}}\n"
        f"  hypothesis: A smaller step trains better.\n  prediction: {{metric: val_acc, {predicted}}}\n"
        f"  result: {{val_acc: {val_acc}{result_extra}}}\n{extra}{verdict}"
    )


def replicate(entry_id: str, of: str, val_acc: str) -> str:
    return f"- id: {entry_id}\n  kind: replicate\n  parent: {of}\n  change: {{seed: [0, {entry_id[1:]}]}}\n  result: {{val_acc: {val_acc}}}\n"


def _dev_rows(dev: int) -> str:
    return "id,label,pred,split\n" + "".join(f"{i},{i % 2},{i % 2},{'train' if i >= dev else 'dev'}\n" for i in range(dev + 50))


def _dev_predictions(wrong: int) -> str:
    """200 dev rows, the first ``wrong`` of them misclassified."""
    return "id,label,pred,split\n" + "".join(f"{i},{i % 2},{(i + (i < wrong)) % 2},dev\n" for i in range(200))


def _f1(text: str) -> str:
    return text.replace("val_acc", "val_f1")


def _run_predictions(right: int) -> str:
    return "id,label,pred\n" + "".join(f"x{i},a,{'a' if i < right else 'b'}\n" for i in range(400))


# (files before, files after, what the message says after the change)
CHANGES = {
    "the entry's result": (
        {"paribus.toml": DEV_200, "experiments.yaml": baseline() + experiment()},
        {"experiments.yaml": baseline() + experiment(val_acc="0.73")},
        "val_acc 0.7 → 0.73 (+0.030",
    ),
    "the parent's result": (
        {"paribus.toml": DEV_200, "experiments.yaml": baseline() + experiment()},
        {"experiments.yaml": baseline(val_acc="0.69") + experiment()},
        "val_acc 0.69 → 0.72 (+0.030",
    ),
    "which entry is the parent": (
        {"paribus.toml": DEV_200, "experiments.yaml": baseline() + baseline("b2", "0.71") + experiment()},
        {"experiments.yaml": baseline() + baseline("b2", "0.71") + experiment(parent="b2")},
        "val_acc 0.71 → 0.72 (+0.010",
    ),
    "the predicted size": (
        {"paribus.toml": DEV_200, "experiments.yaml": baseline() + experiment()},
        {"experiments.yaml": baseline() + experiment(predicted="direction: up, by: 0.5")},
        "says confirmed, but the numbers say refuted",
    ),
    "the predicted direction": (
        {"paribus.toml": DEV_200, "experiments.yaml": baseline() + experiment(val_acc="0.90")},
        {"experiments.yaml": baseline() + experiment(val_acc="0.90", predicted="direction: down")},
        "says confirmed, but the numbers say refuted",
    ),
    "the card's dev size": (
        {"paribus.toml": DEV_200, "experiments.yaml": baseline() + experiment()},
        {"paribus.toml": CARD.format(size=", dev_size = 300", extra="")},
        "on 300 dev examples",
    ),
    "n_dev in the result": (
        {"paribus.toml": CARD.format(size="", extra=""), "experiments.yaml": baseline() + experiment(result_extra=", n_dev: 200")},
        {"experiments.yaml": baseline() + experiment(result_extra=", n_dev: 300")},
        "on 300 dev examples",
    ),
    "a replicate of the parent": (
        {"paribus.toml": DEV_200, "experiments.yaml": baseline() + experiment()},
        {"experiments.yaml": baseline() + replicate("r1", "b1", "0.74") + experiment()},
        "val_acc 0.72 (mean of 2 runs) → 0.72",
    ),
    "a replicate of an ancestor": (
        {"paribus.toml": DEV_200, "experiments.yaml": baseline() + replicate("r1", "b1", "0.74")
         + experiment("e0", "b1", "0.72", "") + experiment("e1", "e0", "0.74")},
        {"experiments.yaml": baseline() + replicate("r1", "b1", "0.78")
         + experiment("e0", "b1", "0.72", "") + experiment("e1", "e0", "0.74")},
        "with the spread of 2 runs of b1 (sd 0.057)",
    ),
    "the card's predictions file": (
        {"paribus.toml": CARD.format(size="", extra='predictions = "preds.csv"\n'), "preds.csv": _dev_rows(200),
         "experiments.yaml": baseline() + experiment()},
        {"preds.csv": _dev_rows(300)},
        "on 300 dev examples",
    ),
    "the card's predictions file, as many rows": (
        {"paribus.toml": _f1(CARD.format(size="", extra='predictions = "preds.csv"\n')), "preds.csv": _dev_predictions(40),
         "experiments.yaml": _f1(baseline() + experiment())},
        {"preds.csv": _dev_predictions(90)},
        "on 200 dev examples",
    ),
    "a run's own predictions file": (
        {"paribus.toml": CARD.format(size=", dev_size = 400", extra='run_predictions = "runs/{id}/predictions.csv"\n'),
         "runs/b1/predictions.csv": _run_predictions(292), "runs/e1/predictions.csv": _run_predictions(293),
         "experiments.yaml": baseline(val_acc="0.73") + experiment(val_acc="0.7325")},
        {"runs/e1/predictions.csv": _run_predictions(294)},
        "McNemar: 0 vs 2 disagreements",
    ),
}


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _messages(root: Path) -> list[tuple[str, int, str]]:
    return [(f.code, f.span.line, f.message) for f in run_rules(Project(root).context(), select=["PB203", "PB205"])]


def _messages_from_scratch(root: Path) -> list[tuple[str, int, str]]:
    noise._comparisons.clear()
    log.parse_log.cache_clear()
    log._entry_cache.clear()
    return _messages(root)


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_to_what_a_comparison_reads_is_seen_by_the_next_check(tmp_path: Path, change: str) -> None:
    before, after, expected = CHANGES[change]
    _write(tmp_path, before)
    first = _messages(tmp_path)
    assert _messages(tmp_path) == first  # checked again unchanged: the kept comparisons say the same
    _write(tmp_path, after)
    second = _messages(tmp_path)
    assert second != first
    assert any(expected in message for _, _, message in second), second
    assert second == _messages_from_scratch(tmp_path)
