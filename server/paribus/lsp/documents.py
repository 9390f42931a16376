"""Open documents kept as lines, so a keystroke costs the lines it touches.

pygls applies an incremental change by splitting the whole text into lines and writing every
one of them out again: on a 100,000-line script that costs more than checking the edit. Here a
document keeps its lines (split at ``\\n``, the lines the core's spans count) and a change
replaces only the lines it spans; the text is joined again once per version, when asked for.
"""

from __future__ import annotations

from lsprotocol import types as lsp
from pygls.workspace import TextDocument, Workspace

_STALE = object()


def client_column_to_index(line: str, character: int, encoding: str) -> int:
    """A client column (UTF-16/UTF-8/UTF-32 units) as an index into ``line``, clamped to it."""
    if line.isascii() or encoding == lsp.PositionEncodingKind.Utf32:
        return min(character, len(line))
    units = 0
    for index, char in enumerate(line):
        if units >= character:
            return index
        if encoding == lsp.PositionEncodingKind.Utf8:
            units += len(char.encode("utf-8"))
        else:
            units += 2 if ord(char) > 0xFFFF else 1
    return len(line)


class LineDocument(TextDocument):
    """A ``TextDocument`` whose incremental changes splice its list of lines.

    A text holding a lone carriage return (a line break to the client, not to the split here)
    is changed the way pygls does it.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._lines: list[str] | None = None
        self._lone_carriage_return: bool | None = None  # None: not looked at since the last full change

    @property
    def source(self) -> str:
        if self._source is _STALE:
            self._source = "\n".join(self._lines)
        return super().source

    @property
    def line_list(self) -> list[str]:
        """The lines split at ``\\n`` (a ``\\r`` of CRLF stays at the end); do not modify."""
        if self._lines is None:
            self._lines = self.source.split("\n")
        return self._lines

    def _apply_full_change(self, change: lsp.TextDocumentContentChangeEvent) -> None:
        super()._apply_full_change(change)
        self._lines = None
        self._lone_carriage_return = None

    def _apply_incremental_change(self, change: lsp.TextDocumentContentChangePartial) -> None:
        if self._lone_carriage_return is None:
            text = self.source
            self._lone_carriage_return = text.count("\r") != text.count("\r\n")
        if "\r" in change.text or self._lone_carriage_return:
            super()._apply_incremental_change(change)
            self._lines = None
            self._lone_carriage_return = None
            return
        lines = self.line_list
        encoding = self.position_codec.encoding
        start, end = change.range.start, change.range.end
        if start.line >= len(lines):
            lines[-1] += change.text
            lines[-1:] = lines[-1].split("\n")
        else:
            start_column = client_column_to_index(lines[start.line], start.character, encoding)
            head = lines[start.line][:start_column]
            if end.line < len(lines):
                tail = lines[end.line][client_column_to_index(lines[end.line], end.character, encoding):]
            else:
                tail = ""
            lines[start.line : end.line + 1] = (head + change.text + tail).split("\n")
        self._source = _STALE


class LineWorkspace(Workspace):
    """A pygls workspace whose text documents are ``LineDocument``s."""

    def _create_text_document(self, doc_uri: str, source: str | None = None, version: int | None = None,
                              language_id: str | None = None) -> TextDocument:
        return LineDocument(doc_uri, source=source, version=version, language_id=language_id,
                            sync_kind=self._sync_kind, position_codec=self.position_codec)
