"""The subset of Go templates that ``docker inspect -f`` is used with.

Supported: text; ``{{.Field.Path}}``, ``{{.}}``, ``{{$}}`` and ``{{$var.Path}}``;
string, number and boolean literals; pipes (``{{.Config.Env | json}}``);
``{{range PIPE}}...{{else}}...{{end}}`` (with ``$v :=`` or ``$k, $v :=``),
``{{if PIPE}}...{{else}}...{{end}}``; ``{{- `` and `` -}}`` trimming;
comments; and the functions ``json``, ``join``, ``split``, ``index``, ``len``,
``upper``, ``lower``, ``title``, ``truncate``, ``pad``, ``print`` and
``println``. Values print as Go's ``fmt`` prints them: lists as ``[a b]``,
objects as ``map[k:v]`` with sorted keys.

A field the image does not have at all is an error naming its JSON path; a
field Docker knows but this image's JSON leaves out prints as Go's zero value
(``[]`` for lists, ``map[]`` for maps, ``<nil>`` otherwise); a missing key of a
map (``.Config.Labels.nope``) prints ``<no value>``. Durations
(``.Config.Healthcheck.Interval``) and times (``.Metadata.LastTagTime``) print
as Go prints them; a struct such as ``{{.Config.Healthcheck}}`` prints as a map
(``{{json ...}}`` is exact).

>>> data = {"Config": {"Env": ["A=1", "B=2"], "Labels": {"b": "2", "a": "1"}}, "Size": 5}
>>> render("{{.Config.Env}} {{json .Config.Env}} {{.Size}}", data)
'[A=1 B=2] ["A=1","B=2"] 5'
>>> render("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}", data)
'a=1;b=2;'
>>> render("{{.Config.Nope}}", data)
Traceback (most recent call last):
  ...
imageinspect.cli.template.TemplateError: --format: $.Config.Nope: no such field (Config has: Env, Labels)
"""

from __future__ import annotations

import contextvars
import functools
import re
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import orjson

from imageinspect.codec.gojson import escape
from imageinspect.errors import ImageInspectError

__all__ = ["HtmlEscaped", "Template", "TemplateError", "render"]


class TemplateError(ImageInspectError):
    """A ``--format`` template that cannot be parsed or executed; the message
    names the JSON path or the offset in the template."""


def _error(message: str) -> TemplateError:
    return TemplateError(message, "--format")


# -- the Go zero values of fields a document leaves out ---------------------

#: JSON keys of Docker's inspect types that are Go slices or maps: what a
#: left-out or ``null`` one prints as.
_LISTS = frozenset(
    {"Env", "Cmd", "Entrypoint", "RepoTags", "RepoDigests", "Layers", "OnBuild", "Shell", "Test", "Manifests"}
)
_MAPS = frozenset({"Labels", "ExposedPorts", "Volumes", "Data", "Annotations"})
#: Maps whose values are Go's ``struct{}``: printed as ``{}``.
_SETS = frozenset({"ExposedPorts", "Volumes"})


@functools.cache
def _known_keys() -> frozenset[str]:
    """Every JSON key of every inspect and config shape."""
    from imageinspect.codec import inspect_shapes, shapes

    keys: set[str] = set()
    for module in (shapes, inspect_shapes):
        for value in vars(module).values():
            for item in value if isinstance(value, tuple) else (value,):
                if isinstance(item, shapes.Shape):
                    keys.update(field.key for field in item.fields)
                elif isinstance(item, shapes.Field):
                    keys.add(item.key)
    return frozenset(keys)


#: Keys of Docker's types that are pointers (``<nil>`` when unset), numbers
#: and booleans; every other key is a string (``""`` when unset).
_POINTERS = frozenset({"Healthcheck", "Config", "ContainerConfig", "Descriptor", "Identity", "Platform"})
_NUMBERS = frozenset({"Size", "VirtualSize", "Retries", "Interval", "Timeout", "StartPeriod", "StartInterval"})
_BOOLEANS = frozenset(
    {"AttachStdin", "AttachStdout", "AttachStderr", "Tty", "OpenStdin", "StdinOnce", "ArgsEscaped", "NetworkDisabled"}
)
#: Fields of Docker's image types that some API versions leave out of the JSON
#: (``omitempty``) and that no shape of ours names.
_OTHER_KEYS = frozenset({"Variant", "OsVersion", "MacAddress", "StopTimeout", "Image", "Domainname", "Hostname"})


