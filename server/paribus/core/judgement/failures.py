"""Exceptions a check survives (a rule, an analysis, a noise estimate): logged once, and told
to whoever listens — the editor's output channel, and the tests, which fail on any of them.

Imports nothing of Paribus, so every layer that survives an exception can report it here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger("paribus.core.judgement.check")

FailureListener = Callable[[str, BaseException], None]
_failure_listeners: list[FailureListener] = []
_logged_failures: set[tuple[str, str, str]] = set()


def add_failure_listener(listener: FailureListener) -> Callable[[], None]:
    """Be told of every exception a check survives (a rule, an analysis); returns the remover.

    The check carries on without the part that failed; tests listen to fail on any of them.
    """
    _failure_listeners.append(listener)
    return lambda: _failure_listeners.remove(listener)


def report_failure(where: str, error: BaseException) -> None:
    """Log an exception the check survived (once: not again on every keystroke), tell the listeners."""
    key = (where, type(error).__name__, str(error)[:500])
    if key not in _logged_failures:
        _logged_failures.add(key)
        log.error("%s failed: %s: %s", where, type(error).__name__, error, exc_info=error)
    for listener in list(_failure_listeners):
        listener(where, error)
