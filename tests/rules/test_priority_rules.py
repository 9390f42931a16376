"""PB401–PB405: priority order, bias/variance, chance, more data, proof of concept."""

from __future__ import annotations

from pathlib import Path

from statsmodels.stats.proportion import proportion_confint

from rule_helpers import check

CARD = 'metric = { name = "val_acc", goal = "max", target = 0.9 }\n'


def baseline(train: float, val: float) -> str:
    return f"- id: b1\n  kind: baseline\n  params: {{hidden: 64, dropout: 0.3, train_size: 500}}\n  result: {{train_acc: {train}, val_acc: {val}}}\n"


def experiment(body: str, entry_id: str = "e1") -> str:
    return f"- id: {entry_id}\n  kind: experiment\n" + body


EA_DATA = "- id: ea1\n  kind: error-analysis\n  of: b1\n  examined: 50\n  categories: {label-noise: 30, small-objects: 12}\n"


# -- PB401 ------------------------------------------------------------------------------------


def test_architecture_while_a_data_category_leads(tmp_path: Path) -> None:
    log = baseline(0.8, 0.7) + EA_DATA + experiment("  intervention: pretrained\n")
    [finding] = check(tmp_path, "PB401", {"experiments.yaml": log})
    assert finding.span.line == 12
    assert finding.message == (
        "e1 is a pretrained change (priority 4) while ea1's largest open category, label-noise (30/50 = 60%), "
        "is a data problem: priority 1 — fix data quality or collect targeted data for the failing category — is still open"
    )


def test_a_model_category_leading_lets_the_architecture_through(tmp_path: Path) -> None:
    ea = EA_DATA.replace("label-noise: 30, small-objects: 12", "label-noise: 12, small-objects: 30")
    log = baseline(0.8, 0.7) + ea + experiment("  intervention: architecture\n")
    assert check(tmp_path, "PB401", {"experiments.yaml": log}) == []


def test_compute_needs_a_hyperparameter_entry_first(tmp_path: Path) -> None:
    compute = experiment("  intervention: compute\n", "e2")
    [finding] = check(tmp_path / "a", "PB401", {"experiments.yaml": baseline(0.8, 0.7) + compute})
    assert "scales compute (priority 5) before any entry tuned hyperparameters: priority 2" in finding.message
    tuned = baseline(0.8, 0.7) + experiment("  intervention: hyperparameters\n  result: {val_acc: 0.72}\n") + compute
    assert check(tmp_path / "b", "PB401", {"experiments.yaml": tuned}) == []


# -- PB402 ------------------------------------------------------------------------------------


def test_capacity_growth_under_variance(tmp_path: Path) -> None:
    log = baseline(0.99, 0.7) + experiment("  intervention: architecture\n  change: {hidden: [64, 256]}\n")
    [finding] = check(tmp_path, "PB402", {"paribus.toml": CARD, "experiments.yaml": log})
    assert finding.span.line == 8  # the change key
    assert finding.message == (
        "e1 grows capacity (hidden 64 → 256) while variance dominates: a bigger model overfits more — "
        "b1: avoidable bias -0.09 (vs target), variance 0.29"
    )


def test_lower_regularization_under_variance_and_higher_under_bias(tmp_path: Path) -> None:
    lower = baseline(0.99, 0.7) + experiment("  intervention: hyperparameters\n  change: {dropout: [0.3, 0.1]}\n")
    [variance] = check(tmp_path / "a", "PB402", {"paribus.toml": CARD, "experiments.yaml": lower})
    assert "lowers regularization (dropout 0.3 → 0.1)" in variance.message
    higher = baseline(0.6, 0.59) + experiment("  intervention: hyperparameters\n  change: {dropout: [0.3, 0.5]}\n")
    [bias] = check(tmp_path / "b", "PB402", {"paribus.toml": CARD, "experiments.yaml": higher})
    assert "raises regularization (dropout 0.3 → 0.5) while avoidable bias dominates" in bias.message


def test_more_data_under_bias_is_left_to_pb404_when_training_misses_the_target(tmp_path: Path) -> None:
    log = baseline(0.6, 0.59) + experiment("  intervention: data\n  change: {train_size: [500, 2000]}\n")
    files = {"paribus.toml": CARD, "experiments.yaml": log}
    assert check(tmp_path, "PB402", files) == []
    assert [f.code for f in check(tmp_path, "PB404", files)] == ["PB404"]


def test_more_data_under_bias_against_human_level(tmp_path: Path) -> None:
    # Training beats the target (0.9) but not human level (0.99): PB402's finding, not PB404's.
    card = CARD + "human_level = 0.99\n"
    log = baseline(0.92, 0.915) + experiment("  intervention: data\n  hypothesis: Collecting more images closes the gap.\n")
    files = {"paribus.toml": card, "experiments.yaml": log}
    [finding] = check(tmp_path, "PB402", files)
    assert finding.message.startswith("e1 adds data (“Collecting more images”) while avoidable bias dominates: more data won't help high bias")
    assert check(tmp_path, "PB404", files) == []


