"""Just enough of the protocol-buffer wire format to read known fields of known messages.

``fields(data)`` maps each field number to its values in order: ints for varints, bytes for
length-delimited fields (strings, nested messages) and for fixed 32/64-bit ones. Nested
messages are decoded by calling ``fields`` again on their bytes. Malformed input raises
``WireError``.
"""

from __future__ import annotations


class WireError(ValueError):
    pass


def _varint(data: bytes, position: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if position >= len(data) or shift > 63:
            raise WireError("truncated varint")
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, position
        shift += 7


def fields(data: bytes) -> dict[int, list[int | bytes]]:
    found: dict[int, list[int | bytes]] = {}
    position = 0
    while position < len(data):
        key, position = _varint(data, position)
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            value, position = _varint(data, position)
        elif wire_type == 2:
            length, position = _varint(data, position)
            value, position = data[position : position + length], position + length
        elif wire_type == 1:
            value, position = data[position : position + 8], position + 8
        elif wire_type == 5:
            value, position = data[position : position + 4], position + 4
        else:
            raise WireError(f"unsupported wire type {wire_type}")
        if position > len(data) or number == 0:
            raise WireError("truncated message")
        found.setdefault(number, []).append(value)
    return found


def text(found: dict[int, list], number: int, default: str = "") -> str:
    values = found.get(number)
    if not values or not isinstance(values[-1], bytes):
        return default
    return values[-1].decode("utf-8", errors="replace")


def texts(found: dict[int, list], number: int) -> list[str]:
    return [value.decode("utf-8", errors="replace") for value in found.get(number, []) if isinstance(value, bytes)]


def message(found: dict[int, list], number: int) -> dict[int, list] | None:
    values = found.get(number)
    return fields(values[-1]) if values and isinstance(values[-1], bytes) else None


def messages(found: dict[int, list], number: int) -> list[dict[int, list]]:
    return [fields(value) for value in found.get(number, []) if isinstance(value, bytes)]


def integer(found: dict[int, list], number: int, default: int = 0) -> int:
    """A varint field read as a signed 64-bit int (negative int32s are sign-extended)."""
    values = found.get(number)
    if not values or not isinstance(values[-1], int):
        return default
    value = values[-1]
    return value - (1 << 64) if value >= 1 << 63 else value

