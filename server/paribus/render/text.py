"""The workflow as plain text, for terminals and editors without a webview."""

from __future__ import annotations

import statistics

from paribus.core.judgement.workflow import TimelinePoint, Workflow

MARK = {"done": "✓", "attention": "!", "todo": "·"}


def workflow_text(workflow: Workflow) -> str:
    project = workflow.project
    out: list[str] = []
    out.append(f"Paribus — {project.get('task') or 'project without a card'}")
    metric = workflow.metric
    if metric:
        target = f", target {metric['target']:g}" if metric.get("target") is not None else ""
        chance = f", chance {workflow.chance:g}" if workflow.chance is not None else ""
        out.append(f"Metric: {metric['name']} ({metric['goal']}{target}{chance})")
    out.append("")
    out.append("Workflow")
    for number, step in enumerate(workflow.steps):
        where = ", ".join(f"{e.path}:{e.line}" if e.line else (e.path or e.label) for e in step.evidence if e.path)
        out.append(f"  {MARK[step.state]} {number}. {step.title:<26} {step.summary}" + (f"  [{where}]" if where else ""))
    rec = workflow.recommendation
    out.append("")
    out.append(f"Next: {rec.title}")
    out.extend(f"  - {reason}" for reason in rec.reasons)
    if workflow.timeline:
        out.append("")
        out.append(f"Timeline ({metric['name'] if metric else 'metric'}; ± the 95 % noise of each result){_dev_size(workflow)}")
        out.extend(timeline_lines(workflow.timeline))
    ea = workflow.error_analysis
    if ea:
        out.append("")
        out.append(f"Error analysis {ea['id']} (of {ea['of']}, {ea['examined']} examined) — ceilings")
        for ceiling in ea["ceilings"]:
            gain = f"  ≤ {ceiling['max_error_reduction']:.3f} error" if ceiling.get("max_error_reduction") is not None else ""
            out.append(f"  {ceiling['category']:<20} {ceiling['count']:>4}  {ceiling['share']:>5.0%}{gain}")
    bv = workflow.bias_variance
    if bv:
        out.append("")
        parts = [f"{name} {bv[key]:.3f}" for name, key in (("avoidable bias", "avoidable_bias"), ("variance", "variance"), ("data mismatch", "data_mismatch")) if bv.get(key) is not None]
        out.append("Bias / variance: " + (", ".join(parts) or "not enough metrics") + (f" → {bv['dominant']} dominates" if bv.get("dominant") else ""))
    curve = workflow.learning_curve
    if curve:
        out.append(f"Learning curve: {curve['message']}")
    poc = workflow.poc
    out.append(f"Proof-of-concept variants: {poc['message']}")
    if workflow.findings:
        out.append("")
        out.append(f"Findings ({len(workflow.findings)})")
        for f in workflow.findings:
            out.append(f"  {f['path']}:{f['line']}: {f['code']} {f['message']}")
    return "\n".join(out)


def _dev_size(workflow: Workflow) -> str:
    noise = workflow.noise or {}
    return f" — {noise['dev_size']:,} dev examples ({noise['dev_size_source']})" if noise.get("dev_size") else ""


def timeline_lines(points: list[TimelinePoint]) -> list[str]:
    """One line per entry — value ± noise, change, verdict, and the comparison with its parent
    when it says otherwise — and one line per state with replicates giving its spread."""
    lines = []
    for point in points:
        value = f"{point.value:.3f}" if point.value is not None else "  —  "
        noise = f" ± {point.noise:.3f}" if point.noise is not None else ""
        verdict = f"  {point.verdict}" if point.verdict else ""
        change = f"run of {point.replicate_of} ({point.change})" if point.replicate_of else point.change
        lines.append(f"  {point.id:<6} {point.kind:<11} {value}{noise:<8}  {change}{verdict}")
        comparison = point.comparison
        if comparison is not None:
            computed = comparison.get("verdict")
            says = f" → {computed}" if computed and computed != point.verdict else ""
            lines.append(f"  {'':<6} {'':<11} vs {comparison['parent']}: {comparison['text']}{says}")
    for point in points:
        if point.runs:
            values = ", ".join(f"{value:.3f}" for value in point.runs)
            mean = statistics.fmean(point.runs)
            lines.append(f"  {point.id} over {len(point.runs)} runs: {values} — mean {mean:.3f}, sd {statistics.stdev(point.runs):.3f}")
    return lines
