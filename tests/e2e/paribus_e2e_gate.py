"""pytest plugin: the end-to-end tests cannot silently not run.

scripts/run-tests.sh loads it (`-p paribus_e2e_gate`). With PARIBUS_REQUIRE_E2E=1 (what CI's
`.ci/run` sets), the session fails unless every test of every `test_*.py` module in this folder
was collected, ran and passed: skipped (PARIBUS_SKIP_E2E=1, a missing editor), deselected (-k,
-m), not collected (--ignore, a path filter) or failed all count. Without it, skipped editor tests
are reported in a banner at the end of the run. Either way the verdict is written to
test-output/e2e-gate.json, which `.ci/run` checks, so a run that bypassed this plugin fails too.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

E2E_DIR = Path(__file__).resolve().parent
REPORT = E2E_DIR.parents[1] / "test-output" / "e2e-gate.json"


def required_modules(folder: Path = E2E_DIR) -> list[str]:
    return sorted(path.name for path in folder.glob("test_*.py"))


@dataclass
class E2eOutcomes:
    """What happened to the tests of the end-to-end folder in this session, by node id."""

    collected: dict[str, str] = field(default_factory=dict)  # node id -> module file name
    deselected: set[str] = field(default_factory=set)
    passed: set[str] = field(default_factory=set)
    skipped: dict[str, str] = field(default_factory=dict)  # node id -> reason
    failed: set[str] = field(default_factory=set)

    def problems(self, modules: list[str]) -> list[str]:
        """Every way in which the required end-to-end tests did not all run and pass."""
        found = []
        seen_modules = set(self.collected.values())
        found += [f"{module}: not collected" for module in modules if module not in seen_modules]
        for node_id in sorted(self.collected):
            if node_id in self.deselected:
                found.append(f"{node_id}: deselected")
            elif node_id in self.failed:
                found.append(f"{node_id}: failed")
            elif node_id in self.skipped:
                found.append(f"{node_id}: skipped ({self.skipped[node_id]})")
            elif node_id not in self.passed:
                found.append(f"{node_id}: did not run")
        return found


class E2eGate:
    def __init__(self, required: bool) -> None:
        self.required = required
        self.outcomes = E2eOutcomes()
        self.problems: list[str] = []

    @staticmethod
    def _module(item_path: Path) -> str | None:
        path = Path(item_path).resolve()
        return path.name if path.parent == E2E_DIR else None

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        # tryfirst: before -k/-m deselect anything, so deselected tests are known by name.
        for item in items:
            module = self._module(item.path)
            if module is not None:
                self.outcomes.collected[item.nodeid] = module

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        self.outcomes.deselected.update(item.nodeid for item in items if item.nodeid in self.outcomes.collected)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.nodeid not in self.outcomes.collected:
            return
        if report.failed:
            self.outcomes.failed.add(report.nodeid)
        elif report.skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            self.outcomes.skipped[report.nodeid] = reason.removeprefix("Skipped: ")
        elif report.when == "call" and report.passed:
            self.outcomes.passed.add(report.nodeid)

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.problems = self.outcomes.problems(required_modules())
        verdict = "passed" if not self.problems else ("failed" if self.required else "incomplete")
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        REPORT.write_text(json.dumps({
            "required": self.required,
            "verdict": verdict,
            "modules": required_modules(),
            "passed": len(self.outcomes.passed),
            "problems": self.problems,
        }, indent=2))
        if self.required and self.problems and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter) -> None:
        skipped = [p for p in self.problems if ": skipped" in p]
        if self.required and self.problems:
            terminalreporter.section("end-to-end tests required (PARIBUS_REQUIRE_E2E=1)", red=True, bold=True)
            terminalreporter.write_line(f"{len(self.problems)} required editor test(s) did not run and pass:", red=True)
            for problem in self.problems[:40]:
                terminalreporter.write_line(f"  {problem}", red=True)
        elif skipped:
            terminalreporter.section("END-TO-END TESTS SKIPPED", yellow=True, bold=True)
            terminalreporter.write_line(
                f"{len(skipped)} editor test(s) were skipped: VS Code and Neovim were NOT tested. "
                "CI (bash .ci/run) fails on this.", yellow=True, bold=True)


def pytest_configure(config: pytest.Config) -> None:
    required = os.environ.get("PARIBUS_REQUIRE_E2E") == "1"
    config.pluginmanager.register(E2eGate(required), "paribus-e2e-gate-instance")