def _zero_value(key: str) -> Any:
    """The value of a field Docker's types have and the JSON left out: Go's
    zero value (``None`` standing for a nil slice, map or pointer)."""
    if key in _LISTS or key in _MAPS or key in _POINTERS:
        return None
    if key in _NUMBERS:
        return 0
    return False if key in _BOOLEANS else ""


def _zero(key: str) -> str:
    """What Go prints for the zero value of the field ``key``."""
    if key in _LISTS:
        return "[]"
    if key in _MAPS:
        return "map[]"
    if key in _NUMBERS:
        return "0"
    if key in _BOOLEANS:
        return "false"
    return "<nil>" if key in _POINTERS else ""


class _NoValue:
    """What a map lookup of a missing key gives (Go prints ``<no value>``;
    ``json`` writes ``null``)."""

    def __repr__(self) -> str:
        return "<no value>"


NO_VALUE: Any = _NoValue()

#: Fields that are Go ``time.Duration`` (nanoseconds in JSON) and
#: ``time.Time`` (RFC 3339 in JSON) in Docker's types: printed as Go prints them.
_DURATIONS = frozenset({"Interval", "Timeout", "StartPeriod", "StartInterval"})
_TIMES = frozenset({"LastTagTime"})
#: podman's types hold ``Created`` (the image's and each history entry's) as a time.
_PODMAN_TIMES = _TIMES | {"Created", "created"}
_time_keys: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar("time_keys", default=_TIMES)


class HtmlEscaped(dict[str, Any]):
    """A row whose Go type marshals itself with ``json.Marshal`` (HTML
    characters escaped), as docker history's rows do: ``{{json .}}`` of it is
    the same bytes as ``--format json``."""


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
    from imageinspect.values.timestamp import Timestamp

    stamp = Timestamp.parse(text)
    local = stamp.unix_nanos + stamp.utc_offset * 1_000_000_000
    clock = Timestamp(local - local % 1_000_000_000).text[:19].replace("T", " ")
    fraction = f"{stamp.nanosecond:09d}".rstrip("0")
    offset = stamp.utc_offset
    zone = f"{'-' if offset < 0 else '+'}{abs(offset) // 3600:02d}{abs(offset) // 60 % 60:02d}"
    return f"{clock}{'.' + fraction if fraction else ''} {zone} {'UTC' if offset == 0 else zone}"


# -- printing as Go's fmt ---------------------------------------------------


def go_text(value: Any, key: str = "") -> str:
    """``value`` as Go's ``fmt.Print`` shows the Docker type it came from.

    >>> go_text({"b": [1, True], "a": None}), go_text({"80/tcp": {}}, "ExposedPorts"), go_text(None, "Env")
    ('map[a:<nil> b:[1 true]]', 'map[80/tcp:{}]', '[]')
    """
    if value is None:
        return _zero(key) if key else "<nil>"
    if value is NO_VALUE:
        return "<no value>"
    if key in _DURATIONS and isinstance(value, int) and not isinstance(value, bool):
        return go_duration(value)
    if key in _time_keys.get() and isinstance(value, str):
        return go_time(value)
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list):
        return "[" + " ".join(go_text(item) for item in value) + "]"
    if isinstance(value, dict):
        if not value and key not in _MAPS:  # a Go struct{} (ExposedPorts' and Volumes' values)
            return "{}"
        if key in _SETS:
            return "map[" + " ".join(f"{k}:{{}}" for k in sorted(value)) + "]"
        return "map[" + " ".join(f"{k}:{go_text(value[k])}" for k in sorted(value)) + "]"
    return str(value)


def _truth(value: Any) -> bool:
    return not (value is None or value is NO_VALUE or value is False or value == 0 or value in ("", [], {}))


# -- values with their JSON path ----------------------------------------------


@attrs.frozen
class _Value:
    value: Any
    path: str
    key: str = ""


