"""PB203: the verdict written (or missing) against the one the numbers give, and its fix."""

from __future__ import annotations

from pathlib import Path

from rule_helpers import check, fixed

B1 = "- id: b1\n  kind: baseline\n  params: {lr: 0.1}\n  result: {val_acc: 0.70}\n"
E1 = (
    "- id: e1\n  kind: experiment\n  change: {lr: [0.1, 0.01]}\n"
    "  prediction: {metric: val_acc, direction: up, by: 0.05}\n"
    "  result: {val_acc: 0.76}\n"
)


def test_missing_verdict_is_set_after_the_entrys_last_line(tmp_path: Path) -> None:
    log = B1 + E1 + "\n# next: a bigger batch\n- id: e2\n  kind: experiment\n"
    [finding] = check(tmp_path, "PB203", {"experiments.yaml": log})
    assert (finding.span.line, finding.severity.value) == (9, "info")
    assert "no verdict: the numbers say confirmed (val_acc 0.7 → 0.76 (+0.060, noise unknown), predicted up by 0.05)" in finding.message
    assert finding.fixes[0].title == "Set verdict to confirmed"
    expected = B1 + E1 + "  verdict: confirmed\n\n# next: a bigger batch\n- id: e2\n  kind: experiment\n"
    assert fixed(finding) == expected


def test_missing_verdict_on_the_last_line_of_a_file_without_final_newline(tmp_path: Path) -> None:
    log = (B1 + E1).rstrip("\n")
    [finding] = check(tmp_path, "PB203", {"experiments.yaml": log})
    assert fixed(finding) == log + "\n  verdict: confirmed"


def test_missing_verdict_after_a_folded_hypothesis_in_an_indented_list(tmp_path: Path) -> None:
    log = (
        "  - id: b1\n    kind: baseline\n    result: {val_acc: 0.70}\n"
        "  - id: e1\n    kind: experiment\n    prediction: {metric: val_acc, direction: up}\n"
        "    result: {val_acc: 0.70}\n    hypothesis: >\n      a long\n      thought\n"
    )
    [finding] = check(tmp_path, "PB203", {"experiments.yaml": log})
    assert "the numbers say refuted" in finding.message
    assert fixed(finding) == log + "    verdict: refuted\n"


def test_contradicting_verdict_is_replaced_in_place(tmp_path: Path) -> None:
    log = B1 + E1.replace("0.76", "0.71") + "  verdict: confirmed   # looked better\n"
    [finding] = check(tmp_path, "PB203", {"experiments.yaml": log})
    assert finding.span.line == 10
    assert finding.message == "experiment e1 says confirmed, but the numbers say inconclusive: val_acc 0.7 → 0.71 (+0.010, noise unknown), predicted up by 0.05"
    assert fixed(finding) == log.replace("verdict: confirmed", "verdict: inconclusive")


def test_parent_defaults_to_the_previous_experiment(tmp_path: Path) -> None:
    e2 = "- id: e2\n  kind: experiment\n  prediction: {metric: val_acc, direction: up}\n  result: {val_acc: 0.74}\n  verdict: confirmed\n"
    # Against b1 (0.70) it rose; against its real parent e1 (0.76) it fell.
    [finding] = check(tmp_path, "PB203", {"experiments.yaml": B1 + E1 + "  verdict: confirmed\n" + e2})
    assert "e2 says confirmed, but the numbers say refuted: val_acc 0.76 → 0.74" in finding.message


def test_poc_entries_are_judged_too(tmp_path: Path) -> None:
    poc = "- id: p1\n  kind: poc\n  parent: b1\n  prediction: {metric: val_acc, direction: down}\n  result: {val_acc: 0.80}\n  verdict: confirmed\n"
    [finding] = check(tmp_path, "PB203", {"experiments.yaml": B1 + poc})
    assert "p1 says confirmed, but the numbers say refuted" in finding.message


def test_unknown_numbers_give_an_inconclusive_suggestion_and_leave_a_written_verdict_alone(tmp_path: Path) -> None:
    no_metric = E1.replace("result: {val_acc: 0.76}", "result: {val_f1: 0.76}")
    [finding] = check(tmp_path, "PB203", {"experiments.yaml": B1 + no_metric})
    assert "its numbers can't tell (the result has no val_acc): inconclusive" in finding.message
    assert check(tmp_path, "PB203", {"experiments.yaml": B1 + no_metric + "  verdict: confirmed\n"}) == []


def test_invalid_entries_and_odd_logs_never_raise(tmp_path: Path) -> None:
    log = "- id: e1\n  kind: experiment\n  prediction: nonsense\n  result: {val_acc: 0.7}\n- 3\n- id: e2\n  kind: experiment\n  parent: e2\n  prediction: {metric: val_acc, direction: up}\n  result: {val_acc: 0.7}\n"
    findings = check(tmp_path, "PB203", {"experiments.yaml": log})
    assert [f.code for f in findings] == ["PB203"]  # e2, its own parent: inconclusive
    assert check(tmp_path, "PB203", {"experiments.yaml": "{not: a list}\n"}) == []
