"""The functions templates call: Go's builtins (``and``, ``or``, ``not``,
``eq``, ``ne``, ``lt``, ``le``, ``gt``, ``ge``, ``index``, ``slice``,
``len``, ``html``, ``urlquery``, ``print``, ``printf``, ``println``) and
Docker's (``json``, ``join``, ``split``, ``upper``, ``lower``, ``title``,
``truncate``, ``pad``), each with its Go parameter types: an argument Go
could not pass (``join`` of a JSON list, an ``[]interface {}``) is an error
the caller reports as Go does. Not here: ``call`` and ``js``.

The comparisons follow Go's ``funcs.go``: basic kinds compare by value (any
integer with any integer; a JSON number is a ``json.Number``, a string), an
other kind only with ``eq``/``ne`` and only when Go's ``==`` can compare it
(a pointer, a struct of comparable fields, or ``nil``).

>>> from imageinspect.gotemplate.types import INT, STRING, STRINGS
>>> FUNCTIONS["join"].call(Value(["a", "b"], STRINGS), Value(",", STRING)).value
'a,b'
>>> truth(Value((), STRINGS)), truth(Value(0, INT)), truth(Value(0))
(False, False, True)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Literal
from urllib.parse import quote_plus

import attrs

from .gofmt import format_value, go_json, sprint, sprintf, sprintln
from .release import COMPARISON_TYPES, JSON_RAW_REPLACEMENT, GoRelease
from .types import (
    BOOL,
    INT,
    NO_VALUE,
    STRING,
    STRINGS,
    UINT8,
    GoType,
    Value,
    from_go_bytes,
    go_bytes,
    static,
    type_name,
    zero,
)

__all__ = ["FUNCTIONS", "JOIN_ELEMENTS", "CallError", "Function", "Param", "argument_error", "html_escape", "truth"]

#: A Go parameter type: ``string``, ``int``, ``[]string``, or anything
#: (``any``, and the builtins' ``reflect.Value``).
Param = Literal["string", "int", "[]string", "any"]


class CallError(Exception):
    """A function failed; the message is the error Go's function returns
    (the caller says ``error calling NAME: ...``), and ``before`` what the
    Go releases before one said instead, if they said other words.

    >>> from imageinspect.gotemplate.types import INT
    >>> FUNCTIONS["len"].call(Value(3, INT))
    Traceback (most recent call last):
      ...
    imageinspect.gotemplate.funcs.CallError: len of type int
    """

    def __init__(self, message: str, before: tuple[GoRelease, str] | None = None) -> None:
        super().__init__(message)
        self.before = before

    def words(self, go: GoRelease) -> str:
        """The message as Go release ``go`` says it.

        >>> CallError("new", ((1, 25), "old")).words((1, 19)), CallError("new", ((1, 25), "old")).words((1, 27))
        ('old', 'new')
        """
        if self.before is not None and go < self.before[0]:
            return self.before[1]
        return str(self)


@attrs.frozen
class Function:
    """A template function: its Go parameter types (``variadic``: the type of
    any further ones) and what it does with its arguments.

    >>> FUNCTIONS["pad"].params
    ('string', 'int', 'int')
    """

    params: tuple[Param, ...]
    call: Callable[..., Value] = attrs.field(repr=False)
    variadic: Param | None = None
    #: Whether ``call`` also takes the Go release the template runs as
    #: (``go=``: what it writes depends on it).
    by_release: bool = False


def argument_error(value: Value, param: Param) -> str | None:
    """Why Go cannot pass ``value`` as a ``param`` (its ``validateType``),
    or ``None``.

    >>> argument_error(Value(["a"]), "[]string"), argument_error(Value("a"), "string")
    ('wrong type for value; expected []string; got []interface {}', None)
    """
    if param == "any":
        return None
    if value.value is NO_VALUE:
        return f"invalid value; expected {param}"
    go_type = value.type
    if go_type is None:  # JSON in an interface{}: what it holds must be assignable
        passes = param == "string" and isinstance(value.value, str)
    elif param == "[]string":
        passes = go_type.kind == "slice" and go_type.elem is not None and go_type.elem.name == "string"
    else:
        passes = go_type.name == param
    return None if passes else f"wrong type for value; expected {param}; got {type_name(value)}"


def _kind(value: Value) -> str:
    """Go's ``basicKind`` of a value (``invalid`` for no value; JSON numbers
    are ``json.Number``, a string)."""
    payload, go_type = value.value, value.type
    if payload is NO_VALUE or (go_type is None and payload is None):
        return "invalid"
    if go_type is None:
        if payload is True or payload is False:
            return "bool"
        return "string" if isinstance(payload, str | int | float) else "other"
    return {"duration": "int"}.get(go_type.kind, go_type.kind)


def truth(value: Value) -> bool:
    """Go's truth of a value in ``if``, ``and``, ``or`` and ``not``: not the
    zero value, nor empty; a struct (a time too) is always true, a pointer
    when not nil; a JSON number is a ``json.Number``, a non-empty string.

    >>> from imageinspect.gotemplate.types import EMPTY_STRUCT, pointer_to
    >>> truth(Value(None, pointer_to(EMPTY_STRUCT))), truth(Value(None, EMPTY_STRUCT)), truth(Value(NO_VALUE))
    (False, True, False)
    """
    payload, go_type = value.value, value.type
    if payload is NO_VALUE:
        return False
    if go_type is None:
        if payload is None or payload is False:
            return False
        if isinstance(payload, str | list | tuple | Mapping):
            return len(payload) > 0
        return True
    kind = go_type.kind
    if kind in ("struct", "time"):
        return True
    if kind == "pointer":
        return payload is not None
    return bool(payload)


def _json(value: Value, *, go: GoRelease) -> Value:
    return Value(go_json(value, escaped=go < JSON_RAW_REPLACEMENT), STRING)


def _join(items: Value, separator: Value) -> Value:
    return Value(separator.value.join(items.value or ()), STRING)


def _join_elements(items: Value, separator: Value) -> Value:
    payload, go_type = items.value, items.type
    if payload is NO_VALUE or (go_type is None and payload is None):
        return Value("", STRING)
    kind = "raw" if go_type is None else go_type.kind
    elem = None if go_type is None else static(go_type.elem)
    if kind == "slice" or (kind == "raw" and isinstance(payload, list | tuple)):
        texts = [format_value(item, elem) for item in payload or ()]
    elif kind == "map" or (kind == "raw" and isinstance(payload, Mapping)):
        texts = sorted(format_value(item, elem) for item in (payload or {}).values())
    else:
        raise CallError(f"expected slice, got {type_name(items)}")
    return Value(separator.value.join(texts), STRING)


def _split(text: Value, separator: Value) -> Value:
    source, sep = text.value, separator.value
    return Value(list(source) if sep == "" else source.split(sep), STRINGS)


def _string(function: Callable[[str], str]) -> Callable[[Value], Value]:
    return lambda text: Value(function(text.value), STRING)


def _title(text: str) -> str:
    return re.sub(r"(?:^|(?<=[^\w]))(\w)", lambda m: m.group(1).upper(), text)


def _truncate(text: Value, length: Value) -> Value:
    """docker/cli's ``truncate``: the first ``length`` bytes."""
    source, size = go_bytes(text.value), length.value
    if size < 0:
        raise CallError(f"runtime error: slice bounds out of range [:{size}]")
    return Value(text.value if len(source) < size else from_go_bytes(source[:size]), STRING)


