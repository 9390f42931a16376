"""Reading Python source that may be half-typed: top-level chunks, parsed and cached apart.

The file is cut into top-level statements by indentation (a line starting in column 1 opens
a new chunk unless it continues the previous one). Each chunk is parsed on its own, so an
edit re-parses only its chunk (results are cached by chunk text) and a syntax error only
costs the lines around it: a chunk that fails is first joined with the next ones (an
unclosed bracket or string), then retried with the offending lines blanked out.

Cutting is incremental too: the last cut of each source is kept, and a new text is compared
with it so that only the lines around the edit are looked at again.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any, NamedTuple

from paribus.core.positions import Span, byte_column_to_str_column

_MAX_JOINED_CHUNKS = 4
_MAX_BLANKING_ROUNDS = 6
_FOLDABLE_POWER_LIMIT = 128
_SOURCES_KEPT = 32  # last cut kept per source (file path)
_CONVERSIONS = {"int": int, "float": float}


class Chunk(NamedTuple):
    first_line: int  # 1-based line of the chunk's first line in the file
    text: str


_CHUNK_START = re.compile(r"^[^\s#)\]}]", re.MULTILINE)
_CONTINUING_KEYWORDS = ("else", "elif", "except", "finally")
# How far past a line start the decision whether it opens a chunk reads ("finally" + 1).
_START_LOOKAHEAD = 8


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


def _chunk_starts(text: str, begin: int, end: int, strings: list[tuple[int, int]]) -> list[int]:
    """Offsets in ``[begin, end)`` (never 0) where a line opens a new top-level chunk (not
    inside one of the long ``strings``)."""
    string_index = bisect.bisect_right(strings, begin, key=_string_end)
    starts = []
    for match in _CHUNK_START.finditer(text, begin, end):
        offset = match.start()
        if offset == 0:
            continue
        if strings:
            while string_index < len(strings) and strings[string_index][1] <= offset:
                string_index += 1
            if string_index < len(strings) and strings[string_index][0] < offset:
                continue  # a line of a docstring, not a statement
        if text.startswith(_CONTINUING_KEYWORDS, offset):
            word_end = offset + len(text[offset:offset + _START_LOOKAHEAD].split(None, 1)[0].split(":")[0])
            if text[offset:word_end] in _CONTINUING_KEYWORDS:
                continue
        previous_line_start = text.rfind("\n", 0, offset - 1) + 1
        previous_line = text[previous_line_start : offset - 1].rstrip()
        if previous_line.startswith("@") or previous_line.endswith("\\"):
            continue
        starts.append(offset)
    return starts


def _string_end(span: tuple[int, int]) -> int:
    return span[1]


def _chunks_between(text: str, starts: list[int], first_line: int) -> list[Chunk]:
    """Chunks from consecutive ``starts`` (the last one is an end: a next start, or len + 1)."""
    chunks = []
    for start, end in zip(starts, starts[1:]):
        chunk_text = text[start : end - 1]
        chunks.append(Chunk(first_line, chunk_text))
        first_line += chunk_text.count("\n") + 1
    return chunks


class _Cut(NamedTuple):
    text: str
    starts: list[int]  # chunk starts, then len(text) + 1
    chunks: list[Chunk]
    strings: list[tuple[int, int]]  # the long strings


_last_cuts: OrderedDict[str, _Cut] = OrderedDict()


def split_chunks(text: str, source: str | None = None) -> list[Chunk]:
    """Top-level statements, by where column-1 lines start (not inside a long string).

    With ``source`` (a file path), the cut is remembered and the next text of the same source
    is cut again only around what changed. The list returned must not be modified.
    """
    previous = _last_cuts.get(source) if source is not None else None
    if previous is not None and (previous.text is text or previous.text == text):
        _last_cuts.move_to_end(source)
        return previous.chunks
    cut = _recut(previous, text) if previous is not None else _cut(text)
    if source is not None:
        _last_cuts[source] = cut
        _last_cuts.move_to_end(source)
        if len(_last_cuts) > _SOURCES_KEPT:
            _last_cuts.popitem(last=False)
    return cut.chunks


def _cut(text: str, strings: list[tuple[int, int]] | None = None) -> _Cut:
    strings = _long_strings(text) if strings is None else strings
    starts = [0, *_chunk_starts(text, 0, len(text), strings), len(text) + 1]
    return _Cut(text, starts, _chunks_between(text, starts, 1), strings)


def _recut(previous: _Cut, text: str) -> _Cut:
    """Cut ``text`` reusing the cut of a previous version wherever the edit can't matter.

    A line start's decision reads the line before it, a few characters of its own line and
    whether a long string holds it: starts well before the edit (and the long strings it
    touches), or whose previous line lies after them, are decided as before; only the lines
    between are scanned again. An edit that pairs triple quotes anew elsewhere (one opened
    or closed) moves boundaries anywhere: then the whole text is cut again.
    """
    old = previous.text
    prefix = _common_prefix_length(old, text)
    suffix = _common_suffix_length(old, text, min(len(old), len(text)) - prefix)
    delta = len(text) - len(old)
    old_after, new_after = len(old) - suffix, len(text) - suffix  # where the common suffix starts
    strings = _long_strings(text)
    old_touched = [(start, end) for start, end in previous.strings if end > prefix and start < old_after]
    new_touched = [(start, end) for start, end in strings if end > prefix and start < new_after]
    if len(previous.strings) - len(old_touched) != len(strings) - len(new_touched) or (
            [span for span in previous.strings if span[1] <= prefix] != [span for span in strings if span[1] <= prefix]):
        return _cut(text, strings)
    if [(start + delta, end + delta) for start, end in previous.strings if start >= old_after] != [
            span for span in strings if span[0] >= new_after]:
        return _cut(text, strings)
    region_begin = min([prefix, *(start for start, _ in old_touched), *(start for start, _ in new_touched)])
    region_end = max([new_after, *(end + delta for _, end in old_touched if end > old_after),
                      *(end for _, end in new_touched)])
    old_starts = previous.starts
    kept_before = 1  # old_starts[:kept_before] are unchanged (0 always is)
    while kept_before < len(old_starts) - 1 and old_starts[kept_before] + _START_LOOKAHEAD <= region_begin:
        kept_before += 1
    region_newline = text.find("\n", region_end)
    if region_newline == -1:
        scan_end, kept_after = len(text), len(old_starts) - 1
    else:
        scan_end = region_newline + 2  # later starts have their previous line after the region
        threshold = scan_end - delta
        kept_after = kept_before
        while kept_after < len(old_starts) - 1 and old_starts[kept_after] < threshold:
            kept_after += 1
    scan_begin = max(1, region_begin - _START_LOOKAHEAD + 1)
    rescanned = _chunk_starts(text, scan_begin, min(scan_end, len(text)), strings)
    after = [start + delta for start in old_starts[kept_after:-1]]
    starts = old_starts[:kept_before] + rescanned + after + [len(text) + 1]
    old_chunks = previous.chunks
    first_after = kept_before + len(rescanned)  # index in ``starts`` of the first start kept after
    reused_before = old_chunks[: kept_before - 1]
    middle = _chunks_between(text, starts[kept_before - 1 : first_after + 1], old_chunks[kept_before - 1].first_line)
    if after:
        line_delta = text.count("\n", prefix, new_after) - old.count("\n", prefix, old_after)
        tail = old_chunks[kept_after:]
        if line_delta:
            tail = [Chunk(chunk.first_line + line_delta, chunk.text) for chunk in tail]
        chunks = reused_before + middle + tail
    else:
        chunks = reused_before + middle
    return _Cut(text, starts, chunks, strings)


def _common_prefix_length(a: str, b: str) -> int:
    """How many leading characters ``a`` and ``b`` share (compared in growing blocks)."""
    limit = min(len(a), len(b))
    start, size = 0, 1024
    while start < limit:
        end = min(start + size, limit)
        if a[start:end] != b[start:end]:
            while end - start > 1:  # a[:start] == b[:start] and a[start:end] != b[start:end]
                middle = (start + end) // 2
                if a[start:middle] == b[start:middle]:
                    start = middle
                else:
                    end = middle
            return start
        start, size = end, size * 2
    return limit


def _common_suffix_length(a: str, b: str, limit: int) -> int:
    """How many trailing characters ``a`` and ``b`` share, at most ``limit``."""
    length_a, length_b = len(a), len(b)
    start, size = 0, 1024
    while start < limit:
        end = min(start + size, limit)
        if a[length_a - end : length_a - start] != b[length_b - end : length_b - start]:
            while end - start > 1:
                middle = (start + end) // 2
                if a[length_a - middle : length_a - start] == b[length_b - middle : length_b - start]:
                    start = middle
                else:
                    end = middle
            return start
        start, size = end, size * 2
    return limit


class ChunkCache:
    """Values by chunk text, least recently used dropped first.

    Sized by the characters of the texts it holds (plus a little per entry), not by count: a
    file of many small statements must never push its own unchanged chunks out.
    """

    _ENTRY_COST = 64

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._chars = 0

    def __len__(self) -> int:
        return len(self._items)

    def get(self, text: str) -> Any:
        value = self._items.get(text)
        if value is not None:
            self._items.move_to_end(text)
        return value

    def put(self, text: str, value: Any) -> None:
        if text in self._items:
            self._items[text] = value
            self._items.move_to_end(text)
            return
        self._items[text] = value
        self._chars += len(text) + self._ENTRY_COST
        while self._chars > self.max_chars and len(self._items) > 1:
            dropped, _ = self._items.popitem(last=False)
            self._chars -= len(dropped) + self._ENTRY_COST

    def clear(self) -> None:
        self._items.clear()
        self._chars = 0


# Between the parts of an implicitly concatenated string ("pr" "ed"): quotes, blanks, comments.
_STRING_JOIN = re.compile(r"""['"]+(?:\s|#[^\n]*)*[rRbBfFuU]{0,2}['"]+""")


