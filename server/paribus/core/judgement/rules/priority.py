"""PB401–PB405: the intervention follows the diagnosis and the priority order."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable

from paribus.core.analysis.bias_variance import base_metric, bias_variance
from paribus.core.analysis.ceilings import RECOMMENDED_POC_VARIANTS
from paribus.core.judgement.chance import chance_level, judge_chance
from paribus.core.judgement.findings import Finding, Severity
from paribus.core.judgement.interventions import (
    PRIORITY,
    PRIORITY_TEXT,
    TRAIN_SIZE_NAMES,
    is_data_category,
)
from paribus.core.judgement.noise import NoiseJudge
from paribus.core.judgement.rules.base import Example, Rule, register
from paribus.core.judgement.rules.evidence import Diagnoses
from paribus.core.model.log import Entry

_CARD = 'metric = {{ name = "val_acc", goal = "max", target = {target} }}\n'
_B1 = "- id: b1\n  kind: baseline\n  params: {{lr: 0.1, hidden: 64, dropout: 0.3, train_size: 500}}\n  result: {{train_acc: {train}, val_acc: {val}}}\n"
_EA = "- id: ea1\n  kind: error-analysis\n  of: b1\n  examined: 60\n  categories: {categories}\n"

MORE_DATA_WORDS = re.compile(
    r"\b(more|additional|extra|bigger|larger|collect\w*|gather\w*|label\w* more)\b[\w\s-]{0,20}?"
    r"\b(data|examples|samples|recordings|images|labels|training set|dataset)\b|\baugment",
    re.I,
)
CAPACITY_NAMES = re.compile(
    r"(hidden|width|units|channels|filters|layers|depth|d_?model|embed\w*dim|neurons|n_?estimators|num_?leaves|blocks|heads)", re.I
)
REGULARIZATION_NAMES = re.compile(r"(dropout|weight_?decay|^wd$|l1|l2|regulari[sz]ation|reg_?lambda|reg_?alpha|label_?smoothing)", re.I)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _show(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def moved(entry: Entry, names: re.Pattern, direction: int) -> tuple[str, Any, Any] | None:
    """The first change of a variable matching ``names`` that moves up (+1) or down (-1)."""
    for name, pair in (entry.change or {}).items():
        if not names.search(str(name)) or not isinstance(pair, (tuple, list)) or len(pair) != 2:
            continue
        old, new = _number(pair[0]), _number(pair[1])
        if old is not None and new is not None and (new - old) * direction > 0:
            return str(name), pair[0], pair[1]
    return None


def more_data_sign(entry: Entry) -> str | None:
    """How a `data` experiment says it adds data: a growing train-size variable, or its words."""
    if entry.intervention != "data":
        return None
    for name, pair in (entry.change or {}).items():
        if TRAIN_SIZE_NAMES.search(str(name)) and isinstance(pair, (tuple, list)) and len(pair) == 2:
            old, new = _number(pair[0]), _number(pair[1])
            if old is None or new is None or new > old:
                return f"{name} {_show(pair[0])} → {_show(pair[1])}"
    targets = entry.targets if isinstance(entry.targets, str) else " ".join(map(str, entry.targets or []))
    for text in (targets, entry.hypothesis or ""):
        if MORE_DATA_WORDS.search(text):
            return f"“{MORE_DATA_WORDS.search(text).group(0)}”"
    return None


@lru_cache(maxsize=4096)
def _names_capacity_or_regularization(names: str) -> bool:
    """Do these changed names (joined by spaces) name capacity or regularization? Names repeat across a log."""
    return bool(CAPACITY_NAMES.search(names) or REGULARIZATION_NAMES.search(names))


def _parent_results(ctx) -> tuple[dict[str, Entry], dict[str, str | None]]:
    return NoiseJudge.of(ctx).by_id, ctx.parents  # the stateful entries by id, built once per check


def parent_with_result(entry: Entry, by_id: dict[str, Entry], parents: dict[str, str | None]) -> Entry | None:
    parent = by_id.get(parents.get(entry.id) or "")
    return parent if parent is not None and parent is not entry and parent.result else None


def underfitting(ctx, entry: Entry, by_id, parents) -> tuple[Entry, str, float, float] | None:
    """The parent, its training metric and value, and the target, when training misses the target."""
    metric = ctx.card.card.metric
    if metric is None or metric.target is None:
        return None
    parent = parent_with_result(entry, by_id, parents)
    if parent is None:
        return None
    train_key = "train_" + base_metric(metric.name)
    train = _number(parent.result.get(train_key))
    if train is None:
        return None
    worse = train < metric.target if metric.goal == "max" else train > metric.target
    return (parent, train_key, train, metric.target) if worse else None


def _experiments(ctx) -> Iterable[tuple[Any, Entry]]:
    """(the log item, the entry) for each valid experiment that is not a replicate."""
    judge = NoiseJudge.of(ctx)
    for item in ctx.log.entries if ctx.log else []:
        if item.entry is not None and item.entry.kind == "experiment" and not judge.is_replicate(item.entry):
            yield item, item.entry


# -- PB401 ------------------------------------------------------------------------------------


@register
class InterventionOutOfOrder(Rule):
    """An intervention later in the priority order than the diagnosis calls for.

    ## What it does
    The order is data → hyperparameters → architecture → pretrained → compute. Reports an
    `experiment` whose `intervention` is `architecture`, `pretrained` or `compute` while the
    largest open category of the error analysis it was chosen from (see PB303; categories
    targeted since are set aside) is a data-quality one — noise, labels, artifacts,
    inverted or missing inputs. Also reports `compute` when no earlier entry tuned
    hyperparameters. A hyperparameter change is let through: a learning rate that doesn't
    train blurs every category, and trying one is cheap.

    ## Why is this bad?
    Each step of the order is cheaper and more often decisive than the next. A new
    architecture learns the noise and the wrong labels too; a bigger compute budget scales
    an untuned learning rate. Skipping ahead spends the most expensive effort where the
    cheap one was still open.

    ## Example
    ```yaml
    - id: ea1
      kind: error-analysis
      categories: {noisy-signal: 22, short-episode: 9}
    - id: e1
      kind: experiment
      intervention: architecture     # the noise is still there
    ```

    ## Fix
    None automatic: address the open priority first, or say in the hypothesis why it can't be.
    """

    code = "PB401"
    name = "intervention-out-of-order"
    severity = Severity.WARNING
    _LOG = _B1.format(train=0.8, val=0.7) + _EA.format(categories="{mislabeled: 30, small-objects: 20}")
    VALID = [
        Example({"experiments.yaml": _LOG + "- id: e1\n  kind: experiment\n  intervention: data\n  targets: mislabeled\n"}),
        # The data category was targeted by e1: the architecture is next in line.
        Example({"experiments.yaml": _LOG + "- id: e1\n  kind: experiment\n  intervention: data\n  targets: mislabeled\n  result: {val_acc: 0.75}\n"
                 "- id: e2\n  kind: experiment\n  intervention: architecture\n  targets: small-objects\n"}),
        Example({"experiments.yaml": _LOG + "- id: e1\n  kind: experiment\n  intervention: hyperparameters\n"}),
    ]
    INVALID = [
        Example({"experiments.yaml": _LOG + "- id: e1\n  kind: experiment\n  intervention: architecture\n"}, expect=(("experiments.yaml", 12),)),
        Example({"experiments.yaml": _B1.format(train=0.8, val=0.7) + "- id: e1\n  kind: experiment\n  intervention: compute\n"}, expect=(("experiments.yaml", 7),)),
    ]

    def check(self, ctx) -> Iterable[Finding]:
        if ctx.log is None:
            return
        diagnoses = ctx.memo("diagnoses", lambda: Diagnoses(ctx.entries, ctx.parents))
        position = {id(entry): index for index, entry in enumerate(ctx.entries)}
        judge = NoiseJudge.of(ctx)
        tuned = False
        for item in ctx.log.entries:
            entry = item.entry
            if entry is None or judge.is_replicate(entry):
                continue
            if entry.kind == "experiment" and entry.intervention in ("architecture", "pretrained", "compute"):
                message = self._data_first(entry, diagnoses.before(position[id(entry)]))
                if message is None and entry.intervention == "compute" and not tuned:
                    message = (
                        f"{entry.id} scales compute (priority 5) before any entry tuned hyperparameters: "
                        f"priority 2 — {PRIORITY_TEXT['hyperparameters']} — is still open"
                    )
                if message:
                    yield self.finding(ctx.log_path, item.span_of("intervention"), message)
            tuned = tuned or (entry.has_state and entry.intervention == "hyperparameters")

    @staticmethod
    def _data_first(entry: Entry, diagnosis) -> str | None:
        largest = diagnosis.largest() if diagnosis else None
        if largest is None or not is_data_category(largest[0]):
            return None
        rank = PRIORITY.index(entry.intervention) + 1
        return (
            f"{entry.id} is a {entry.intervention} change (priority {rank}) while {diagnosis.analysis.id}'s largest open category, "
            f"{diagnosis.shown(largest[0])}, is a data problem: priority 1 — {PRIORITY_TEXT['data']} — is still open"
        )


# -- PB402 ------------------------------------------------------------------------------------


@register
class InterventionContradictsDiagnosis(Rule):
    """An intervention that works against the bias/variance diagnosis.

    ## What it does
    Diagnoses the parent's result (train vs dev on the card's metric, against `human_level`,
    else the metric's `target`) and reports an `experiment` that fights the dominant gap:
    - high avoidable bias: a `data` experiment that adds data (a growing train-size
      variable, or "more data", "collect", "augment" in its targets or hypothesis), or a
      change that raises regularization (dropout, weight decay …);
    - high variance: `compute`, a change that grows capacity (hidden size, layers, width …)
      or one that lowers regularization.

    A data-quality fix (relabelling, flipping, filtering) is not "more data" and is never
    reported. When the training metric misses the target, adding data is PB404's finding
    and is not repeated here.

    ## Why is this bad?
    A model that can't fit its training set gains nothing from more of it; a model that
    overfits gets worse with more capacity and less regularization. The run answers a
    question the diagnosis already answered.

    ## Example
    ```yaml
    - id: b1
      result: {train_acc: 0.99, val_acc: 0.70}   # variance dominates
    - id: e1
      kind: experiment
      intervention: hyperparameters
      change: {hidden: [64, 256]}                  # more capacity: more variance
    ```

    ## Fix
    None automatic: follow the diagnosis (high bias: bigger model, less regularization,
    train longer; high variance: more data, regularization, augmentation).
    """

    code = "PB402"
    name = "intervention-contradicts-diagnosis"
    severity = Severity.WARNING
    _VARIANCE = {"paribus.toml": _CARD.format(target=0.9), "experiments.yaml": _B1.format(train=0.99, val=0.7)}
    _BIAS = {"paribus.toml": 'metric = { name = "val_acc", goal = "max" }\nhuman_level = 0.95\n', "experiments.yaml": _B1.format(train=0.7, val=0.68)}
    VALID = [
        Example({**_VARIANCE, "experiments.yaml": _VARIANCE["experiments.yaml"] + "- id: e1\n  kind: experiment\n  intervention: data\n  change: {train_size: [500, 2000]}\n"}),
        Example({**_VARIANCE, "experiments.yaml": _VARIANCE["experiments.yaml"] + "- id: e1\n  kind: experiment\n  intervention: hyperparameters\n  change: {dropout: [0.3, 0.5]}\n"}),
        Example({**_BIAS, "experiments.yaml": _BIAS["experiments.yaml"] + "- id: e1\n  kind: experiment\n  intervention: hyperparameters\n  change: {hidden: [64, 256]}\n"}),
        # A data-quality fix under high bias is not "more data".
        Example({**_BIAS, "experiments.yaml": _BIAS["experiments.yaml"] + "- id: e1\n  kind: experiment\n  intervention: data\n  change: {flip_inverted: [false, true]}\n"}),
    ]
    INVALID = [
        Example({**_VARIANCE, "experiments.yaml": _VARIANCE["experiments.yaml"] + "- id: e1\n  kind: experiment\n  intervention: hyperparameters\n  change: {hidden: [64, 256]}\n"}, expect=(("experiments.yaml", 8),)),
        Example({**_VARIANCE, "experiments.yaml": _VARIANCE["experiments.yaml"] + "- id: e1\n  kind: experiment\n  intervention: compute\n"}, expect=(("experiments.yaml", 7),)),
        Example({**_BIAS, "experiments.yaml": _BIAS["experiments.yaml"] + "- id: e1\n  kind: experiment\n  intervention: data\n  hypothesis: More training examples help.\n"}, expect=(("experiments.yaml", 7),)),
    ]

    def check(self, ctx) -> Iterable[Finding]:
        metric = ctx.card.card.metric
        if metric is None:
            return
        by_id, parents = _parent_results(ctx)
        diagnoses: dict[str, Any] = {}  # by parent id: siblings share their parent's diagnosis
        for item, entry in _experiments(ctx):
            if not self._could_contradict(entry):
                continue
            parent = parent_with_result(entry, by_id, parents)
            if parent is None:
                continue
            if parent.id not in diagnoses:
                try:
                    diagnoses[parent.id] = bias_variance(parent.result, metric.name, metric.goal, human_level=ctx.card.card.human_level, target=metric.target)
                except (ValueError, TypeError):
                    diagnoses[parent.id] = None
            diagnosis = diagnoses[parent.id]
            if diagnosis is None:
                continue
            found = self._contradiction(ctx, entry, diagnosis, by_id, parents)
            if found is None:
                continue
            key, what = found
            yield self.finding(ctx.log_path, item.span_of(key), f"{entry.id} {what} — {self._gaps(parent, diagnosis)}")

    @staticmethod
    def _could_contradict(entry: Entry) -> bool:
        """Cheap signs first: most experiments change nothing the diagnosis can contradict."""
        if entry.intervention is None:
            return False
        if entry.intervention == "compute" or more_data_sign(entry):
            return True
        return _names_capacity_or_regularization(" ".join(map(str, entry.change or ())))

    @staticmethod
    def _contradiction(ctx, entry: Entry, diagnosis, by_id, parents) -> tuple[str, str] | None:
        dominant = diagnosis.dominant
        if dominant == "bias":
            sign = more_data_sign(entry)
            if sign and underfitting(ctx, entry, by_id, parents) is None:
                return "intervention", f"adds data ({sign}) while avoidable bias dominates: more data won't help high bias"
            raised = moved(entry, REGULARIZATION_NAMES, +1)
            if raised:
                return "change", f"raises regularization ({raised[0]} {_show(raised[1])} → {_show(raised[2])}) while avoidable bias dominates: high bias needs less"
        elif dominant == "variance":
            if entry.intervention in diagnosis.contradicting_interventions:
                return "intervention", f"scales {entry.intervention} while variance dominates: more capacity or training fits the training set even more closely"
            grown = moved(entry, CAPACITY_NAMES, +1)
            if grown:
                return "change", f"grows capacity ({grown[0]} {_show(grown[1])} → {_show(grown[2])}) while variance dominates: a bigger model overfits more"
            lowered = moved(entry, REGULARIZATION_NAMES, -1)
            if lowered:
                return "change", f"lowers regularization ({lowered[0]} {_show(lowered[1])} → {_show(lowered[2])}) while variance dominates: high variance needs more"
        return None

    @staticmethod
    def _gaps(parent: Entry, diagnosis) -> str:
        parts = []
        if diagnosis.avoidable_bias is not None:
            parts.append(f"avoidable bias {diagnosis.avoidable_bias:.3g} (vs {diagnosis.reference})")
        if diagnosis.variance is not None:
            parts.append(f"variance {diagnosis.variance:.3g}")
        return f"{parent.id}: " + ", ".join(parts)


# -- PB403 ------------------------------------------------------------------------------------


@register
class BaselineAtChance(Rule):
    """A baseline that is not above chance beyond the noise.

    ## What it does
    Tests each `baseline` (with its replicate runs, if any) against the card's `chance` on
    the card's metric, one-sided at 95 %: the baseline is above chance only when even the
    pessimistic end of its noise beats chance. Without a `chance` in the card, the
    majority-class share of the predictions file is used, and only for an accuracy metric.
    A `min` metric must be below chance.

    What is estimated, and from what:
    - the dev-set size comes from the predictions file (its dev rows), else the card's
      `metric.dev_size`, else `n_dev` (or `n`) in the result;
    - an accuracy-like metric is tested with the score test against a model truly at chance
      on that many examples (the one-sided Wilson bound);
    - another metric gets its standard error from a bootstrap over the predictions file's
      dev rows (macro F1, balanced accuracy, ROC AUC …), else the binomial error at its value
      as a rough stand-in; the spread of the baseline's replicates (runs differing only in
      the seed) is added;
    - assumptions: dev examples are independent draws; the chance level is exact.

    When nothing tells the noise, a result within 0.01 of chance (1 point for a percentage)
    counts as at chance.

    ## Why is this bad?
    A baseline at chance has learned nothing from the inputs as they are represented: no
    learning curve can be extrapolated from it, and more data of the same representation
    won't help. On a small dev set a model trained on pure noise easily lands a few points
    above chance: 0.524 on 30 examples against a chance of 0.5 is well within what luck gives.

    ## Example
    ```yaml
    - id: b1              # chance = 0.5 in the card, 30 dev examples
      kind: baseline
      result: {val_f1: 0.524}
    ```

    ## Fix
    None automatic: change the representation or the features (and check the labels),
    not the data volume — or, if the signal may be weak but real, evaluate on more dev
    examples before deciding.
    """

    code = "PB403"
    name = "baseline-at-chance"
    severity = Severity.WARNING
    _CARD = 'metric = { name = "val_acc", goal = "max", target = 0.9 }\nchance = 0.25\n'
    _SMALL_DEV = 'metric = { name = "val_f1", goal = "max", target = 0.9, dev_size = 30 }\nchance = 0.5\n'
    VALID = [
        Example({"paribus.toml": _CARD, "experiments.yaml": "- id: b1\n  kind: baseline\n  result: {val_acc: 0.58}\n"}),
        Example({"experiments.yaml": "- id: b1\n  kind: baseline\n  result: {val_acc: 0.2}\n"}),
        # 0.82 on 30 examples is beyond what luck gives a model at 0.5.
        Example({"paribus.toml": _SMALL_DEV, "experiments.yaml": "- id: b1\n  kind: baseline\n  result: {val_f1: 0.82}\n"}),
    ]
    INVALID = [
        Example({"paribus.toml": _CARD, "experiments.yaml": "- id: b0\n  kind: baseline\n  result: {val_acc: 0.6}\n- id: b1\n  kind: baseline\n  result: {val_acc: 0.255}\n"},
                expect=(("experiments.yaml", 4),)),
        Example({"paribus.toml": _SMALL_DEV, "experiments.yaml": "- id: b1\n  kind: baseline\n  result: {val_f1: 0.524}\n"},
                expect=(("experiments.yaml", 1),)),
    ]

    def check(self, ctx) -> Iterable[Finding]:
        metric = ctx.card.card.metric
        if ctx.log is None or metric is None:
            return
        baselines = [item for item in ctx.log.entries if item.entry is not None and item.entry.kind == "baseline" and item.entry.result]
        if not baselines or chance_level(ctx) is None:
            return
        judge = NoiseJudge.of(ctx)
        for item in baselines:
            if judge.is_replicate(item.entry) or _number(item.entry.result.get(metric.name)) is None:
                continue
            judgement = judge_chance(ctx, item.entry)
            if judgement is None or judgement.beyond:
                continue
            message = f"baseline {item.entry.id}: {judgement.text()} — change the representation/features, not the data volume"
            yield self.finding(ctx.log_path, item.span_of("id"), message)


# -- PB404 ------------------------------------------------------------------------------------


@register
class MoreDataWhileUnderfitting(Rule):
    """More data while the training metric misses the target.

    ## What it does
    Reports an `experiment` with `intervention: data` that adds data — a train-size
    variable (`train_size`, `n_train`, `samples` …) that grows, or "more data", "collect",
    "augment" in its `targets` or `hypothesis` — when its parent's training metric
    (`train_<metric>`) is worse than the card's `target`.

    ## Why is this bad?
    Dev error can't fall below training error, and training error only rises with more
    data. If the model can't reach the target on the examples it already trains on, more
    of them won't bring the dev metric there: it needs capacity, training or features.

    ## Example
    ```yaml
    - id: b1
      result: {train_f1: 0.71, val_f1: 0.58}   # target 0.85
    - id: e1
      kind: experiment
      intervention: data
      change: {train_size: [1500, 3000]}
    ```

    ## Fix
    None automatic: reduce bias first — a bigger model, longer training, a tuned learning
    rate, better features.
    """

    code = "PB404"
    name = "more-data-while-underfitting"
    severity = Severity.WARNING
    _FILES = {"paribus.toml": _CARD.format(target=0.9), "experiments.yaml": _B1.format(train=0.75, val=0.7)}
    VALID = [
        Example({**_FILES, "experiments.yaml": _B1.format(train=0.97, val=0.7) + "- id: e1\n  kind: experiment\n  intervention: data\n  change: {train_size: [500, 2000]}\n"}),
        Example({**_FILES, "experiments.yaml": _FILES["experiments.yaml"] + "- id: e1\n  kind: experiment\n  intervention: data\n  targets: mislabeled\n  change: {relabel: [false, true]}\n"}),
    ]
    INVALID = [
        Example({**_FILES, "experiments.yaml": _FILES["experiments.yaml"] + "- id: e1\n  kind: experiment\n  intervention: data\n  change: {train_size: [500, 2000]}\n"}, expect=(("experiments.yaml", 7),)),
    ]

    def check(self, ctx) -> Iterable[Finding]:
        by_id, parents = _parent_results(ctx)
        for item, entry in _experiments(ctx):
            sign = more_data_sign(entry)
            if sign is None:
                continue
            found = underfitting(ctx, entry, by_id, parents)
            if found is None:
                continue
            parent, train_key, train, target = found
            message = (
                f"{entry.id} adds data ({sign}) while {parent.id}'s {train_key} {train:g} misses the target {target:g}: "
                f"data won't help — the model can't even fit the training set"
            )
            yield self.finding(ctx.log_path, item.span_of("intervention"), message)


# -- PB405 ------------------------------------------------------------------------------------


@register
class CommittedBeforeProofOfConcept(Rule):
    """Committing to one direction before trying ~20 proof-of-concept variants.

    ## What it does
    While the card's `status` is `greenfield` or `baseline`, reports the log's first
    `experiment` entry when fewer than 20 `poc` entries come before it. Once only: later
    experiments are not reported.

    ## Why is this bad?
    Early on, nothing is known about which direction pays. Twenty quick, rough variants —
    several changes at once is fine for a `poc` — map the terrain for the cost of one
    careful experiment; committing first makes the careful experiments explore the wrong
    neighbourhood.

    ## Example
    ```yaml
    - id: b1
      kind: baseline
    - id: p1
      kind: poc
    - id: e1              # 1 of ~20 variants tried
      kind: experiment
    ```

    ## Fix
    None automatic: log quick variants as `poc` entries, or set `status = "iterating"` in
    the card once the direction is chosen.
    """

    code = "PB405"
    name = "committed-before-proof-of-concept"
    severity = Severity.INFO
    _GREENFIELD = 'status = "greenfield"\n'
    _POCS = "".join(f"- id: p{n}\n  kind: poc\n" for n in range(1, RECOMMENDED_POC_VARIANTS + 1))
    VALID = [
        Example({"paribus.toml": _GREENFIELD, "experiments.yaml": "- id: b1\n  kind: baseline\n" + _POCS + "- id: e1\n  kind: experiment\n"}),
        Example({"paribus.toml": 'status = "iterating"\n', "experiments.yaml": "- id: b1\n  kind: baseline\n- id: e1\n  kind: experiment\n"}),
    ]
    INVALID = [
        Example({"paribus.toml": _GREENFIELD, "experiments.yaml": "- id: b1\n  kind: baseline\n- id: p1\n  kind: poc\n- id: e1\n  kind: experiment\n- id: e2\n  kind: experiment\n"},
                expect=(("experiments.yaml", 5),)),
    ]

    def check(self, ctx) -> Iterable[Finding]:
        if ctx.log is None or ctx.card.card.status not in ("greenfield", "baseline"):
            return
        judge = NoiseJudge.of(ctx)
        pocs = 0
        for item in ctx.log.entries:
            entry = item.entry
            if entry is None or judge.is_replicate(entry):
                continue
            if entry.kind == "poc":
                pocs += 1
            elif entry.kind == "experiment":
                if pocs < RECOMMENDED_POC_VARIANTS:
                    message = (
                        f"{entry.id} commits to one direction after {pocs} of ~{RECOMMENDED_POC_VARIANTS} proof-of-concept variants "
                        f"(status {ctx.card.card.status}): try quick `poc` variants first, or set status to iterating"
                    )
                    yield self.finding(ctx.log_path, item.span_of("id"), message)
                return
