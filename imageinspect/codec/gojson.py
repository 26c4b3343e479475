"""The one Go-JSON writer: bytes exactly as Go's ``encoding/json`` writes them.

orjson parses and encodes; this module post-processes orjson's output into the
byte shape of a given Go encoder configuration:

* string escaping: ``<`` ``>`` ``&`` as ``\\u003c`` ``\\u003e`` ``\\u0026`` when
  HTML escaping is on (``json.Marshal``; off for an ``Encoder`` with
  ``SetEscapeHTML(false)``), U+2028/U+2029 always escaped, and ``\\b``/``\\f``
  short forms only for Go >= 1.22 (older Go writes ``\\u0008``/``\\u000c``);
  other control characters are ``\\u00xx`` with lower-case hex in both;
* ``json.Indent`` with any width (4 for docker, 5 for podman >= 4, 3 for
  docker/distribution manifests) and prefix, ``json.Compact``;
* map-key ordering (byte order, which is Python's ``str`` order).

:func:`encode` runs the optional compiled writer (``_gojson_accel.c``, built
with the package when a C compiler is there, skipped when
``IMAGEINSPECT_PURE`` is set, as for :mod:`imageinspect.codec.accel`): the
same bytes in one pass; whatever it does not write itself (another type, a
lone surrogate, deep nesting, an unusual indent) it hands to the pure path
below, which defines the output and owns every error.

>>> encode({"a": "<&>", "b": [], "c": {"d": 1}}, escape_html=True, indent=4)
b'{\\n    "a": "\\\\u003c\\\\u0026\\\\u003e",\\n    "b": [],\\n    "c": {\\n        "d": 1\\n    }\\n}'
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from typing import Any, Final, Protocol

import orjson

from imageinspect.values.style import Container, Style

from .accel import PURE, compiled_writer, writer_extension

__all__ = ["ModelWriter", "compact", "encode", "encode_styled", "escape", "indent", "sort_keys"]

_HTML: Final = ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026"))
_LINE_SEPARATORS: Final = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))
_BF: Final = re.compile(rb"\\[\\bf]")
_BF_LONG: Final = {b"\\\\": b"\\\\", b"\\b": b"\\u0008", b"\\f": b"\\u000c"}


class ModelWriter(Protocol):
    """What :func:`encode` needs to write models: the Python writer
    (:class:`imageinspect.codec.write.Writer`) and its compiled plans."""

    roots: dict[type[Any], Any]

    def write_shared(self, obj: Any) -> Any: ...

    def add_roots(self, value: Any) -> bool: ...


def encode_styled(
    value: Any,
    style: Style,
    *,
    sort: bool = False,
    models: ModelWriter | None = None,
    container: Container | None = None,
) -> bytes:
    """Encode ``value`` (plain dicts, lists, str, int, bool, None; with
    ``models``, models too: see :func:`encode`) in a
    :class:`~imageinspect.values.style.Style` (its container replaced by
    ``container`` when given); a list in the ``lines`` container is written
    one value per line.

    >>> encode_styled({"a": "<"}, Style(indent=4, trailing=b"\\n"))
    b'{\\n    "a": "\\\\u003c"\\n}\\n'
    >>> encode_styled([{"a": 1}, {"b": 2}], Style("lines", escape_html=False))
    b'{"a":1}\\n{"b":2}'
    """

    lines = (container or style.container) == "lines" and isinstance(value, list)
    if models is not None:
        data = _compiled(value, models, style.escape_html, style.short_bf, style.indent, "", style.fffd_escaped,
                         sort, lines=lines)  # fmt: skip
        if data is not None:
            return data + style.trailing

    def one(item: Any, indent: int | str | None) -> bytes:
        return encode(
            item,
            escape_html=style.escape_html,
            short_bf=style.short_bf,
            indent=indent,
            sort=sort,
            escape_fffd=style.fffd_escaped,
            models=models,
        )

    if lines:
        return b"\n".join(one(item, style.indent) for item in value) + style.trailing
    return one(value, style.indent) + style.trailing


def escape(data: bytes, *, escape_html: bool = False, short_bf: bool = True, escape_fffd: bool = False) -> bytes:
    """Turn orjson's string escaping into Go's.

    orjson already writes what Go >= 1.22 writes for ``"``, ``\\``, control
    characters and non-ASCII; the differences are U+2028/U+2029 (Go always
    escapes them), HTML characters (Go's default) and, before Go 1.22,
    ``\\b``/``\\f``; ``escape_fffd`` writes U+FFFD as ``\\ufffd`` (what Go
    writes for invalid UTF-8 it replaced). The three HTML characters, the two
    separators and U+FFFD can only occur inside strings, so plain byte
    replacement is exact.

    >>> escape(orjson.dumps("a\\u2028<\\b"), escape_html=True, short_bf=False)
    b'"a\\\\u2028\\\\u003c\\\\u0008"'
    """
    if escape_html:
        for raw, escaped in _HTML:
            if raw in data:
                data = data.replace(raw, escaped)
    if b"\xe2\x80" in data:
        for raw, escaped in _LINE_SEPARATORS:
            data = data.replace(raw, escaped)
    if escape_fffd and _FFFD in data:
        data = data.replace(_FFFD, b"\\ufffd")
    if not short_bf and (b"\\b" in data or b"\\f" in data):
        data = _BF.sub(lambda m: _BF_LONG[m.group(0)], data)
    return data


_FFFD: Final = "\ufffd".encode()


def _widen(data: bytes, width: int | str, prefix: bytes, *, spaced_text: bool = True) -> bytes:
    """Re-indent orjson's 2-space output to ``width`` spaces per level plus
    ``prefix`` after every newline (Go's ``json.Indent(dst, src, prefix, indent)``).

    orjson never writes a raw newline or carriage return inside a string
    (both are escaped), so every ``\\n`` starts a line whose leading spaces
    are exactly ``2 * depth``. When no string holds two spaces in a row
    (``spaced_text=False``), those are the only pairs of spaces, and one
    ``bytes.replace`` turns each pair into an indent unit. Otherwise lines are
    rewritten deepest first with C-speed ``bytes.replace``, one pass per level;
    a rewritten line starts with ``\\r`` so that no later, shallower pattern
    can match it, and one ``bytes.translate`` turns the ``\\r`` back into
    ``\\n``.

    >>> _widen(b'{\\n  "a": [\\n    "x  y"\\n  ]\\n}', 4, b"")
    b'{\\n    "a": [\\n        "x  y"\\n    ]\\n}'
    >>> _widen(b'{\\n  "a": [\\n    "x y"\\n  ]\\n}', 3, b"", spaced_text=False)
    b'{\\n   "a": [\\n      "x y"\\n   ]\\n}'
    """
    unit = b" " * width if isinstance(width, int) else width.encode()
    if unit == b"  " and not prefix:
        return data
    if not spaced_text:
        data = data.replace(b"  ", unit)
        return data.replace(b"\n", b"\n" + prefix) if prefix else data
    # The deepest level present, searched from above (inspect output rarely
    # goes past 8 levels, so this usually costs one or two scans).
    depth = 8
    while depth and b"\n" + b"  " * depth not in data:
        depth -= 1
    if depth == 8:
        while b"\n" + b"  " * (depth + 1) in data:
            depth += 1
    for level in range(depth, 0, -1):
        data = data.replace(b"\n" + b"  " * level, b"\r" + prefix + unit * level)
    if prefix:
        data = data.replace(b"\n", b"\r" + prefix)
    return data.translate(_LF_FROM_CR)


_LF_FROM_CR: Final = bytes.maketrans(b"\r", b"\n")


def encode(
    value: Any,
    *,
    escape_html: bool = False,
    short_bf: bool = True,
    indent: int | str | None = None,
    prefix: str = "",
    sort: bool = False,
    escape_fffd: bool = False,
    split: bool = True,
    models: ModelWriter | None = None,
) -> bytes:
    """Encode ``value`` as Go would: compact, or indented by ``indent`` spaces
    (or by the string ``indent``, e.g. a tab).

    ``sort=True`` sorts the keys of every object (what Go does for maps, and
    for everything on the paths that re-decode into ``map[string]any``).
    ``split`` only chooses how the pure path works on a top-level list; the
    bytes are the same either way. With ``models``, ``value`` is a model or
    a list of models (and of plain objects already written), written as
    ``models.write_shared`` writes each: by the compiled writer's plans in
    one pass when it runs, else by that Python writer and then as above.

    >>> encode({"b": 1, "a": [1, 2]}, indent=3, sort=True)
    b'{\\n   "a": [\\n      1,\\n      2\\n   ],\\n   "b": 1\\n}'
    >>> from imageinspect.codec.write import writer
    >>> from imageinspect.model.config import RootFS
    >>> encode([RootFS(diff_ids=())], models=writer("oci"))
    b'[{"type":"layers","diff_ids":[]}]'
    """
    if models is not None:
        data = _compiled(value, models, escape_html, short_bf, indent, prefix, escape_fffd, sort, lines=False)
        if data is not None:
            return data
        write = models.write_shared
        if type(value) is list:
            value = [item if type(item) is dict else write(item) for item in value]
        elif type(value) is not dict:
            value = write(value)
    if _COMPILED is not None and not PURE.get():
        data = _COMPILED(value, escape_html, short_bf, indent, prefix, sort, escape_fffd)
        if type(data) is bytes:  # NotImplemented: the pure path writes it
            return data
    return _encode_pure(
        value,
        escape_html=escape_html,
        short_bf=short_bf,
        indent=indent,
        prefix=prefix,
        sort=sort,
        escape_fffd=escape_fffd,
        split=split,
    )


def _compiled(
    value: Any,
    models: ModelWriter,
    escape_html: bool,
    short_bf: bool,
    indent: int | str | None,
    prefix: str,
    escape_fffd: bool,
    sort: bool,
    *,
    lines: bool,
) -> bytes | None:
    """Models written by the compiled writer's plans, or ``None`` when it
    hands them back (or does not run): the Python writer and the pure path
    write them then, and own any error. Plans are made on first need."""
    if _MODELS is None or sort or PURE.get():
        return None
    data = _MODELS(value, models.roots, escape_html, short_bf, indent, prefix, escape_fffd, lines)
    if type(data) is not bytes and models.add_roots(value):  # a class met for the first time
        data = _MODELS(value, models.roots, escape_html, short_bf, indent, prefix, escape_fffd, lines)
    return data if type(data) is bytes else None


def _encode_pure(
    value: Any,
    *,
    escape_html: bool = False,
    short_bf: bool = True,
    indent: int | str | None = None,
    prefix: str = "",
    sort: bool = False,
    escape_fffd: bool = False,
    split: bool = True,
) -> bytes:
    """:func:`encode` by the pure path (orjson, then :func:`escape` and
    :func:`_widen`): the definition the compiled writer is held to.

    >>> _encode_pure({"a": ["<"]}, escape_html=True, indent="\\t", prefix="> ")
    b'{\\n> \\t"a": [\\n> \\t\\t"\\\\u003c"\\n> \\t]\\n> }'
    """
    if split and indent is not None and type(value) is list and value and indent != 2 and not prefix:
        # each element on its own (written as the one element of an array,
        # so at depth 1): only the elements whose strings hold runs of spaces
        # pay for re-indenting level by level
        parts = []
        for item in value:
            framed = _encode_pure([item], escape_html=escape_html, short_bf=short_bf, indent=indent, sort=sort,
                            escape_fffd=escape_fffd, split=False)  # fmt: skip
            parts.append(framed[2:-2])  # without "[\n" and "\n]"
        return b"[\n" + b",\n".join(parts) + b"\n]"
    option = orjson.OPT_SORT_KEYS if sort else 0
    if indent is not None:
        option |= orjson.OPT_INDENT_2
    # escaping first: it changes string contents only, and must not touch
    # the prefix that indenting adds
    data = escape(_dumps(value, option), escape_html=escape_html, short_bf=short_bf, escape_fffd=escape_fffd)
    if indent is not None and (indent != 2 or prefix):
        # one pass instead of one per level when no string holds two spaces
        # in a row (in compact output, every pair of spaces is in a string)
        spaced_text = b"  " in _dumps(value, 0)
        data = _widen(data, indent, prefix.encode(), spaced_text=spaced_text)
    return data


#: The compiled writer: (value, escape_html, short_bf, indent, prefix, sort,
#: escape_fffd) -> bytes, or NotImplemented for the pure path.
_COMPILED: Final = compiled_writer()
#: Its writer of models: (value, roots, escape_html, short_bf, indent,
#: prefix, escape_fffd, lines) -> bytes, or NotImplemented.
_MODELS: Final = None if writer_extension() is None else writer_extension().encode_models  # type: ignore[union-attr]

#: The integers orjson writes; wider ones are written by :func:`_dumps`.
_INT_MIN: Final = -(2**63)
_UINT_MAX: Final = 2**64 - 1


def _dumps(value: Any, option: int) -> bytes:
    """``orjson.dumps``, and integers of any width (orjson stops at 64 bits)
    written as their digits, as Go writes a ``json.Number`` or a ``big.Int``.

    >>> _dumps({"n": 2**70, "s": "x"}, 0)
    b'{"n":1180591620717411303424,"s":"x"}'
    """
    try:
        return orjson.dumps(value, option=option)
    except orjson.JSONEncodeError:
        nonce = secrets.token_hex(8)
        wide: list[int] = []
        marked = _mark_wide(value, wide, nonce)
        if not wide:
            raise
    pattern = re.compile(rb'"\\u0000wide ' + nonce.encode() + rb' (\d+)\\u0000"')
    return pattern.sub(lambda match: str(wide[int(match[1])]).encode(), orjson.dumps(marked, option=option))


def _mark_wide(value: Any, wide: list[int], nonce: str) -> Any:
    """``value`` with each integer orjson cannot write replaced by a marker
    string that no string of the value can be (it holds a random nonce)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if _INT_MIN <= value <= _UINT_MAX:
            return value
        wide.append(int(value))
        return f"\x00wide {nonce} {len(wide) - 1}\x00"
    if isinstance(value, dict):
        return {key: _mark_wide(item, wide, nonce) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_mark_wide(item, wide, nonce) for item in value]
    return value


def sort_keys(value: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``value`` with keys in Go's map order (byte order of UTF-8,
    which is Python's code-point order for ``str``).

    >>> list(sort_keys({"b": 1, "B": 2, "é": 3, "a": 4}))
    ['B', 'a', 'b', 'é']
    """
    return dict(sorted(value.items()))


# One JSON token: a string (with its escapes), a structural character, or a
# run of anything else (numbers, true/false/null); whitespace is skipped.
_TOKEN: Final = re.compile(rb'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+', re.DOTALL)


def compact(data: bytes) -> bytes:
    """Go's ``json.Compact``: drop insignificant whitespace, keep every token's
    bytes (escapes and number spelling) as they are.

    >>> compact(b'{ "a" : [ 1 , "x y" ] }\\n')
    b'{"a":[1,"x y"]}'
    """
    return b"".join(_TOKEN.findall(data))


def indent(data: bytes, width: int = 4, prefix: str = "") -> bytes:
    """Go's ``json.Indent(dst, data, prefix, width spaces)`` over any valid JSON:
    tokens are copied unchanged, empty ``{}``/``[]`` stay on one line, ``": "``
    follows keys. Unlike :func:`encode` it keeps the source's escapes and
    number spelling, at pure-Python speed.

    >>> indent(b'{"a":[],"b":{"c":"\\\\u003c"}}', 2)
    b'{\\n  "a": [],\\n  "b": {\\n    "c": "\\\\u003c"\\n  }\\n}'
    """
    tokens = _TOKEN.findall(data)
    out: list[bytes] = []
    unit = b" " * width
    newline = b"\n" + prefix.encode()
    depth = 0
    need_indent = False
    for tok in tokens:
        if need_indent and tok not in (b"]", b"}"):
            out.append(newline + unit * depth)
        if need_indent and tok in (b"]", b"}"):
            # empty container: close on the same line
            depth -= 1
            out.append(tok)
            need_indent = False
            continue
        need_indent = False
        if tok in (b"{", b"["):
            out.append(tok)
            depth += 1
            need_indent = True
        elif tok in (b"}", b"]"):
            depth -= 1
            out.append(newline + unit * depth + tok)
        elif tok == b",":
            out.append(tok + newline + unit * depth)
        elif tok == b":":
            out.append(b": ")
        else:
            out.append(tok)
    return b"".join(out)
