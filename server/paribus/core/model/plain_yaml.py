"""A fast reader for the plain YAML that log entries are almost always written in.

One entry, a block mapping of simple keys (``- id: e1`` then ``  kind: experiment`` …) whose
values are one-line plain or quoted scalars, or one-line flow collections of plain scalars
(``{val_acc: 0.7}``, ``[0.001, 0.0003]``), read line by line without composing YAML nodes.
Scalars are resolved and constructed by PyYAML's own resolver and safe constructor (cached
by their text), and every position is the one PyYAML's composer would give.

Anything else — nested blocks, multi-line or escaped scalars, anchors or aliases (a ``*``
anywhere), deep flow collections, tags, tabs, unusual characters or line breaks (a lone CR,
NEL, LS, PS), a timestamp with a time or an impossible date — returns None, and the caller
composes the entry with PyYAML as before. ``tests/core/test_plain_yaml.py`` compares both readers entry by entry.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import yaml

class Line(NamedTuple):
    """A ``key: value`` line read once (log lines repeat): columns 0-based like PyYAML's marks."""

    indent: int  # the key's column
    key: str
    colon: int  # the key's end column
    value_start: int
    value_end: int
    value: Any
    mutable: bool  # a flow collection: copied for each entry that holds it


# Where each top-level key and its value are: the line read, and its 0-based number.
Position = tuple[Line, int]


class PlainEntry(NamedTuple):
    raw: dict[str, Any]
    positions: list[Position]
    start: tuple[int, int]  # where the mapping starts (its first key)
    end: tuple[int, int]  # where PyYAML's composer ends it: the end of the chunk


class _Unusual(Exception):
    """Not plain: the entry is composed by PyYAML instead."""


_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?= |$)")
# The usual line: an optional `- `, a key and a plain scalar with no `#`, `:` or indicator.
_SIMPLE_LINE = re.compile(r"(- +| *)([A-Za-z_][A-Za-z0-9_-]*):(?: +([^ #'\"\[\]{}&*!|>%@`?,:-][^#:]*?))? *")
# Outside printable YAML, a tab, or a line break other than \n and \r\n: left to PyYAML.
_UNUSUAL_ASCII = re.compile("[^\x0a\x0d\x20-\x7e]")
_UNUSUAL_CHARACTER = "[^\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
_INDICATORS = "-?:,[]{}#&*!|>'\"%@`"
_SCALAR = r"""[^\s,\[\]{}:#"'&*!|>%@`?](?:[^,\[\]{}:#"']*[^\s,\[\]{}:#"'])?"""
_FLOW_TOKEN = re.compile(r" *([\[\]{},]|: |" + _SCALAR + r")")

_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_TRIGGERS = frozenset(first for first in _RESOLVER.yaml_implicit_resolvers if first)
_CONSTRUCT = {
    "tag:yaml.org,2002:int": _CONSTRUCTOR.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCTOR.construct_yaml_float,
    "tag:yaml.org,2002:bool": _CONSTRUCTOR.construct_yaml_bool,
    "tag:yaml.org,2002:null": _CONSTRUCTOR.construct_yaml_null,
}
_SIMPLE_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MAX_FLOW_DEPTH = 16  # deeper collections are composed (the log's own depth limit applies there)
_CACHE_SIZE = 100_000
_scalars: dict[str, tuple[Any]] = {}  # plain scalar text → (value,): values are immutable
_lines: dict[str, Line | None] = {}  # None: a blank or comment line


def plain_scalar(text: str) -> Any:
    """What PyYAML's safe loader makes of ``text`` as a plain scalar (raises _Unusual)."""
    if not text:
        return None
    if text[0] not in _TRIGGERS:
        return text
    known = _scalars.get(text)
    if known is not None:
        return known[0]
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    if tag == "tag:yaml.org,2002:str":
        value: Any = text
    elif tag in _CONSTRUCT:
        try:
            value = _CONSTRUCT[tag](yaml.ScalarNode(tag, text))
        except Exception:  # noqa: BLE001 - whatever the constructor refuses, PyYAML's reader says how
            raise _Unusual from None
    elif tag == "tag:yaml.org,2002:timestamp" and _SIMPLE_DATE.fullmatch(text):
        try:
            value = _CONSTRUCTOR.construct_yaml_timestamp(yaml.ScalarNode(tag, text))
        except ValueError:
            raise _Unusual from None  # an impossible date: PyYAML's reader says how
    else:
        raise _Unusual
    _remember(_scalars, text, (value,))
    return value