def _field(base: _Value, name: str) -> _Value:
    path = f"{base.path}.{name}"
    if isinstance(base.value, dict):
        if name in base.value:
            return _Value(base.value[name], path, name)
        for key in base.value:  # the Go field name of a JSON key (ID for Id, CreatedBy for created_by)
            if _go_name(key) == name:
                return _Value(base.value[key], f"{base.path}.{key}", key)
        if base.key in _MAPS:  # a Go map: a missing key is no value, not an error
            return _Value(NO_VALUE, path, name)
        if name in _known_keys() or name in _OTHER_KEYS:
            return _Value(_zero_value(name), path, name)
        owner = base.key or "the image"
        has = ", ".join(sorted(base.value)) or "no fields"
        raise _error(f"{path}: no such field ({owner} has: {has})")
    if base.value is None:
        if base.key in _MAPS:  # a lookup in a nil map
            return _Value(NO_VALUE, path, name)
        raise _error(f"{path}: {base.path} is nil")
    raise _error(f"{path}: {base.path} is a {_kind(base.value)}, not an object")


def _go_name(key: str) -> str:
    """The Go field name a JSON key stands for.

    >>> _go_name("Id"), _go_name("created_by"), _go_name("author"), _go_name("Labels")
    ('ID', 'CreatedBy', 'Author', 'Labels')
    """
    if key == "Id":
        return "ID"
    return "".join(part[:1].upper() + part[1:] for part in key.split("_"))


def _kind(value: Any) -> str:
    return {list: "list", str: "string", bool: "boolean", int: "number", float: "number"}.get(type(value), "value")


# -- functions ----------------------------------------------------------------


def _json(value: Any) -> str:
    if isinstance(value, HtmlEscaped):
        return escape(orjson.dumps(value, option=orjson.OPT_SORT_KEYS), escape_html=True).decode()
    return escape(orjson.dumps(None if value is NO_VALUE else value)).decode()


def _join(items: Any, separator: str) -> str:
    if items is None:
        return ""
    if isinstance(items, dict):
        return separator.join(sorted(go_text(v) for v in items.values()))
    if isinstance(items, list):
        return separator.join(go_text(item) for item in items)
    raise _error(f"join: expected a list, got {_kind(items)}")


def _index(items: Any, *keys: Any) -> Any:
    for key in keys:
        if items is None:  # a nil map: the zero value
            return ""
        if isinstance(items, dict):
            if not isinstance(key, str):
                raise _error(f"index: a map's keys are strings, got {_kind(key)}")
            # a missing key gives the zero value of the map's values ("" for Labels)
            strings = all(isinstance(v, str) for v in items.values())
            items = items.get(key, "" if strings else None)
        elif isinstance(items, list) and isinstance(key, int):
            if not 0 <= key < len(items):
                raise _error(f"index: {key} out of range (length {len(items)})")
            items = items[key]
        else:
            raise _error(f"index: cannot index a {_kind(items)} with {key!r}")
    return items


def _length(items: Any) -> int:
    if items is None:
        return 0
    if isinstance(items, list | dict | str):
        return len(items)
    raise _error(f"len: a {_kind(items)} has no length")


def _print(*values: _Value) -> str:
    """Go's ``fmt.Sprint``: a space between operands when neither is a string."""
    out = ""
    for position, value in enumerate(values):
        if position and not isinstance(value.value, str) and not isinstance(values[position - 1].value, str):
            out += " "
        out += go_text(value.value, value.key)
    return out


def _println(*values: _Value) -> str:
    return " ".join(go_text(v.value, v.key) for v in values) + "\n"


def _title(text: str) -> str:
    return re.sub(r"(?:^|(?<=[^\w]))(\w)", lambda m: m.group(1).upper(), text)


def _truncate(text: str, length: int) -> str:
    if not isinstance(text, str) or length < 0:
        raise TypeError("truncate")
    return text[:length] if len(text) >= length else text


def _pad(text: str, before: int, after: int) -> str:
    if not isinstance(text, str) or before < 0 or after < 0:
        raise TypeError("pad")
    return " " * before + text + " " * after if text else text


def _split(text: str, separator: str) -> list[str]:
    return list(text) if separator == "" else text.split(separator)


_VERB = re.compile(r"%([-+# 0]*)(\d+)?(?:\.(\d+))?(.)", re.S)


