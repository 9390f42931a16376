"""Reading Python source that may be half-typed: top-level chunks, parsed and cached apart.

The file is cut into top-level statements by indentation (a line starting in column 1 opens
a new chunk unless it continues the previous one). Each chunk is parsed on its own, so an
edit re-parses only its chunk (results are cached by chunk text) and a syntax error only
costs the lines around it: a chunk that fails is first joined with the next ones (an
unclosed bracket or string), then retried with the offending lines blanked out.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from paribus.core.positions import Span, byte_column_to_str_column

_MAX_JOINED_CHUNKS = 4
_MAX_BLANKING_ROUNDS = 6
_FOLDABLE_POWER_LIMIT = 128
_CONVERSIONS = {"int": int, "float": float}


@dataclass(frozen=True)
class Chunk:
    first_line: int  # 1-based line of the chunk's first line in the file
    text: str


_CHUNK_START = re.compile(r"^[^\s#)\]}]", re.MULTILINE)
_CONTINUING_KEYWORDS = ("else", "elif", "except", "finally")


def _long_strings(text: str) -> list[tuple[int, int]]:
    """(start, end) of closed triple-quoted strings: docstrings whose lines start in column 1."""
    spans: list[tuple[int, int]] = []
    next_double, next_single, position = text.find('"""'), text.find("'''"), 0
    while next_double >= 0 or next_single >= 0:
        if next_single < 0 or 0 <= next_double < next_single:
            start, quote = next_double, '"""'
        else:
            start, quote = next_single, "'''"
        end = text.find(quote, start + 3)
        if end < 0:
            break  # an unclosed one (being typed) protects nothing
        position = end + 3
        spans.append((start, position))
        if 0 <= next_double < position:
            next_double = text.find('"""', position)
        if 0 <= next_single < position:
            next_single = text.find("'''", position)
    return spans


def split_chunks(text: str) -> list[Chunk]:
    """Top-level statements, by where column-1 lines start (not inside a long string)."""
    strings = _long_strings(text)
    string_index = 0
    starts = [0]
    for match in _CHUNK_START.finditer(text):
        offset = match.start()
        if offset == 0:
            continue
        if strings:
            while string_index < len(strings) and strings[string_index][1] <= offset:
                string_index += 1
            if string_index < len(strings) and strings[string_index][0] < offset:
                continue  # a line of a docstring, not a statement
        if text.startswith(_CONTINUING_KEYWORDS, offset):
            word_end = offset + len(text[offset:offset + 8].split(None, 1)[0].split(":")[0])
            if text[offset:word_end] in _CONTINUING_KEYWORDS:
                continue
        previous_line_start = text.rfind("\n", 0, offset - 1) + 1
        previous_line = text[previous_line_start : offset - 1].rstrip()
        if previous_line.startswith("@") or previous_line.endswith("\\"):
            continue
        starts.append(offset)
    starts.append(len(text) + 1)
    chunks = []
    first_line = 1
    for start, end in zip(starts, starts[1:]):
        chunk_text = text[start : end - 1]
        chunks.append(Chunk(first_line, chunk_text))
        first_line += chunk_text.count("\n") + 1
    return chunks


def _try_parse(text: str) -> ast.Module | SyntaxError:
    try:
        return ast.parse(text)
    except SyntaxError as error:
        return error
    except (ValueError, RecursionError, MemoryError) as error:  # null bytes, absurd nesting
        return SyntaxError(str(error))


def _blank_error_lines(text: str, error: SyntaxError) -> str | None:
    lines = text.split("\n")
    first = (error.lineno or 1) - 1
    last = (getattr(error, "end_lineno", None) or error.lineno or 1) - 1
    first = max(0, min(first, len(lines) - 1))
    last = max(first, min(last, len(lines) - 1))
    if all(not lines[index].strip() for index in range(first, last + 1)):
        return None
    for index in range(first, last + 1):
        lines[index] = ""
    return "\n".join(lines)