def test_percent_scores_and_no_parent_result(tmp_path: Path) -> None:
    card = 'metric = { name = "val_acc", goal = "max", target = 90 }\n'
    log = "- id: b1\n  kind: baseline\n  result: {train_acc: 99, val_acc: 70}\n" + experiment("  intervention: compute\n")
    [finding] = check(tmp_path / "a", "PB402", {"paribus.toml": card, "experiments.yaml": log})
    assert "scales compute while variance dominates" in finding.message
    pending = "- id: b1\n  kind: baseline\n" + experiment("  intervention: compute\n")
    assert check(tmp_path / "b", "PB402", {"paribus.toml": card, "experiments.yaml": pending}) == []


# -- PB403 ------------------------------------------------------------------------------------


def test_chance_from_predictions_only_for_accuracy(tmp_path: Path) -> None:
    rows = "id,label,pred\n" + "".join(f"{i},a,a\n" for i in range(8)) + "8,b,a\n9,b,a\n"
    log = "- id: b1\n  kind: baseline\n  result: {val_acc: 0.805, val_f1: 0.44}\n"
    accuracy = {"paribus.toml": CARD + 'predictions = "preds.csv"\n', "preds.csv": rows, "experiments.yaml": log}
    [finding] = check(tmp_path / "a", "PB403", accuracy)
    # The one-sided 95 % Wilson bound of 0.805 on the file's 10 dev rows, as statsmodels computes it.
    bound = proportion_confint(0.805 * 10, 10, alpha=0.10, method="wilson")[0]
    assert finding.message == (
        "baseline b1: val_acc 0.805 on 10 dev examples is not above chance (0.8, the majority-class share in the predictions): "
        f"at 95 % it could be as low as {bound:.3g}, {0.8 - bound:.3g} below chance — change the representation/features, not the data volume"
    )
    f1 = {**accuracy, "paribus.toml": 'metric = { name = "val_f1", goal = "max" }\npredictions = "preds.csv"\n'}
    assert check(tmp_path / "b", "PB403", f1) == []


def test_a_loss_must_be_below_chance(tmp_path: Path) -> None:
    card = 'metric = { name = "val_loss", goal = "min" }\nchance = 1.386\n'
    at_chance = "- id: b1\n  kind: baseline\n  result: {val_loss: 1.38}\n"
    learned = "- id: b1\n  kind: baseline\n  result: {val_loss: 0.9}\n"
    assert len(check(tmp_path / "a", "PB403", {"paribus.toml": card, "experiments.yaml": at_chance})) == 1
    assert check(tmp_path / "b", "PB403", {"paribus.toml": card, "experiments.yaml": learned}) == []


# -- PB404 ------------------------------------------------------------------------------------


def test_message_names_the_training_metric_and_target(tmp_path: Path) -> None:
    log = baseline(0.75, 0.7) + experiment("  intervention: data\n  change: {train_size: [500, 2000]}\n")
    [finding] = check(tmp_path, "PB404", {"paribus.toml": CARD, "experiments.yaml": log})
    assert (finding.span.line, finding.severity.value) == (7, "warning")
    assert finding.message == (
        "e1 adds data (train_size 500 → 2000) while b1's train_acc 0.75 misses the target 0.9: "
        "data won't help — the model can't even fit the training set"
    )


def test_less_data_or_a_data_quality_fix_is_not_more_data(tmp_path: Path) -> None:
    smaller = baseline(0.75, 0.7) + experiment("  intervention: data\n  change: {train_size: [500, 100]}\n")
    relabel = baseline(0.75, 0.7) + experiment("  intervention: data\n  targets: label-noise\n  hypothesis: Relabelling the noisy labels helps.\n")
    assert check(tmp_path / "a", "PB404", {"paribus.toml": CARD, "experiments.yaml": smaller}) == []
    assert check(tmp_path / "b", "PB404", {"paribus.toml": CARD, "experiments.yaml": relabel}) == []


def test_a_loss_above_its_target_on_train(tmp_path: Path) -> None:
    card = 'metric = { name = "val_loss", goal = "min", target = 0.2 }\n'
    log = "- id: b1\n  kind: baseline\n  result: {train_loss: 0.5, val_loss: 0.6}\n" + experiment("  intervention: data\n  targets: more data\n")
    assert len(check(tmp_path, "PB404", {"paribus.toml": card, "experiments.yaml": log})) == 1


# -- PB405 ------------------------------------------------------------------------------------


def test_only_the_first_experiment_and_only_early_on(tmp_path: Path) -> None:
    log = "- id: b1\n  kind: baseline\n" + experiment("") + experiment("", "e2")
    [finding] = check(tmp_path / "a", "PB405", {"paribus.toml": 'status = "baseline"\n', "experiments.yaml": log})
    assert finding.span.line == 3
    assert "after 0 of ~20 proof-of-concept variants (status baseline)" in finding.message
    assert check(tmp_path / "b", "PB405", {"paribus.toml": CARD, "experiments.yaml": log}) == []  # no status
