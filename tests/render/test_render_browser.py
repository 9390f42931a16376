"""The ecg-af workflow page in a real browser (headless Chromium): it loads, shows its text,
and follows the system's light or dark preference. Screenshots go to test-output/render/.

Needs Debian's `chromium` on PATH; set PARIBUS_SKIP_BROWSER=1 to skip on machines without it.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from conftest import REPO
from paribus.render import render_workflow

OUTPUT = REPO / "test-output" / "render"
# Blink's preferred colour scheme: 0 is dark, 1 is light.
SCHEMES = {"light": "1", "dark": "0"}


@pytest.fixture(scope="module")
def chromium() -> str:
    if os.environ.get("PARIBUS_SKIP_BROWSER") == "1":
        pytest.skip("PARIBUS_SKIP_BROWSER=1")
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("chromium is not installed: `apt-get install -y chromium`, or set PARIBUS_SKIP_BROWSER=1 to skip the browser tests")
    return found


@pytest.fixture(scope="module")
def page_file(ecg_workflow) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / "workflow-ecg-af.html"
    path.write_text(render_workflow(ecg_workflow, "html"), encoding="utf-8")
    return path


def run_chromium(chromium: str, profile: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(profile)})


def top_left_pixel(png: Path) -> tuple[int, int, int]:
    """The first pixel of an RGB(A) PNG: unaffected by the row filter, so no image library is needed."""
    data = png.read_bytes()
    position, compressed = 8, b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        if kind == b"IDAT":
            compressed += data[position + 8 : position + 8 + length]
        position += 12 + length
    first_bytes = zlib.decompressobj().decompress(compressed, 16)
    return first_bytes[1], first_bytes[2], first_bytes[3]


def test_rendered_page_shows_the_workflow_text(chromium, page_file, ecg_workflow, tmp_path):
    result = run_chromium(chromium, tmp_path, "--dump-dom", page_file.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    for step in ecg_workflow.steps:
        assert step.title in dom
    for text in ("Needs attention", "Experiment timeline", "Error analysis", "Per-class errors", "Bias / variance",
                 "Priority order", "Findings", ecg_workflow.recommendation.title):
        assert text in dom, text
    assert dom.count("<svg") >= 2
    assert "<script" not in dom


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshot_follows_the_colour_scheme(chromium, page_file, scheme, tmp_path):
    screenshot = OUTPUT / f"workflow-ecg-af-{scheme}.png"
    screenshot.unlink(missing_ok=True)
    result = run_chromium(chromium, tmp_path, "--hide-scrollbars", f"--blink-settings=preferredColorScheme={SCHEMES[scheme]}",
                          f"--screenshot={screenshot}", "--window-size=1280,2400", page_file.as_uri())
    assert result.returncode == 0 and screenshot.is_file(), result.stderr[-2000:]
    background = sum(top_left_pixel(screenshot))
    assert background > 600 if scheme == "light" else background < 150, (scheme, top_left_pixel(screenshot))
