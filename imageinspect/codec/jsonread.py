"""Reading JSON bytes safely: size limit, encoding checks, precise errors.

>>> read_json(b'{"a": [1, 2]}')
{'a': [1, 2]}
>>> read_json(b'{"a": [1, 2]')
Traceback (most recent call last):
  ...
imageinspect.errors.InvalidJSON: $: invalid JSON at line 1, column 13 (byte 12): unexpected end of data
"""

from __future__ import annotations

from typing import Any, Final

import orjson

from imageinspect.errors import ImageInspectError, InvalidJSON, LimitExceeded

__all__ = ["DEFAULT_MAX_SIZE", "as_bytes", "read_json"]

#: Largest JSON input the library reads by default, ``loads`` included (real
#: configs and manifests are kilobytes, registries cap manifests at 4 MiB,
#: ``docker image inspect`` of 1000 images is about 8 MiB). Memory budget:
#: the worst input measured (``benchmarks/bench_memory.py``: many tiny
#: objects) costs about 50 bytes per input byte, so the default bounds one
#: call at about 800 MiB; pass ``max_size`` to go further.
DEFAULT_MAX_SIZE: Final = 16 * 1024 * 1024

_BOMS: Final = (
    (b"\xef\xbb\xbf", "UTF-8"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
)


def as_bytes(data: object) -> bytes:
    """``bytes`` of a ``bytes``-like or ``str`` input, or :class:`InvalidJSON`.

    >>> as_bytes("é")
    b'\\xc3\\xa9'
    """
    if isinstance(data, bytes):
        return data
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data)
    if isinstance(data, str):
        try:
            return data.encode("utf-8")
        except UnicodeEncodeError as err:
            raise InvalidJSON(f"text contains an unpaired surrogate at character {err.start}") from None
    raise InvalidJSON(f"expected bytes or str, got {type(data).__name__}")


def _position(data: bytes, pos: int) -> str:
    line = data.count(b"\n", 0, pos) + 1
    column = pos - (data.rfind(b"\n", 0, pos) + 1) + 1
    return f"line {line}, column {column} (byte {pos})"


def read_json(data: bytes, *, max_size: int = DEFAULT_MAX_SIZE) -> Any:
    """Decode one JSON document (duplicate keys: the last wins, as in Go).

    >>> read_json(b"\\xef\\xbb\\xbf{}")
    Traceback (most recent call last):
      ...
    imageinspect.errors.InvalidJSON: $: starts with a UTF-8 byte order mark; image documents must be plain UTF-8 JSON
    """
    if len(data) > max_size:
        raise LimitExceeded(f"document is {len(data)} bytes, over the limit of {max_size}")
    for bom, name in _BOMS:
        if data.startswith(bom):
            raise InvalidJSON(f"starts with a {name} byte order mark; image documents must be plain UTF-8 JSON")
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as err:
        raise decode_error(err, data) from None


def decode_error(err: orjson.JSONDecodeError, data: bytes, where: str = "$") -> ImageInspectError:
    """The imageinspect error for a failed ``orjson.loads(data)``: too deep,
    not UTF-8, or invalid JSON at a line, column and byte.

    >>> try:
    ...     orjson.loads(b'[1,')
    ... except orjson.JSONDecodeError as err:
    ...     print(decode_error(err, b'[1,', "$[4]"))
    $[4]: invalid JSON at line 1, column 4 (byte 3): unexpected end of data
    """
    message = str(err.msg) if hasattr(err, "msg") else str(err)
    if "recursion" in message or "depth" in message:
        return LimitExceeded("nesting deeper than the JSON decoder's limit of 1024 levels", where)
    if "UTF-8" in message:
        bad = _first_invalid_utf8(data)
        at = f" at byte {bad}" if bad is not None else ""
        return InvalidJSON(f"not valid UTF-8{at}", where)
    pos = getattr(err, "pos", 0)
    message = message or "invalid syntax"
    return InvalidJSON(f"invalid JSON at {_position(data, pos)}: {message[0].lower()}{message[1:]}", where)


def _first_invalid_utf8(data: bytes) -> int | None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        return err.start
    return None
