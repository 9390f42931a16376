"""gin-config files (``.gin``) → hyperparameters named by their binding.

A binding ``Agent.gamma = 0.99`` is ``Agent.gamma``; scoped and module-qualified bindings
keep what the file writes (``train/Trainer.steps``, ``tf.train.RMSPropOptimizer.momentum``);
a macro ``LEARNING_RATE = 1e-4`` is ``LEARNING_RATE``. Values are Python literals; a
reference to a configurable (``@tf.train.AdamOptimizer``) is a choice kept as its text; a
value that reads a macro (``%LEARNING_RATE``) is reported where the macro is bound.
``import`` and ``include`` lines are structure. Values may span lines inside brackets.
"""

from __future__ import annotations

import ast
import re

from paribus.core.extract.candidates import Candidate
from paribus.core.extract.configs import strip_comment
from paribus.core.positions import Span

_BINDING = re.compile(r"^(?P<name>[A-Za-z_][\w./]*)\s*=\s*(?P<value>.*)$")
_STRUCTURE = re.compile(r"^(import|from|include)\b")
_MAX_VALUE_LINES = 200


def _open_brackets(text: str) -> int:
    depth, quote = 0, ""
    for character in text:
        if quote:
            if character == quote:
                quote = ""
        elif character in "\"'":
            quote = character
        elif character in "([{":
            depth += 1
        elif character in ")]}":
            depth -= 1
    return depth


def _value(text: str) -> tuple[bool, object] | None:
    """(is literal, value) of a binding's value text; None for a macro reference."""
    if "%" in text and text[:1] not in "\"'":
        return None
    try:
        return True, ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return False, text


def gin_candidates(text: str) -> list[Candidate]:
    lines = text.split("\n")
    found: list[Candidate] = []
    number = 0
    while number < len(lines):
        line = strip_comment(lines[number]).rstrip()
        number += 1
        stripped = line.strip()
        if not stripped or _STRUCTURE.match(stripped) or line[:1].isspace():
            continue
        match = _BINDING.match(line)
        if not match:
            continue
        start_line, column = number, match.start("value") + 1
        value_lines = [match["value"]]
        while (_open_brackets("\n".join(value_lines)) > 0 or value_lines[-1].endswith("\\")) and (
            number < len(lines) and number - start_line < _MAX_VALUE_LINES
        ):
            value_lines.append(strip_comment(lines[number]).rstrip())
            number += 1
        value_text = "\n".join(value_lines).rstrip()
        parsed = _value(value_text.replace("\\\n", "\n"))
        if parsed is None or not value_text:
            continue
        is_literal, value = parsed
        if not is_literal and not value_text.startswith("@"):
            number = start_line  # unreadable (half-typed?): the next lines are read on their own
            continue
        end_line = start_line + value_text.count("\n")
        last = value_text.split("\n")[-1]
        end_column = column + len(last) if end_line == start_line else len(last) + 1
        found.append(Candidate(match["name"], value, value_text, "config",
                               Span(start_line, column, end_line, end_column), literal=is_literal))
    return found
