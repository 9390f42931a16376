"""PB302–PB305: examples examined, the category targeted, predictions kept, data explored."""

from __future__ import annotations

import ast
from pathlib import Path

from paribus.core.actions.fixes import today
from rule_helpers import check, fixed

B1 = "- id: b1\n  kind: baseline\n  params: {lr: 0.1}\n  result: {val_acc: 0.7}\n"
EA = "- id: ea1\n  kind: error-analysis\n  of: b1\n  examined: 60\n  categories: {noisy-signal: 22, inverted-lead: 17, short-episode: 9}\n"


# -- PB302 ------------------------------------------------------------------------------------


def _analysis(examined: str) -> str:
    return B1 + f"- id: ea1\n  kind: error-analysis\n  of: b1\n{examined}  categories: {{blurry: 5, dark: 3}}\n"


def test_fewer_than_20_is_a_warning_fewer_than_50_an_info(tmp_path: Path) -> None:
    [few] = check(tmp_path / "a", "PB302", {"experiments.yaml": _analysis("  examined: 19\n")})
    [rough] = check(tmp_path / "b", "PB302", {"experiments.yaml": _analysis("  examined: 20\n")})
    assert (few.severity.value, few.span.line) == ("warning", 8)
    assert few.message == "error analysis ea1 examined 19 examples: too few for shares to mean anything; look at ≥ 50 (~100 is very good)"
    assert (rough.severity.value, rough.message) == ("info", "error analysis ea1 examined 20 examples: the shares are rough; look at ≥ 50 (~100 is very good)")
    assert check(tmp_path / "c", "PB302", {"experiments.yaml": _analysis("  examined: 50\n")}) == []


def test_missing_examined_falls_back_to_the_category_sum(tmp_path: Path) -> None:
    [finding] = check(tmp_path, "PB302", {"experiments.yaml": _analysis("")})
    assert finding.span.line == 8  # the categories key
    assert "tags only 8 examples and doesn't say how many it examined" in finding.message


def test_an_analysis_still_being_written_is_not_judged(tmp_path: Path) -> None:
    assert check(tmp_path, "PB302", {"experiments.yaml": B1 + "- id: ea1\n  kind: error-analysis\n  of: b1\n"}) == []


# -- PB303 ------------------------------------------------------------------------------------


def test_message_shows_both_ceilings(tmp_path: Path) -> None:
    log = B1 + EA + "- id: e1\n  kind: experiment\n  targets: short-episode\n"
    [finding] = check(tmp_path, "PB303", {"experiments.yaml": log})
    assert finding.message == (
        "e1 targets short-episode (9/60 = 15% ceiling) while noisy-signal holds 37% (22/60) in ea1: "
        "fixing the larger category can gain more"
    )


def test_targets_match_by_name_ignoring_case_and_separators(tmp_path: Path) -> None:
    log = B1 + EA + "- id: e1\n  kind: experiment\n  targets: [Short_Episode, short episode]\n"
    assert len(check(tmp_path, "PB303", {"experiments.yaml": log})) == 1


def test_a_list_including_the_largest_category_is_fine(tmp_path: Path) -> None:
    log = B1 + EA + "- id: e1\n  kind: experiment\n  targets: [short-episode, noisy-signal]\n"
    assert check(tmp_path, "PB303", {"experiments.yaml": log}) == []


def test_unknown_target_or_no_analysis_is_not_judged(tmp_path: Path) -> None:
    assert check(tmp_path / "a", "PB303", {"experiments.yaml": B1 + EA + "- id: e1\n  kind: experiment\n  targets: leakage\n"}) == []
    assert check(tmp_path / "b", "PB303", {"experiments.yaml": B1 + "- id: e1\n  kind: experiment\n  targets: blur\n"}) == []


def test_the_analysis_of_the_parent_chain_wins_over_a_later_unrelated_one(tmp_path: Path) -> None:
    other = "- id: b2\n  kind: baseline\n  result: {val_acc: 0.5}\n- id: ea2\n  kind: error-analysis\n  of: b2\n  examined: 50\n  categories: {short-episode: 40, noisy-signal: 10}\n"
    log = B1 + EA + other + "- id: e1\n  kind: experiment\n  parent: b1\n  targets: short-episode\n"
    [finding] = check(tmp_path, "PB303", {"experiments.yaml": log})
    assert "in ea1" in finding.message


# -- PB304 ------------------------------------------------------------------------------------

CSV_DUMP = '''\
# Per-example predictions are what error analysis reads (Paribus PB304).
# Call save_predictions(...) where the dev predictions are computed, replacing the
# PLACEHOLDER names below with your own variables.
def save_predictions(ids, labels, preds, confidences=None, path='runs/latest/predictions.csv'):
    """Write one row per dev example: id, label, pred, confidence."""
    from pathlib import Path

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    confidences = confidences if confidences is not None else [None] * len(ids)
    import csv

    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "label", "pred", "confidence"])
        writer.writerows(zip(ids, labels, preds, confidences))


# save_predictions(PLACEHOLDER_IDS, PLACEHOLDER_LABELS, PLACEHOLDER_PREDS, PLACEHOLDER_CONFIDENCES)
'''


