"""Go's ``fmt`` (``Sprint``, ``Sprintln``, ``Sprintf``), ``time.Duration``
and ``time.Time`` ``String``, and ``encoding/json`` (what the ``json``
function writes), for template values (:class:`~imageinspect.gotemplate.types.Value`).

A typed value prints as its Go type prints: a nil slice ``[]``, a nil map
``map[]``, a nil pointer ``<nil>``, a struct ``{v1 v2}`` in its field order,
a duration ``1m30s``. JSON (a value without a type) prints as Go prints what
``encoding/json`` decodes into an ``interface{}``: objects as ``map[k:v]``
with sorted keys.

>>> from imageinspect.gotemplate.types import DURATION, STRING, slice_of
>>> go_text(Value(None, slice_of(STRING))), go_text(Value(90 * 10**9, DURATION)), go_text(Value({"b": 1, "a": [2]}))
('[]', '1m30s', 'map[a:[2] b:1]')
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from typing import Any

import orjson

from imageinspect.codec.gojson import escape
from imageinspect.values.timestamp import Timestamp

from .types import NO_VALUE, GoType, Value, field_value, go_bytes, type_name

__all__ = [
    "POINTER_TEXT",
    "format_value",
    "go_duration",
    "go_json",
    "go_text",
    "go_time",
    "sprint",
    "sprintf",
    "sprintln",
]

#: What a non-nil pointer inside a struct, slice or map prints as: Go prints
#: its address (``0xc000123450``), which differs on every run.
POINTER_TEXT = "0xc000010000"


def go_duration(nanos: int) -> str:
    """Go's ``time.Duration.String``.

    >>> [go_duration(n) for n in (0, 1500, 5_500_000_000, 90_000_000_000, 3_600_000_000_000, -1_000_000)]
    ['0s', '1.5µs', '5.5s', '1m30s', '1h0m0s', '-1ms']
    """
    if nanos == 0:
        return "0s"
    sign, nanos = ("-", -nanos) if nanos < 0 else ("", nanos)
    if nanos < 1_000_000_000:
        for unit, size in (("ms", 1_000_000), ("µs", 1_000), ("ns", 1)):
            if nanos >= size:
                return sign + _decimal(nanos, size) + unit
    seconds = _decimal(nanos % 60_000_000_000, 1_000_000_000) + "s"
    minutes, hours = nanos // 60_000_000_000 % 60, nanos // 3_600_000_000_000
    if hours:
        return f"{sign}{hours}h{minutes}m{seconds}"
    if minutes:
        return f"{sign}{minutes}m{seconds}"
    return sign + seconds


def _decimal(value: int, unit: int) -> str:
    whole, fraction = divmod(value, unit)
    digits = len(str(unit)) - 1
    tail = f"{fraction:0{digits}d}".rstrip("0") if digits else ""
    return f"{whole}.{tail}" if tail else str(whole)


def go_time(stamp: Timestamp | str) -> str:
    """Go's ``time.Time.String`` (of a timestamp, or of its RFC 3339 text).

    >>> go_time("0001-01-01T00:00:00Z"), go_time("2024-01-02T03:04:05.120Z"), go_time("2024-01-02T03:04:05+01:00")
    ('0001-01-01 00:00:00 +0000 UTC', '2024-01-02 03:04:05.12 +0000 UTC', '2024-01-02 03:04:05 +0100 +0100')
    """
    if isinstance(stamp, str):
        stamp = Timestamp.parse(stamp)
    local = stamp.unix_nanos + stamp.utc_offset * 1_000_000_000
    clock = Timestamp(local - local % 1_000_000_000).text[:19].replace("T", " ")
    fraction = f"{stamp.nanosecond:09d}".rstrip("0")
    offset = stamp.utc_offset
    zone = f"{'-' if offset < 0 else '+'}{abs(offset) // 3600:02d}{abs(offset) // 60 % 60:02d}"
    return f"{clock}{'.' + fraction if fraction else ''} {zone} {'UTC' if offset == 0 else zone}"


def _raw_text(value: Any) -> str:
    """``fmt`` of JSON decoded into an ``interface{}`` (numbers are
    ``json.Number``: their text)."""
    if value is None:
        return "<nil>"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list | tuple):
        return "[" + " ".join(_raw_text(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "map[" + " ".join(f"{k}:{_raw_text(value[k])}" for k in sorted(value)) + "]"
    return str(value)


def format_value(value: Any, go_type: GoType | None, depth: int = 0, plus: bool = False) -> str:
    """Go's ``fmt`` ``%v`` (``%+v`` with ``plus``: a struct's fields by
    name) of a payload of type ``go_type`` (``None``: JSON); ``depth`` > 0
    inside a struct, slice or map (where a pointer prints as an address,
    :data:`POINTER_TEXT`).

    >>> from imageinspect.gotemplate.types import INT, STRING, TIME, GoField, pointer_to, slice_of, struct_type
    >>> format_value(None, pointer_to(TIME)), format_value(("a", "b"), slice_of(STRING))
    ('<nil>', '[a b]')
    >>> point = struct_type("main.Point", (GoField("X", INT, lambda p: p[0]), GoField("Y", INT, lambda p: p[1])))
    >>> format_value((1, 2), pointer_to(point)), format_value((1, 2), pointer_to(point), plus=True)
    ('&{1 2}', '&{X:1 Y:2}')
    """
    if value is NO_VALUE:
        return "<nil>"
    if go_type is None or go_type.kind == "interface":
        return _raw_text(value)
    kind = go_type.kind
    if kind == "string":
        return str(value)
    if kind == "bool":
        return "true" if value else "false"
    if kind == "int":
        return str(value)
    if kind == "float":
        return _raw_text(float(value))
    if kind == "duration":
        return go_duration(value)
    if kind == "time":
        return go_time(value)
    elem = go_type.elem
    if kind == "slice":
        assert elem is not None
        return "[" + " ".join(format_value(item, elem, depth + 1, plus) for item in value or ()) + "]"
    if kind == "map":
        assert elem is not None
        items = value or {}
        return "map[" + " ".join(f"{k}:{format_value(items[k], elem, depth + 1, plus)}" for k in sorted(items)) + "]"
    if kind == "struct":
        shown = (
            (f"{f.name}:" if plus else "") + format_value(field_value(value, (f,)), f.type, depth + 1, plus)
            for f in go_type.fields
        )
        return "{" + " ".join(shown) + "}"
    assert kind == "pointer"
    assert elem is not None
    if value is None:
        return "<nil>"
    if elem.kind == "time":  # *time.Time has time.Time's String
        return go_time(value)
    if depth == 0 and elem.kind in ("struct", "slice", "map"):
        return "&" + format_value(value, elem, depth + 1, plus)
    return POINTER_TEXT


def go_text(value: Value) -> str:
    """What an action (``{{.Config.Env}}``) prints for a value: ``fmt.Print``
    of it, a pointer followed first, and ``<no value>`` for nothing (a
    missing map key, or JSON ``null``).

    >>> from imageinspect.gotemplate.types import EMPTY_STRUCT, STRING, map_of
    >>> go_text(Value(None)), go_text(Value(NO_VALUE, STRING)), go_text(Value({"b": {}}, map_of(EMPTY_STRUCT)))
    ('<no value>', '<no value>', 'map[b:{}]')
    """
    payload, go_type = value.value, value.type
    if payload is NO_VALUE or (go_type is None and payload is None):
        return "<no value>"
    if go_type is not None and go_type.kind == "pointer" and payload is not None:
        assert go_type.elem is not None
        return format_value(payload, go_type.elem)
    return format_value(payload, go_type)


def _is_string(value: Value) -> bool:
    """Whether ``fmt`` sees a string (``json.Number`` is one)."""
    if value.type is not None:
        return value.type.kind == "string"
    return isinstance(value.value, str | int | float) and not isinstance(value.value, bool)


def sprint(*values: Value) -> str:
    """Go's ``fmt.Sprint``: a space between operands when neither is a string.

    >>> from imageinspect.gotemplate.types import INT, STRING
    >>> sprint(Value(1, INT), Value(2, INT), Value("a", STRING), Value(3, INT))
    '1 2a3'
    """
    out = ""
    for position, value in enumerate(values):
        if position and not _is_string(value) and not _is_string(values[position - 1]):
            out += " "
        out += format_value(value.value, value.type)
    return out


def sprintln(*values: Value) -> str:
    """Go's ``fmt.Sprintln``: spaces between operands, a newline after.

    >>> from imageinspect.gotemplate.types import INT, STRING
    >>> sprintln(Value("a", STRING), Value(1, INT))
    'a 1\\n'
    """
    return " ".join(format_value(v.value, v.type) for v in values) + "\n"


_QUOTE_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def _quote(text: str) -> str:
    r"""Go's ``strconv.Quote``: ``"`` and ``\`` escaped, printable characters
    as they are, ``\a`` ... ``\v``, a byte that is no UTF-8 and other
    control characters as ``\xNN``, other unprintable ones ``\uNNNN`` or
    ``\UNNNNNNNN``.

    >>> print(_quote('a"\\é\x00\x7f\u200b\n\udcc3'))
    "a\"\\é\x00\x7f\u200b\n\xc3"
    """
    out = ['"']
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # a byte that is no UTF-8 (see go_bytes)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif char in ('"', "\\"):
            out.append("\\" + char)
        elif char.isprintable():
            out.append(char)
        elif char in _QUOTE_ESCAPES:
            out.append(_QUOTE_ESCAPES[char])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


_VERB = re.compile(r"%([-+# 0]*)(\d+)?(?:\.(\d+))?(.)", re.S)


def _too_large(digits: str | None) -> bool:
    """Go's ``parsenum`` gives up on a number once what it has read is over
    a million: a width or precision of 8 digits or more, mostly."""
    return digits is not None and len(digits) > 1 and int(digits[:-1]) > 1_000_000


def _numbers_too_large(form: str) -> tuple[str, bool]:
    """The format up to the first verb whose width or precision Go gives up
    on (it then writes ``%!(NOVERB)`` and nothing after), and whether there
    was one."""
    for match in _VERB.finditer(form):
        if _too_large(match.group(2)) or _too_large(match.group(3)):
            return form[: match.start()], True
    return form, False


def _bad(verb: str, value: Value) -> str:
    if value.value is NO_VALUE or (value.type is None and value.value is None):
        return f"%!{verb}(<nil>)"
    return f"%!{verb}({type_name(value)}={format_value(value.value, value.type)})"


def sprintf(form: str, *values: Value) -> str:
    """Go's ``fmt.Sprintf`` for the verbs templates use: ``%v %s %q %d %x %X
    %t %f %e %g %%`` with flags, width and precision (``%+v`` names a
    struct's fields); Go's ``%!`` notes for a wrong or missing operand and
    for extra ones.

    >>> from imageinspect.gotemplate.types import INT, STRING
    >>> sprintf("%5d|%-4s|%q|%d %s", Value(42, INT), Value("ab", STRING), Value("x", STRING), Value("y", STRING))
    '   42|ab  |"x"|%!d(string=y) %!s(MISSING)'
    """
    pending = list(values)
    form, cut = _numbers_too_large(form)

    def verb(match: re.Match[str]) -> str:
        flags, width, precision, kind = match.groups()
        if kind == "%":
            return "%"
        if not pending:
            return f"%!{kind}(MISSING)"
        operand = pending.pop(0)
        value, go_type = operand.value, operand.type
        go_kind = "raw" if go_type is None else go_type.kind
        spec = f"%{flags.replace(' ', '')}{width or ''}{'.' + precision if precision is not None else ''}"
        whole = spec.split(".")[0]
        string = go_kind == "string" or (go_kind == "raw" and isinstance(value, str))
        boolean = go_kind == "bool" or (go_kind == "raw" and isinstance(value, bool))
        number = go_kind == "int" and not isinstance(value, bool)
        if value is NO_VALUE or (go_kind == "raw" and value is None):
            return "<nil>" if kind == "v" else _bad(kind, operand)
        if kind == "v" or (kind == "s" and not number and not boolean):
            return (spec + "s") % format_value(value, go_type, plus=kind == "v" and "+" in flags)
        if kind == "q" and string:
            return (whole + "s") % _quote(value)
        if kind == "t" and boolean:
            return (spec + "s") % ("true" if value else "false")
        if kind in "dxX" and (number or go_kind == "duration"):
            return str((whole + kind) % value)
        if kind in "xX" and string:
            text: str = go_bytes(value).hex()
            return (whole + "s") % (text.upper() if kind == "X" else text)
        if kind in "feEgG" and go_kind == "float":
            return str((spec + kind) % value)
        return _bad(kind, operand)

    out = _VERB.sub(verb, form) + ("%!(NOVERB)" if cut else "")
    if pending:
        out += "%!(EXTRA " + ", ".join(f"{type_name(v)}={format_value(v.value, v.type)}" for v in pending) + ")"
    return out


_SURROGATES = re.compile("[\ud800-\udfff]")


def _json_string(text: str, escaped: bool = False) -> str:
    r"""``encoding/json``'s string: a byte that is no UTF-8 becomes U+FFFD,
    written as ``\ufffd`` (``escaped``: Go before 1.27) or as the character.

    >>> _json_string("a\udcc3b"), _json_string("a\udcc3b", escaped=True)
    ('"a�b"', '"a\\ufffdb"')
    """
    if not escaped:
        return escape(orjson.dumps(_SURROGATES.sub("\ufffd", text))).decode()
    pieces = (escape(orjson.dumps(piece)).decode()[1:-1] for piece in _SURROGATES.split(text))
    return '"' + "\\ufffd".join(pieces) + '"'


def go_json(value: Value, *, escaped: bool = False) -> str:
    """What Docker's ``json`` function writes: Go's ``encoding/json`` of the
    value (HTML characters as they are; a struct by its fields' JSON keys and
    ``omitempty``, or its own ``MarshalJSON``; a map's keys sorted; a byte
    that is no UTF-8 as U+FFFD, ``escaped`` as ``\\ufffd`` by the Go
    releases before 1.27).

    >>> from imageinspect.gotemplate.types import STRING, slice_of
    >>> go_json(Value(("a", "<b>"), slice_of(STRING))), go_json(Value(None, slice_of(STRING))), go_json(Value(NO_VALUE))
    ('["a","<b>"]', 'null', 'null')
    >>> go_json(Value({"b": [1, "x"], "a": None}))
    '{"a":null,"b":[1,"x"]}'
    """
    return _marshal(value.value, value.type, escaped)


def _marshal(value: Any, go_type: GoType | None, escaped: bool) -> str:
    if value is NO_VALUE:
        return "null"
    if go_type is None or go_type.kind == "interface":  # what JSON decodes into: Go's interface{}
        if isinstance(value, str):
            return _json_string(value, escaped)
        if isinstance(value, list | tuple):
            return "[" + ",".join(_marshal(item, None, escaped) for item in value) + "]"
        if isinstance(value, Mapping):
            members = (f"{_json_string(k, escaped)}:{_marshal(value[k], None, escaped)}" for k in sorted(value))
            return "{" + ",".join(members) + "}"
        return escape(orjson.dumps(value)).decode()
    kind = go_type.kind
    if kind == "string":
        return _json_string(value, escaped)
    if kind == "bool":
        return "true" if value else "false"
    if kind in ("int", "duration"):
        return str(int(value))
    if kind == "float":
        return escape(orjson.dumps(value)).decode()
    if kind == "time":
        return _json_string(str(value))
    if kind == "struct":
        if go_type.marshal is not None:
            return go_type.marshal(value).decode()
        return "{" + ",".join(_members(value, go_type, escaped)) + "}"
    if value is None:
        return "null"
    elem = go_type.elem
    assert elem is not None
    if kind == "pointer":
        return _marshal(value, elem, escaped)
    if kind == "slice":
        if isinstance(value, bytes):  # []byte: base64
            return _json_string(base64.b64encode(value).decode())
        return "[" + ",".join(_marshal(item, elem, escaped) for item in value) + "]"
    members = (f"{_json_string(k, escaped)}:{_marshal(value[k], elem, escaped)}" for k in sorted(value))
    return "{" + ",".join(members) + "}"


def _empty(value: Any, go_type: GoType) -> bool:
    """Go's ``omitempty``: false, 0, "", nil, and empty slices and maps (a
    struct is never empty)."""
    if go_type.kind in ("struct", "time"):
        return False
    if go_type.kind in ("slice", "map", "string"):
        return not value
    if go_type.kind == "pointer":
        return value is None
    return not value


def _members(value: Any, go_type: GoType, escaped: bool) -> list[str]:
    out: list[str] = []
    for field in go_type.fields:
        item = field_value(value, (field,))
        if field.embedded and field.key is None:  # inlined, as encoding/json does
            inlined = item is not None or field.type.kind == "struct"
            out.extend(_members(item, field.type.struct, escaped) if inlined else [])
            continue
        if field.omitempty and _empty(item, field.type):
            continue
        out.append(f"{_json_string(field.key or field.name)}:{_marshal(item, field.type, escaped)}")
    return out
