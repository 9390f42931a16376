"""Open documents kept as lines: the same text as pygls's own documents after any edits.

An incremental change splices only the lines it spans (a keystroke in a 100,000-line script
must not rewrite the script); what the document holds afterwards is compared with pygls's
``TextDocument`` given the same changes, in every position encoding.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types as lsp
from paribus.lsp.documents import LineDocument, client_column_to_index
from pygls.workspace import TextDocument
from pygls.workspace.position_codec import PositionCodec

ENCODINGS = [lsp.PositionEncodingKind.Utf16, lsp.PositionEncodingKind.Utf8, lsp.PositionEncodingKind.Utf32]
PIECES = ["a", "\n", "λ", "😋", "xy", "\r\n", " ", "学习率"]


def _valid_position(lines: list[str], codec: PositionCodec, line: int, fraction: float) -> lsp.Position:
    """A position on a code-point boundary of ``line`` (clients never split a character)."""
    text = lines[line].removesuffix("\r")
    index = int(fraction * len(text))
    return lsp.Position(line=line, character=codec.client_num_units(text[:index]))


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    st.sampled_from(ENCODINGS),
    st.lists(st.sampled_from(PIECES), max_size=30),
    st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.lists(st.sampled_from(PIECES), max_size=4)), max_size=15),
)
def test_incremental_changes_give_pygls_text(encoding, start, edits) -> None:
    codec = PositionCodec(encoding)
    text = "".join(start)
    pygls_document = TextDocument("file:///train.py", text, position_codec=codec)
    document = LineDocument("file:///train.py", text, position_codec=codec)
    for first, first_column, last, last_column, inserted in edits:
        lines = pygls_document.source.split("\n")
        start_line = int(first * (len(lines) - 1))
        end_line = start_line + int(last * (len(lines) - 1 - start_line))
        begin = _valid_position(lines, codec, start_line, first_column)
        end = _valid_position(lines, codec, end_line, last_column)
        if (end.line, end.character) < (begin.line, begin.character):
            begin, end = end, begin
        change = lsp.TextDocumentContentChangePartial(range=lsp.Range(start=begin, end=end), text="".join(inserted))
        pygls_document.apply_change(change)
        document.apply_change(change)
        assert document.source == pygls_document.source
        assert document.line_list == document.source.split("\n")


def test_a_keystroke_replaces_only_the_line_it_touches() -> None:
    text = "".join(f"PARAM_{index} = {index}\n" for index in range(10_000))
    document = LineDocument("file:///train.py", text)
    before = document.line_list
    kept = [before[0], before[9_998]]
    document.apply_change(lsp.TextDocumentContentChangePartial(
        range=lsp.Range(start=lsp.Position(line=5_000, character=13), end=lsp.Position(line=5_000, character=17)), text="7"))
    after = document.line_list
    assert after is before  # the same list, spliced
    assert after[5_000] == "PARAM_5000 = 7" and [after[0], after[9_998]] == kept
    assert after[0] is kept[0] and after[9_998] is kept[1]  # other lines untouched, not copied
    assert document.source.count("\n") == 10_000


@pytest.mark.parametrize("encoding, line, character, index", [
    (lsp.PositionEncodingKind.Utf16, "# λ = 3e-4  😋 x", 14, 13),  # 😋 is two UTF-16 units
    (lsp.PositionEncodingKind.Utf8, "# λ = 3e-4", 4, 3),  # λ is two UTF-8 bytes
    (lsp.PositionEncodingKind.Utf32, "# λ = 3e-4", 3, 3),
    (lsp.PositionEncodingKind.Utf16, "short", 99, 5),  # past the end: the end
])
def test_client_columns_become_indexes(encoding, line: str, character: int, index: int) -> None:
    assert client_column_to_index(line, character, encoding) == index
