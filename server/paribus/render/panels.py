"""The analysis panels, from the analyses' JSON shapes: error-analysis ceilings, the
predictions analysis (per-class errors vs support, confusions, verdict), bias/variance and
the learning curve. The workflow page and `paribus analyze --format html` share them.
"""

from __future__ import annotations

from typing import Any

from paribus.render.page import (
    bar,
    card,
    empty,
    esc,
    heading,
    location_link,
    number,
    percent,
)
from paribus.render.svg import GAP_LABELS, bias_variance_chart, learning_curve_chart

VERDICT_TITLES = {
    "targeted-data": ("Collect targeted data", "warn"),
    "model": ("Improve the model", "accent"),
    "inconclusive": ("Inconclusive", "muted"),
}


def error_analysis_panel(error_analysis: dict[str, Any] | None, log_path: str | None) -> str:
    title = heading("Error analysis", "each category's share of the examined errors is its ceiling")
    if not error_analysis:
        return card(title + empty("No error-analysis entry yet: tag ≥ 50 misclassified dev examples into categories."), label="Error analysis")
    ceilings = error_analysis["ceilings"]
    has_reduction = any(c.get("max_error_reduction") is not None for c in ceilings)
    rows = []
    for ceiling in ceilings:
        reduction = f'<td class="num">≤ {number(ceiling["max_error_reduction"])}</td>' if has_reduction else ""
        rows.append(
            f'<tr><td>{esc(ceiling["category"])}</td><td class="num">{ceiling["count"]}</td>'
            f'<td class="bar-cell">{bar(ceiling["share"], title=percent(ceiling["share"]))}</td>'
            f'<td class="num">{percent(ceiling["share"])}</td>{reduction}</tr>'
        )
    reduction_head = '<th class="num" title="share × the parent\'s error rate">max error reduction</th>' if has_reduction else ""
    source = f'{esc(error_analysis["id"])} of {esc(error_analysis.get("of") or "?")}, {esc(error_analysis.get("examined") or "?")} examined'
    if log_path and error_analysis.get("line"):
        source += f' · {location_link(log_path, error_analysis["line"])}'
    conclusion = error_analysis.get("conclusion")
    return card(
        title
        + f'<p class="muted">{source}</p>'
        + f'<table><thead><tr><th>category</th><th class="num">errors</th><th>ceiling</th><th class="num">share</th>{reduction_head}</tr></thead>'
        + f'<tbody>{"".join(rows)}</tbody></table>'
        + (f'<p style="margin-top:12px">{esc(conclusion.strip())}</p>' if conclusion else ""),
        label="Error analysis",
    )


def class_errors_panel(predictions: dict[str, Any]) -> str:
    """Per-class error rate beside training support: are the errors where the data is thin?"""
    classes = predictions["classes"]
    flagged = set(predictions["verdict"].get("classes") or [])
    has_support = any(c.get("train_support") is not None for c in classes)
    largest_support = max((c.get("train_support") or 0 for c in classes), default=0) or 1
    overall = predictions["error_rate"]
    rows = []
    for stats in classes:
        support_cells = ""
        if has_support:
            support = stats.get("train_support") or 0
            support_cells = f'<td class="num">{support:,}</td><td class="bar-cell">{bar(support / largest_support, "support", title=f"{support:,} training examples")}</td>'
        rate = stats["error_rate"]
        rows.append(
            f'<tr class="{"flagged" if stats["label"] in flagged else ""}"><td>{esc(stats["label"])}</td>'
            f'<td class="num">{stats["n_errors"]:,}/{stats["n_examples"]:,}</td>'
            f'<td class="bar-cell">{bar(rate, "err", marker=overall, title=f"error rate {rate:.1%}")}</td>'
            f'<td class="num">{percent(stats["error_rate"], 1)}</td>{support_cells}</tr>'
        )
    support_head = '<th class="num">train support</th><th></th>' if has_support else ""
    source = f'{predictions["n_examples"]:,} evaluated examples, {predictions["n_errors"]:,} errors ({percent(overall, 1)}); the tick marks the overall rate'
    return (
        f'<p class="muted">{esc(source)}</p>'
        f'<table><thead><tr><th>class</th><th class="num">errors</th><th>error rate</th><th class="num"></th>{support_head}</tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table>'
        + (f'<p class="hint" style="margin-top:6px">◂ named by the verdict: {esc(", ".join(sorted(flagged)))}</p>' if flagged else "")
    )


