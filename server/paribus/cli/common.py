"""What every subcommand shares: how paths are shown and how failures are said."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def display_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def split_codes(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [code.strip().upper() for value in values for code in value.split(",") if code.strip()]


def fail(message: str, code: int = 2) -> int:
    """Say what went wrong on one line (never a traceback) and return the exit code."""
    print(f"paribus: {message}", file=sys.stderr)
    return code
