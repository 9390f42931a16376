"""The workflow view as one self-contained HTML page (DESIGN §5), and the predictions
analysis alone (`paribus analyze --format html`).

The page: where the project stands in each workflow step and the file that proves it, the
recommended next intervention in priority order, the experiment timeline, the error
analysis, bias/variance, the learning curve and the findings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from paribus.core.judgement.interventions import PRIORITY, PRIORITY_TEXT
from paribus.core.judgement.workflow import Action, Evidence, Step, Workflow
from paribus.render.page import (
    card,
    command_button,
    document,
    empty,
    esc,
    heading,
    location_link,
    open_link,
    percent,
)
from paribus.render.panels import (
    bias_variance_panel,
    chance_line,
    class_errors_panel,
    confused_pairs_table,
    error_analysis_panel,
    learning_curve_panel,
    predictions_panel,
    tags_table,
    verdict_box,
)
from paribus.render.svg import VERDICT_GLYPH, TimelineDatum, timeline_chart

STATE_DISPLAY = {"done": ("✓", "Done"), "attention": ("!", "Needs attention"), "todo": ("○", "Not started")}
SEVERITY_DISPLAY = {"error": "✖ error", "warning": "▲ warning", "info": "ℹ info", "hint": "· hint"}
VERDICT_TONE = {"confirmed": "ok", "refuted": "err", "inconclusive": "warn"}
STEP_NAMES = {"describe": "Describe the project", "error-analysis": "Error analysis", "baseline": "Baseline"}


def workflow_html(workflow: Workflow) -> str:
    log_path = workflow.project.get("log")
    body = [
        page_header(workflow),
        '<div class="grid">',
        steps_panel(workflow.steps),
        next_panel(workflow),
        timeline_panel(workflow),
        # Two stacks rather than rows, so a tall panel leaves no hole beside it.
        '<div class="stack">',
        error_analysis_panel(workflow.error_analysis, log_path),
        bias_variance_panel(workflow.bias_variance),
        learning_curve_panel(workflow.learning_curve, chance_error(workflow)),
        '</div><div class="stack">',
        predictions_panel(workflow.predictions, workflow.project.get("predictions")),
        "</div>",
        findings_panel(workflow.findings),
        "</div>",
        f'<footer>Paribus · {esc(Path(workflow.root).name)} · refresh to recompute from the files on disk</footer>',
    ]
    return document("Paribus — diagnostic workflow", "\n".join(body))


def analysis_html(analysis: Any) -> str:
    """A ``PredictionAnalysis`` as its own page, in the workflow page's style."""
    predictions = analysis.to_json()
    splits = ", ".join(predictions["evaluated_splits"]) or "all rows"
    header = (
        '<header class="page"><div class="eyebrow">Paribus · predictions analysis</div>'
        f'<h1 class="mono">{esc(predictions["path"])}</h1><div class="chips">'
        f'<span class="chip">evaluated <b>{predictions["n_examples"]:,}</b> ({esc(splits)})</span>'
        f'<span class="chip">errors <b>{predictions["n_errors"]:,}</b></span>'
        f'<span class="chip">error rate <b>{percent(predictions["error_rate"], 1)}</b></span>'
        f'<span class="chip">support <b>{esc(predictions["support_source"] or "evaluated labels")}</b></span></div></header>'
    )
    confidence = predictions.get("confidence")
    confidence_html = ""
    if confidence:
        confidence_html = card(
            heading("Confidence")
            + '<dl class="facts">'
            + f"<dt>mean on correct</dt><dd class='mono'>{_maybe(confidence['mean_correct'])}</dd>"
            + f"<dt>mean on errors</dt><dd class='mono'>{_maybe(confidence['mean_errors'])}</dd>"
            + f"<dt>errors at ≥ {confidence['confident_threshold']:g}</dt><dd class='mono'>{confidence['n_confident_errors']:,}</dd></dl>"
            + '<p class="hint" style="margin-top:8px">Confident errors are the first place to look for label mistakes.</p>',
            label="Confidence",
        )
    notes = predictions.get("notes") or []
    body = [
        header,
        '<div class="grid">',
        card(heading("Verdict") + chance_line(predictions) + verdict_box(predictions["verdict"]), "span-all", "Verdict"),
        card(heading("Per-class errors", "error rate vs training support") + class_errors_panel(predictions), label="Per-class errors"),
        card(heading("Most confused pairs") + confused_pairs_table(predictions, limit=10), label="Most confused pairs"),
        card(heading("Tags", "error rate per tag value") + (tags_table(predictions) or empty("No tag columns.")), label="Tags"),
        confidence_html,
        card(heading("Notes") + "".join(f"<p>{esc(note)}</p>" for note in notes), label="Notes") if notes else "",
        "</div>",
    ]
    return document("Paribus — predictions analysis", "\n".join(part for part in body if part))


