"""Value equality across formats, and the diff of two extractions.

YAML ``5e-4`` (a *string* for PyYAML's safe loader) equals Python ``0.0005``; ``1e3``
equals ``1000``; ints and floats are equal when numerically equal; booleans only equal
booleans (``True`` is not ``1`` here); lists and tuples compare elementwise.
"""

from __future__ import annotations

import math
import re
from typing import Any

from paribus.core.extract.model import Change, Hyperparameter

_NUMBER = re.compile(
    r"[+-]?(\d[\d_]*(\.[\d_]*)?|\.\d[\d_]*)([eE][+-]?\d+)?|[+-]?(inf|infinity|nan)|[+-]?\.inf|\.nan",
    re.IGNORECASE,
)
_REL_TOLERANCE = 1e-9  # folded arithmetic (3e-4 * 8) and written decimals may differ in the last bit


def normalize_value(value: Any) -> Any:
    """A canonical form: numeric strings become numbers, integral floats ints, tuples lists."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        if _NUMBER.fullmatch(text):
            cleaned = text.replace("_", "").lower().replace(".inf", "inf").replace(".nan", "nan")
            try:
                return normalize_value(float(cleaned) if not cleaned.lstrip("+-").isdigit() else int(cleaned))
            except ValueError:
                return value
        return value
    if isinstance(value, (list, tuple)):
        return [normalize_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): normalize_value(item) for key, item in value.items()}
    return value


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
            return True
        if isinstance(a, int) and isinstance(b, int):
            return a == b
        try:
            return math.isclose(a, b, rel_tol=_REL_TOLERANCE, abs_tol=0.0)
        except OverflowError:  # an int beyond any float: only exact equality can hold
            return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[key], b[key]) for key in a)
    return type(a) is type(b) and a == b


def finite_number(value: Any) -> float | None:
    """``value`` as a finite float, or None (booleans, text, NaN, infinities, ints beyond floats)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def same_value(a: Any, b: Any) -> bool:
    """Whether two values are the same hyperparameter setting, whatever format wrote them."""
    return _equal(normalize_value(a), normalize_value(b))


def diff_hyperparameters(old: list[Hyperparameter], new: list[Hyperparameter]) -> list[Change]:
    """Names whose values differ, plus added and removed names (``None`` on the missing side).

    The line is the new one, or the old one for a removed name. When a name occurs more
    than once, its first occurrence counts. Sorted by line, then name.
    """
    old_by_name: dict[str, Hyperparameter] = {}
    for parameter in old:
        old_by_name.setdefault(parameter.name, parameter)
    new_by_name: dict[str, Hyperparameter] = {}
    for parameter in new:
        new_by_name.setdefault(parameter.name, parameter)
    changes = []
    for name, after in new_by_name.items():
        before = old_by_name.get(name)
        if before is None:
            changes.append(Change(name, None, after.value, after.span.line))
        elif not same_value(before.value, after.value):
            changes.append(Change(name, before.value, after.value, after.span.line))
    for name, before in old_by_name.items():
        if name not in new_by_name:
            changes.append(Change(name, before.value, None, before.span.line))
    return sorted(changes, key=lambda change: (change.line, change.name))
