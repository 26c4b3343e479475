"""Go's ``fmt`` for template values: ``Sprint``, ``Sprintln`` and ``Sprintf``
of JSON values as the Go types they came from print, durations and times.

How a value prints depends on its field's Go type, which JSON does not say:
the caller tells it with :class:`GoKinds` (what the CLI knows of Docker's
and podman's types); with none, a value prints as untyped JSON would.

>>> docker = GoKinds(lists=frozenset({"Env"}), durations=frozenset({"Interval"}))
>>> go_text(None, "Env", docker), go_text(30_000_000_000, "Interval", docker), go_text(None, "Env")
('[]', '30s', '')
"""

from __future__ import annotations

import re
from typing import Any

import attrs
import orjson

from imageinspect.codec.gojson import escape
from imageinspect.values.timestamp import Timestamp

__all__ = [
    "NO_VALUE",
    "UNTYPED",
    "GoKinds",
    "Value",
    "go_duration",
    "go_text",
    "go_time",
    "kind_name",
    "sprint",
    "sprintf",
    "sprintln",
]


@attrs.frozen
class GoKinds:
    """The Go kinds of fields, by JSON key: which are slices, maps (``sets``:
    maps to ``struct{}``), pointers, numbers, booleans, ``time.Duration`` and
    ``time.Time``; ``known``: every field the types have (one the JSON leaves
    out is Go's zero value, not an error). Any other key is a string.

    >>> kinds = GoKinds(maps=frozenset({"Labels"}), numbers=frozenset({"Size"}))
    >>> kinds.zero_value("Labels"), kinds.zero_value("Size"), kinds.zero_text("Labels"), kinds.zero_text("Os")
    (None, 0, 'map[]', '')
    """

    lists: frozenset[str] = frozenset()
    maps: frozenset[str] = frozenset()
    sets: frozenset[str] = frozenset()
    pointers: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()
    booleans: frozenset[str] = frozenset()
    durations: frozenset[str] = frozenset()
    times: frozenset[str] = frozenset()
    known: frozenset[str] = frozenset()

    def zero_value(self, key: str) -> Any:
        """The value of a field the JSON left out: Go's zero value (``None``
        standing for a nil slice, map or pointer).

        >>> GoKinds(booleans=frozenset({"Tty"})).zero_value("Tty"), GoKinds().zero_value("User")
        (False, '')
        """
        if key in self.lists or key in self.maps or key in self.pointers:
            return None
        if key in self.numbers:
            return 0
        return False if key in self.booleans else ""

    def zero_text(self, key: str) -> str:
        """What Go prints for the zero value of the field ``key``.

        >>> GoKinds(lists=frozenset({"Env"})).zero_text("Env"), GoKinds(pointers=frozenset({"Config"})).zero_text("Config")
        ('[]', '<nil>')
        """
        if key in self.lists:
            return "[]"
        if key in self.maps:
            return "map[]"
        if key in self.numbers:
            return "0"
        if key in self.booleans:
            return "false"
        return "<nil>" if key in self.pointers else ""


#: No knowledge of Go's types: JSON values as they are.
UNTYPED = GoKinds()


class _NoValue:
    """What a map lookup of a missing key gives (Go prints ``<no value>``;
    ``json`` writes ``null``)."""

    def __repr__(self) -> str:
        return "<no value>"


NO_VALUE: Any = _NoValue()


@attrs.frozen
class Value:
    """A value in a template, with its JSON path (for messages) and the key of
    the field it came from (its Go type prints it).

    >>> Value(["A=1"], "$.Config.Env", "Env").key
    'Env'
    """

    value: Any
    path: str
    key: str = ""


def kind_name(value: Any) -> str:
    """The kind of a JSON value, as messages name it.

    >>> kind_name([]), kind_name("a"), kind_name(True), kind_name(1.5), kind_name(None)
    ('list', 'string', 'boolean', 'number', 'value')
    """
    return {list: "list", str: "string", bool: "boolean", int: "number", float: "number"}.get(type(value), "value")


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


def go_time(text: str) -> str:
    """Go's ``time.Time.String`` of an RFC 3339 time.

    >>> go_time("0001-01-01T00:00:00Z"), go_time("2024-01-02T03:04:05.120Z"), go_time("2024-01-02T03:04:05+01:00")
    ('0001-01-01 00:00:00 +0000 UTC', '2024-01-02 03:04:05.12 +0000 UTC', '2024-01-02 03:04:05 +0100 +0100')
    """
    stamp = Timestamp.parse(text)
    local = stamp.unix_nanos + stamp.utc_offset * 1_000_000_000
    clock = Timestamp(local - local % 1_000_000_000).text[:19].replace("T", " ")
    fraction = f"{stamp.nanosecond:09d}".rstrip("0")
    offset = stamp.utc_offset
    zone = f"{'-' if offset < 0 else '+'}{abs(offset) // 3600:02d}{abs(offset) // 60 % 60:02d}"
    return f"{clock}{'.' + fraction if fraction else ''} {zone} {'UTC' if offset == 0 else zone}"


