"""The functions templates call: Go's builtins (``and``, ``or``, ``not``,
``eq``, ``ne``, ``index``, ``len``, ``print``, ``printf``, ``println``) and
Docker's (``json``, ``join``, ``split``, ``upper``, ``lower``, ``title``,
``truncate``, ``pad``), each with its Go parameter types: an argument Go
could not pass (``join`` of a JSON list, an ``[]interface {}``) is an error
the caller reports as Go does.

>>> from imageinspect.gotemplate.types import INT, STRING, STRINGS
>>> FUNCTIONS["join"].call(Value(["a", "b"], STRINGS), Value(",", STRING)).value
'a,b'
>>> truth(Value((), STRINGS)), truth(Value(0, INT)), truth(Value(0))
(False, False, True)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Literal

import attrs

from .gofmt import format_value, go_json, sprint, sprintf, sprintln
from .types import BOOL, INT, NO_VALUE, STRING, STRINGS, UINT8, Value, static, type_name, zero

__all__ = ["FUNCTIONS", "JOIN_ELEMENTS", "CallError", "Function", "Param", "argument_error", "truth"]

#: A Go parameter type: ``string``, ``int``, ``[]string``, or anything
#: (``any``, and the builtins' ``reflect.Value``).
Param = Literal["string", "int", "[]string", "any"]


class CallError(Exception):
    """A function failed; the message is the error Go's function returns
    (the caller says ``error calling NAME: ...``).

    >>> from imageinspect.gotemplate.types import INT
    >>> FUNCTIONS["len"].call(Value(3, INT))
    Traceback (most recent call last):
      ...
    imageinspect.gotemplate.funcs.CallError: len of type int
    """


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


def _json(value: Value) -> Value:
    return Value(go_json(value), STRING)


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
    source, size = text.value, length.value
    if size < 0:
        raise CallError(f"runtime error: slice bounds out of range [:{size}]")
    return Value(source if len(source) < size else source[:size], STRING)


def _pad(text: Value, before: Value, after: Value) -> Value:
    if not text.value:
        return Value("", STRING)
    if before.value < 0 or after.value < 0:
        raise CallError("strings: negative Repeat count")
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
            data = payload.encode() if isinstance(payload, str) else payload or ()
            position = key.value
            if position is NO_VALUE or (key.type is None and position is None):
                raise CallError("cannot index slice/array with nil")
            if not isinstance(position, int) or isinstance(position, bool) or (key.type and key.type.kind != "int"):
                raise CallError(f"cannot index slice/array with type {type_name(key)}")
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
        if isinstance(payload, str | list | tuple | Mapping):
            return Value(len(payload), INT)
        if isinstance(payload, int | float) and not isinstance(payload, bool):  # a json.Number's text
            return Value(len(str(payload)), INT)
    elif go_type.kind in ("slice", "map", "string"):
        return Value(len(payload.encode() if isinstance(payload, str) else payload or ()), INT)
    raise CallError(f"len of type {type_name(item)}")


def _compare(first: Value, second: Value) -> bool:
    """Go's ``eq`` of two values (basic kinds by value; a nil pointer, slice
    or map equals ``nil`` only)."""
    kinds = _kind(first), _kind(second)
    if kinds[0] != kinds[1]:
        if "invalid" not in kinds:
            raise CallError("incompatible types for comparison")
        return False
    if kinds[0] in ("bool", "int", "float", "string"):
        return bool(first.value == second.value)
    if kinds[0] == "invalid":
        return True
    return bool(first.value is second.value or first.value == second.value)


def _eq(first: Value, *others: Value) -> Value:
    if not others:
        raise CallError("missing argument for comparison")
    return Value(any(_compare(first, other) for other in others), BOOL)


def _ne(first: Value, second: Value) -> Value:
    return Value(not _compare(first, second), BOOL)


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
    "json": _any(_json, 1),
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
    "not": _any(lambda value: Value(not truth(value), BOOL), 1),
    "and": _any(_and, 1, variadic=True),
    "or": _any(_or, 1, variadic=True),
    "index": _any(_index, 1, variadic=True),
    "len": _any(_length, 1),
}

#: docker/cli's ``join`` from 29.2 (``templates.joinElements``): any slice's
#: elements or map's values (sorted) as ``fmt.Sprint`` prints them; the
#: releases before take a ``[]string`` only (``strings.Join``, as in
#: :data:`FUNCTIONS`).
JOIN_ELEMENTS = Function(("any", "string"), _join_elements)
