"""The end-to-end gate (paribus_e2e_gate.py) run on a stand-in repository: with
PARIBUS_REQUIRE_E2E=1 a session whose editor tests were skipped, deselected or not collected
fails; without it, skipped editor tests end the run with a banner."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

GATE = Path(__file__).resolve().parent / "paribus_e2e_gate.py"

EDITOR_TESTS = {
    "test_editor_a.py": "def test_opens():\n    pass\n\ndef test_diagnostics():\n    pass\n",
    "test_editor_b.py": (
        "import os, pytest\n\n"
        "def test_neovim():\n"
        "    if os.environ.get('STAND_IN_SKIP') == '1':\n"
        "        pytest.skip('STAND_IN_SKIP=1: editors skipped')\n"
    ),
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """tests/e2e with the gate and two editor modules, tests/core with one ordinary test."""
    e2e = tmp_path / "tests" / "e2e"
    e2e.mkdir(parents=True)
    shutil.copy(GATE, e2e / GATE.name)
    for name, text in EDITOR_TESTS.items():
        (e2e / name).write_text(text)
    (tmp_path / "tests" / "core").mkdir()
    (tmp_path / "tests" / "core" / "test_core.py").write_text("def test_core():\n    pass\n")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    return tmp_path


def run(repo: Path, *args: str, required: bool, skip: bool = False) -> tuple[int, str, dict]:
    env = {k: v for k, v in os.environ.items() if k not in ("PARIBUS_REQUIRE_E2E", "PARIBUS_SKIP_E2E", "PYTEST_ADDOPTS")}
    env["PYTHONPATH"] = str(repo / "tests" / "e2e")
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # the stand-in needs none of the installed plugins
    if required:
        env["PARIBUS_REQUIRE_E2E"] = "1"
    if skip:
        env["STAND_IN_SKIP"] = "1"
    process = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "paribus_e2e_gate", "-p", "no:cacheprovider", "-q", *args],
        cwd=repo, env=env, capture_output=True, text=True, timeout=120,
    )
    report = json.loads((repo / "test-output" / "e2e-gate.json").read_text())
    return process.returncode, process.stdout + process.stderr, report


def test_required_and_all_passed(repo):
    code, output, report = run(repo, "tests", required=True)
    assert code == 0, output
    assert report == {"required": True, "verdict": "passed", "modules": ["test_editor_a.py", "test_editor_b.py"],
                      "passed": 3, "problems": []}


def test_required_but_skipped_fails_the_session(repo):
    code, output, report = run(repo, "tests", required=True, skip=True)
    assert code == 1, output
    assert report["verdict"] == "failed"
    assert report["problems"] == ["tests/e2e/test_editor_b.py::test_neovim: skipped (STAND_IN_SKIP=1: editors skipped)"]
    assert "1 required editor test(s) did not run and pass" in output


def test_required_but_deselected_fails_the_session(repo):
    code, output, report = run(repo, "tests", "-k", "not diagnostics", required=True)
    assert code == 1, output
    assert report["problems"] == ["tests/e2e/test_editor_a.py::test_diagnostics: deselected"]


def test_required_but_not_collected_fails_the_session(repo):
    code, output, report = run(repo, "tests/core", "tests/e2e/test_editor_a.py", required=True)
    assert code == 1, output
    assert report["problems"] == ["test_editor_b.py: not collected"]
    code, output, report = run(repo, "tests", "--ignore=tests/e2e", required=True)
    assert code == 1, output
    assert report["problems"] == ["test_editor_a.py: not collected", "test_editor_b.py: not collected"]


def test_skipping_locally_passes_with_a_banner(repo):
    code, output, report = run(repo, "tests", required=False, skip=True)
    assert code == 0, output
    assert report["verdict"] == "incomplete"
    assert "END-TO-END TESTS SKIPPED" in output
    assert "1 editor test(s) were skipped: VS Code and Neovim were NOT tested" in output


def test_a_failing_editor_test_stays_a_failure(repo):
    (repo / "tests" / "e2e" / "test_editor_a.py").write_text("def test_opens():\n    assert False\n")
    code, output, report = run(repo, "tests", required=True)
    assert code == 1, output
    assert report["problems"] == ["tests/e2e/test_editor_a.py::test_opens: failed"]
