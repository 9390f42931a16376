"""Long chains, deep nesting and huge numbers: iterated or capped (and said), never a
RecursionError or an OverflowError, and JSON output stays strict JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from paribus.core.model.log import Entry
from paribus.core.model.state import entry_states

from small_project import CARD, LOG

BIG = "1" + "0" * 400


def run_all(cli, project: Path) -> list[dict]:
    """check (JSON) and workflow in every format: no traceback, strict JSON; the findings."""
    run = cli("check", "--format", "json", cwd=project)
    assert run.err == "" and run.code in (0, 1), run.err
    for fmt in ("text", "json", "html"):
        flow = cli("workflow", "--format", fmt, cwd=project)
        assert (flow.code, flow.err) == (0, ""), flow.err
        if fmt == "json":
            json.loads(flow.out, parse_constant=lambda name: pytest.fail(f"{name} in JSON output"))
    return json.loads(run.out, parse_constant=lambda name: pytest.fail(f"{name} in JSON output"))


def test_a_parent_chain_of_ten_thousand_entries_has_every_state() -> None:
    entries = [Entry(id="b0", kind="baseline", params={"lr": 0, "depth": 1})]
    entries += [Entry(id=f"e{i}", kind="experiment", parent=f"e{i - 1}" if i > 1 else "b0", change={"lr": [i - 1, i]}) for i in range(1, 10_001)]
    states = entry_states(entries)
    assert states["e10000"] == {"lr": 10_000, "depth": 1}
    assert states["e5000"] == {"lr": 5_000, "depth": 1}


def test_a_long_parent_chain_in_the_log_is_checked(cli, project: Path) -> None:
    chain = "".join(f"- id: e{i}\n  kind: experiment\n  parent: {'e' + str(i - 1) if i else 'b1'}\n  change: {{BATCH_SIZE: [32, 32]}}\n"
                    f"  hypothesis: h\n  prediction: {{metric: val_acc, direction: up}}\n  result: {{val_acc: 0.7}}\n" for i in range(1500))
    (project / "experiments.yaml").write_text(LOG + chain)
    found = run_all(cli, project)
    assert [(f["path"], f["line"]) for f in found if f["code"] == "PB101"] == [("train.py", 4), ("train.py", 6)]


def test_a_deeply_nested_card_is_said_on_the_card(cli, project: Path) -> None:
    (project / "paribus.toml").write_text(CARD + "x = " + "[" * 5000 + "]" * 5000 + "\n")
    found = run_all(cli, project)
    assert [(f["path"], f["code"], f["line"], f["message"]) for f in found if f["path"] == "paribus.toml"] == [
        ("paribus.toml", "PB002", 1, "paribus.toml is not valid TOML: arrays or tables nested too deeply to read"),
    ]


@pytest.mark.parametrize(("value", "said"), [
    ("{a: " * 80 + "1" + "}" * 80, "entry b1 nests more than 64 levels deep: not read"),
    ("&a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
     "  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
     "  f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]", "entry b1 expands to more than 100,000 values (through aliases): not read"),
])
def test_log_entries_too_deep_or_too_large_are_refused_and_said(cli, project: Path, value: str, said: str) -> None:
    (project / "experiments.yaml").write_text(LOG + f"- id: b1\n  kind: baseline\n  a: {value}\n")
    found = run_all(cli, project)
    assert [(f["code"], f["line"], f["message"]) for f in found if f["code"] == "PB602"] == [("PB602", 12, said)]


def test_deeply_nested_configs_never_stop_the_check(cli, project: Path) -> None:
    card = CARD.replace('log = "experiments.yaml"', 'log = "experiments.yaml"\nconfigs = ["conf/*"]')
    (project / "paribus.toml").write_text(card)
    (project / "conf").mkdir()
    (project / "conf" / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (project / "conf" / "deep.yaml").write_text("a:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(2000)))
    (project / "conf" / "deep.toml").write_text("lr = " + "[" * 5000 + "]" * 5000 + "\n")
    found = run_all(cli, project)
    assert [f["line"] for f in found if f["code"] == "PB101"] == [4, 6]


@pytest.mark.parametrize(("where", "text", "changed_lines"), [
    ("train.py", f"import random\n\nrandom.seed(0)\nLEARNING_RATE = {BIG}\nBATCH_SIZE = {BIG}.5\nhidden = 64\n", {4, 5}),
    ("experiments.yaml", LOG.replace("LEARNING_RATE: 0.001", f"LEARNING_RATE: {BIG}").replace("val_acc: 0.74", "val_acc: 1.7e308"), {4, 6}),
    ("paribus.toml", CARD.replace("chance = 0.25", f"chance = {BIG}").replace("target = 0.9", f"target = {BIG}"), {4, 6}),
])
def test_huge_numbers_compare_and_chart_without_overflow(cli, project: Path, where: str, text: str, changed_lines: set) -> None:
    (project / where).write_text(text)
    found = run_all(cli, project)
    assert {f["line"] for f in found if f["code"] == "PB101"} == changed_lines


@pytest.mark.parametrize("value", ["inf", "-inf", "nan"])
def test_non_finite_chance_and_target_in_the_card_are_said_and_ignored(cli, project: Path, value: str) -> None:
    (project / "paribus.toml").write_text(CARD.replace("chance = 0.25", f"chance = {value}").replace("target = 0.9", f"target = {value}"))
    found = run_all(cli, project)
    assert sorted((f["code"], f["line"], f["message"]) for f in found if f["path"] == "paribus.toml") == [
        ("PB002", 6, "card field `metric.target`: must be a finite number (ignored)"),
        ("PB002", 7, "card field `chance`: must be a finite number (ignored)"),
    ]


def test_recording_against_a_parent_result_past_float_range(cli, project: Path) -> None:
    log = LOG.replace("val_acc: 0.74", f"val_acc: {BIG}") + (
        "- id: e1\n  kind: experiment\n  parent: b1\n  change: {hidden: [64, 128]}\n"
        "  hypothesis: Wider helps.\n  prediction: {metric: val_acc, direction: up}\n"
    )
    (project / "experiments.yaml").write_text(log)
    run = cli("record", "val_acc=0.8", cwd=project)
    assert (run.code, run.err) == (0, "")
    assert (project / "experiments.yaml").read_text().endswith("  result: {val_acc: 0.8}\n  verdict: inconclusive\n")