def _printf(form: _Value, *values: _Value) -> str:
    """Go's ``fmt.Sprintf`` for the verbs templates use: ``%v %s %q %d %x %X
    %t %f %e %g %%`` with flags, width and precision; Go's ``%!`` notes for a
    wrong or missing operand and for extra ones."""
    if not isinstance(form.value, str):
        raise TypeError("printf")
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
            return (spec + "s") % go_text(value, operand.key)
        if kind == "q":
            return (spec.split(".")[0] + "s") % _json(go_text(value, operand.key))
        if kind == "t" and isinstance(value, bool):
            return (spec + "s") % go_text(value)
        number = isinstance(value, int) and not isinstance(value, bool)
        if kind in "dxX" and number:
            return str((spec.split(".")[0] + kind) % value)
        if kind in "xX" and isinstance(value, str):
            text = value.encode().hex()
            return (spec.split(".")[0] + "s") % (text.upper() if kind == "X" else text)
        if kind in "feEgG" and (number or isinstance(value, float)):
            return str((spec + kind) % value)
        return f"%!{kind}({_kind(value)}={go_text(value, operand.key)})"

    out = _VERB.sub(verb, form.value)
    if pending:
        out += "%!(EXTRA " + ", ".join(f"{_kind(v.value)}={go_text(v.value, v.key)}" for v in pending) + ")"
    return out


def _equal(first: Any, *others: Any) -> bool:
    return any(first == other for other in others)


def _and(first: Any, *values: Any) -> Any:
    values = (first, *values)
    for value in values:
        if not _truth(value):
            return value
    return values[-1]


def _or(first: Any, *values: Any) -> Any:
    values = (first, *values)
    for value in values:
        if _truth(value):
            return value
    return values[-1]


#: Functions that take their operands with their keys (to print them as Go would).
_PRINTERS = frozenset({"print", "printf", "println"})

_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "json": _json,
    "join": _join,
    "split": _split,
    "printf": _printf,
    "eq": _equal,
    "ne": lambda first, second: first != second,
    "not": lambda value: not _truth(value),
    "and": _and,
    "or": _or,
    "index": _index,
    "len": _length,
    "upper": lambda text: text.upper(),
    "lower": lambda text: text.lower(),
    "title": _title,
    "truncate": _truncate,
    "pad": _pad,
    "print": _print,
    "println": _println,
}


# -- parsing ------------------------------------------------------------------

_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\", "'": "'", '"': '"'}
_ESCAPE = re.compile(
    r"\\(?:([abfnrtv\\'\"])|x([0-9a-fA-F]{2})|([0-7]{3})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))", re.S
)


