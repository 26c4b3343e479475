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
(``[]`` for lists, ``map[]`` for maps, ``<nil>`` otherwise).

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

import functools
import re
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import orjson

from imageinspect.codec.gojson import escape
from imageinspect.errors import ImageInspectError

__all__ = ["Template", "TemplateError", "render"]


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
            for shape in value if isinstance(value, tuple) else (value,):
                if isinstance(shape, shapes.Shape):
                    keys.update(field.key for field in shape.fields)
    return frozenset(keys)


def _zero(key: str) -> str:
    return "[]" if key in _LISTS else "map[]" if key in _MAPS else "<nil>"


# -- printing as Go's fmt ---------------------------------------------------


def go_text(value: Any, key: str = "") -> str:
    """``value`` as Go's ``fmt.Print`` shows the Docker type it came from.

    >>> go_text({"b": [1, True], "a": None}), go_text({"80/tcp": {}}, "ExposedPorts"), go_text(None, "Env")
    ('map[a:<nil> b:[1 true]]', 'map[80/tcp:{}]', '[]')
    """
    if value is None:
        return _zero(key)
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list):
        return "[" + " ".join(go_text(item) for item in value) + "]"
    if isinstance(value, dict):
        if key in _SETS:
            return "map[" + " ".join(f"{k}:{{}}" for k in sorted(value)) + "]"
        return "map[" + " ".join(f"{k}:{go_text(value[k], k)}" for k in sorted(value)) + "]"
    return str(value)


def _truth(value: Any) -> bool:
    return not (value is None or value is False or value == 0 or value in ("", [], {}))


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
        if name in _known_keys():
            return _Value(None, path, name)
        owner = base.key or "the image"
        has = ", ".join(sorted(base.value)) or "no fields"
        raise _error(f"{path}: no such field ({owner} has: {has})")
    if base.value is None:
        raise _error(f"{path}: {base.path} is nil")
    raise _error(f"{path}: {base.path} is a {_kind(base.value)}, not an object")


def _kind(value: Any) -> str:
    return {list: "list", str: "string", bool: "boolean", int: "number", float: "number"}.get(type(value), "value")


# -- functions ----------------------------------------------------------------


def _json(value: Any) -> str:
    return escape(orjson.dumps(value)).decode()


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
        if isinstance(items, dict):
            items = items.get(key)
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


def _print(*values: Any) -> str:
    out = ""
    for position, value in enumerate(values):
        if position and not isinstance(value, str) and not isinstance(values[position - 1], str):
            out += " "
        out += go_text(value)
    return out


def _title(text: str) -> str:
    return re.sub(r"(?:^|(?<=[^\w]))(\w)", lambda m: m.group(1).upper(), text)


def _truncate(text: str, length: int) -> str:
    return text[:length] if len(text) >= length else text


def _pad(text: str, before: int, after: int) -> str:
    return " " * before + text + " " * after if text else text


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "json": _json,
    "join": _join,
    "split": lambda text, separator: text.split(separator),
    "index": _index,
    "len": _length,
    "upper": lambda text: text.upper(),
    "lower": lambda text: text.lower(),
    "title": _title,
    "truncate": _truncate,
    "pad": _pad,
    "print": _print,
    "println": lambda *values: " ".join(go_text(v) for v in values) + "\n",
}


# -- parsing ------------------------------------------------------------------