def _remember(cache: dict, key: str, value: Any) -> None:
    if len(cache) >= _CACHE_SIZE:
        cache.clear()
    cache[key] = value


def _flow(text: str) -> Any:
    """A one-line flow collection of plain scalars (``{a: 1, b: [2, 3]}``) making all of ``text``."""
    stack: list[list[Any]] = []  # [container, its pending key] per open bracket
    state = "item"  # of the innermost container: item, colon (after a key), value, after (an item)
    result: Any = _Unusual
    for token in _flow_tokens(text):
        if result is not _Unusual:
            raise _Unusual  # something after the outermost closing bracket
        if token == "[" or token == "{":
            if stack and (state not in ("item", "value") or (state == "item" and isinstance(stack[-1][0], dict))):
                raise _Unusual  # a collection as a key, or where none may stand
            if len(stack) >= _MAX_FLOW_DEPTH:
                raise _Unusual
            stack.append([[] if token == "[" else {}, None])
            state = "item"
        elif not stack:
            raise _Unusual
        elif token == "]" or token == "}":
            container = stack.pop()[0]
            if (token == "]") != isinstance(container, list) or state not in ("item", "after"):
                raise _Unusual
            if not stack:
                result = container
            elif isinstance(stack[-1][0], dict):
                stack[-1][0][stack[-1][1]] = container
            else:
                stack[-1][0].append(container)
            state = "after"
        elif token == ",":
            if state != "after":
                raise _Unusual
            state = "item"
        elif token == ": ":
            if state != "colon":
                raise _Unusual
            state = "value"
        else:
            frame = stack[-1]
            value = plain_scalar(token)
            if isinstance(frame[0], dict) and state == "item":
                try:
                    hash(value)
                except TypeError:
                    raise _Unusual from None
                frame[1] = value
                state = "colon"
            elif isinstance(frame[0], dict) and state == "value":
                frame[0][frame[1]] = value
                state = "after"
            elif isinstance(frame[0], list) and state == "item":
                frame[0].append(value)
                state = "after"
            else:
                raise _Unusual
    if result is _Unusual:
        raise _Unusual
    return result


def _flow_tokens(text: str) -> list[str]:
    """Brackets, commas, ``": "`` and plain scalars, which must make up all of ``text``."""
    tokens = []
    position, end = 0, len(text.rstrip(" "))
    while position < end:
        match = _FLOW_TOKEN.match(text, position)
        if match is None:
            raise _Unusual
        tokens.append(match.group(1))
        position = match.end()
    return tokens


def _copy(value: Any) -> Any:
    """A fresh copy of a flow collection kept in the line cache (scalars are immutable)."""
    if isinstance(value, dict):
        copied = dict(value)
        for key, item in copied.items():
            if isinstance(item, (dict, list)):
                copied[key] = _copy(item)
        return copied
    copied = list(value)
    for index, item in enumerate(copied):
        if isinstance(item, (dict, list)):
            copied[index] = _copy(item)
    return copied


def _only_comment_after(line: str, index: int) -> bool:
    rest = line[index:]
    stripped = rest.lstrip(" ")
    return not stripped or (stripped.startswith("#") and len(stripped) < len(rest))


def _value(line: str, start: int) -> tuple[Any, int]:
    """The value written from ``start`` to the line's end (a comment aside); its end index."""
    char = line[start]
    if char in "[{":
        comment = line.find(" #", start)
        end = len((line if comment == -1 else line[:comment]).rstrip(" "))
        return _flow(line[start:end]), end
    if char == '"':
        end = line.find('"', start + 1) + 1
        if end == 0 or "\\" in line[start:end]:
            raise _Unusual
        value = line[start + 1 : end - 1]
    elif char == "'":
        end = start + 1
        while True:
            end = line.find("'", end)
            if end == -1:
                raise _Unusual
            if not line.startswith("''", end):
                break
            end += 2
        end += 1
        value = line[start + 1 : end - 1].replace("''", "'")
    else:
        if char in _INDICATORS and not (char == "-" and line[start + 1 : start + 2] not in ("", " ")):
            raise _Unusual
        comment = line.find(" #", start)
        text = (line[start:] if comment == -1 else line[start:comment]).rstrip(" ")
        if ": " in text or text.endswith(":"):
            raise _Unusual
        value, end = plain_scalar(text), start + len(text)
    if not _only_comment_after(line, end):
        raise _Unusual
    return value, end