def may_mention(text: str, pattern: re.Pattern) -> bool:
    """Whether names or strings parsed from ``text`` could match ``pattern`` (False: surely not).

    In ASCII source without backslashes, every name and string value is written out as it
    reads, except strings joined by juxtaposition, which are joined here before searching.
    Anything else (escapes, non-ASCII names that normalize to ASCII) may hide a match.
    """
    if pattern.search(text):
        return True
    if not text.isascii() or "\\" in text:
        return True
    return bool(pattern.search(_STRING_JOIN.sub("", text)))


def parse_alone(chunk: Chunk) -> ast.Module | None:
    """The chunk parsed on its own (lines blanked where it doesn't parse), or None."""
    readable, _ = _read_one([chunk], 0)
    return readable[1] if readable is not None else None


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
        readable, index = _read_one(chunks, index)
        if readable is not None:
            yield readable


def _read_one(chunks: list[Chunk], index: int) -> tuple[tuple[Chunk, ast.Module] | None, int]:
    """The chunk at ``index`` parsed alone, else joined with successors, else repaired."""
    chunk = chunks[index]
    result = _try_parse(chunk.text)
    if isinstance(result, ast.Module):
        return (chunk, result), index + 1
    joined_text = chunk.text
    for extra in range(1, min(_MAX_JOINED_CHUNKS, len(chunks) - index - 1) + 1):
        joined_text += "\n" + chunks[index + extra].text
        joined = _try_parse(joined_text)
        if isinstance(joined, ast.Module):
            return (Chunk(chunk.first_line, joined_text), joined), index + extra + 1
    text: str | None = chunk.text
    error = result
    for _ in range(_MAX_BLANKING_ROUNDS):
        text = _blank_error_lines(text, error)
        if text is None:
            break
        repaired = _try_parse(text)
        if isinstance(repaired, ast.Module):
            return (Chunk(chunk.first_line, text), repaired), index + 1
        error = repaired
    return None, index + 1


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