def parse_readable(chunks: list[Chunk]) -> Iterator[tuple[Chunk, ast.Module]]:
    """Each chunk (possibly joined with its successors, or with lines blanked) that parses."""
    index = 0
    while index < len(chunks):
        chunk = chunks[index]
        result = _try_parse(chunk.text)
        if isinstance(result, ast.Module):
            yield chunk, result
            index += 1
            continue
        joined_text, joined_ok = chunk.text, False
        for extra in range(1, min(_MAX_JOINED_CHUNKS, len(chunks) - index - 1) + 1):
            joined_text += "\n" + chunks[index + extra].text
            joined = _try_parse(joined_text)
            if isinstance(joined, ast.Module):
                yield Chunk(chunk.first_line, joined_text), joined
                index += extra + 1
                joined_ok = True
                break
        if joined_ok:
            continue
        text: str | None = chunk.text
        error = result
        for _ in range(_MAX_BLANKING_ROUNDS):
            text = _blank_error_lines(text, error)
            if text is None:
                break
            repaired = _try_parse(text)
            if isinstance(repaired, ast.Module):
                yield Chunk(chunk.first_line, text), repaired
                break
            error = repaired
        index += 1


class SourceLines:
    """Spans and source text of nodes of one chunk (lines relative to the chunk)."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")

    def column(self, line: int, byte_offset: int) -> int:
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if text.isascii():
            return byte_offset + 1
        return byte_column_to_str_column(text, byte_offset)

    def span(self, node: ast.AST) -> Span:
        end_line = node.end_lineno or node.lineno
        return Span(
            node.lineno,
            self.column(node.lineno, node.col_offset),
            end_line,
            self.column(end_line, node.end_col_offset or node.col_offset),
        )

    def text(self, node: ast.AST) -> str:
        span = self.span(node)
        if span.line == span.end_line:
            return self.lines[span.line - 1][span.column - 1 : span.end_column - 1]
        parts = [self.lines[span.line - 1][span.column - 1 :]]
        parts.extend(self.lines[span.line : span.end_line - 1])
        parts.append(self.lines[span.end_line - 1][: span.end_column - 1])
        return "\n".join(parts)


class NotLiteral(Exception):
    pass


_BINARY = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.FloorDiv: lambda a, b: a // b,
    ast.Mod: lambda a, b: a % b,
}


def literal_value(node: ast.AST):
    """The value of a literal (numbers folded: ``-1``, ``2**10``, ``3e-4 * 8``, ``int(1e6)``); else NotLiteral.

    This is constant folding over literals only: no names are looked up, nothing is run.
    """
    if isinstance(node, ast.Constant):
        if isinstance(node.value, (int, float, str, bool)) or node.value is None:
            return node.value
        raise NotLiteral
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = literal_value(node.operand)
        if isinstance(operand, bool) or not isinstance(operand, (int, float)):
            raise NotLiteral
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        left, right = literal_value(node.left), literal_value(node.right)
        numbers = (int, float)
        if not (isinstance(left, numbers) and isinstance(right, numbers)):
            raise NotLiteral
        if isinstance(left, bool) or isinstance(right, bool):
            raise NotLiteral
        try:
            if isinstance(node.op, ast.Pow):
                if abs(right) > _FOLDABLE_POWER_LIMIT or abs(left) > 2**32:
                    raise NotLiteral
                return left**right
            operation = _BINARY.get(type(node.op))
            if operation is None:
                raise NotLiteral
            return operation(left, right)
        except (ArithmeticError, ValueError, TypeError):
            raise NotLiteral from None
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _CONVERSIONS
            and len(node.args) == 1 and not node.keywords):
        number = literal_value(node.args[0])  # ``int(1e6)``: a number written for readability
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            raise NotLiteral
        try:
            return _CONVERSIONS[node.func.id](number)
        except (OverflowError, ValueError):
            raise NotLiteral from None
    if isinstance(node, (ast.Tuple, ast.List)):
        values = [literal_value(element) for element in node.elts]
        return tuple(values) if isinstance(node, ast.Tuple) else values
    if isinstance(node, ast.Dict):
        if any(key is None for key in node.keys):
            raise NotLiteral
        return {literal_value(key): literal_value(value) for key, value in zip(node.keys, node.values)}
    raise NotLiteral


def try_literal(node: ast.AST | None) -> tuple[bool, object]:
    if node is None:
        return False, None
    try:
        return True, literal_value(node)
    except (NotLiteral, RecursionError):
        return False, None


def dotted_name(node: ast.AST) -> str | None:
    """``torch.optim.AdamW`` for an attribute chain of names, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def callee_name(call: ast.Call) -> str:
    """The last component of what is called: ``AdamW`` for ``torch.optim.AdamW(...)``."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""
