"""Source spans shared by every part of the core.

Lines are 1-based. Columns are 1-based and count Unicode code points (Python ``str``
indices + 1); ``end_column`` is exclusive. The LSP layer converts to UTF-16 in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, order=True)
class Span:
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def of_line(cls, line: int, text: str) -> Span:
        """The whole of a line, without its newline."""
        return cls(line, 1, line, len(text) + 1)

    @classmethod
    def point(cls, line: int, column: int = 1) -> Span:
        return cls(line, column, line, column)


def byte_column_to_str_column(line_text: str, byte_offset: int) -> int:
    """``ast`` reports UTF-8 byte offsets; turn one into a 1-based code-point column."""
    prefix = line_text.encode("utf-8")[:byte_offset]
    return len(prefix.decode("utf-8", errors="ignore")) + 1


def offset_to_line_column(text: str, offset: int) -> tuple[int, int]:
    """A str offset into ``text`` as a 1-based (line, column)."""
    line = text.count("\n", 0, offset) + 1
    line_start = text.rfind("\n", 0, offset) + 1
    return line, offset - line_start + 1


def text_lines(text: str) -> list[str]:
    """The lines of ``text`` as editors, the LSP and Python's parser count them: broken at CRLF,
    CR and LF only (``str.splitlines`` also breaks at form feeds, NEL, LS and PS)."""
    lines = _LINE_BREAK.split(text) if "\r" in text else text.split("\n")  # the same lines; str.split is faster
    return lines[:-1] if lines and lines[-1] == "" else lines
