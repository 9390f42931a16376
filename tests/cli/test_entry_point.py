"""The installed `paribus` command and `python -m paribus` run the same CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from paribus import __version__

PARIBUS = Path(sys.executable).with_name("paribus")


def test_the_console_script_reports_its_version() -> None:
    run = subprocess.run([str(PARIBUS), "--version"], capture_output=True, text=True, check=False)
    assert (run.returncode, run.stdout) == (0, f"paribus {__version__}\n")


def test_python_dash_m_exits_with_the_command_s_code(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "paribus", "check", "nope"], cwd=tmp_path,
                         capture_output=True, text=True, check=False)
    assert run.returncode == 2
    assert "no such file or directory" in run.stderr


def test_no_command_is_a_usage_error() -> None:
    run = subprocess.run([str(PARIBUS)], capture_output=True, text=True, check=False)
    assert run.returncode == 2
    assert "usage: paribus" in run.stderr


def test_help_names_every_command() -> None:
    run = subprocess.run([str(PARIBUS), "--help"], capture_output=True, text=True, check=False)
    for command in ("check", "params", "diff", "workflow", "analyze", "rule", "init", "scaffold", "record", "lsp"):
        assert command in run.stdout
