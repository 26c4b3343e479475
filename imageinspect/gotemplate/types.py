"""Go's types, as a template sees a value: the typed view a program hands to
``Execute`` (Docker's CLI runs ``docker inspect -f`` on its API types first)
and the JSON it falls back to (``interface{}``: maps, slices, strings,
numbers).

A :class:`GoType` says how a value prints, compares, ranges and marshals;
a struct type lists its :class:`GoField` s, each with its Go name, its type,
how to read it from the struct's Python value, and its JSON key and
``omitempty`` (Go's struct tag). Who builds the types decides what a Python
value stands for: the engine knows no model and no JSON key of its own.

Payloads: a string, bool or number is the Python value; a ``time.Duration``
an ``int`` of nanoseconds; a ``time.Time`` a
:class:`~imageinspect.values.timestamp.Timestamp`; a slice a sequence
(``bytes`` for ``[]byte``), a map a mapping, a pointer its target, a struct
whatever its fields read from; ``None`` is Go's ``nil`` (and, for a struct,
its zero value; :data:`ZERO` is a zero struct a pointer points to). A :class:`Value` without a type is JSON (``interface{}``).

>>> health = struct_type("container.HealthConfig", (GoField("Retries", INT, lambda h: h["retries"], "Retries"),))
>>> image = struct_type("types.ImageInspect", (GoField("Healthcheck", pointer_to(health), lambda i: i.get("hc")),))
>>> image.lookup("Healthcheck")[-1].type.name, zero(INT), zero(STRING), zero(health)
('*container.HealthConfig', 0, '', None)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

import attrs

from imageinspect.values.timestamp import Timestamp

__all__ = [
    "BOOL",
    "DURATION",
    "EMPTY_STRUCT",
    "INT",
    "INTERFACE",
    "NO_VALUE",
    "STRING",
    "STRINGS",
    "TIME",
    "UINT8",
    "ZERO",
    "GoField",
    "GoType",
    "Kind",
    "Value",
    "field_value",
    "from_go_bytes",
    "go_bytes",
    "map_of",
    "pointer_to",
    "raw_type_name",
    "slice_of",
    "static",
    "struct_type",
    "type_name",
    "zero",
]

#: The kinds the engine tells apart (``duration`` and ``time`` are Go's
#: ``time.Duration`` and ``time.Time``: they print with their ``String``).
Kind = Literal["bool", "int", "float", "string", "duration", "time", "slice", "map", "struct", "pointer", "interface"]


@attrs.frozen(eq=False)
class GoField:
    """One field of a Go struct: its name, its type, how to read it from the
    struct's payload (never called on ``None``: a zero struct's fields are
    zero), its JSON key and ``omitempty`` (``key=None``: ``encoding/json``
    writes the Go name), and whether it is embedded (its fields are promoted,
    and its JSON keys inlined).

    >>> GoField("ID", STRING, lambda image: image.id, "Id").key
    'Id'
    """

    name: str
    type: GoType
    get: Callable[[Any], Any] = attrs.field(repr=False)
    key: str | None = None
    omitempty: bool = False
    embedded: bool = False


@attrs.frozen(eq=False)
class GoType:
    """A Go type: its name as ``reflect`` spells it (``*container.Config``,
    ``[]string``, ``nat.PortSet``), its kind, its element (of a slice or map)
    or target (of a pointer), a struct's fields in declaration order, and a
    struct's own ``MarshalJSON`` (bytes) where it has one.

    >>> slice_of(STRING).name, map_of(EMPTY_STRUCT, "nat.PortSet").elem.name
    ('[]string', 'struct {}')
    """

    name: str
    kind: Kind
    elem: GoType | None = None
    fields: tuple[GoField, ...] = ()
    marshal: Callable[[Any], bytes] | None = attrs.field(default=None, repr=False)
    _index: dict[str, tuple[GoField, ...]] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        index: dict[str, tuple[GoField, ...]] = {}
        for field in self.fields:  # promoted fields first, so the outer ones win
            if field.embedded:
                for name, path in field.type.struct._index.items():
                    index.setdefault(name, (field, *path))
        for field in self.fields:
            index[field.name] = (field,)
        object.__setattr__(self, "_index", index)

    @property
    def struct(self) -> GoType:
        """The struct a pointer points to (or the struct itself).

        >>> pointer_to(EMPTY_STRUCT).struct.name
        'struct {}'
        """
        return self.elem if self.kind == "pointer" and self.elem is not None else self

    def lookup(self, name: str) -> tuple[GoField, ...] | None:
        """The fields to go through to reach the field ``name`` of a struct
        (one, or the embedded ones first), as Go's ``FieldByName``; ``None``
        when it has none.

        >>> inner = struct_type("Inner", (GoField("A", STRING, lambda v: v),))
        >>> [f.name for f in struct_type("Outer", (GoField("Inner", inner, lambda v: v, embedded=True),)).lookup("A")]
        ['Inner', 'A']
        """
        return self._index.get(name)


def struct_type(name: str, fields: tuple[GoField, ...], marshal: Callable[[Any], bytes] | None = None) -> GoType:
    """A struct type.

    >>> struct_type("types.RootFS", (GoField("Type", STRING, lambda r: r.type),)).fields[0].name
    'Type'
    """
    return GoType(name, "struct", None, fields, marshal)


def slice_of(elem: GoType, name: str | None = None) -> GoType:
    """``[]elem`` (or a named slice type, ``strslice.StrSlice``).

    >>> slice_of(INT).name
    '[]int'
    """
    return GoType(name or f"[]{elem.name}", "slice", elem)


def map_of(elem: GoType, name: str | None = None) -> GoType:
    """``map[string]elem`` (or a named map type, ``nat.PortSet``).

    >>> map_of(STRING).name
    'map[string]string'
    """
    return GoType(name or f"map[string]{elem.name}", "map", elem)


def pointer_to(target: GoType) -> GoType:
    """``*target``.

    >>> pointer_to(TIME).name
    '*time.Time'
    """
    return GoType(f"*{target.name}", "pointer", target)


STRING = GoType("string", "string")
BOOL = GoType("bool", "bool")
INT = GoType("int", "int")
UINT8 = GoType("uint8", "int")
DURATION = GoType("time.Duration", "duration")
TIME = GoType("time.Time", "time")
#: ``struct{}``: the values of a set (``map[string]struct{}``).
EMPTY_STRUCT = struct_type("struct {}", ())
#: ``[]string``: what ``split`` returns.
STRINGS = slice_of(STRING)
#: ``interface{}``: a field that holds JSON of any type (its values are
#: untyped :class:`Value` s).
INTERFACE = GoType("interface {}", "interface")


class _NoValue:
    """What a missing map key gives (Go's invalid ``reflect.Value``: printed
    ``<no value>``, ``json`` writes ``null``)."""

    def __repr__(self) -> str:
        return "<no value>"


NO_VALUE: Any = _NoValue()


class _Zero:
    """The payload of a struct's zero value where ``None`` would be a nil
    pointer (a pointer to a zero struct)."""

    def __repr__(self) -> str:
        return "<zero>"


ZERO: Any = _Zero()


def go_bytes(text: str) -> bytes:
    """A Go string's bytes. A Go string holds any bytes; here it is a Python
    string whose bytes that are no UTF-8 are lone surrogates (Python's
    ``surrogateescape``: a ``slice`` through a character, a ``"\\xff"``).

    >>> go_bytes("h\\udcc3"), go_bytes("é")
    (b'h\\xc3', b'\\xc3\\xa9')
    """
    return text.encode("utf-8", "surrogateescape")


def from_go_bytes(data: bytes) -> str:
    """The Python string that stands for a Go string of these bytes (the
    inverse of :func:`go_bytes`).

    >>> from_go_bytes(b"h\\xc3"), from_go_bytes(b"\\xc3\\xa9")
    ('h\\udcc3', 'é')
    """
    return data.decode("utf-8", "surrogateescape")


def static(go_type: GoType | None) -> GoType | None:
    """The type a :class:`Value` of ``go_type`` has: ``None`` for
    ``interface{}`` (what it holds is JSON).

    >>> static(INTERFACE), static(STRING).name
    (None, 'string')
    """
    return None if go_type is None or go_type.kind == "interface" else go_type


@attrs.frozen
class Value:
    """A value in a template: its payload, its Go type (``None``: JSON, of
    Go type ``interface{}``), and its JSON path (for messages).

    >>> Value(["A=1"], None, "$.Config.Env").path
    '$.Config.Env'
    """

    value: Any
    type: GoType | None = None
    path: str = "$"


_ZEROS: dict[str, Any] = {"string": "", "bool": False, "int": 0, "float": 0.0, "duration": 0}


def zero(go_type: GoType) -> Any:
    """The payload of Go's zero value of a type (``None`` for a nil slice,
    map or pointer, and for a zero struct).

    >>> zero(STRING), zero(DURATION), zero(slice_of(STRING)), str(zero(TIME))
    ('', 0, None, '0001-01-01T00:00:00Z')
    """
    if go_type.kind == "time":
        return Timestamp.zero()
    return _ZEROS.get(go_type.kind)


def field_value(struct: Any, path: tuple[GoField, ...]) -> Any:
    """A field's payload read through ``path`` (:meth:`GoType.lookup`): a
    zero struct's fields, and fields read as ``None`` that Go cannot hold
    as nil, are their zero value.

    >>> path = (GoField("Size", INT, lambda image: image.get("size")),)
    >>> field_value({"size": 5}, path), field_value({}, path), field_value(None, path), field_value(ZERO, path)
    (5, 0, 0, 0)
    """
    value = struct
    for field in path:
        value = None if value is None or value is ZERO else field.get(value)
        if value is None and field.type.kind not in ("slice", "map", "pointer", "struct", "interface"):
            value = zero(field.type)
    return value


def type_name(value: Value) -> str:
    """The Go type of a value, as messages name it (JSON by its dynamic
    type, as Go's ``encoding/json`` decodes with ``UseNumber``).

    >>> type_name(Value("a", STRING)), type_name(Value({"a": 1})), type_name(Value(5)), type_name(Value(None))
    ('string', 'map[string]interface {}', 'json.Number', 'interface {}')
    """
    if value.type is not None:
        return value.type.name
    return raw_type_name(value.value)


def raw_type_name(value: Any) -> str:
    """The Go type ``encoding/json`` (with ``UseNumber``) decodes a JSON
    value to, in an ``interface{}``.

    >>> raw_type_name([1]), raw_type_name(True), raw_type_name(1.5)
    ('[]interface {}', 'bool', 'json.Number')
    """
    if isinstance(value, Mapping):
        return "map[string]interface {}"
    if isinstance(value, list | tuple):
        return "[]interface {}"
    if value is True or value is False:
        return "bool"
    if isinstance(value, int | float):
        return "json.Number"
    if isinstance(value, str):
        return "string"
    return "interface {}"
