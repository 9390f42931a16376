"""One click from an OS-managed Python to a running server, in VS Code (code-server).

paribus.interpreter is Debian's /usr/bin/python3: no Paribus, and pip refuses to install into it
(PEP 668). vscode/scenario.mjs waits for the notification, clicks "Create a Paribus environment"
once, and waits for the diagnostics on train.py. The packages come from pip's own configuration
(the environment is passed through; no index is named anywhere)."""

from __future__ import annotations

import re
import subprocess

import pytest
from e2e_support import DriverRun, run_vscode_driver
from e2e_support import driver_step as step

pytestmark = pytest.mark.e2e

SYSTEM_PYTHON = "/usr/bin/python3"


@pytest.fixture(scope="module")
def one_click(editors_installed, python, vsix, tmp_path_factory) -> DriverRun:
    return run_vscode_driver("scenario.mjs", tmp_path_factory.mktemp("vscode-one-click"), python, vsix,
                             timeout=600, extra=("--scenario", "one-click"))


def test_system_python_is_externally_managed_and_lacks_paribus():
    # The premise of the scenario, read from the interpreter itself.
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-I", "-c",
         "import os, sys, sysconfig, importlib.util as u; "
         "print(os.path.isfile(os.path.join(sysconfig.get_path('stdlib'), 'EXTERNALLY-MANAGED')), "
         "u.find_spec('paribus') is not None, sys.prefix == sys.base_prefix)"],
        capture_output=True, text=True, check=True,
    )
    assert probe.stdout.split() == ["True", "False", "True"], probe.stdout


def test_the_notification_offers_to_create_an_environment(one_click):
    record = step(one_click, "offer")
    assert record["buttons"][:3] == ["Create a Paribus environment", "Select interpreter", "Show log"], record["buttons"]
    message = next(n for n in record["notifications"] if "Create a private environment" in n)
    assert message.startswith(f'Paribus is not installed in "{SYSTEM_PYTHON}" (from the paribus.interpreter setting)'), message
    assert "managed by the operating system (PEP 668)" in message
    assert record["label"] == "Paribus server: error"


def test_one_click_ends_with_diagnostics_on_train_py(one_click):
    step(one_click, "create")
    assert step(one_click, "diagnostics")["squiggles"] == [10, 12]


def test_progress_and_the_status_item_follow_the_install(one_click):
    progress = step(one_click, "create")["progress"]
    assert any(re.match(r"Paribus: (creating a virtual environment|installing pip|installing Paribus|downloading)", text)
               for text in progress), progress
    # Every label the item took: looking for Paribus, none found, the install, the server's start.
    assert step(one_click, "status")["statesSeen"] == [
        "Paribus server: starting", "Paribus server: error", "Paribus server: installing",
        "Paribus server: starting", "Paribus server: ready",
    ]


def test_the_environment_lives_in_global_storage_and_the_system_python_is_untouched(one_click, vsix):
    record = step(one_click, "environment")
    assert record["python"].endswith("/User/globalStorage/paribus.paribus/paribus-env/bin/python"), record["python"]
    assert record["exists"] is True
    assert record["paribusVersion"] == vsix.name.removeprefix("paribus-").removesuffix(".vsix")
    assert record["systemPythonImportsParibus"] is False
    log = one_click.server_log(lines=2000)
    assert f"paribus {record['paribusVersion']} found in {record['python']}" in log, log[-3000:]