def _unquote(text: str) -> str:
    r"""A Go interpreted string literal's value.

    >>> _unquote(r'"a\tb\x41\101\u00e9\U0001F600\""')
    'a\tbAAé😀"'
    """

    def one(match: re.Match[str]) -> str:
        simple, hexa, octal, short, long, bad = match.groups()
        if simple is not None:
            return _ESCAPES[simple]
        if bad is not None:
            raise _error(f"unknown escape sequence \\{bad} in {text}")
        number = int(hexa, 16) if hexa else int(octal, 8) if octal else int(short or long, 16)
        if number > 0x10FFFF or 0xD800 <= number <= 0xDFFF:
            raise _error(f"invalid character escape in {text}")
        return chr(number)

    return _ESCAPE.sub(one, text[1:-1])


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<raw>`[^`]*`)
      | (?P<pipe>\|)
      | (?P<open>\()
      | (?P<close>\)(?:\.[^\s|(),:=]+)?)
      | (?P<declare>:?=)
      | (?P<comma>,)
      | (?P<word>[^\s|(),:=]+)
    )""",
    re.VERBOSE,
)


@attrs.frozen
class _Node:
    kind: str  # text, action, range, if
    text: str = ""
    pipeline: tuple[Any, ...] = ()
    names: tuple[str, ...] = ()
    body: tuple[_Node, ...] = ()
    otherwise: tuple[_Node, ...] = ()


def _tokens(source: str, where: int) -> list[tuple[str, str]]:
    out = []
    position = 0
    while position < len(source):
        if source[position:].strip() == "":
            break
        match = _TOKEN.match(source, position)
        if match is None or match.end() == position:
            raise _error(f"offset {where + position}: cannot read {source[position:]!r}")
        kind = match.lastgroup
        assert kind is not None
        out.append((kind, match.group(kind)))
        position = match.end()
    return out


def _pipeline(tokens: list[tuple[str, str]], where: int) -> tuple[Any, ...]:
    """Commands of a pipeline; each command a list of operands, a nested
    pipeline being a tuple."""
    commands: list[list[Any]] = [[]]
    stack: list[list[list[Any]]] = []
    for kind, text in tokens:
        if kind == "pipe":
            if not commands[-1]:
                raise _error(f"offset {where}: empty command before |")
            commands.append([])
        elif kind == "open":
            stack.append(commands)
            commands = [[]]
        elif kind == "close":
            if not stack:
                raise _error(f"offset {where}: unexpected )")
            inner = tuple(tuple(c) for c in commands)
            commands = stack.pop()
            chain = text[1:]
            commands[-1].append(("pipeline_field", (inner, chain)) if chain else ("pipeline", inner))
        elif kind in ("declare", "comma"):
            raise _error(f"offset {where}: unexpected {text!r}")
        else:
            commands[-1].append((kind, text))
    if stack:
        raise _error(f"offset {where}: unclosed (")
    if not commands[-1]:
        raise _error(f"offset {where}: empty command")
    return tuple(tuple(c) for c in commands)


def _declaration(tokens: list[tuple[str, str]], where: int) -> tuple[tuple[str, ...], list[tuple[str, str]]]:
    """``$v :=`` or ``$k, $v :=`` at the start of a range (or an action)."""
    for end, (kind, text) in enumerate(tokens):
        if kind == "declare":
            names = tuple(t for k, t in tokens[:end] if k == "word")
            shape_ok = [k for k, _ in tokens[:end]] in (["word"], ["word", "comma", "word"])
            if text != ":=" or not shape_ok or not all(n.startswith("$") and len(n) > 1 for n in names):
                raise _error(f"offset {where}: expected $v := or $k, $v :=")
            return names, tokens[end + 1 :]
        if kind not in ("word", "comma"):
            break
    return (), tokens


_SPACES = frozenset(" \t\r\n")


def _actions(source: str) -> Iterator[tuple[int, int, str, bool, bool]]:
    """Each action: its start and end offsets, its inside, and whether it
    trims the space before (``{{- ``) and after (`` -}}``). A ``}}`` inside a
    string, a raw string or a comment does not end it."""
    position = 0
    while (start := source.find("{{", position)) >= 0:
        inner_start = start + 2
        trim_left = (
            source[inner_start : inner_start + 1] == "-" and source[inner_start + 1 : inner_start + 2] in _SPACES
        )
        if trim_left:
            inner_start += 2
        cursor = inner_start
        while True:
            if source.startswith("/*", cursor):
                close = source.find("*/", cursor + 2)
                if close < 0:
                    raise _error(f"offset {start}: unclosed comment")
                cursor = close + 2
                continue
            char = source[cursor : cursor + 1]
            if not char:
                raise _error(f"offset {start}: unclosed action")
            if char in '"`':
                match = re.compile(r'"(?:[^"\\\n]|\\.)*"|`[^`]*`').match(source, cursor)
                if match is None:
                    raise _error(f"offset {cursor}: unterminated string")
                cursor = match.end()
                continue
            if source.startswith("}}", cursor):
                break
            cursor += 1
        inner = source[inner_start:cursor]
        trim_right = len(inner) >= 2 and inner[-1] == "-" and inner[-2] in _SPACES
        if trim_right:
            inner = inner[:-2]
        yield start, cursor + 2, inner, trim_left, trim_right
        position = cursor + 2


@attrs.define
class _Block:
    """A ``range`` or ``if`` being parsed; ``chained`` for the ``if`` an
    ``{{else if}}`` opened (it ends with its parent's ``{{end}}``)."""

    kind: str
    pipeline: tuple[Any, ...]
    names: tuple[str, ...]
    at: int
    body: list[_Node] = attrs.field(factory=list)
    otherwise: list[_Node] | None = None
    chained: bool = False

    @property
    def current(self) -> list[_Node]:
        return self.body if self.otherwise is None else self.otherwise

    def node(self) -> _Node:
        return _Node(
            self.kind,
            pipeline=self.pipeline,
            names=self.names,
            body=tuple(self.body),
            otherwise=tuple(self.otherwise or ()),
        )


