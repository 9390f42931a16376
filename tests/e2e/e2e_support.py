"""Support of the end-to-end tests: the installed editors, the extension package, and
running a driver as a subprocess whose process groups are always ended."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

E2E = Path(__file__).resolve().parent
REPO = E2E.parents[1]
FIXTURE = E2E / "fixtures" / "project"
SCREENSHOTS = REPO / "test-output" / "e2e"
SETUP = REPO / "scripts" / "setup-e2e.sh"


@pytest.fixture(scope="session")
def editors_installed() -> None:
    """Run scripts/setup-e2e.sh (idempotent). A missing prerequisite fails, never skips,
    unless PARIBUS_SKIP_E2E=1 says to skip the end-to-end tests."""
    if os.environ.get("PARIBUS_SKIP_E2E") == "1":
        pytest.skip("PARIBUS_SKIP_E2E=1: end-to-end tests in code-server and Neovim are skipped")
    started = time.monotonic()
    setup = subprocess.run(
        ["bash", str(SETUP)], cwd=REPO, capture_output=True, text=True, timeout=1800
    )
    print(setup.stdout, setup.stderr, sep="\n")
    if setup.returncode != 0:
        pytest.fail(
            f"scripts/setup-e2e.sh failed ({setup.returncode}) after "
            f"{time.monotonic() - started:.0f}s:\n{setup.stdout[-4000:]}\n{setup.stderr[-4000:]}",
            pytrace=False,
        )
    for program in ("node", "nvim", "chromium"):
        if shutil.which(program) is None:
            pytest.fail(f"{program} is not on PATH after scripts/setup-e2e.sh", pytrace=False)


@pytest.fixture(scope="session")
def python() -> str:
    """The interpreter the editors start the server with: the repo's virtualenv."""
    venv = REPO / ".venv" / "bin" / "python"
    return str(venv if venv.exists() else Path(sys.executable))


@pytest.fixture(scope="session")
def vsix() -> Path:
    """The packaged extension: paribus-VERSION.vsix at the repo root, or PARIBUS_E2E_VSIX."""
    if os.environ.get("PARIBUS_E2E_VSIX"):
        return Path(os.environ["PARIBUS_E2E_VSIX"]).resolve()
    version = re.search(r'^version = "(.+)"', (REPO / "pyproject.toml").read_text(), re.M)
    assert version, "no version in pyproject.toml"
    package = REPO / f"paribus-{version.group(1)}.vsix"
    if not package.exists():
        pytest.fail(f"{package.name} is missing: build it with `make vsix`", pytrace=False)
    sources = [REPO / "package.json", *(REPO / "client").rglob("*.ts")]
    newer = [p for p in sources if p.exists() and p.stat().st_mtime > package.stat().st_mtime]
    if newer:
        pytest.fail(
            f"{package.name} is older than {newer[0].relative_to(REPO)}: rebuild it with `make vsix`",
            pytrace=False,
        )
    return package


@dataclass
class DriverRun:
    returncode: int | str
    output: str
    seconds: float
    result: dict

    scratch: Path | None = None

    def tail(self, lines: int = 80) -> str:
        return "\n".join(self.output.splitlines()[-lines:])

    def server_log(self, lines: int = 40) -> str:
        """The end of the Paribus output channel(s) code-server wrote in the scratch folder."""
        if self.scratch is None:
            return ""
        logs = sorted((self.scratch / "code-server" / "user-data" / "logs").glob("*/exthost*/*/Paribus.log"))
        return "\n".join(
            f"--- {log} ---\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) for log in logs
        )


def run_driver(command: list[str], *, scratch: Path, result_file: Path, timeout: float, **kwargs) -> DriverRun:
    """Run a driver in its own session; on timeout end it and every process group it
    recorded in `scratch/pids` (code-server, Chromium)."""
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        **kwargs,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
        returncode: int | str = process.returncode
    except subprocess.TimeoutExpired:
        _kill_group(process.pid)
        output, _ = process.communicate()
        returncode = f"timeout after {timeout:.0f}s"
    finally:
        pid_file = scratch / "pids"
        if pid_file.exists():
            for pid in pid_file.read_text().split():
                _kill_group(int(pid))
    seconds = time.monotonic() - started
    print(f"$ {' '.join(command)}\n(exit {returncode}, {seconds:.1f}s)\n{output}")
    result = json.loads(result_file.read_text()) if result_file.exists() else {}
    return DriverRun(returncode, output, seconds, result, scratch)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def scratch_env(scratch: Path) -> dict[str, str]:
    """HOME, XDG_* and TMPDIR inside the scratch folder."""
    home = scratch / "home"
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        TMPDIR=str(scratch / "tmp"),
    )
    for folder in (home, scratch / "tmp"):
        folder.mkdir(parents=True, exist_ok=True)
    return env


def run_vscode_driver(
    script: str, scratch: Path, python: str, vsix: Path, timeout: float, extra: tuple[str, ...] = ()
) -> DriverRun:
    """Run one code-server driver (vscode/<script>) on a fresh copy of the fixture project."""
    result_file = scratch / "result.json"
    return run_driver(
        ["node", str(E2E / "vscode" / script),
         "--scratch", str(scratch), "--result", str(result_file),
         "--screenshots", str(SCREENSHOTS), "--python", python,
         "--vsix", str(vsix), "--fixture", str(FIXTURE), *extra],
        scratch=scratch, result_file=result_file, timeout=timeout,
    )


def driver_step(run: DriverRun, name: str) -> dict:
    """A UI driver's record of one step; fails with what the page showed when it did not finish."""
    if not run.result:
        pytest.fail(f"the driver wrote no result (exit {run.returncode}):\n{run.tail()}", pytrace=False)
    if run.result.get("error"):
        pytest.fail(f"the driver failed: {run.result['error']}\n{run.tail()}", pytrace=False)
    record = run.result["steps"].get(name)
    if record is None:
        pytest.fail(f"step {name} did not run (an earlier step failed):\n{run.tail()}", pytrace=False)
    if not record["ok"]:
        pytest.fail(
            f"step {name} failed: {record['error']}\n"
            f"the page showed: {json.dumps(record.get('page'), ensure_ascii=False, indent=1)}\n"
            f"notifications: {record.get('notifications')}\nscreenshot: {record.get('screenshot')}\n"
            f"Paribus output channel:\n{run.server_log()}",
            pytrace=False,
        )
    return record