_LEAVES = (ast.Constant, ast.Name, ast.expr_context)


def calls_in(node: ast.AST) -> list[ast.Call]:
    """The calls under ``node`` (itself included), in ``ast.walk`` order, found faster.

    Breadth first like ``ast.walk``, but without its generators and never entering leaves
    (names, constants): finding calls is most of the time spent reading a chunk.
    """
    calls = []
    queue = [node]
    index = 0
    while index < len(queue):
        current = queue[index]
        index += 1
        if isinstance(current, _LEAVES):
            continue
        if isinstance(current, ast.Call):
            calls.append(current)
        for name in current._fields:
            value = getattr(current, name, None)
            if isinstance(value, ast.AST):
                queue.append(value)
            elif isinstance(value, list):
                queue.extend(item for item in value if isinstance(item, ast.AST))
    return calls


def walk(node: ast.AST) -> list[ast.AST]:
    """Every node under ``node`` (itself included), in ``ast.walk`` order, several times faster:
    a list grown in place instead of nested generators."""
    nodes = [node]
    index = 0
    while index < len(nodes):
        current = nodes[index]
        index += 1
        for name in current._fields:
            value = getattr(current, name, None)
            if isinstance(value, ast.AST):
                nodes.append(value)
            elif isinstance(value, list):
                nodes.extend(item for item in value if isinstance(item, ast.AST))
    return nodes


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
