"""Nothing of the workspace runs when VS Code (code-server) starts Paribus.

vscode/scenario.mjs opens a copy of the fixture project holding yaml.py, pydantic.py, pygls.py
and a paribus/ package that each leave a marker file when imported:

- booby-trapped: a trusted folder; the server must still serve diagnostics, and no marker appear;
- restricted: workspace trust on and the folder untrusted (Restricted Mode), its
  .vscode/settings.json naming a script as paribus.interpreter; the user-level interpreter must
  serve diagnostics and the script never run — until the user trusts the folder, which proves
  the setting was live all along."""

from __future__ import annotations

import pytest
from e2e_support import DriverRun, run_vscode_driver
from e2e_support import driver_step as step

pytestmark = pytest.mark.e2e

PB101_LINES = [10, 12]  # LEARNING_RATE and DROPOUT differ from the baseline b1 in the fixture


def scenario(name: str, python: str, vsix, tmp_path_factory) -> DriverRun:
    return run_vscode_driver("scenario.mjs", tmp_path_factory.mktemp(f"vscode-{name}"), python, vsix,
                             timeout=300, extra=("--scenario", name))


@pytest.fixture(scope="module")
def trapped(editors_installed, python, vsix, tmp_path_factory) -> DriverRun:
    return scenario("booby-trapped", python, vsix, tmp_path_factory)


@pytest.fixture(scope="module")
def restricted(editors_installed, python, vsix, tmp_path_factory) -> DriverRun:
    return scenario("restricted", python, vsix, tmp_path_factory)


def test_booby_trapped_workspace_still_gets_diagnostics(trapped):
    assert step(trapped, "diagnostics")["squiggles"] == PB101_LINES


def test_booby_trapped_modules_are_never_imported(trapped):
    assert step(trapped, "markers")["markers"] == []
    assert trapped.result["markersAtEnd"] == [], "a planted module was imported before the editor closed"


def test_status_item_reads_ready_and_opens_the_output(trapped):
    record = step(trapped, "status")
    assert record["label"] == "Paribus server: ready"
    assert record["statesSeen"][-2:] == ["Paribus server: starting", "Paribus server: ready"], record["statesSeen"]
    assert record["outputOpened"] is True


def test_untrusted_folder_opens_in_restricted_mode(restricted):
    assert step(restricted, "restricted")["indicator"] == "Restricted Mode"


def test_restricted_mode_serves_diagnostics_with_the_user_level_interpreter(restricted, python):
    assert step(restricted, "diagnostics")["squiggles"] == PB101_LINES
    assert f"Interpreter (setting): {python}" in restricted.server_log(lines=400)


def test_restricted_mode_never_runs_the_workspace_interpreter(restricted):
    assert step(restricted, "markers")["markers"] == []


def test_trusting_the_folder_lets_its_interpreter_run_but_still_imports_nothing(restricted):
    # The control: the workspace's setting was there all along; only trust makes it count.
    assert step(restricted, "trusted")["markers"] == ["workspace-interpreter"]
    assert restricted.result["markersAtEnd"] == ["workspace-interpreter"]
