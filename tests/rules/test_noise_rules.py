"""Is it real? Verdicts, chance and predictions judged against the noise (PB203, PB205, PB206,
PB403), replicates exempt from the intervention rules, and *Record as replicate* (PB102)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from paribus.core.judgement.check import run_rules
from paribus.core.model.project import Project
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from rule_helpers import check, fixed

NOISE_CODES = ["PB203", "PB205", "PB206", "PB403"]
Z95 = stats.norm.ppf(0.975)
CARD = 'metric = {{ name = "val_acc", goal = "max", target = 0.9{size} }}\n{extra}'
B1 = "- id: b1\n  kind: baseline\n  params: {lr: 0.1, seed: 0}\n  result: {val_acc: 0.70}\n"
EA = "- id: ea1\n  kind: error-analysis\n  of: b1\n  examined: 60\n  categories: {blurry: 40, dark: 20}\n"


def experiment(val_acc: float, verdict: str | None = "confirmed", by: float | None = None, extra: str = "") -> str:
    size = f", by: {by}" if by else ""
    text = (
        "- id: e1\n  kind: experiment\n  parent: b1\n  intervention: hyperparameters\n  change: {lr: [0.1, 0.01]}\n"
        f"  hypothesis: A smaller step trains better.\n  prediction: {{metric: val_acc, direction: up{size}}}\n"
        f"  result: {{val_acc: {val_acc}{extra}}}\n"
    )
    return text + (f"  verdict: {verdict}\n" if verdict else "")


def codes(root: Path, files: dict[str, str], select=NOISE_CODES) -> list[tuple[str, int]]:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return [(f.code, f.span.line) for f in run_rules(Project(root).context(), select=select)]


def _number_after(text: str, marker: str) -> float:
    return float(re.search(re.escape(marker) + r"\s*([0-9.]+)", text).group(1))


# -- a gain within the dev set's noise -------------------------------------------------------


@pytest.mark.parametrize("where", ["card", "result", "predictions"])
def test_a_within_noise_gain_on_200_dev_examples_draws_pb205_only(tmp_path: Path, where: str) -> None:
    files = {"experiments.yaml": B1 + EA + experiment(0.72)}
    if where == "card":
        files["paribus.toml"] = CARD.format(size=", dev_size = 200", extra="")
    elif where == "result":
        files["paribus.toml"] = CARD.format(size="", extra="")
        files["experiments.yaml"] = B1 + EA + experiment(0.72, extra=", n_dev: 200")
    else:
        rows = "".join(f"{i},{i % 2},{i % 2},{'train' if i >= 200 else 'dev'}\n" for i in range(300))
        files["paribus.toml"] = CARD.format(size="", extra='predictions = "preds.csv"\n')
        files["preds.csv"] = "id,label,pred,split\n" + rows
    assert codes(tmp_path, files) == [("PB205", 18)]
    [finding] = check(tmp_path, "PB205", {})
    # The pooled two-proportion z-test on 140/200 against 144/200, as statsmodels computes it.
    z, _ = proportions_ztest([144, 140], [200, 200])
    half_width = Z95 * 0.02 / abs(z)
    assert finding.message.startswith(
        f"experiment e1 says confirmed, but val_acc 0.7 → 0.72 (+0.020 ± {half_width:.3f} on 200 dev examples) is within the noise: "
        "inconclusive (predicted up); a difference this size would be resolved by ~"
    )
    needed = int(finding.message.split("resolved by ~")[1].split(" dev examples")[0].replace(",", ""))
    assert needed == pytest.approx(200 * (half_width / 0.02) ** 2, rel=0.01)  # the interval shrinks as 1/√n
    assert finding.message.endswith("dev examples (now 200)")
    assert fixed(finding) == files["experiments.yaml"].replace("verdict: confirmed", "verdict: inconclusive")


def test_refuted_within_the_noise_is_pb205_too_and_a_missing_verdict_is_computed_inconclusive(tmp_path: Path) -> None:
    card = {"paribus.toml": CARD.format(size=", dev_size = 200", extra="")}
    assert codes(tmp_path / "a", {**card, "experiments.yaml": B1 + EA + experiment(0.69, "refuted")}) == [("PB205", 18)]
    [finding] = check(tmp_path / "b", "PB203", {**card, "experiments.yaml": B1 + EA + experiment(0.72, None)})
    assert finding.message.startswith("experiment e1 has a result but no verdict: the numbers say inconclusive (val_acc 0.7 → 0.72 (+0.020 ± ")
    assert finding.fixes[0].title == "Set verdict to inconclusive"


def test_a_large_real_gain_on_a_big_dev_set_draws_nothing(tmp_path: Path) -> None:
    files = {"paribus.toml": CARD.format(size=", dev_size = 5000", extra=""), "experiments.yaml": B1 + EA + experiment(0.76, by=0.05)}
    everything = codes(tmp_path, files, select=None)
    assert [code for code, _ in everything if code.startswith(("PB2", "PB4"))] == []
    from paribus.core.judgement.noise import NoiseJudge

    ctx = Project(tmp_path).context()
    comparison = NoiseJudge.of(ctx).comparison(ctx.entries[-1])
    z, _ = proportions_ztest([3800, 3500], [5000, 5000])
    assert comparison.half_width == pytest.approx(Z95 * 0.06 / z)  # ±0.018: 0.06 is far beyond it
    assert comparison.verdict(ctx.entries[-1].prediction) == "confirmed"


def test_a_big_dev_set_refutes_a_gain_that_clearly_misses_its_size(tmp_path: Path) -> None:
    files = {"paribus.toml": CARD.format(size=", dev_size = 5000", extra=""), "experiments.yaml": B1 + EA + experiment(0.71, by=0.05)}
    assert codes(tmp_path, files) == [("PB203", 18)]
    [finding] = check(tmp_path, "PB203", {})
    assert finding.message.startswith("experiment e1 says confirmed, but the numbers say refuted: val_acc 0.7 → 0.71 (+0.010 ± 0.018 on 5,000 dev examples)")


# -- a gain within the seed spread -----------------------------------------------------------

REPLICATES = (
    "- id: r1\n  kind: replicate\n  parent: b1\n  change: {seed: [0, 1]}\n  result: {val_acc: 0.74}\n"
    # Written as an experiment: a change of the seed alone is a replicate all the same.
    "- id: r2\n  kind: experiment\n  parent: b1\n  change: {seed: [0, 2]}\n  result: {val_acc: 0.67}\n"
)


def test_a_gain_within_the_seed_spread_of_replicates_draws_pb205_only(tmp_path: Path) -> None:
    files = {"paribus.toml": CARD.format(size="", extra=""), "experiments.yaml": B1 + EA + REPLICATES + experiment(0.76)}
    assert codes(tmp_path, files) == [("PB205", 28)]
    [finding] = check(tmp_path, "PB205", {})
    runs = [0.70, 0.74, 0.67]
    sd = stats.tstd(runs)
    half_width = stats.t.ppf(0.975, 2) * sd * math.sqrt(1 / 3 + 1)
    assert finding.message.startswith(
        f"experiment e1 says confirmed, but val_acc 0.7033 (mean of 3 runs) → 0.76 (+0.057 ± {half_width:.3f} "
        f"with the spread of 3 runs of b1 (sd {sd:.3f})) is within the noise: inconclusive (predicted up); "
    )
    assert "runs (seeds) of each state" in finding.message


def test_replicates_need_no_hypothesis_prediction_or_error_analysis(tmp_path: Path) -> None:
    card = 'metric = { name = "val_acc", goal = "max", target = 0.9 }\nstatus = "greenfield"\n'
    log = "- id: x1\n  kind: exploration\n  conclusion: balanced\n" + B1 + REPLICATES
    files = {"paribus.toml": card, "experiments.yaml": log}
    findings = codes(tmp_path, files, select=None)
    replicate_lines = range(8, 18)
    assert [(code, line) for code, line in findings if line in replicate_lines] == []
    # The same seed-only run before the baseline's error analysis doesn't count as the result to analyse.
    log += EA + experiment(0.71, verdict=None).replace("  hypothesis: A smaller step trains better.\n", "  hypothesis: x\n")
    assert "PB301" not in [code for code, _ in codes(tmp_path, {"experiments.yaml": log}, select=None)]


def test_several_seeds_in_one_change_are_one_replicate_not_pb103(tmp_path: Path) -> None:
    log = B1 + "- id: r1\n  kind: replicate\n  change: {seed: [0, 1], data_seed: [0, 1]}\n"
    assert codes(tmp_path, {"experiments.yaml": log}, select=["PB103"]) == []


# -- chance ------------------------------------------------------------------------------------


def test_a_small_dev_greenfield_baseline_near_chance_draws_pb403(tmp_path: Path) -> None:
    card = 'status = "greenfield"\nmetric = { name = "val_acc", goal = "max", target = 0.9, dev_size = 40 }\nchance = 0.5\n'
    files = {"paribus.toml": card, "experiments.yaml": "- id: b1\n  kind: baseline\n  result: {val_acc: 0.6}\n"}
    assert codes(tmp_path, files) == [("PB403", 1)]
    [finding] = check(tmp_path, "PB403", {})
    bound = proportion_confint(24, 40, alpha=0.10, method="wilson")[0]
    assert finding.message == (
        "baseline b1: val_acc 0.6 on 40 dev examples is not above chance (0.5, the card's chance): "
        f"at 95 % it could be as low as {bound:.3g}, {0.5 - bound:.3g} below chance — change the representation/features, not the data volume"
    )
    # 0.7 on the same 40: beyond what luck gives.
    assert codes(tmp_path / "b", {**files, "experiments.yaml": "- id: b1\n  kind: baseline\n  result: {val_acc: 0.7}\n"}) == []


def test_replicates_of_a_baseline_are_judged_together_against_chance(tmp_path: Path) -> None:
    card = 'metric = { name = "val_acc", goal = "max" }\nchance = 0.5\n'
    log = "- id: b1\n  kind: baseline\n  result: {val_acc: 0.56}\n" + "".join(
        f"- id: r{i}\n  kind: replicate\n  parent: b1\n  result: {{val_acc: {value}}}\n" for i, value in enumerate((0.47, 0.58), 1))
    [finding] = check(tmp_path, "PB403", {"paribus.toml": card, "experiments.yaml": log})
    assert finding.span.line == 1  # on the baseline, not on its replicates
    assert finding.message.startswith("baseline b1: val_acc 0.536667 (mean of 3 runs) with the spread of 3 runs of b1")


# -- paired predictions ------------------------------------------------------------------------


def _predictions(correct: list[bool]) -> str:
    return "id,label,pred\n" + "".join(f"x{i},a,{'a' if right else 'b'}\n" for i, right in enumerate(correct))


@pytest.mark.parametrize("how", ["entry key", "card pattern"])
def test_paired_predictions_confirm_what_separate_evaluations_cannot(tmp_path: Path, how: str) -> None:
    # 400 dev examples: b1 right on 292; e1 fixes 26 of b1's errors and makes 6 new ones (312 right).
    before = [i < 292 for i in range(400)]
    after = [(i < 292 and not 100 <= i < 106) or 292 <= i < 318 for i in range(400)]
    assert (sum(before), sum(after)) == (292, 312)
    log = B1.replace("0.70", "0.73") + EA + experiment(0.78)
    files = {"runs/b1/predictions.csv": _predictions(before), "runs/e1/predictions.csv": _predictions(after)}
    if how == "entry key":
        log = log.replace("  result: {val_acc: 0.73}\n", "  result: {val_acc: 0.73}\n  predictions: runs/b1/predictions.csv\n")
        log = log.replace("  result: {val_acc: 0.78}\n", "  result: {val_acc: 0.78}\n  predictions: runs/e1/predictions.csv\n")
        files["paribus.toml"] = CARD.format(size=", dev_size = 400", extra="")
    else:
        files["paribus.toml"] = CARD.format(size=", dev_size = 400", extra='run_predictions = "runs/{id}/predictions.csv"\n')
    files["experiments.yaml"] = log
    assert codes(tmp_path, files) == []  # confirmed, as written
    unpaired = codes(tmp_path / "unpaired", {"paribus.toml": CARD.format(size=", dev_size = 400", extra=""), "experiments.yaml": B1.replace("0.70", "0.73") + EA + experiment(0.78)})
    assert unpaired == [("PB205", 18)]

    from paribus.core.judgement.noise import NoiseJudge

    ctx = Project(tmp_path).context()
    comparison = NoiseJudge.of(ctx).comparison(ctx.entries[-1])
    table = [[286, 6], [26, 82]]  # both right, only b1 right / only e1 right, both wrong
    assert f"exact p = {mcnemar(table, exact=True).pvalue:.2g}" in comparison.difference_text()
    assert comparison.difference_text() == f"+0.050 ± {Z95 * math.sqrt(32) / 400:.3f} on 400 paired dev examples (McNemar: 6 vs 26 disagreements, exact p = {mcnemar(table, exact=True).pvalue:.2g})"


# -- a prediction too small to measure -------------------------------------------------------


def test_a_predicted_gain_below_what_200_examples_resolve_is_reported_while_pending(tmp_path: Path) -> None:
    pending = experiment(0.7, None, by=0.005).replace("  result: {val_acc: 0.7}\n", "")
    files = {"paribus.toml": CARD.format(size=", dev_size = 200", extra=""), "experiments.yaml": B1 + EA + pending}
    assert codes(tmp_path, files) == [("PB206", 16)]
    [finding] = check(tmp_path, "PB206", {})
    se = math.sqrt(2 * 0.21 / 200)
    detectable = (Z95 + stats.norm.ppf(0.8)) * se
    assert finding.severity.value == "info"
    assert finding.message == (
        f"e1 predicts a 0.005 gain in val_acc, which is not measurable on 200 dev examples (±{Z95 * se:.3g}; "
        f"the smallest change found reliably is {detectable:.3g}): enlarge the dev set to ~"
        f"{math.ceil(2 * 0.21 * 200 / ((0.005 / (Z95 + stats.norm.ppf(0.8))) ** 2) / 200):,} examples"
    )
    # A predicted 0.2 gain is measurable on 200 examples.
    files["experiments.yaml"] = files["experiments.yaml"].replace("by: 0.005", "by: 0.2")
    assert codes(tmp_path / "b", files) == []


def test_seed_noise_makes_the_advice_name_seeds(tmp_path: Path) -> None:
    pending = experiment(0.7, None, by=0.02).replace("  result: {val_acc: 0.7}\n", "")
    files = {"paribus.toml": CARD.format(size="", extra=""), "experiments.yaml": B1 + REPLICATES + pending}
    [finding] = check(tmp_path, "PB206", files)
    assert "with the spread of 3 runs of b1" in finding.message
    assert finding.message.endswith("seeds for each state")


# -- Record as replicate -----------------------------------------------------------------------


SCRIPT = "import torch\nLR = 0.1\nSEED = {seed}\ntorch.manual_seed(SEED)\n"
LOG = "- id: b1\n  kind: baseline\n  params: {LR: 0.1, SEED: 0}\n  result: {val_acc: 0.7}\n"


def test_a_seed_only_change_offers_record_as_replicate(tmp_path: Path) -> None:
    files = {"train.py": SCRIPT.format(seed=1), "experiments.yaml": LOG}
    assert codes(tmp_path, files, select=["PB101", "PB102"]) == [("PB102", 3)]
    [finding] = check(tmp_path, "PB102", {})
    assert finding.message == (
        "SEED changed (0 → 1) and nothing else since b1: record the run as a replicate of b1 — "
        "the spread of replicates is the seed noise results are judged against"
    )
    assert [fix.title for fix in finding.fixes] == ["Record as replicate", "Add hypothesis"]
    from paribus.core.actions.fixes import today

    added = fixed(finding, "Record as replicate")
    assert added == LOG + f"- id: r1\n  kind: replicate\n  date: {today()}\n  script: train.py\n  parent: b1\n  change: {{SEED: [0, 1]}}\n"
    # Once recorded, the pending replicate agrees with the script: nothing more to say.
    (tmp_path / "experiments.yaml").write_text(added)
    assert codes(tmp_path, {}, select=["PB101", "PB102", "PB104", "PB201", "PB202", "PB301"]) == []


def test_a_seed_changed_with_another_variable_is_two_changes(tmp_path: Path) -> None:
    files = {"train.py": SCRIPT.format(seed=1).replace("LR = 0.1", "LR = 0.01"), "experiments.yaml": LOG}
    assert codes(tmp_path, files, select=["PB101", "PB102"]) == [("PB101", 2), ("PB101", 3)]
