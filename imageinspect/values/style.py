"""How JSON text is laid out: one :class:`Style` for documents (a config, a
manifest) and for inspect output alike, and one detector, :func:`detect_style`.

A style says what a Go encoder was told -- indent, HTML escaping, the Go
release's short ``\\b``/``\\f`` escapes, U+FFFD written as an escape -- plus
how the values are put together (one object, an array, one object per line)
and the bytes after the last one.

>>> detect_style(b'{\\n   "a": "<"\\n}\\n')
Style(container='object', indent=3, escape_html=False, short_bf=True, fffd_escaped=False, trailing=b'\\n')
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Final, Literal

import attrs

__all__ = ["Container", "Style", "detect_style", "register_escape_scanner", "telling_escapes"]

#: ``object``: one JSON value (a document, an Engine API body); ``array``: one
#: array of objects (the CLI's output); ``lines``: one compact object per line
#: (``--format '{{json .}}'``).
Container = Literal["object", "array", "lines"]


@attrs.frozen(cache_hash=True)
class Style:
    """The layout of JSON text.

    ``indent`` is the indent unit: a number of spaces, a string (e.g. a tab),
    or ``None`` for compact text. ``trailing`` is what follows the last value
    (``b"\\n"`` from Go's ``json.Encoder`` and the docker CLI).

    >>> Style("array", 4, trailing=b"\\n").newline
    True
    """

    container: Container = "object"
    indent: int | str | None = None
    escape_html: bool = True
    short_bf: bool = True
    #: U+FFFD written as ``\\ufffd`` (Go's single-pass encoding of invalid
    #: UTF-8) rather than raw.
    fffd_escaped: bool = False
    trailing: bytes = b""

    @property
    def newline(self) -> bool:
        """True when the text ends with a newline.

        >>> Style(trailing=b"\\n").newline, Style().newline
        (True, False)
        """
        return self.trailing.endswith(b"\n")


# The escapes that tell how a Go encoder was configured, found in one pass,
# and the bit each one sets in what a scanner returns.
_TELLING: Final = re.compile(rb"\\u(003c|003e|0026|0008|000c|fffd)")
_BITS: Final = {b"003c": 1, b"003e": 2, b"0026": 4, b"0008": 8, b"000c": 16, b"fffd": 32}
_HTML_BITS: Final = 1 | 2 | 4
_LONG_BF_BITS: Final = 8 | 16
_FFFD_BIT: Final = 32
_HTML_RAW: Final = re.compile(rb"[<>&]")
_WHITESPACE: Final = frozenset(b" \t\r\n")


def telling_escapes(raw: bytes, end: int) -> int:
    """The escapes in ``raw[:end]`` that tell a Go encoder's settings, as
    bits (``\\u003c`` 1, ``\\u003e`` 2, ``\\u0026`` 4, ``\\u0008`` 8,
    ``\\u000c`` 16, ``\\ufffd`` 32).

    >>> telling_escapes(b'"\\\\u003c \\\\u0008"', 20) == 1 | 8
    True
    """
    bits = 0
    for found in set(_TELLING.findall(raw, 0, end)):
        bits |= _BITS[found]
    return bits


#: The scanner :func:`detect_style` uses: the pure one above, or the
#: compiled one (:func:`register_escape_scanner`), which finds the same.
_SCANNER: list[Callable[[bytes, int], int]] = [telling_escapes]


def register_escape_scanner(scanner: Callable[[bytes, int], int]) -> None:
    """Install a faster scanner of the telling escapes (called once by the
    codec when its compiled extension runs; it must answer as
    ``telling_escapes`` does: a test holds them equal)."""
    _SCANNER[:] = [scanner]


def detect_style(raw: bytes, container: Container = "object", *, html_default: bool = True) -> Style:
    """The style of JSON text (UTF-8, byte order mark removed).

    The indent unit is read from the first indented line; HTML escaping is on
    when ``\\u003c``/``\\u003e``/``\\u0026`` occur, off when ``<>&`` occur raw,
    and ``html_default`` when the text shows neither (Go's ``json.Marshal``
    escapes; the daemons' inspect encoders are told apart by the rules).

    >>> detect_style(b'[\\n    {"Id": "\\\\u003c"}\\n]\\n', "array").escape_html
    True
    >>> detect_style(b'{"a":1}', html_default=False)
    Style(container='object', indent=None, escape_html=False, short_bf=True, fffd_escaped=False, trailing=b'')
    """
    end = len(raw)
    while end and raw[end - 1] in _WHITESPACE:  # no copy of the text
        end -= 1
    trailing = raw[end:]
    indent: int | str | None = None
    first = raw.find(b"\n", 0, end)
    if first != -1 and container != "lines":
        line = raw[first + 1 : min(first + 64, end)]
        unit = line[: len(line) - len(line.lstrip(b" \t"))]
        if unit:
            indent = len(unit) if unit.count(b" ") == len(unit) else unit.decode()
    found = _SCANNER[0](raw, end) if type(raw) is bytes else telling_escapes(raw, end)
    if found & _HTML_BITS:
        html = True
    elif html_default and _HTML_RAW.search(raw, 0, end) is not None:
        html = False
    else:
        html = html_default
    short_bf = not found & _LONG_BF_BITS
    fffd = bool(found & _FFFD_BIT)
    if len(trailing) > _MAX_CACHED_TRAILING:  # not kept in the cache below
        return Style(container, indent, html, short_bf, fffd, trailing)
    return _style(container, indent, html, short_bf, fffd, trailing)


_MAX_CACHED_TRAILING: Final = 16


@functools.lru_cache(maxsize=256)
def _style(
    container: Container, indent: int | str | None, html: bool, short_bf: bool, fffd: bool, trailing: bytes
) -> Style:
    """One :class:`Style` per distinct detection (they repeat: made once)."""
    return Style(container, indent, html, short_bf, fffd, trailing)