#: The most spaces ``pad`` writes (Go would try any number, and run out of memory).
MAX_PAD = 10_000_000


def _pad(text: Value, before: Value, after: Value) -> Value:
    if not text.value:
        return Value("", STRING)
    if before.value < 0 or after.value < 0:
        raise CallError("strings: negative Repeat count")
    if before.value + after.value > MAX_PAD:
        raise CallError(f"imageinspect pads with at most {MAX_PAD:,} spaces")
    return Value(" " * before.value + text.value + " " * after.value, STRING)


def _deref(value: Value) -> Value:
    """Go's ``indirect``: through pointers to what they point to."""
    if value.type is not None and value.type.kind == "pointer":
        if value.value is None:
            raise CallError("nil")
        assert value.type.elem is not None
        return Value(value.value, value.type.elem, value.path)
    return value


def _index(item: Value, *keys: Value) -> Value:
    if item.value is NO_VALUE or (item.type is None and item.value is None):
        raise CallError("index of untyped nil")
    for key in keys:
        try:
            item = _deref(item)
        except CallError:
            raise CallError("index of nil pointer") from None
        payload, go_type = item.value, item.type
        kind = "raw" if go_type is None else go_type.kind
        sequence = kind == "slice" or kind == "string" or (kind == "raw" and isinstance(payload, list | tuple | str))
        mapping = kind == "map" or (kind == "raw" and isinstance(payload, Mapping))
        if sequence:
            data = go_bytes(payload) if isinstance(payload, str) else payload or ()
            position = key.value
            if position is NO_VALUE or (key.type is None and position is None):
                raise CallError("cannot index slice/array with nil")
            if not isinstance(position, int) or isinstance(position, bool) or (key.type and key.type.kind != "int"):
                raise CallError(f"cannot index slice/array with type {type_name(key)}")
            if position == len(data):  # indexArg lets it through; reflect's Index panics
                raise CallError(f"reflect: {'string' if isinstance(payload, str) else 'slice'} index out of range")
            if not 0 <= position < len(data):
                raise CallError(f"index out of range: {position}")
            elem = UINT8 if isinstance(payload, str) else None if go_type is None else static(go_type.elem)
            item = Value(data[position], elem, f"{item.path}[{position}]")
        elif mapping:
            if not (key.type is None or key.type.kind == "string") or not isinstance(key.value, str):
                raise CallError(f"value has type {type_name(key)}; should be string")
            elem = None if go_type is None else static(go_type.elem)
            found = (payload or {}).get(key.value, NO_VALUE)
            if found is NO_VALUE:  # the zero value of the map's values
                item = Value(None if elem is None else zero(elem), elem)
            else:
                item = Value(found, elem, f"{item.path}.{key.value}")
        else:
            raise CallError(f"can't index item of type {type_name(item)}")
    return item