_ACTION = re.compile(r"\{\{(-\s)?(.*?)(\s-)?\}\}", re.DOTALL)
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<raw>`[^`]*`)
      | (?P<pipe>\|)
      | (?P<open>\()
      | (?P<close>\))
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
            commands[-1].append(("pipeline", inner))
        elif kind in ("declare", "comma"):
            raise _error(f"offset {where}: unexpected {text!r}")
        else:
            commands[-1].append((kind, text))
    if stack:
        raise _error(f"offset {where}: unclosed (")
    if not commands[-1]:
        raise _error(f"offset {where}: empty command")
    return tuple(tuple(c) for c in commands)


def _declaration(tokens: list[tuple[str, str]]) -> tuple[tuple[str, ...], list[tuple[str, str]]]:
    """``$k, $v :=`` at the start of a range or action."""
    for end, (kind, _) in enumerate(tokens):
        if kind == "declare":
            names = tuple(text for kind, text in tokens[:end] if kind == "word")
            if names and all(n.startswith("$") for n in names) and len(names) <= 2:
                return names, tokens[end + 1 :]
        if kind not in ("word", "comma"):
            break
    return (), tokens


def _parse(source: str) -> tuple[_Node, ...]:
    root: list[_Node] = []
    # (kind, pipeline, names, body, otherwise-or-None)
    open_blocks: list[tuple[str, tuple[Any, ...], tuple[str, ...], list[_Node], list[_Node] | None, int]] = []
    current = root
    position = 0
    trim_next = False
    for match in _ACTION.finditer(source):
        text = source[position : match.start()]
        if trim_next:
            text = text.lstrip()
        if match.group(1):
            text = text.rstrip()
        if text:
            current.append(_Node("text", text))
        position = match.end()
        trim_next = bool(match.group(3))
        inner = match.group(2).strip()
        where = match.start()
        if inner.startswith("/*"):
            continue
        word = inner.split(None, 1)[0] if inner else ""
        if word in ("range", "if"):
            tokens = _tokens(inner[len(word) :], where)
            names, tokens = _declaration(tokens) if word == "range" else ((), tokens)
            body: list[_Node] = []
            open_blocks.append((word, _pipeline(tokens, where), names, body, None, where))
            current = body
        elif word == "else":
            if not open_blocks or open_blocks[-1][4] is not None:
                raise _error(f"offset {where}: else without range or if")
            kind, pipeline, names, body, _, at = open_blocks.pop()
            otherwise: list[_Node] = []
            open_blocks.append((kind, pipeline, names, body, otherwise, at))
            current = otherwise
        elif word == "end":
            if not open_blocks:
                raise _error(f"offset {where}: end without range or if")
            kind, pipeline, names, body, maybe, _ = open_blocks.pop()
            node = _Node(kind, pipeline=pipeline, names=names, body=tuple(body), otherwise=tuple(maybe or ()))
            current = (
                root
                if not open_blocks
                else (open_blocks[-1][4] if open_blocks[-1][4] is not None else open_blocks[-1][3])
            )
            current.append(node)
        elif word in ("with", "define", "template", "block", "break", "continue"):
            raise _error(f"offset {where}: {word!r} is not in the supported subset (fields, range, if, functions)")
        else:
            tokens = _tokens(inner, where)
            names, tokens = _declaration(tokens)
            if names:
                raise _error(f"offset {where}: variables are declared only by range")
            current.append(_Node("action", pipeline=_pipeline(tokens, where)))
    if open_blocks:
        raise _error(f"offset {open_blocks[-1][5]}: {open_blocks[-1][0]} without end")
    tail = source[position:]
    if "{{" in tail:
        raise _error(f"offset {position + tail.index('{{')}: unclosed action")
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
    if kind == "string":
        return _Value(orjson.loads(text), "")
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
    if kind == "word" and name in _FUNCTIONS:
        args = [_operand(token, scope).value for token in command[1:]]
        if piped is not None:
            args.append(piped.value)
        try:
            return _Value(_FUNCTIONS[name](*args), "")
        except TypeError:
            raise _error(f"{name}: wrong number or kind of arguments ({len(args)} given)") from None
        except (AttributeError, ValueError) as err:
            raise _error(f"{name}: {err}") from None
    if len(command) > 1 or piped is not None:
        shown = "(...)" if kind == "pipeline" else name
        raise _error(f"{shown!r} is not a function: it takes no arguments")
    return _operand(command[0], scope)


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
        return cls(_parse(source))

    def execute(self, data: Any) -> str:
        """The text for one image's JSON value."""
        out: list[str] = []
        root = _Value(data, "$")
        _execute(self.nodes, _Scope(root, root), out)
        return "".join(out)


def render(source: str, data: Any) -> str:
    """Parse ``source`` and execute it on ``data`` (one image's JSON value)."""
    return Template.parse(source).execute(data)
