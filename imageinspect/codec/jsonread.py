"""Reading JSON bytes safely: size limit, encoding checks, precise errors.

>>> read_json(b'{"a": [1, 2]}')
{'a': [1, 2]}
>>> read_json(b'{"a": [1, 2]')
Traceback (most recent call last):
  ...
imageinspect.errors.InvalidJSON: $: invalid JSON at line 1, column 13 (byte 12): unexpected end of data
"""

from __future__ import annotations

import contextvars
import json
from collections.abc import Callable
from typing import Any, Final, TypeVar

import orjson

from imageinspect.errors import ImageInspectError, InvalidJSON, LimitExceeded

__all__ = [
    "BOM_STARTS",
    "DEFAULT_MAX_SIZE",
    "EXACT",
    "Inexact",
    "as_bytes",
    "decode",
    "decode_exact",
    "exactly",
    "read_json",
]

#: Largest JSON input the library reads by default, ``loads`` included (real
#: configs and manifests are kilobytes, registries cap manifests at 4 MiB,
#: ``docker image inspect`` of 1000 images is about 8 MiB). Memory budget:
#: 64 bytes per input byte (the worst shape ``benchmarks/bench_memory.py``
#: measures, thousands of empty unknown objects, costs 52.6), so the default
#: bounds one call under 1 GiB; pass ``max_size`` to go further.
DEFAULT_MAX_SIZE: Final = 16 * 1024 * 1024

#: The first bytes of the byte order marks below (one check for most texts).
BOM_STARTS: Final = frozenset({b"\xef", b"\xff", b"\xfe"})
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


#: Set while a document is read again with :func:`decode_exact`: numbers
#: are then exactly as written (see :class:`Inexact`).
EXACT: contextvars.ContextVar[bool] = contextvars.ContextVar("imageinspect_exact_numbers", default=False)

T = TypeVar("T")


class Inexact(Exception):
    """Raised (and caught by :func:`exactly`) when a value kept as JSON
    (an unknown key's) holds a number orjson read as a float: an integer
    wider than 64 bits is one, and reading it again with Python's own
    decoder keeps it exact, as Go's ``json.Number`` and the source do."""


def decode_exact(data: bytes | str) -> Any:
    """Decode JSON keeping integers of any width (Python's decoder; used
    only for documents orjson has accepted already).

    >>> decode_exact(b'{"n": 123456789012345678901234567890}')
    {'n': 123456789012345678901234567890}
    """

    def refuse(name: str) -> Any:
        raise InvalidJSON(f"invalid JSON: {name} is not a JSON number")

    try:
        return json.loads(data, parse_constant=refuse)
    except RecursionError:
        raise LimitExceeded("nesting too deep to read numbers exactly") from None
    except ValueError as err:  # pragma: no cover - orjson accepted the document
        raise InvalidJSON(f"invalid JSON: {err}") from None


def decode(data: bytes | str) -> Any:
    """orjson's decoding, or :func:`decode_exact` while :data:`EXACT` is set
    (orjson's errors pass through: callers locate them).

    >>> decode(b"[1]")
    [1]
    """
    return decode_exact(data) if EXACT.get() else orjson.loads(data)


def exactly(read: Callable[[], T]) -> T:
    """Run ``read()``, and once more with :data:`EXACT` set if a kept value
    turned out to hold a float (see :class:`Inexact`).

    >>> exactly(lambda: decode(b"[1]"))
    [1]
    """
    try:
        return read()
    except Inexact:
        token = EXACT.set(True)
        try:
            return read()
        finally:
            EXACT.reset(token)


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
    if data[:1] in BOM_STARTS:
        for bom, name in _BOMS:
            if data.startswith(bom):
                raise InvalidJSON(f"starts with a {name} byte order mark; image documents must be plain UTF-8 JSON")
    try:
        return decode(data)
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