def _length(item: Value) -> Value:
    if item.value is NO_VALUE or (item.type is None and item.value is None):
        raise CallError("len of nil pointer")
    try:
        item = _deref(item)
    except CallError:
        raise CallError("len of nil pointer") from None
    payload, go_type = item.value, item.type
    if go_type is None:
        if isinstance(payload, str):  # a Go string's length is its bytes'
            return Value(len(go_bytes(payload)), INT)
        if isinstance(payload, list | tuple | Mapping):
            return Value(len(payload), INT)
        if isinstance(payload, int | float) and not isinstance(payload, bool):  # a json.Number's text
            return Value(len(str(payload)), INT)
    elif go_type.kind in ("slice", "map", "string"):
        return Value(len(go_bytes(payload) if isinstance(payload, str) else payload or ()), INT)
    raise CallError(f"len of type {type_name(item)}")


_COMPARED = {"duration": "int", "uint": "int"}


def _basic(value: Value) -> str:
    """Go's ``basicKind``: ``bool``, ``int`` (any integer), ``float``,
    ``string`` (a JSON number is a ``json.Number``), or ``invalid`` (no
    value, ``nil``, and every kind that is not basic)."""
    kind = _kind(value)
    kind = _COMPARED.get(kind, kind)
    return kind if kind in ("bool", "int", "float", "string") else "invalid"


def _reflect_kind(value: Value) -> str:
    """The ``reflect`` kind ``eq`` tells apart beyond the basic ones."""
    if value.value is NO_VALUE or (value.type is None and value.value is None):
        return "invalid"
    if value.type is None:
        return "slice" if isinstance(value.value, list | tuple) else "map" if isinstance(value.value, Mapping) else ""
    return {"time": "struct"}.get(value.type.kind, value.type.kind)


def _is_nil(value: Value) -> bool:
    kind = _reflect_kind(value)
    return kind == "invalid" or (kind in ("slice", "map", "pointer") and value.value is None)


def _comparable(go_type: GoType | None, payload: Any) -> bool:
    """Whether Go's ``==`` takes values of the type (not slices, maps, or
    structs holding one)."""
    if go_type is None:
        return not isinstance(payload, list | tuple | Mapping)
    if go_type.kind in ("slice", "map"):
        return False
    if go_type.kind == "struct":
        return all(_comparable(f.type, None) for f in go_type.fields)
    return True


def _operand(value: Value) -> Any:
    """What a basic value compares as (a JSON number: its text)."""
    if value.type is None and isinstance(value.value, int | float) and not isinstance(value.value, bool):
        return format_value(value.value, None)
    return value.value


