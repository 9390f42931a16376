"""Checks through the real `vscode` API inside code-server's extension host (vscode/suite):
exact diagnostic codes and ranges, code-action edits, and the severity setting."""

from __future__ import annotations

import pytest
from e2e_support import DriverRun, run_vscode_driver

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def api(editors_installed, python, vsix, tmp_path_factory) -> DriverRun:
    return run_vscode_driver("api.mjs", tmp_path_factory.mktemp("vscode-api"), python, vsix, timeout=240)


def check(api: DriverRun, name: str) -> dict:
    suite = api.result.get("suite")
    if not suite:
        pytest.fail(
            f"the extension-host suite wrote no result (exit {api.result.get('exitCode', api.returncode)}; "
            f"{api.result.get('error') or ''}; screenshot: {api.result.get('screenshot')}):\n"
            f"{api.tail()}\nextension host log:\n" + "\n".join(api.result.get("logs", [])[-40:])
            + f"\nParibus output channel:\n{api.server_log()}",
            pytrace=False,
        )
    record = suite["checks"].get(name)
    assert record is not None, f"check {name} did not run: {list(suite['checks'])}"
    if not record["ok"]:
        pytest.fail(f"{name}: {record['error']}\nParibus output channel:\n{api.server_log()}", pytrace=False)
    return record


def test_extension_activates(api):
    check(api, "activation")


def test_pb101_on_each_changed_value_with_exact_ranges(api):
    diagnostics = check(api, "diagnostics")["diagnostics"]
    # The fixture is seeded and saves its predictions: the two changes are all there is to say.
    assert sorted(d["code"] for d in diagnostics) == ["PB101", "PB101"], diagnostics
    pb101 = sorted((d for d in diagnostics if d["code"] == "PB101"), key=lambda d: d["range"])
    assert [d["range"] for d in pb101] == [[9, 16, 9, 20], [11, 10, 11, 13]]
    assert {d["severity"] for d in pb101} == {"Warning"}
    assert {d["source"] for d in pb101} == {"paribus"}


def test_revert_and_add_hypothesis_actions_carry_their_edits(api):
    actions = {a["title"]: a for a in check(api, "codeActions")["actions"]}
    assert actions["Revert LEARNING_RATE to 0.001"]["edits"] == [
        {"file": "train.py", "newText": "0.001", "range": [9, 16, 9, 20]}
    ]
    assert actions["Revert LEARNING_RATE to 0.001"]["kind"] == "quickfix"
    entry = actions["Add hypothesis"]["edits"][0]
    assert entry["file"] == "experiments.yaml"
    assert "LEARNING_RATE: [0.001, 0.0003]" in entry["newText"]
    assert "Record as POC variant" in actions


def test_applying_the_revert_leaves_one_change(api):
    record = check(api, "revertApplies")
    assert record["line"] == "LEARNING_RATE = 0.001"
    assert not any(d["code"] == "PB101" for d in record["diagnosticsAfter"])


def test_severity_setting_applies_without_restart(api):
    diagnostics = check(api, "severitySetting")["diagnostics"]
    assert {d["severity"] for d in diagnostics if d["code"] == "PB101"} == {"Error"}


def test_suite_exit_code_is_zero(api):
    assert api.result.get("exitCode") == 0, (api.result.get("exitCode"), api.tail())