def confused_pairs_table(predictions: dict[str, Any], limit: int = 6) -> str:
    pairs = predictions["confused_pairs"][:limit]
    if not pairs:
        return empty("No confusions.")
    largest = max(pair["count"] for pair in pairs)
    rows = "".join(
        f'<tr><td>{esc(pair["label"])} <span class="muted">→</span> {esc(pair["pred"])}</td>'
        f'<td class="num">{pair["count"]:,}</td><td class="bar-cell">{bar(pair["count"] / largest, "err")}</td>'
        f'<td class="num">{percent(pair["error_share"])}</td>'
        f'<td class="mono muted" title="{esc(", ".join(pair["example_ids"]))}">{esc(", ".join(pair["example_ids"][:2]))}</td></tr>'
        for pair in pairs
    )
    return (
        '<table><thead><tr><th>true → predicted</th><th class="num">count</th><th></th><th class="num">of errors</th><th>examples</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def verdict_box(verdict: dict[str, Any]) -> str:
    title, tone = VERDICT_TITLES.get(verdict["kind"], (verdict["kind"], "muted"))
    reasons = "".join(f"<li>{esc(reason)}</li>" for reason in verdict.get("reasons") or [])
    return (
        f'<div class="verdict"><div class="verdict-title">More data or a better model? '
        f'<span class="tag {tone}">{esc(verdict["kind"])}</span> {esc(title)}</div>'
        f'<ul class="reasons">{reasons}</ul></div>'
    )


def chance_line(predictions: dict[str, Any]) -> str:
    chance = predictions["chance"]
    standing = ('<span class="tag ok">✓ above chance</span>' if chance["above_chance"] else '<span class="tag err">✗ not above chance</span>')
    z = f", z = {chance['z_score']:.1f}" if chance.get("z_score") is not None else ""
    return (
        f'<p>{standing} accuracy {percent(chance["accuracy"], 1)} vs chance {percent(chance["level"], 1)} '
        f'<span class="muted">(always “{esc(chance["majority_class"])}”, from {esc(chance["source"])}; margin {chance["margin"]:+.1%}{esc(z)})</span></p>'
    )


def predictions_panel(predictions: dict[str, Any] | None, predictions_path: str | None) -> str:
    title = heading("Per-class errors", "error rate vs training support")
    if not predictions:
        hint = "Point the card's `predictions` at a CSV with id,label,pred to see where the errors fall."
        return card(title + empty(hint), label="Per-class errors")
    link = f'<p class="muted">{location_link(predictions_path)}</p>' if predictions_path else ""
    return card(
        title + link + chance_line(predictions) + class_errors_panel(predictions)
        + "<h3>Most confused pairs</h3>" + confused_pairs_table(predictions)
        + verdict_box(predictions["verdict"]),
        label="Per-class errors",
    )


def tags_table(predictions: dict[str, Any]) -> str:
    tags = predictions.get("tags") or []
    if not tags:
        return ""
    rows = "".join(
        f'<tr><td>{esc(stats["tag"])} = {esc(stats["value"])}</td><td class="num">{stats["n_errors"]:,}/{stats["n_examples"]:,}</td>'
        f'<td class="bar-cell">{bar(stats["error_rate"], "err", marker=predictions["error_rate"])}</td>'
        f'<td class="num">{percent(stats["error_rate"], 1)}</td><td class="num">{percent(stats["error_share"])}</td></tr>'
        for stats in sorted(tags, key=lambda s: (s["tag"], -s["error_rate"]))
    )
    return (
        '<table><thead><tr><th>tag</th><th class="num">errors</th><th>error rate</th><th class="num"></th><th class="num">of errors</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def bias_variance_panel(readout: dict[str, Any] | None) -> str:
    title = heading("Bias / variance", "from the latest result's train and dev metrics")
    if not readout:
        return card(title + empty("Needs a result with train and dev values of the card's metric."), label="Bias / variance")
    dominant = readout.get("dominant")
    gaps = [(GAP_LABELS[name], readout.get(key)) for name, key in (("bias", "avoidable_bias"), ("variance", "variance"), ("data-mismatch", "data_mismatch"))]
    known = [(label, value) for label, value in gaps if value is not None]
    if dominant:
        headline = f'<p><span class="tag warn">dominant</span> <b>{esc(GAP_LABELS[dominant])}</b> — what fits it:</p>'
        advice = "".join(f"<li>{esc(item)}</li>" for item in readout.get("interventions") or [])
        headline += f'<ul class="reasons">{advice}</ul>'
    else:
        headline = '<p class="muted">No gap stands out.</p>'
    chart = bias_variance_chart(readout) if known else ""
    legend = (
        '<div class="legend"><span><i class="swatch reference"></i>reference error</span><span><i class="swatch"></i>avoidable bias</span>'
        '<span><i class="swatch variance"></i>variance</span><span><i class="swatch data-mismatch"></i>data mismatch</span></div>'
    )
    ladder = [(f"{readout.get('reference') or 'reference'} error", readout.get("reference_error")), ("train error", readout.get("train_error")),
              ("train-dev error", readout.get("train_dev_error")), ("dev error", readout.get("dev_error"))]
    facts = "".join(f"<dt>{esc(label)}</dt><dd class='mono'>{number(value)}</dd>" for label, value in ladder + known if value is not None)
    notes = "".join(f"<li>{esc(note)}</li>" for note in readout.get("notes") or [])
    missing = readout.get("missing") or []
    missing_html = f'<p class="hint">Missing: {esc(", ".join(missing))}</p>' if missing else ""
    return card(
        title + headline + chart + legend + f'<h3>Errors</h3><dl class="facts">{facts}</dl>'
        + (f'<ul class="plain muted" style="margin-top:10px;font-size:12.5px">{notes}</ul>' if notes else "") + missing_html,
        label="Bias / variance",
    )


def learning_curve_panel(curve: dict[str, Any] | None, chance_error: float | None) -> str:
    title = heading("Learning curve", "would more data reach the target?")
    if not curve:
        return card(title + empty("No learning curve: needs results that differ only in training-set size (≥ 3 sizes)."), label="Learning curve")
    points = curve.get("points") or []
    if curve["status"] == "too-few-points":
        body = f'<p class="empty">Too few points: {esc(curve["message"])}.</p>'
    elif curve["status"] == "invalid":
        body = f'<p class="empty">No fit: {esc(curve["message"])}.</p>'
    else:
        body = f'<p class="mono">{esc(curve["message"])}</p>'
    if points:
        body += learning_curve_chart(curve, points, chance_error)
        body += ('<div class="legend"><span><i class="swatch round"></i>dev error</span><span><i class="swatch line"></i>target</span>'
                 '<span><i class="swatch line chance"></i>chance</span><span>solid: fit · dashed: extrapolation</span></div>')
    if curve.get("plateau"):
        body += f'<p style="margin-top:10px"><span class="tag warn">plateau</span> {esc(curve.get("plateau_reason") or "")}</p>'
    elif curve.get("size_for_target"):
        body += f'<p style="margin-top:10px">Target reached at ≈ <b>{curve["size_for_target"]:,.0f}</b> training examples (extrapolated).</p>'
    return card(title + body, label="Learning curve")