def _maybe(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def chance_error(workflow: Workflow) -> float | None:
    if workflow.chance is None or not workflow.metric:
        return None
    return 1 - workflow.chance if workflow.metric.get("goal", "max") == "max" else workflow.chance


# -- header ------------------------------------------------------------------------------------
def page_header(workflow: Workflow) -> str:
    project = workflow.project
    chips = []
    metric = workflow.metric
    if metric:
        arrow = "↑" if metric.get("goal") == "max" else "↓"
        chips.append(f'<span class="chip">metric <b>{esc(metric["name"])} {arrow}</b></span>')
        if metric.get("target") is not None:
            chips.append(f'<span class="chip">target <b>{metric["target"]:g}</b></span>')
    if workflow.chance is not None:
        chips.append(f'<span class="chip">chance <b>{workflow.chance:g}</b></span>')
    if project.get("status"):
        chips.append(f'<span class="chip">status <b>{esc(project["status"])}</b></span>')
    for label in ("card", "log"):
        if project.get(label):
            chips.append(f'<span class="chip">{label} {open_link(project[label], project[label])}</span>')
    task = project.get("task") or "Project without a card"
    details = []
    for label in ("inputs", "outputs"):
        if project.get(label):
            details.append(f"<dt>{label}</dt><dd>{esc(project[label])}</dd>")
    data = project.get("data") or {}
    data_text = " · ".join(str(data[key]) for key in ("type", "volume") if data.get(key))
    if data_text:
        details.append(f"<dt>data</dt><dd>{esc(data_text)}</dd>")
    if data.get("quirks"):
        details.append(f"<dt>quirks</dt><dd>{esc('; '.join(map(str, data['quirks'])))}</dd>")
    facts = f'<dl class="facts" style="margin-top:12px">{"".join(details)}</dl>' if details else ""
    return (
        '<header class="page"><div class="eyebrow">Paribus · diagnostic workflow</div>'
        f'<h1>{esc(task)}</h1><div class="chips">{"".join(chips)}</div>{facts}</header>'
    )


# -- workflow steps ----------------------------------------------------------------------------
def steps_panel(steps: list[Step]) -> str:
    items = "".join(step_item(number, step) for number, step in enumerate(steps))
    done = sum(step.state == "done" for step in steps)
    return card(heading("Workflow", f"{done} of {len(steps)} steps done") + f'<ol class="steps">{items}</ol>', label="Workflow")


def step_item(number: int, step: Step) -> str:
    icon, state_text = STATE_DISPLAY.get(step.state, ("?", step.state))
    links = [evidence_link(evidence) for evidence in step.evidence] + [action_control(action) for action in step.actions]
    links_html = f'<div class="step-links">{"".join(links)}</div>' if links else ""
    return (
        f'<li class="state-{esc(step.state)}" data-step="{esc(step.key)}">'
        f'<span class="state-icon" aria-hidden="true">{icon}</span>'
        f'<div class="step-head"><span class="step-number">{number}.</span><span class="step-title">{esc(step.title)}</span>'
        f'<span class="state-label">{esc(state_text)}</span></div>'
        f'<p class="step-summary">{esc(step.summary)}</p>{links_html}</li>'
    )


def evidence_link(evidence: Evidence) -> str:
    if not evidence.path:
        return f'<span class="muted">{esc(evidence.label)}</span>'
    where = f"{evidence.path}:{evidence.line}" if evidence.line else evidence.path
    text = where if evidence.label in (evidence.path, where) else evidence.label if where in evidence.label else f"{evidence.label} · {where}"
    return open_link(text, evidence.path, evidence.line)


def action_control(action: Action) -> str:
    if action.command:
        return command_button(action.title, action.command, action.arguments)
    if action.path:
        return open_link(action.title, action.path, action.line, "action-link")
    return f'<span class="hint">{esc(action.title)}</span>'


# -- next intervention -------------------------------------------------------------------------
def next_panel(workflow: Workflow) -> str:
    recommendation = workflow.recommendation
    reasons = "".join(f"<li>{esc(reason)}</li>" for reason in recommendation.reasons)
    chosen = recommendation.intervention
    before = ""
    if chosen not in PRIORITY:
        step = STEP_NAMES.get(chosen or "", chosen or "an earlier step")
        before = f'<p class="hint">First the workflow step “{esc(step)}”; then choose among these, in this order:</p>'
    items = "".join(
        f'<li class="{"recommended" if name == chosen else ""}"><span>{esc(PRIORITY_TEXT[name])}</span>'
        + ('<span class="tag accent">recommended</span>' if name == chosen else f'<span class="muted mono">{esc(name)}</span>')
        + "</li>"
        for name in PRIORITY
    )
    poc = workflow.poc or {}
    poc_html = ""
    if poc:
        fraction = min(poc.get("n_poc", 0) / (poc.get("recommended") or 20), 1.0)
        poc_html = (
            "<h3>Proof-of-concept variants</h3>"
            f'<div class="progress" role="progressbar" aria-valuenow="{poc.get("n_poc", 0)}" aria-valuemax="{poc.get("recommended", 20)}">'
            f'<span style="width:{fraction * 100:.0f}%"></span></div><p class="muted">{esc(poc.get("message", ""))}</p>'
        )
    return card(
        '<div class="eyebrow">Recommended next</div>'
        f'<div class="next-title">{esc(recommendation.title)}</div><ul class="reasons">{reasons}</ul>'
        f"<h3>Priority order</h3>{before}<ol class=\"priorities\">{items}</ol>{poc_html}",
        "next",
        "Recommended next",
    )


# -- timeline ----------------------------------------------------------------------------------
def timeline_panel(workflow: Workflow) -> str:
    metric = workflow.metric or {}
    name = metric.get("name") or "metric"
    title = heading("Experiment timeline", f"{name} per entry")
    if not workflow.timeline:
        return card(title + empty("No baseline, experiment or POC entries yet: the timeline starts with a baseline."), "span-all", "Experiment timeline")
    data = [TimelineDatum(p.id, p.kind, p.value, p.change, p.verdict, p.noise, p.replicate_of, tuple(p.runs or ())) for p in workflow.timeline]
    chart = timeline_chart(data, name, metric.get("target"), workflow.chance)
    legend = (
        '<div class="legend"><span><i class="swatch"></i>baseline</span><span><i class="swatch round"></i>experiment</span>'
        '<span><i class="swatch diamond"></i>POC variant</span><span><i class="swatch round ok"></i>✓ confirmed</span>'
        '<span><i class="swatch round err"></i>✗ refuted</span><span><i class="swatch round warn"></i>? inconclusive</span>'
        '<span><i class="swatch noise"></i>± 95 % noise</span><span><i class="swatch spread"></i>spread of a state\'s replicate runs</span>'
        '<span><i class="swatch line"></i>target</span><span><i class="swatch line chance"></i>chance</span></div>'
    )
    noise = workflow.noise or {}
    dev_size = f'<p class="muted">Noise on {noise["dev_size"]:,} dev examples ({esc(noise["dev_size_source"])}).</p>' if noise.get("dev_size") else ""
    log_path = workflow.project.get("log")
    rows = []
    for point in workflow.timeline:
        entry = open_link(point.id, log_path, point.line) if log_path and point.line else esc(point.id)
        value = "pending" if point.value is None else f"{point.value:g}" + (f" ± {point.noise:.3f}" if point.noise is not None else "")
        change = f"run of {point.replicate_of} ({point.change})" if point.replicate_of else point.change
        rows.append(
            f'<tr><td class="mono">{entry}</td><td>{esc(point.kind)}</td><td class="muted">{esc(point.date or "")}</td>'
            f'<td class="num">{esc(value)}</td><td>{esc(change)}</td><td>{_verdict_tag(point.verdict)}</td><td>{_comparison_cell(point)}</td></tr>'
        )
    open_attribute = " open" if len(rows) <= 12 else ""
    table = (
        f'<details{open_attribute}><summary>{len(rows)} entries</summary><div class="scroll"><table>'
        f'<thead><tr><th>entry</th><th>kind</th><th>date</th><th class="num">{esc(name)} (± 95 %)</th><th>change</th><th>verdict</th><th>against its parent</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></div></details>'
    )
    return card(title + f"<figure>{chart}</figure>" + legend + dev_size + table, "span-all", "Experiment timeline")


def _verdict_tag(verdict: str | None) -> str:
    if not verdict:
        return ""
    return f'<span class="tag {VERDICT_TONE.get(verdict, "muted")}">{VERDICT_GLYPH.get(verdict, "")} {esc(verdict)}</span>'


def _comparison_cell(point) -> str:
    """The movement from the parent with its noise, and the computed verdict when it differs."""
    comparison = point.comparison
    if not comparison:
        return ""
    computed = comparison.get("verdict")
    differs = f" {_verdict_tag(computed)}" if computed and computed != point.verdict else ""
    return f'<span class="muted">vs {esc(comparison["parent"])}:</span> {esc(comparison["text"])}{differs}'



# -- findings ----------------------------------------------------------------------------------
def findings_panel(findings: list[dict[str, Any]]) -> str:
    title = heading("Findings", f"{len(findings)}" if findings else "")
    if not findings:
        return card(title + empty("No findings: every change is attributable."), "span-all", "Findings")
    rows = "".join(
        f'<tr><td><span class="severity {esc(f["severity"])}">{esc(SEVERITY_DISPLAY.get(f["severity"], f["severity"]))}</span></td>'
        f'<td class="mono">{esc(f["code"])}</td><td>{esc(f["message"])}</td><td>{location_link(f["path"], f.get("line"))}</td></tr>'
        for f in findings
    )
    return card(
        title + f'<table><thead><tr><th>severity</th><th>code</th><th>message</th><th>where</th></tr></thead><tbody>{rows}</tbody></table>',
        "span-all",
        "Findings",
    )