def _incompatible(first: Value, second: Value) -> CallError:
    return CallError(
        f"incompatible types for comparison: {type_name(first)} and {type_name(second)}",
        (COMPARISON_TYPES, "incompatible types for comparison"),
    )


def _shown(value: Value) -> str:
    return format_value(value.value, value.type)


def _equal(first: Value, second: Value) -> bool:
    """Go's ``eq`` of two values."""
    kinds = _basic(first), _basic(second)
    if kinds[0] != kinds[1]:  # an error, unless one is nothing at all
        if _reflect_kind(first) == "invalid" or _reflect_kind(second) == "invalid":
            return False
        raise _incompatible(first, second)
    if kinds[0] != "invalid":
        return bool(_operand(first) == _operand(second))
    one, other = _reflect_kind(first), _reflect_kind(second)
    if one != other and "invalid" not in (one, other):
        raise CallError(
            f"non-comparable types {_shown(first)}: {type_name(first)}, {type_name(second)}: {_shown(second)}"
        )
    if _is_nil(first) or _is_nil(second):
        return _is_nil(first) == _is_nil(second)
    if not _comparable(second.type, second.value):
        raise CallError(f"non-comparable type {_shown(second)}: {type_name(second)}")
    if one == "pointer":
        return first.value is second.value
    return bool(first.value is second.value or first.value == second.value)


def _less(first: Value, second: Value) -> bool:
    """Go's ``lt``: basic kinds only, not booleans."""
    kinds = _basic(first), _basic(second)
    if "invalid" in kinds:
        raise CallError("invalid type for comparison")
    if kinds[0] != kinds[1]:
        raise _incompatible(first, second)
    if kinds[0] == "bool":
        raise CallError("invalid type for comparison")
    return bool(_operand(first) < _operand(second))


def _eq(first: Value, *others: Value) -> Value:
    if not others:
        raise CallError("missing argument for comparison")
    return Value(any(_equal(first, other) for other in others), BOOL)


def _ne(first: Value, second: Value) -> Value:
    return Value(not _equal(first, second), BOOL)


def _lt(first: Value, second: Value) -> Value:
    return Value(_less(first, second), BOOL)


def _le(first: Value, second: Value) -> Value:
    return Value(_less(first, second) or _equal(first, second), BOOL)


def _gt(first: Value, second: Value) -> Value:
    return Value(not (_less(first, second) or _equal(first, second)), BOOL)


def _ge(first: Value, second: Value) -> Value:
    return Value(not _less(first, second), BOOL)


def _index_argument(index: Value, cap: int) -> int:
    """Go's ``indexArg``: an integer from 0 to ``cap``."""
    if _reflect_kind(index) == "invalid":
        raise CallError("cannot index slice/array with nil")
    if _basic(index) != "int":
        raise CallError(f"cannot index slice/array with type {type_name(index)}")
    position = int(index.value)
    if not 0 <= position <= cap:
        raise CallError(f"index out of range: {position}")
    return position


def _slice(item: Value, *indexes: Value) -> Value:
    """Go's ``slice``: ``slice x 1 2`` is ``x[1:2]``, of a string (its
    bytes) or a slice (whose capacity is taken as its length: Go's may be
    more)."""
    payload, go_type = item.value, item.type
    if payload is NO_VALUE or (go_type is None and payload is None):
        raise CallError("slice of untyped nil")
    if len(indexes) > 3:
        raise CallError(f"too many slice indexes: {len(indexes)}")
    kind = "raw" if go_type is None else go_type.kind
    text = kind == "string" or (
        kind == "raw" and isinstance(payload, str | int | float) and not isinstance(payload, bool)
    )
    if text:
        if len(indexes) == 3:
            raise CallError("cannot 3-index slice a string")
        data: Any = go_bytes(payload if isinstance(payload, str) else format_value(payload, None))
    elif kind == "slice" or (kind == "raw" and isinstance(payload, list | tuple)):
        data = payload or ()
    else:
        raise CallError(f"can't slice item of type {type_name(item)}")
    bounds = [0, len(data), len(data)]
    for position, index in enumerate(indexes):
        bounds[position] = _index_argument(index, len(data))
    if bounds[0] > bounds[1]:
        raise CallError(f"invalid slice index: {bounds[0]} > {bounds[1]}")
    if len(indexes) == 3 and bounds[1] > bounds[2]:
        raise CallError(f"invalid slice index: {bounds[1]} > {bounds[2]}")
    part = data[bounds[0] : bounds[1]]
    if text:
        return Value(from_go_bytes(part), go_type, item.path)
    if payload is None and not part:  # reflect keeps a nil slice's nil pointer
        return Value(None, go_type, item.path)
    return Value(list(part) if go_type is None else tuple(part), go_type, item.path)