def go_text(value: Any, key: str = "", kinds: GoKinds = UNTYPED) -> str:
    """``value`` as Go's ``fmt.Print`` shows the type (``kinds``) of the
    field ``key`` it came from.

    >>> kinds = GoKinds(lists=frozenset({"Env"}), maps=frozenset({"ExposedPorts"}), sets=frozenset({"ExposedPorts"}))
    >>> go_text({"b": [1, True], "a": None}), go_text({"80/tcp": {}}, "ExposedPorts", kinds), go_text(None, "Env", kinds)
    ('map[a:<nil> b:[1 true]]', 'map[80/tcp:{}]', '[]')
    """
    if value is None:
        return kinds.zero_text(key) if key else "<nil>"
    if value is NO_VALUE:
        return "<no value>"
    if key in kinds.durations and isinstance(value, int) and not isinstance(value, bool):
        return go_duration(value)
    if key in kinds.times and isinstance(value, str):
        return go_time(value)
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list):
        return "[" + " ".join(go_text(item, "", kinds) for item in value) + "]"
    if isinstance(value, dict):
        if not value and key not in kinds.maps:  # a Go struct{} (ExposedPorts' and Volumes' values)
            return "{}"
        if key in kinds.sets:
            return "map[" + " ".join(f"{k}:{{}}" for k in sorted(value)) + "]"
        return "map[" + " ".join(f"{k}:{go_text(value[k], '', kinds)}" for k in sorted(value)) + "]"
    return str(value)


def sprint(kinds: GoKinds, *values: Value) -> str:
    """Go's ``fmt.Sprint``: a space between operands when neither is a string.

    >>> sprint(UNTYPED, Value(1, ""), Value(2, ""), Value("a", ""), Value(3, ""))
    '1 2a3'
    """
    out = ""
    for position, value in enumerate(values):
        if position and not isinstance(value.value, str) and not isinstance(values[position - 1].value, str):
            out += " "
        out += go_text(value.value, value.key, kinds)
    return out


def sprintln(kinds: GoKinds, *values: Value) -> str:
    """Go's ``fmt.Sprintln``: spaces between operands, a newline after.

    >>> sprintln(UNTYPED, Value("a", ""), Value(1, ""))
    'a 1\\n'
    """
    return " ".join(go_text(v.value, v.key, kinds) for v in values) + "\n"


def _quote(text: str) -> str:
    return escape(orjson.dumps(text)).decode()


_VERB = re.compile(r"%([-+# 0]*)(\d+)?(?:\.(\d+))?(.)", re.S)


def sprintf(kinds: GoKinds, form: str, *values: Value) -> str:
    """Go's ``fmt.Sprintf`` for the verbs templates use: ``%v %s %q %d %x %X
    %t %f %e %g %%`` with flags, width and precision; Go's ``%!`` notes for a
    wrong or missing operand and for extra ones.

    >>> sprintf(UNTYPED, "%5d|%-4s|%q|%d %s", Value(42, ""), Value("ab", ""), Value("x", ""), Value("y", ""))
    '   42|ab  |"x"|%!d(string=y) %!s(MISSING)'
    """
    pending = list(values)

    def verb(match: re.Match[str]) -> str:
        flags, width, precision, kind = match.groups()
        if kind == "%":
            return "%"
        if not pending:
            return f"%!{kind}(MISSING)"
        operand = pending.pop(0)
        value = operand.value
        spec = f"%{flags.replace(' ', '')}{width or ''}{'.' + precision if precision is not None else ''}"
        if kind in "vs":
            return (spec + "s") % go_text(value, operand.key, kinds)
        if kind == "q":
            return (spec.split(".")[0] + "s") % _quote(go_text(value, operand.key, kinds))
        if kind == "t" and isinstance(value, bool):
            return (spec + "s") % go_text(value, "", kinds)
        number = isinstance(value, int) and not isinstance(value, bool)
        if kind in "dxX" and number:
            return str((spec.split(".")[0] + kind) % value)
        if kind in "xX" and isinstance(value, str):
            text = value.encode().hex()
            return (spec.split(".")[0] + "s") % (text.upper() if kind == "X" else text)
        if kind in "feEgG" and (number or isinstance(value, float)):
            return str((spec + kind) % value)
        return f"%!{kind}({kind_name(value)}={go_text(value, operand.key, kinds)})"

    out = _VERB.sub(verb, form)
    if pending:
        out += "%!(EXTRA " + ", ".join(f"{kind_name(v.value)}={go_text(v.value, v.key, kinds)}" for v in pending) + ")"
    return out
