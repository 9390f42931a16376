"""Renderers of the workflow and analyses: text for terminals, HTML for the webview, JSON."""

from __future__ import annotations

import json

from paribus.core.judgement.workflow import Workflow


def render_workflow(workflow: Workflow, fmt: str) -> str:
    if fmt == "json":
        return json_text(workflow.to_json())
    if fmt == "html":
        from paribus.render.html import workflow_html

        return workflow_html(workflow)
    from paribus.render.text import workflow_text

    return workflow_text(workflow)


def render_analysis_html(analysis) -> str:
    from paribus.render.html import analysis_html

    return analysis_html(analysis)


def json_safe(value: object, depth: int = 0) -> object:
    """``value`` as strict JSON allows: NaN and infinities become null, ints too long to print
    and deeper structures become text, unknown objects their ``str``."""
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value if value.bit_length() < 10_000 else f"an integer of {value.bit_length():,} bits"
    if depth > 100:
        return "…"
    if isinstance(value, dict):
        return {str(key): json_safe(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(item, depth + 1) for item in value]
    return str(value)


def json_text(value: object) -> str:
    """Strict JSON (never `NaN` or `Infinity`), indented, non-ASCII kept."""
    return json.dumps(json_safe(value), indent=2, ensure_ascii=False, allow_nan=False)