def _printable(value: Value) -> Value:
    """Go's ``printableValue``: a pointer followed, nothing ``<no value>``."""
    if value.value is NO_VALUE or (value.type is None and value.value is None):
        return Value("<no value>", STRING)
    if value.type is not None and value.type.kind == "pointer" and value.value is not None:
        assert value.type.elem is not None
        return Value(value.value, value.type.elem, value.path)
    return value


def _text(values: tuple[Value, ...]) -> str:
    """Go's ``evalArgs``: the arguments as ``fmt.Sprint`` prints them."""
    return sprint(*(_printable(value) for value in values))


_HTML = {"\0": "\ufffd", '"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;"}
_HTML_SPECIAL = re.compile("[\0\"'&<>]")


def html_escape(text: str) -> str:
    """Go's ``template.HTMLEscapeString``.

    >>> html_escape("<a href='x'>&") + html_escape('"')
    '&lt;a href=&#39;x&#39;&gt;&amp;&#34;'
    """
    return _HTML_SPECIAL.sub(lambda match: _HTML[match.group()], text)


def _html(*values: Value) -> Value:
    return Value(html_escape(_text(values)), STRING)


def _urlquery(*values: Value) -> Value:
    return Value(quote_plus(_text(values), safe="", errors="surrogateescape"), STRING)


def _and(first: Value, *values: Value) -> Value:
    for value in (first, *values):
        if not truth(value):
            return value
    return values[-1] if values else first


def _or(first: Value, *values: Value) -> Value:
    for value in (first, *values):
        if truth(value):
            return value
    return values[-1] if values else first


def _printf(form: Value, *values: Value) -> Value:
    return Value(sprintf(form.value, *values), STRING)


def _printer(function: Callable[..., str]) -> Callable[..., Value]:
    return lambda *values: Value(function(*values), STRING)


_ANY: Param = "any"


def _any(call: Callable[..., Value], count: int, variadic: bool = False) -> Function:
    return Function((_ANY,) * count, call, _ANY if variadic else None)


#: Every function, by name.
FUNCTIONS: dict[str, Function] = {
    "json": Function((_ANY,), _json, by_release=True),
    "join": Function(("[]string", "string"), _join),
    "split": Function(("string", "string"), _split),
    "title": Function(("string",), _string(_title)),
    "lower": Function(("string",), _string(str.lower)),
    "upper": Function(("string",), _string(str.upper)),
    "pad": Function(("string", "int", "int"), _pad),
    "truncate": Function(("string", "int"), _truncate),
    "printf": Function(("string",), _printf, "any"),
    "print": _any(_printer(sprint), 0, variadic=True),
    "println": _any(_printer(sprintln), 0, variadic=True),
    "eq": _any(_eq, 1, variadic=True),
    "ne": _any(_ne, 2),
    "lt": _any(_lt, 2),
    "le": _any(_le, 2),
    "gt": _any(_gt, 2),
    "ge": _any(_ge, 2),
    "not": _any(lambda value: Value(not truth(value), BOOL), 1),
    "and": _any(_and, 1, variadic=True),
    "or": _any(_or, 1, variadic=True),
    "index": _any(_index, 1, variadic=True),
    "slice": _any(_slice, 1, variadic=True),
    "html": _any(_html, 0, variadic=True),
    "urlquery": _any(_urlquery, 0, variadic=True),
    "len": _any(_length, 1),
}

#: docker/cli's ``join`` from 29.2 (``templates.joinElements``): any slice's
#: elements or map's values (sorted) as ``fmt.Sprint`` prints them; the
#: releases before take a ``[]string`` only (``strings.Join``, as in
#: :data:`FUNCTIONS`).
JOIN_ELEMENTS = Function(("any", "string"), _join_elements)
