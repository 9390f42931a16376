"""Renderers of the workflow and analyses: text for terminals, HTML for the webview, JSON."""

from __future__ import annotations

import json

from paribus.core.judgement.workflow import Workflow


def render_workflow(workflow: Workflow, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(workflow.to_json(), indent=2, ensure_ascii=False, default=str)
    if fmt == "html":
        from paribus.render.html import workflow_html

        return workflow_html(workflow)
    from paribus.render.text import workflow_text

    return workflow_text(workflow)


def render_analysis_html(analysis) -> str:
    from paribus.render.html import analysis_html

    return analysis_html(analysis)
