"""Shared by every test: the command line run in-process (`cli`), the small project most
command-line tests start from (`project`; folders with a project of their own override it), and a listener that fails
the test when a check survives an exception (a rule, an analysis) — the runner logs and skips
it for the user, but that is a bug to fix, never a result to accept."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from paribus.cli import main
from paribus.core.judgement.failures import add_failure_listener
from small_project import write_small_project


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "allow_check_failures: the test provokes a failing rule on purpose")


@pytest.fixture(autouse=True)
def _no_check_survives_an_exception(request: pytest.FixtureRequest):
    failures: list[tuple[str, BaseException]] = []
    remove = add_failure_listener(lambda where, error: failures.append((where, error)))
    yield failures
    remove()
    if failures and request.node.get_closest_marker("allow_check_failures") is None:
        where, error = failures[0]
        pytest.fail(f"{where} raised {type(error).__name__}: {error} ({len(failures)} failure(s))", pytrace=False)


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys, monkeypatch):
    """``cli(*argv, cwd=folder)``: the exit code and what was printed."""

    def run(*argv: str, cwd: Path | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_small_project(tmp_path)
