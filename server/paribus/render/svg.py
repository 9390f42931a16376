"""Inline SVG charts: the experiment timeline, the learning curve and the bias/variance bar.

Every chart is a standalone, well-formed XML element (only XML's own entities) styled by the
page's CSS classes, so it follows the editor theme. Hover titles carry the full text that
labels may shorten.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from paribus.render.page import esc

# Above this many points, per-point labels would collide: ids go on the axis instead.
MAX_LABELLED_POINTS = 12
LABEL_CHARS = 24
VERDICT_GLYPH = {"confirmed": "✓", "refuted": "✗", "inconclusive": "?"}
# Axes stop here: differences of values near float's limit would overflow to infinity.
AXIS_LIMIT = 1e300


def _clamp(value: float) -> float:
    if math.isnan(value):
        return 0.0
    return min(max(value, -AXIS_LIMIT), AXIS_LIMIT)


@dataclass(frozen=True)
class Plot:
    """Maps data to a drawing area inside an SVG of ``width`` × ``height``."""

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    y_low: float
    y_high: float

    @property
    def inner_width(self) -> float:
        return self.width - self.left - self.right

    def y(self, value: float) -> float:
        """Values beyond the axis sit on its ends."""
        value = min(max(_clamp(value), self.y_low), self.y_high)
        span = (self.y_high - self.y_low) or 1.0
        return self.top + (self.y_high - value) / span * (self.height - self.top - self.bottom)

    @property
    def floor_y(self) -> float:
        return self.height - self.bottom


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    low, high = _clamp(low), _clamp(high)
    if not high > low + abs(low) * 1e-9:  # equal, or closer than floats can tell apart
        high = low + max(1.0, abs(low) * 1e-6)
    raw_step = (high - low) / count
    magnitude = 10.0 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    intervals = min(max(round((last - first) / step), 1), 4 * count)
    return [round(first + index * step, 10) for index in range(intervals + 1)]


def tick_text(value: float) -> str:
    return f"{value:g}" if abs(value) >= 1e-4 or value == 0 else f"{value:.1e}"


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def svg_open(width: float, height: float, label: str) -> str:
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
        f'role="img" aria-label="{esc(label)}"><title>{esc(label)}</title>'
    )


def y_axis(plot: Plot, ticks: Sequence[float]) -> list[str]:
    parts = []
    for tick in ticks:
        y = plot.y(tick)
        parts.append(f'<line class="grid-line" x1="{plot.left:.1f}" x2="{plot.width - plot.right:.1f}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text x="{plot.left - 8:.1f}" y="{y + 4:.1f}" text-anchor="end">{esc(tick_text(tick))}</text>')
    parts.append(f'<line class="axis" x1="{plot.left:.1f}" x2="{plot.width - plot.right:.1f}" y1="{plot.floor_y:.1f}" y2="{plot.floor_y:.1f}"/>')
    return parts


def reference_line(plot: Plot, value: float, css_class: str, label: str) -> list[str]:
    y = plot.y(value)
    x_end = plot.width - plot.right
    return [
        f'<line class="{css_class}" x1="{plot.left:.1f}" x2="{x_end:.1f}" y1="{y:.1f}" y2="{y:.1f}"><title>{esc(label)}</title></line>',
        f'<text class="{ "ok" if css_class == "target" else "err"}" x="{x_end:.1f}" y="{y - 5:.1f}" text-anchor="end">{esc(label)}</text>',
    ]


def marker(kind: str, x: float, y: float, css_class: str, size: float = 5.5) -> str:
    """Baselines are squares, POC variants diamonds, everything else (replicates too) circles."""
    if kind == "baseline":
        return f'<rect class="{css_class}" x="{x - size:.1f}" y="{y - size:.1f}" width="{2 * size:.1f}" height="{2 * size:.1f}" rx="1.5"/>'
    if kind == "poc":
        d = size * 1.3
        return f'<path class="{css_class}" d="M{x:.1f},{y - d:.1f} L{x + d:.1f},{y:.1f} L{x:.1f},{y + d:.1f} L{x - d:.1f},{y:.1f} Z"/>'
    return f'<circle class="{css_class}" cx="{x:.1f}" cy="{y:.1f}" r="{size:.1f}"/>'


@dataclass(frozen=True)
class TimelineDatum:
    id: str
    kind: str
    value: float | None
    change: str
    verdict: str | None
    noise: float | None = None  # drawn as value ± noise
    replicate_of: str | None = None  # drawn in that state's column, within its spread
    runs: tuple[float, ...] = ()  # a state with replicates: all its runs, drawn as a band


def timeline_chart(points: Sequence[TimelineDatum], metric: str, target: float | None, chance: float | None) -> str:
    """The card's metric per entry, in log order, each result with its 95 % noise as a bar;
    replicates sit in their state's column over the band their runs span; pending entries sit
    hollow on the axis."""
    columns = [p for p in points if p.replicate_of is None]
    column_of = {p.id: index for index, p in enumerate(columns)}
    labelled = len(columns) <= MAX_LABELLED_POINTS
    width, height = 1160, 300 if labelled else 250
    values = [_clamp(p.value) for p in points if p.value is not None]
    values += [_clamp(_clamp(p.value) + sign * _clamp(p.noise)) for p in points if p.value is not None and p.noise for sign in (-1, 1)]
    values += [_clamp(run) for p in points for run in p.runs]
    references = [_clamp(v) for v in (target, chance) if v is not None]
    low, high = min(values + references, default=0.0), max(values + references, default=1.0)
    pad = (high - low) * 0.08 or 0.05
    ticks = nice_ticks(low - pad, high + pad)
    plot = Plot(width, height, 52, 16, 26, 70 if labelled else 40, ticks[0], ticks[-1])
    # Labelled points stay far enough from the edges for their change text to fit.
    inset = 80 if labelled else 12

    def x_of(index: int) -> float:
        if len(columns) == 1:
            return plot.left + plot.inner_width / 2
        return plot.left + inset + index * (plot.inner_width - 2 * inset) / (len(columns) - 1)

    def x_of_point(point: TimelineDatum) -> float:
        return x_of(column_of.get(point.replicate_of or point.id, 0))

    parts = [svg_open(width, height, f"{metric} per log entry"), *y_axis(plot, ticks)]
    if target is not None:
        parts += reference_line(plot, target, "target", f"target {target:g}")
    if chance is not None:
        parts += reference_line(plot, chance, "chance", f"chance {chance:g}")
    for point in columns:
        if len(point.runs) > 1:
            top, bottom = plot.y(max(point.runs)), plot.y(min(point.runs))
            hover = f"{point.id} over {len(point.runs)} runs: {min(point.runs):g}–{max(point.runs):g}"
            parts.append(f'<rect class="spread" x="{x_of_point(point) - 9:.1f}" y="{top:.1f}" width="18" height="{max(bottom - top, 1):.1f}" rx="3"><title>{esc(hover)}</title></rect>')

    line_points = [(x_of_point(p), plot.y(p.value)) for p in columns if p.value is not None and p.kind != "poc"]
    if len(line_points) > 1:
        path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(line_points))
        parts.append(f'<path class="series" d="{path}"/>')

    axis_every = max(1, math.ceil(len(columns) / MAX_LABELLED_POINTS))
    for point in points:
        x = x_of_point(point)
        pending = point.value is None
        y = plot.floor_y if pending else plot.y(point.value)
        value_text = "pending" if pending else f"{point.value:g}" + (f" ± {point.noise:.3g}" if point.noise else "")
        if point.noise and not pending:
            upper, lower = plot.y(point.value + point.noise), plot.y(point.value - point.noise)
            parts.append(
                f'<path class="noise-bar" d="M{x:.1f},{upper:.1f} L{x:.1f},{lower:.1f} M{x - 4:.1f},{upper:.1f} L{x + 4:.1f},{upper:.1f} '
                f'M{x - 4:.1f},{lower:.1f} L{x + 4:.1f},{lower:.1f}"><title>{esc(f"{point.id}: {metric} {value_text} (95 %)")}</title></path>'
            )
        if point.replicate_of is not None:
            hover = f"{point.id} (run of {point.replicate_of}) — {point.change} — {metric} {value_text}"
            parts.append(f"<g>{marker('replicate', x, y, 'marker replicate', 3.5)}<title>{esc(hover)}</title></g>")
            continue
        css = "marker " + ("pending" if pending else "poc" if point.kind == "poc" else point.verdict or "")
        verdict_text = f" · {point.verdict}" if point.verdict else ""
        hover = f"{point.id} ({point.kind}) — {point.change} — {metric} {value_text}{verdict_text}"
        parts.append(f"<g>{marker(point.kind, x, y, css.strip(), 5.5 if labelled else 4)}<title>{esc(hover)}</title></g>")
        index = column_of[point.id]
        if labelled:
            above = (plot.y(point.value + point.noise) if point.noise and not pending else y) - 12 if not pending else y - 10
            parts.append(f'<text class="strong" x="{x:.1f}" y="{above:.1f}" text-anchor="middle">{esc(point.id)}</text>')
            if not pending:
                parts.append(f'<text x="{x:.1f}" y="{above - 13:.1f}" text-anchor="middle">{esc(value_text)}</text>')
            parts.append(f'<text x="{x:.1f}" y="{plot.floor_y + 18:.1f}" text-anchor="middle">{esc(shorten(point.change))}<title>{esc(point.change)}</title></text>')
            if point.verdict or pending:
                word = "pending" if pending else point.verdict
                glyph = "" if pending else VERDICT_GLYPH.get(point.verdict, "") + " "
                tone = {"confirmed": "ok", "refuted": "err", "inconclusive": "warn"}.get(word, "")
                parts.append(f'<text class="{tone}" x="{x:.1f}" y="{plot.floor_y + 34:.1f}" text-anchor="middle">{esc(glyph + word)}</text>')
        elif index % axis_every == 0:
            parts.append(f'<text x="{x:.1f}" y="{plot.floor_y + 16:.1f}" text-anchor="middle">{esc(point.id)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def learning_curve_chart(curve: dict, points: Sequence[Sequence[float | None]], chance_error: float | None) -> str:
    """Dev (and train) error against training size on a log axis, the fitted power law and
    its extrapolation to the size that meets the target."""
    points = [p for p in points if math.isfinite(float(p[0])) and 0 < float(p[0]) <= AXIS_LIMIT]
    if not points:
        return ""
    sizes = [float(p[0]) for p in points]
    reach = curve.get("size_for_target")
    if reach is not None and not (math.isfinite(reach) and min(sizes) < reach <= AXIS_LIMIT):
        reach = None
    x_low = min(sizes) / 1.4
    x_high = max(sizes + ([reach] if reach else [])) * 1.4
    errors = [_clamp(float(v)) for p in points for v in p[1:] if v is not None]
    for extra in (curve.get("target_error"), chance_error):
        if extra is not None:
            errors.append(_clamp(float(extra)))
    ticks = nice_ticks(0.0, max(errors, default=1.0) * 1.08)
    width, height = 560, 280
    plot = Plot(width, height, 52, 24, 22, 40, ticks[0], ticks[-1])
    log_low, log_high = math.log10(x_low), math.log10(x_high)

    def x_of(size: float) -> float:
        return plot.left + (math.log10(size) - log_low) / (log_high - log_low) * plot.inner_width

    parts = [svg_open(width, height, "learning curve: dev error against training size"), *y_axis(plot, ticks)]
    for exponent in range(math.ceil(log_low), math.floor(log_high) + 1):
        x = x_of(10**exponent)
        parts.append(f'<text x="{x:.1f}" y="{plot.floor_y + 16:.1f}" text-anchor="middle">{esc(f"{10**exponent:,.0f}")}</text>')
    for size in sorted(set(sizes)):
        parts.append(f'<line class="axis" x1="{x_of(size):.1f}" x2="{x_of(size):.1f}" y1="{plot.floor_y:.1f}" y2="{plot.floor_y + 4:.1f}"/>')
    if curve.get("target_error") is not None:
        parts += reference_line(plot, curve["target_error"], "target", f"target error {curve['target_error']:g}")
    if chance_error is not None:
        parts += reference_line(plot, chance_error, "chance", f"chance error {chance_error:g}")

    amplitude, exponent, floor = curve.get("amplitude"), curve.get("exponent"), curve.get("floor") or 0.0
    if amplitude is not None and exponent is not None:
        def fitted(size: float) -> float:
            try:
                return amplitude * size ** (-exponent) + floor
            except (OverflowError, ZeroDivisionError):
                return AXIS_LIMIT

        observed_end = max(sizes)
        for css, start, end in (("fit", x_low, observed_end), ("extrapolated", observed_end, x_high)):
            samples = [start * (end / start) ** (i / 40) for i in range(41)]
            coordinates = [(x_of(s), plot.y(min(max(fitted(s), ticks[0]), ticks[-1]))) for s in samples]
            path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(coordinates))
            parts.append(f'<path class="{css}" d="{path}"/>')
    if reach:
        x = x_of(reach)
        parts.append(f'<line class="guide" x1="{x:.1f}" x2="{x:.1f}" y1="{plot.top:.1f}" y2="{plot.floor_y:.1f}"/>')
        parts.append(f'<text class="strong" x="{x - 4:.1f}" y="{plot.floor_y - 6:.1f}" text-anchor="end">{esc(f"≈ {reach:,.0f} examples")}</text>')
    for size, train_error, dev_error in points:
        if train_error is not None:
            parts.append(f'<g>{marker("train", x_of(size), plot.y(train_error), "marker hollow", 4.5)}<title>{esc(f"n={size:,.0f}: train error {train_error:.3f}")}</title></g>')
        parts.append(f'<g>{marker("dev", x_of(size), plot.y(dev_error), "marker", 5)}<title>{esc(f"n={size:,.0f}: dev error {dev_error:.3f}")}</title></g>')
    parts.append("</svg>")
    return "".join(parts)


GAP_LABELS = {"bias": "avoidable bias", "variance": "variance", "data-mismatch": "data mismatch"}


def bias_variance_chart(readout: dict) -> str:
    """Dev error split into reference error + avoidable bias + variance (+ data mismatch) when
    the errors are known; otherwise each gap as its own bar."""
    gaps = [("bias", readout.get("avoidable_bias")), ("variance", readout.get("variance")), ("data-mismatch", readout.get("data_mismatch"))]
    known = [(name, value) for name, value in gaps if value is not None]
    dominant = readout.get("dominant")
    width = 560
    reference_error = readout.get("reference_error")
    known = [(name, _clamp(value)) for name, value in known]
    if reference_error is not None and readout.get("dev_error") is not None:
        segments = [("reference", max(_clamp(reference_error), 0.0))] + [(name, max(value, 0.0)) for name, value in known]
        total = sum(value / len(segments) for _, value in segments) * len(segments) or 1.0
        height, left, bar_width = 86, 8, width - 16
        parts = [svg_open(width, height, "dev error split into reference error and gaps")]
        x = left
        for name, value in segments:
            w = value / total * bar_width
            label = f"{readout.get('reference') or 'reference'} error" if name == "reference" else GAP_LABELS[name]
            extra = " dominant" if name == dominant else ""
            parts.append(f'<rect class="segment-{name}{extra}" x="{x:.1f}" y="18" width="{max(w, 0.5):.1f}" height="26" rx="3"><title>{esc(f"{label} {value:.3f}")}</title></rect>')
            if w > 54:
                parts.append(f'<text class="{"strong" if extra else ""}" x="{x + w / 2:.1f}" y="62" text-anchor="middle">{esc(f"{value:.3f}")}</text>')
                parts.append(f'<text x="{x + w / 2:.1f}" y="77" text-anchor="middle">{esc(shorten(label, int(w / 6.5)))}</text>')
            x += w
        dev_label = esc(f"dev error {readout['dev_error']:.3f}")
        parts.append(f'<text x="{left:.1f}" y="12">0</text><text x="{left + bar_width:.1f}" y="12" text-anchor="end">{dev_label}</text>')
        parts.append("</svg>")
        return "".join(parts)

    largest = max((abs(value) for _, value in known), default=1.0) or 1.0
    height = 30 * len(known) + 10
    parts = [svg_open(width, height, "bias, variance and data-mismatch gaps")]
    for row, (name, value) in enumerate(known):
        y = 6 + row * 30
        w = max(abs(value), 0.0) / largest * (width - 230)
        extra = " dominant" if name == dominant else ""
        parts.append(f'<text x="120" y="{y + 15:.1f}" text-anchor="end" class="{"strong" if extra else ""}">{esc(GAP_LABELS[name])}</text>')
        parts.append(f'<rect class="segment-{name}{extra}" x="130" y="{y + 3:.1f}" width="{max(w, 0.5):.1f}" height="16" rx="3"/>')
        parts.append(f'<text x="{136 + w:.1f}" y="{y + 15:.1f}">{esc(f"{value:.3f}")}</text>')
    parts.append("</svg>")
    return "".join(parts)
