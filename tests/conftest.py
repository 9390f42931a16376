"""Every test fails when a check survives an exception (a rule, an analysis): the runner logs
and skips it for the user, but that is a bug to fix, never a result to accept."""

from __future__ import annotations

import pytest
from paribus.core.judgement.check import add_failure_listener


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