def test_dump_goes_before_the_main_guard_and_its_comment(tmp_path: Path) -> None:
    script = "LR = 0.1\n\n\ndef main():\n    print(LR)\n\n\n# entry point\nif __name__ == \"__main__\":\n    main()\n"
    [finding] = check(tmp_path, "PB304", {"train.py": script, "experiments.yaml": B1})
    assert (finding.path.name, finding.span.line) == ("train.py", 1)
    head, guard = script.split("# entry point\n")
    assert fixed(finding) == head + CSV_DUMP + "\n\n# entry point\n" + guard
    show_path, show_span = finding.fixes[0].resolved().show
    assert fixed(finding).split("\n")[show_span.line - 1].startswith("# save_predictions(PLACEHOLDER_IDS")
    ast.parse(fixed(finding))


def test_dump_appended_at_the_end_uses_pandas_and_the_cards_path(tmp_path: Path) -> None:
    script = "import pandas as pd\n\nLR = 0.1\nfit(LR)"  # no final newline
    card = 'predictions = "out/dev_preds.csv"\n'
    [finding] = check(tmp_path, "PB304", {"train.py": script, "paribus.toml": card})
    text = fixed(finding)
    assert text.startswith(script + "\n\n\n# Per-example predictions")
    assert "path='out/dev_preds.csv'" in text
    assert '    pd.DataFrame({"id": ids, "label": labels, "pred": preds, "confidence": confidences}).to_csv(path, index=False)\n' in text
    assert "import csv" not in text
    ast.parse(text)
    assert text.split("\n")[finding.fixes[0].resolved().show[1].line - 1].startswith("# save_predictions(")


def test_dump_avoids_a_name_the_script_already_defines(tmp_path: Path) -> None:
    script = "def save_predictions():\n    pass\n\nLR = 0.1\n"
    [finding] = check(tmp_path, "PB304", {"train.py": script, "experiments.yaml": B1})
    assert "def save_dev_predictions(" in fixed(finding)


def test_signs_of_saved_predictions(tmp_path: Path) -> None:
    signs = [
        "np.savetxt(OUT, preds)",
        "json.dump(predictions, handle)",
        "writer.writerow([example_id, label, pred])",
        "pd.DataFrame(rows).to_csv('runs/dev_predictions.csv')",
        "torch.save(model.predict(x), OUT)",
        "export_predictions(model)",
    ]
    for index, sign in enumerate(signs):
        files = {"train.py": f"LR = 0.1\n{sign}\n", "experiments.yaml": B1}
        assert check(tmp_path / str(index), "PB304", files) == [], sign


def test_no_finding_on_a_script_with_nothing_readable(tmp_path: Path) -> None:
    assert check(tmp_path, "PB304", {"train.py": "def broken(:\n", "experiments.yaml": B1}) == []


def test_a_half_typed_statement_elsewhere_keeps_the_save_visible(tmp_path: Path) -> None:
    script = "LR = 0.1\nnp.savetxt('runs/preds.csv', preds)\nmodel = build(\n"
    assert check(tmp_path / "a", "PB304", {"train.py": script, "experiments.yaml": B1}) == []


def test_the_dump_is_appended_to_a_half_typed_script(tmp_path: Path) -> None:
    script = "LR = 0.1\nmodel = build(\n"
    [finding] = check(tmp_path, "PB304", {"train.py": script, "experiments.yaml": B1})
    assert fixed(finding).startswith(script + "\n\n# Per-example predictions")


# -- PB305 ------------------------------------------------------------------------------------


def test_exploration_is_inserted_before_the_baseline_with_the_cursor_on_conclusion(tmp_path: Path) -> None:
    log = "# the log\n\n# first run\n" + B1
    [finding] = check(tmp_path, "PB305", {"experiments.yaml": log})
    assert finding.span.line == 4
    expected = f"# the log\n\n- id: x1\n  kind: exploration\n  date: {today()}\n  conclusion: \n\n# first run\n" + B1
    assert fixed(finding) == expected
    show = finding.fixes[0].resolved().show[1]
    assert (show.line, show.column) == (6, len("  conclusion: ") + 1)


def test_exploration_fix_keeps_an_indented_list_and_numbers_past_existing_ids(tmp_path: Path) -> None:
    log = "  - id: x3\n    kind: poc\n  - id: b1\n    kind: baseline\n"
    [finding] = check(tmp_path, "PB305", {"experiments.yaml": log})
    expected = f"  - id: x3\n    kind: poc\n  - id: x4\n    kind: exploration\n    date: {today()}\n    conclusion: \n  - id: b1\n    kind: baseline\n"
    assert fixed(finding) == expected
