"""Paribus in Neovim (Debian's 0.7.2), headless: diagnostics, a code action applied with
vim.lsp.util.apply_workspace_edit, hover and CodeLens. nvim/init.lua does the work."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from e2e_support import E2E, FIXTURE, DriverRun, run_driver, scratch_env

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def nvim(editors_installed, python, tmp_path_factory) -> DriverRun:
    scratch = tmp_path_factory.mktemp("nvim")
    project = scratch / "project"
    shutil.copytree(FIXTURE, project)
    result_file = scratch / "result.json"
    env = scratch_env(scratch)
    env.update(PARIBUS_PYTHON=python, PARIBUS_E2E_RESULT=str(result_file))
    run = run_driver(
        ["nvim", "--headless", "-n", "-i", "NONE", "-u", str(E2E / "nvim" / "init.lua"),
         "train.py", "-c", "lua run()"],
        scratch=scratch, result_file=result_file, timeout=120, cwd=project, env=env,
        stdin=subprocess.DEVNULL,
    )
    if not run.result:
        pytest.fail(f"Neovim wrote no result (exit {run.returncode}):\n{run.tail()}", pytrace=False)
    return run


def seen(nvim: DriverRun) -> str:
    """What Neovim saw, for failure messages."""
    result = nvim.result
    log = result.get("lsp_log")
    return (f"error: {result.get('error')}\nserver exit: {result.get('server_exit')}\n"
            f"diagnostics: {result.get('diagnostics')}\nactions: {result.get('actions')}\nlsp log: {log}")


def test_pb101_on_both_changed_lines(nvim):
    assert sorted(d["code"] for d in nvim.result.get("diagnostics", [])) == ["PB101", "PB101"], seen(nvim)
    pb101 = nvim.result["diagnostics"]
    ranges = [(d["lsp_range"]["start"]["line"], d["lsp_range"]["start"]["character"],
               d["lsp_range"]["end"]["line"], d["lsp_range"]["end"]["character"]) for d in pb101]
    assert ranges == [(9, 16, 9, 20), (11, 10, 11, 13)], seen(nvim)
    assert {d["severity"] for d in pb101} == {"WARN"}, seen(nvim)
    assert pb101[0]["message"].startswith("LEARNING_RATE changed (0.001 → 0.0003)"), seen(nvim)
    assert not any(d["code"] == "PB105" for d in nvim.result["diagnostics"]), seen(nvim)


def test_code_actions_offered(nvim):
    actions = nvim.result.get("actions", [])
    for title in ("Revert LEARNING_RATE to 0.001", "Add hypothesis", "Record as POC variant"):
        assert title in actions, seen(nvim)


def test_revert_edit_applies_to_the_buffer(nvim):
    assert nvim.result.get("error") is None, seen(nvim)
    edit = nvim.result["revert_edit"]
    edits = [e for file_edits in (edit.get("changes") or {}).values() for e in file_edits]
    edits += [e for change in edit.get("documentChanges") or [] for e in change.get("edits", [])]
    assert [(e["range"], e["newText"]) for e in edits] == [
        ({"start": {"line": 9, "character": 16}, "end": {"line": 9, "character": 20}}, "0.001")
    ], nvim.result["revert_edit"]
    assert nvim.result["line_after_revert"] == "LEARNING_RATE = 0.001", seen(nvim)
    assert not any(d["code"] == "PB101" for d in nvim.result["diagnostics_after_revert"]), seen(nvim)


def test_hover_and_codelens(nvim):
    hover = nvim.result.get("hover") or {}
    contents = hover.get("contents", {})
    text = contents.get("value", "") if isinstance(contents, dict) else str(contents)
    assert "DROPOUT" in text and "b1" in text and "0.1" in text, hover
    titles = [lens.get("command", {}).get("title", "") for lens in nvim.result.get("code_lenses") or []
              if isinstance(lens, dict)]
    assert any("b1" in title for title in titles), nvim.result.get("code_lenses")