def _parse(source: str) -> tuple[_Node, ...]:
    root: list[_Node] = []
    blocks: list[_Block] = []
    position = 0
    trim_next = False

    def current() -> list[_Node]:
        return blocks[-1].current if blocks else root

    for start, end, inner, trim_left, trim_right in _actions(source):
        text = source[position:start]
        if trim_next:
            text = text.lstrip()
        if trim_left:
            text = text.rstrip()
        if text:
            current().append(_Node("text", text))
        position, trim_next = end, trim_right
        inner = inner.strip()
        if inner.startswith("/*"):
            continue
        word = inner.split(None, 1)[0] if inner else ""
        if word in ("range", "if"):
            tokens = _tokens(inner[len(word) :], start)
            names, tokens = _declaration(tokens, start) if word == "range" else ((), tokens)
            blocks.append(_Block(word, _pipeline(tokens, start), names, start))
        elif word == "else":
            if not blocks or blocks[-1].otherwise is not None:
                raise _error(f"offset {start}: else without range or if")
            rest = inner[len(word) :].strip()
            blocks[-1].otherwise = []
            if rest:
                if rest.split(None, 1)[0] != "if":
                    raise _error(f"offset {start}: else takes nothing but if: {{{{else {rest}}}}}")
                tokens = _tokens(rest[2:], start)
                blocks.append(_Block("if", _pipeline(tokens, start), (), start, chained=True))
        elif word == "end":
            if not blocks or inner != "end":
                raise _error(f"offset {start}: end without range or if" if not blocks else f"offset {start}: bad end")
            while True:
                block = blocks.pop()
                current().append(block.node())
                if not block.chained:
                    break
        elif word in ("with", "define", "template", "block", "break", "continue"):
            raise _error(f"offset {start}: {word!r} is not in the supported subset (fields, range, if, functions)")
        else:
            tokens = _tokens(inner, start)
            names, tokens = _declaration(tokens, start)
            if names:
                raise _error(f"offset {start}: variables are declared only by range")
            current().append(_Node("action", pipeline=_pipeline(tokens, start)))
    if blocks:
        raise _error(f"offset {blocks[-1].at}: {blocks[-1].kind} without end")
    tail = source[position:]
    if trim_next:
        tail = tail.lstrip()
    if tail:
        root.append(_Node("text", tail))
    return tuple(root)


# -- execution ------------------------------------------------------------------


@attrs.frozen
class _Scope:
    dot: _Value
    root: _Value
    names: tuple[tuple[str, _Value], ...] = ()

    def lookup(self, name: str) -> _Value:
        if name == "$":
            return self.root
        for known, value in reversed(self.names):
            if known == name:
                return value
        raise _error(f"undefined variable {name}")


def _operand(token: Any, scope: _Scope) -> _Value:
    kind, text = token
    if kind == "pipeline":
        return _run_pipeline(text, scope)
    if kind == "pipeline_field":  # (pipeline).Field.Path
        inner, chain = text
        base = _run_pipeline(inner, scope)
        for part in chain[1:].split("."):
            base = _field(base, part)
        return base
    if kind == "string":
        return _Value(_unquote(text), "")
    if kind == "raw":
        return _Value(text[1:-1], "")
    if text in ("true", "false"):
        return _Value(text == "true", "")
    if text == "nil":
        return _Value(None, "")
    if re.fullmatch(r"-?\d+", text):
        return _Value(int(text), "")
    if text == ".":
        return scope.dot
    if text.startswith("."):
        base = scope.dot
        parts = text[1:].split(".")
    elif text.startswith("$"):
        head, _, rest = text.partition(".")
        base = scope.lookup(head)
        parts = rest.split(".") if rest else []
    else:
        raise _error(f"{text!r} is not a field, variable or function (functions: {', '.join(sorted(_FUNCTIONS))})")
    for part in parts:
        if not part:
            raise _error(f"bad field path {text!r}")
        base = _field(base, part)
    return base


