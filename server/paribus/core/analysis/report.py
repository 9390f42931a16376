"""A predictions analysis as a terminal report: `paribus analyze PREDICTIONS --format text`."""

from __future__ import annotations

from collections.abc import Sequence

from paribus.core.analysis.predictions import PredictionAnalysis

VERDICT_TITLES = {
    "targeted-data": "collect targeted data",
    "model": "improve the model",
    "inconclusive": "inconclusive",
}


def render_text(analysis: PredictionAnalysis) -> str:
    sections = [
        _summary(analysis),
        _chance(analysis),
        _verdict(analysis),
        _classes(analysis),
        _confusions(analysis),
        _tags(analysis),
        _confidence(analysis),
        _notes(analysis),
    ]
    return "\n\n".join(section for section in sections if section) + "\n"


def _summary(analysis: PredictionAnalysis) -> str:
    splits = f" ({', '.join(analysis.evaluated_splits)})" if analysis.evaluated_splits else ""
    return (
        f"Predictions: {analysis.path}\n"
        f"{analysis.n_examples:,} examples evaluated{splits}, {analysis.n_errors:,} errors, "
        f"error rate {analysis.error_rate:.1%}, accuracy {analysis.accuracy:.1%}"
    )


def _chance(analysis: PredictionAnalysis) -> str:
    chance = analysis.chance
    standing = "above chance" if chance.above_chance else "NOT above chance"
    z_score = f", z = {chance.z_score:.1f}" if chance.z_score is not None else ""
    return (
        f"Chance: {chance.level:.1%} (always '{chance.majority_class}', from {chance.source}); "
        f"accuracy is {standing} by {chance.margin:+.1%}{z_score}"
    )


def _verdict(analysis: PredictionAnalysis) -> str:
    verdict = analysis.verdict
    lines = [f"Verdict: {verdict.kind} — {VERDICT_TITLES[verdict.kind]}"]
    lines.extend(f"  - {reason}" for reason in verdict.reasons)
    return "\n".join(lines)


def _classes(analysis: PredictionAnalysis) -> str:
    has_support = analysis.support_source is not None
    support_column = ["train support"] if has_support else []
    header = ["class", *support_column, "examples", "errors", "error rate", "share of errors"]
    rows = [
        [
            stats.label,
            *([f"{stats.train_support:,}"] if has_support else []),
            f"{stats.n_examples:,}",
            f"{stats.n_errors:,}",
            f"{stats.error_rate:.1%}",
            f"{stats.error_share:.1%}",
        ]
        for stats in sorted(analysis.classes, key=lambda stats: -stats.n_errors)
    ]
    source = f" (support from the {analysis.support_source})" if has_support else ""
    return f"Per class{source}\n" + _table(header, rows)


def _confusions(analysis: PredictionAnalysis) -> str:
    if not analysis.confused_pairs:
        return ""
    rows = [
        [pair.label, pair.pred, f"{pair.count:,}", f"{pair.error_share:.1%}", ", ".join(pair.example_ids)]
        for pair in analysis.confused_pairs
    ]
    return "Most confused\n" + _table(["label", "predicted", "count", "share of errors", "example ids"], rows)


def _tags(analysis: PredictionAnalysis) -> str:
    if not analysis.tags:
        return ""
    rows = [
        [
            stats.tag,
            stats.value,
            f"{stats.n_examples:,}",
            f"{stats.n_errors:,}",
            f"{stats.error_rate:.1%}",
            f"{stats.error_share:.1%}",
        ]
        for stats in analysis.tags
    ]
    return "Per tag value\n" + _table(["tag", "value", "examples", "errors", "error rate", "share of errors"], rows)


def _confidence(analysis: PredictionAnalysis) -> str:
    summary = analysis.confidence
    if summary is None:
        return ""
    correct = f"{summary.mean_correct:.2f}" if summary.mean_correct is not None else "—"
    errors = f"{summary.mean_errors:.2f}" if summary.mean_errors is not None else "—"
    return (
        f"Confidence: mean {correct} when right, {errors} when wrong; "
        f"{summary.n_confident_errors:,} errors at ≥ {summary.confident_threshold:g} (check their labels)"
    )


def _notes(analysis: PredictionAnalysis) -> str:
    return "\n".join(f"Note: {note}" for note in analysis.notes)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-align the first columns of text, right-align the numbers."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    numeric = [all(_looks_numeric(row[i]) for row in rows) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.rjust(width) if is_number else cell.ljust(width)
            for cell, width, is_number in zip(cells, widths, numeric)
        ]
        return "  " + "  ".join(padded).rstrip()

    return "\n".join([line(header), line(["-" * width for width in widths]), *(line(row) for row in rows)])


def _looks_numeric(cell: str) -> bool:
    return cell.replace(",", "").replace(".", "").replace("%", "").replace("-", "").isdigit()