def _read_line(line: str) -> Line | None:
    """The line read, None for a blank or comment line (raises _Unusual)."""
    body = line.lstrip(" ")
    if not body or body[0] == "#":
        return None
    simple = _SIMPLE_LINE.fullmatch(line)
    if simple is not None:
        indent, colon = simple.end(1), simple.end(2)
        text = simple.group(3)
        if text is None:
            return Line(indent, simple.group(2), colon, colon + 1, colon + 1, None, False)
        value = plain_scalar(text)
        return Line(indent, simple.group(2), colon, simple.start(3), simple.end(3), value, False)
    indent = len(line) - len(body)
    if body.startswith("- "):
        indent += len(body) - len(body[1:].lstrip(" "))
    key_match = _KEY.match(line, indent)
    if key_match is None:
        raise _Unusual
    colon = key_match.end() - 1
    value_start = colon + 1
    while value_start < len(line) and line[value_start] == " ":
        value_start += 1
    if value_start >= len(line) or line[value_start] == "#":
        return Line(indent, key_match.group(1), colon, colon + 1, colon + 1, None, False)
    value, value_end = _value(line, value_start)
    return Line(indent, key_match.group(1), colon, value_start, value_end, value, isinstance(value, (dict, list)))


def _has_unusual_character(chunk: str) -> bool:
    if chunk.isascii():
        return bool(_UNUSUAL_ASCII.search(chunk))
    # Compiled on the first non-ASCII entry: the ranges take milliseconds, every start would pay.
    return bool(re.search(_UNUSUAL_CHARACTER, chunk))


def read_plain_entry(chunk: str, libyaml_marks: bool) -> PlainEntry | None:
    """The entry ``chunk`` (one ``- `` item of the log) holds, when it is written plainly.

    ``libyaml_marks``: the composer is libyaml's, which ends a stream that lacks a final
    line break on the next line (PyYAML's own reader ends it where the text ends; so does the
    log's reader for a text holding CRs, which positions by character offsets).
    """
    if _has_unusual_character(chunk) or "*" in chunk:
        return None  # "*": an alias may expand the entry (the composer counts what it holds)
    if "\r" in chunk:
        if chunk.count("\r") != chunk.count("\r\n"):
            return None
        lines = chunk.replace("\r\n", "\n").split("\n")
    else:
        lines = chunk.split("\n")
    raw: dict[str, Any] = {}
    positions: list[Position] = []
    known = _lines
    indent = -1
    try:
        for number, line in enumerate(lines):
            read = known.get(line, _Unusual)
            if read is _Unusual:
                read = _read_line(line)
                _remember(known, line, read)
            if read is None:
                if number == 0:
                    return None
                continue  # blank and comment lines
            if number == 0:
                if not line.startswith("- "):
                    return None
                indent = read.indent
            elif read.indent != indent or line[indent - 2 : indent] == "- ":
                return None  # a nested block, a continuation line, a sequence at this level
            raw[read.key] = _copy(read.value) if read.mutable else read.value
            positions.append((read, number))
    except _Unusual:
        return None
    ends_with_break = chunk.endswith("\n")
    # A text holding CRs is positioned by character offsets (the log's reader counts lines as
    # the editor does): the end is then where the text ends, whichever composer.
    if (libyaml_marks and "\r" not in chunk) or ends_with_break:
        end = (chunk.count("\n") + (0 if ends_with_break else 1), 0)
    else:
        end = (chunk.count("\n"), len(chunk) - chunk.rfind("\n") - 1)
    return PlainEntry(raw, positions, (0, indent), end)