def _run_command(command: tuple[Any, ...], scope: _Scope, piped: _Value | None) -> _Value:
    kind, name = command[0]
    if kind == "word" and name in _FUNCTIONS:  # a function, with the piped value last
        operands = [_operand(token, scope) for token in command[1:]]
        if piped is not None:
            operands.append(piped)
        args: list[Any] = operands if name in _PRINTERS else [operand.value for operand in operands]
        try:
            return _Value(_FUNCTIONS[name](*args), "")
        except TemplateError:
            raise
        except (TypeError, AttributeError, ValueError, IndexError, KeyError, OverflowError):
            given = ", ".join(_kind(operand.value) for operand in operands) or "nothing"
            raise _error(f"{name}: wrong number or kind of arguments (given: {given})") from None
    if kind == "word" and name == "nil" and len(command) == 1 and piped is None:
        raise _error("nil is not a command")
    if kind == "word" and _FUNCTION_NAME.fullmatch(name) and name not in ("true", "false", "nil"):
        raise _error(f"unknown function {name!r} (functions: {', '.join(sorted(_FUNCTIONS))})")
    if len(command) > 1 or piped is not None:
        shown = "(...)" if kind.startswith("pipeline") else name
        raise _error(f"{shown} is not a function: it takes no arguments")
    return _operand(command[0], scope)


_FUNCTION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _run_pipeline(pipeline: tuple[Any, ...], scope: _Scope) -> _Value:
    value: _Value | None = None
    for command in pipeline:
        value = _run_command(command, scope, value)
    assert value is not None
    return value


def _items(value: _Value) -> Iterator[tuple[Any, _Value]]:
    if isinstance(value.value, list):
        for position, item in enumerate(value.value):
            yield position, _Value(item, f"{value.path}[{position}]")
    elif isinstance(value.value, dict):
        for key in sorted(value.value):
            yield key, _Value(value.value[key], f"{value.path}.{key}", key)
    elif value.value is not None:
        raise _error(f"{value.path or 'range'}: cannot range over a {_kind(value.value)}")


def _execute(nodes: tuple[_Node, ...], scope: _Scope, out: list[str]) -> None:
    for node in nodes:
        if node.kind == "text":
            out.append(node.text)
        elif node.kind == "action":
            result = _run_pipeline(node.pipeline, scope)
            out.append(go_text(result.value, result.key))
        elif node.kind == "if":
            branch = node.body if _truth(_run_pipeline(node.pipeline, scope).value) else node.otherwise
            _execute(branch, scope, out)
        else:
            items = list(_items(_run_pipeline(node.pipeline, scope)))
            if not items:
                _execute(node.otherwise, scope, out)
            for key, item in items:
                names = scope.names
                if len(node.names) == 2:
                    names += ((node.names[0], _Value(key, "")), (node.names[1], item))
                elif node.names:
                    names += ((node.names[0], item),)
                _execute(node.body, _Scope(item, scope.root, names), out)


@attrs.frozen
class Template:
    """A parsed template, executed once per image.

    >>> Template.parse("{{.Id}}").execute({"Id": "sha256:ab"})
    'sha256:ab'
    """

    nodes: tuple[_Node, ...]

    @classmethod
    def parse(cls, source: str) -> Template:
        """Parse ``source``; a syntax error raises :class:`TemplateError`."""
        try:
            return cls(_parse(source))
        except RecursionError:
            raise _error("the template is nested too deeply") from None

    def execute(self, data: Any, *, podman: bool = False) -> str:
        """The text for one image's JSON value (``podman``: podman's types,
        whose ``Created`` fields are times)."""
        out: list[str] = []
        root = _Value(data, "$")
        token = _time_keys.set(_PODMAN_TIMES if podman else _TIMES)
        try:
            _execute(self.nodes, _Scope(root, root), out)
        except RecursionError:
            raise _error("the template is nested too deeply") from None
        finally:
            _time_keys.reset(token)
        return "".join(out)


def render(source: str, data: Any) -> str:
    """Parse ``source`` and execute it on ``data`` (one image's JSON value)."""
    return Template.parse(source).execute(data)
