"""The workflow page and the predictions page as HTML: content, safety and well-formed charts."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ECG_AF, svg_elements, synthetic_workflow
from paribus.core.analysis import analyze_predictions
from paribus.core.judgement.workflow import build_workflow
from paribus.core.model.project import Project
from paribus.render import render_analysis_html, render_workflow
from paribus.render.html import STATE_DISPLAY

CSP_META = '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:;">'
DESIGN_STEP_TITLES = ("Describe", "Explore the data", "Baseline", "Error analysis", "Choose the intervention", "Hypothesis and prediction", "Run and compare")


class Elements(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def with_attribute(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for _, attrs in self.tags if name in attrs]


@pytest.fixture(scope="module")
def ecg_page(ecg_workflow) -> str:
    return render_workflow(ecg_workflow, "html")


def test_ecg_af_page_shows_each_step_title_and_state_in_words(ecg_workflow, ecg_page):
    for title in DESIGN_STEP_TITLES:
        assert f'<span class="step-title">{title}' in ecg_page
    for step in ecg_workflow.steps:
        icon, words = STATE_DISPLAY[step.state]
        item = re.search(rf'<li class="state-{step.state}" data-step="{step.key}">(.*?)</li>', ecg_page, re.S)
        assert item is not None, step.key
        assert f'<span class="step-title">{step.title}</span>' in item.group(1)
        assert f'<span class="state-label">{words}</span>' in item.group(1)
        assert icon in item.group(1)


def test_ecg_af_page_shows_timeline_ceilings_verdict_bias_variance_and_findings(ecg_workflow, ecg_page):
    for point in ecg_workflow.timeline:
        assert f">{point.id}<" in ecg_page
    assert "FLIP_INVERTED false→true" in ecg_page
    assert "✓ confirmed" in ecg_page and "✗ refuted" in ecg_page
    assert "target 0.85" in ecg_page and "chance 0.25" in ecg_page
    for ceiling in ecg_workflow.error_analysis["ceilings"]:
        assert f"<td>{ceiling['category']}</td>" in ecg_page
    assert "≤ 0.154" in ecg_page
    assert "targeted-data" in ecg_page and "normal</span> → other" not in ecg_page
    assert "normal <span class=\"muted\">→</span> other" in ecg_page
    assert "<b>variance</b>" in ecg_page and "more data" in ecg_page
    for finding in ecg_workflow.findings:
        assert finding["code"] in ecg_page
    assert ecg_workflow.recommendation.title in ecg_page


def test_page_has_no_script_no_remote_resource_and_exactly_one_csp_meta(ecg_page):
    assert "<script" not in ecg_page.lower()
    assert ecg_page.count(CSP_META) == 1
    assert ecg_page.lower().count("content-security-policy") == 1
    assert not re.search(r'(src|href)\s*=\s*["\']?(https?:)?//', ecg_page)
    assert ecg_page.startswith("<!DOCTYPE html>") and ecg_page.rstrip().endswith("</html>")


def test_every_open_link_names_an_existing_file_of_the_project_and_a_positive_line(ecg_page):
    links = Elements(ecg_page).with_attribute("data-paribus-open")
    assert len(links) >= 8
    for attrs in links:
        path = attrs["data-paribus-open"]
        assert not Path(path).is_absolute()
        assert (ECG_AF / path).is_file(), path
        if "data-paribus-line" in attrs:
            assert int(attrs["data-paribus-line"]) >= 1
        assert attrs["href"] == "#"


def test_command_buttons_carry_a_json_array_of_arguments():
    page = render_workflow(synthetic_workflow(), "html")
    buttons = Elements(page).with_attribute("data-paribus-command")
    assert [b["data-paribus-command"] for b in buttons] == ["paribus.scaffoldBaseline"]
    assert json.loads(buttons[0]["data-paribus-args"]) == [{"root": "/tmp/x"}]


def test_user_text_is_escaped_everywhere(tmp_path):
    (tmp_path / "paribus.toml").write_text(
        'task = "<script>alert(1)</script>"\ninputs = "a & b"\noutputs = "<img src=x onerror=alert(2)>"\n'
        'status = "baseline"\nmetric = { name = "val_acc", goal = "max", target = 0.9 }\n',
        encoding="utf-8",
    )
    (tmp_path / "experiments.yaml").write_text(
        "- id: b1\n  kind: baseline\n  params: {lr: 0.1}\n  result: {train_acc: 0.8, val_acc: 0.7}\n"
        "- id: ea1\n  kind: error-analysis\n  of: b1\n  examined: 50\n  categories: {'<i>blur</i>': 20}\n  conclusion: \"</td><script>x()</script>\"\n",
        encoding="utf-8",
    )
    page = render_workflow(build_workflow(Project(tmp_path)), "html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "&lt;i&gt;blur&lt;/i&gt;" in page
    assert "a &amp; b" in page
    assert "<script" not in page.lower() and "<img" not in page.lower() and "<i>blur" not in page
    synthetic = render_workflow(synthetic_workflow(task="<script>alert(1)</script>"), "html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in synthetic and "<script" not in synthetic
    assert "two &lt;changes&gt;" in synthetic and "&lt;b&gt;bold&lt;/b&gt;" in synthetic


def test_every_svg_parses_as_xml(ecg_page):
    pages = [ecg_page] + [
        render_workflow(synthetic_workflow(n_points=n, learning_points=[[100, 0.2, 0.5], [300, 0.22, 0.4], [1000, None, 0.3]]), "html")
        for n in (0, 1, 2, 60)
    ]
    for page in pages:
        for svg in svg_elements(page):
            assert svg.tag == "{http://www.w3.org/2000/svg}svg"
            assert svg.get("viewBox")
    assert len(svg_elements(ecg_page)) >= 2


def test_empty_project_without_card_or_log_renders(tmp_path):
    workflow = build_workflow(Project(tmp_path))
    page = render_workflow(workflow, "html")
    assert "Project without a card" in page
    assert page.count('<span class="state-label">Not started</span>') >= 5
    assert "the timeline starts with a baseline" in page
    assert "<script" not in page and page.count(CSP_META) == 1
    svg_elements(page)


def test_timeline_labels_few_points_and_stays_legible_with_many():
    def markers(svg) -> int:
        return sum(1 for element in svg.iter() if element.get("class", "").startswith("marker"))

    assert "the timeline starts with a baseline" in render_workflow(synthetic_workflow(n_points=0), "html")

    one = render_workflow(synthetic_workflow(n_points=1), "html")
    [chart] = [svg for svg in svg_elements(one) if "per log entry" in svg.get("aria-label", "")]
    assert markers(chart) == 1

    few = render_workflow(synthetic_workflow(n_points=9), "html")
    [chart] = [svg for svg in svg_elements(few) if "per log entry" in svg.get("aria-label", "")]
    texts = [element.text for element in chart.iter("{http://www.w3.org/2000/svg}text")]
    assert "e1" in texts and "✓ confirmed" in texts and "✗ refuted" in texts and "? inconclusive" in texts and "pending" in texts
    assert any(element.get("class") == "marker poc" for element in chart.iter())

    many = render_workflow(synthetic_workflow(n_points=60), "html")
    [chart] = [svg for svg in svg_elements(many) if "per log entry" in svg.get("aria-label", "")]
    assert markers(chart) == 60
    axis_ids = [t.text for t in chart.iter("{http://www.w3.org/2000/svg}text") if t.text and re.fullmatch(r"e\d+", t.text)]
    assert 6 <= len(axis_ids) <= 13  # every k-th id, not 60 overlapping labels
    assert "<details><summary>60 entries</summary>" in many  # the full list, folded


def test_learning_curve_draws_points_fit_target_and_extrapolated_size():
    points = [[100, 0.2, 0.5], [300, 0.22, 0.4], [1000, None, 0.3]]
    page = render_workflow(synthetic_workflow(learning_points=points), "html")
    [chart] = [svg for svg in svg_elements(page) if "learning curve" in svg.get("aria-label", "")]
    classes = [element.get("class") for element in chart.iter()]
    assert classes.count("marker") == 3 and classes.count("marker hollow") == 2
    assert "fit" in classes and "extrapolated" in classes and "target" in classes and "chance" in classes
    assert "≈ 5,621 examples" in page

    too_few = render_workflow(synthetic_workflow(curve_status="too-few-points"), "html")
    assert "Too few points" in too_few


def test_recommended_intervention_is_highlighted_in_the_priority_list():
    page = render_workflow(synthetic_workflow(intervention="hyperparameters"), "html")
    priorities = re.search(r'<ol class="priorities">(.*?)</ol>', page, re.S).group(1)
    items = re.findall(r"<li[^>]*>.*?</li>", priorities, re.S)
    assert len(items) == 5
    assert [i for i, item in enumerate(items) if 'class="recommended"' in item] == [1]
    before = render_workflow(synthetic_workflow(intervention="error-analysis"), "html")
    assert 'class="recommended"' not in before and "First the workflow step “Error analysis”" in before


def test_findings_link_to_their_file_and_line():
    page = render_workflow(synthetic_workflow(), "html")
    assert '<a href="#" class="mono" data-paribus-open="train.py" data-paribus-line="3">train.py:3</a>' in page
    assert "▲ warning" in page


def test_predictions_analysis_page():
    analysis = analyze_predictions(ECG_AF / "runs" / "latest" / "predictions.csv")
    page = render_analysis_html(analysis)
    assert "<script" not in page and page.count(CSP_META) == 1
    assert "targeted-data" in page and "✓ above chance" in page
    for stats in analysis.classes:
        assert f">{stats.label}<" in page
    assert "noise_level = high" in page
    assert "Confidence" in page
    svg_elements(page)
